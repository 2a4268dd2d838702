"""The one place a record of kg/sources is judged, and turned into a typed record.

Its quote found in the article, its references to entities, indicators and facts resolved, its
value parsed, its unit, period and terms looked up: every failure is a SourceError naming the
record. What comes out (kg/records.py) is mapped without a single further check.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import OWL, RDFS, URIRef
from rdflib.namespace import SKOS

from kg.numbers import WrittenValue, parse_value
from kg.periods import parse_period
from kg.records import (
    ArticleMeta,
    Checked,
    Entity,
    Fact,
    Indicator,
    Link,
    PeriodUse,
    Relation,
    Text,
    Value,
)
from kg.sources import Record, Sources
from kg.text import QuoteError, Span
from kg.vocab import GEONAMES, PREFIXES, UNIT, WD, ZZ

FALL_WORDS = ("下降", "减少")
GEONAMES_MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch}  # granularity differs
YEAR_ON_YEAR = "year-on-year"


def check(sources: Sources) -> Checked:
    """Every record of ``sources``, checked and typed; the first problem raises SourceError."""
    return _Checker(sources).run()


class _Checker:
    def __init__(self, sources: Sources):
        self.sources = sources
        self.article_id = sources.meta.get("id", "article/article")
        self.entity_types = {r["id"]: r["type"] for r in sources.entities}
        self.entity_types[self.article_id] = "Article"
        self.indicator_ids = {r["id"] for r in sources.indicators}
        self.fact_is_claim = {r["id"]: "claim" in r.data for r in sources.facts}

    def run(self) -> Checked:
        s = self.sources
        return Checked(
            source=s.article,
            article=self.article(),
            entities=[self.entity(r) for r in s.entities],
            indicators=[self.indicator(r) for r in s.indicators],
            facts=[self.fact(r) for r in s.facts],
            relations=[self.relation(r) for r in s.relations],
            links=[link for r in s.links for link in self.links(r)],
        )

    # -- helpers ---------------------------------------------------------------------------

    def locate(self, record: Record, key: str = "quote") -> Span:
        try:
            return self.sources.article.locate(record[key], record.get("occurrence"))
        except QuoteError as error:
            raise record.fail(str(error)) from None

    def quote_text(self, span: Span) -> str:
        return self.sources.article.text[span.start : span.end]

    def entity_ref(self, record: Record, entity_id: str, *, kind: str | None = None) -> str:
        if entity_id not in self.entity_types:
            raise record.fail(f"unknown entity {entity_id!r} (not in entities.yaml)")
        if kind and self.entity_types[entity_id] != kind:
            raise record.fail(f"{entity_id!r} is a {self.entity_types[entity_id]}, not a {kind}")
        return entity_id

    @staticmethod
    def zz_term(record: Record, name: str, what: str) -> URIRef:
        try:
            return getattr(ZZ, name)
        except AttributeError:
            raise record.fail(f"unknown {what} {name!r} (not in the ontology)") from None

    def reason(self, record: Record, key: str) -> Text | None:
        if not record.get(key):
            return None
        reason = self.sources.inferences.get(record[key])
        if reason is None:
            raise record.fail(f"{key} {record[key]!r} is not a reason in inferences.yaml")
        return Text(*(" ".join(reason[lang].split()) for lang in ("zh", "en")))

    # -- the article, entities, indicators -------------------------------------------------

    def article(self) -> ArticleMeta:
        meta = self.sources.meta
        where = Record({"quote": meta.get("latest_date_quote", "")}, "article.yaml")
        try:
            day = date.fromisoformat(str(meta["latest_date_stated"]))
        except (KeyError, ValueError):
            raise where.fail("latest_date_stated: the latest day the text states, YYYY-MM-DD")
        if f"{day.month}月{day.day}日" not in where["quote"]:
            raise where.fail(f"latest_date_quote does not say {day.month}月{day.day}日")
        self.locate(where)
        headline_quote = None
        if meta.get("headline_quote"):
            headline_quote = self.locate(Record({"quote": meta["headline_quote"]}, "article.yaml"))
        return ArticleMeta(
            id=self.article_id,
            language=meta.get("language", "zh"),
            headline=Text.of(meta["headline"]),
            kicker=Text.of(meta["kicker"]) if meta.get("kicker") else None,
            headline_quote=headline_quote,
            latest_date=day,
        )

    def entity(self, record: Record) -> Entity:
        aliases = tuple(
            (lang, name) for lang, names in (record.get("aliases") or {}).items() for name in names
        )
        broader = record.get("broader")
        return Entity(
            id=record["id"],
            type=self.zz_term(record, record["type"], "class"),
            type_name=record["type"],
            label=Text.of(record["label"]),
            aliases=aliases,
            description=Text.of(record["description"]) if record.get("description") else None,
            broader=self.entity_ref(record, broader) if broader else None,
            note=record.get("note"),
            mention=self.locate(record, "mention"),
        )

    def indicator(self, record: Record) -> Indicator:
        broader = record.get("broader")
        if broader and broader not in self.indicator_ids:
            raise record.fail(f"unknown broader indicator {broader!r}")
        return Indicator(
            record["id"], Text.of(record["label"]), Text.of(record["definition"]), broader
        )

    # -- facts -----------------------------------------------------------------------------

    def fact(self, record: Record) -> Fact:
        is_claim = "claim" in record.data
        span = self.locate(record)
        quote = self.quote_text(span)
        indicator = record.get("indicator")
        if indicator and indicator not in self.indicator_ids:
            raise record.fail(f"unknown indicator {indicator!r}")
        for key in ("period_text", "rank_text"):
            if record.get(key) and record[key] not in quote:
                raise record.fail(f"{key} {record[key]!r} is not in the quote")
        rank, rank_among = self.rank(record)
        common = {
            "id": record["id"],
            "is_claim": is_claim,
            "about": self.entity_ref(record, record["about"]),
            "about_inferred": self.reason(record, "about_inferred"),
            "indicator": indicator,
            "quote": span,
            "period": self.period(record),
            "period_text": record.get("period_text"),
            "rank": rank,
            "rank_among": rank_among,
            "rank_text": record.get("rank_text"),
            "note": record.get("note"),
        }
        if is_claim:
            return Fact(**common, **self.claim(record))
        return Fact(**common, **self.observation(record, quote, rank))

    def rank(self, record: Record) -> tuple[int | None, str | None]:
        rank, among = record.get("rank"), record.get("rank_among")
        if rank is not None:
            if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
                raise record.fail(f"rank must be a positive whole number, got {rank!r}")
            if not among:
                raise record.fail("a rank needs rank_among (its comparison group)")
        if among:  # a rank, or "among the leaders of" a group without a number
            self.entity_ref(record, among, kind="ComparisonGroup")
        return rank, among

    def period(self, record: Record) -> PeriodUse | None:
        if not record.get("period"):
            if record.get("period_inferred"):
                raise record.fail("period_inferred needs a period")
            return None
        latest = date.fromisoformat(str(self.sources.meta["latest_date_stated"]))
        try:
            period = parse_period(record["period"], as_of=latest)
        except ValueError as error:
            raise record.fail(str(error)) from None
        if period.end and period.end > latest and not record.get("estimated"):
            raise record.fail(
                f"period {period.key!r} ends after {latest}, the latest day the "
                "article states: only an estimate may cover it"
            )
        inferred = self.reason(record, "period_inferred")
        if inferred is None and not record.get("period_text"):
            raise record.fail(
                "the quote does not state the period: give period_text (as written in the "
                "quote) or period_inferred (a reason from inferences.yaml)"
            )
        return PeriodUse(period, inferred)

    def claim(self, record: Record) -> dict:
        if not record.get("statement"):
            raise record.fail("a claim needs a statement {zh, en}")
        concerns = []
        for fact_id in record.get("concerns") or []:
            if fact_id not in self.fact_is_claim:
                raise record.fail(f"concerns {fact_id!r}, which is not a fact of facts.yaml")
            concerns.append((self.fact_is_claim[fact_id], fact_id))
        return {
            "claim_type": self.zz_term(record, record["claim"], "claim type"),
            "statement": Text.of(record["statement"]),
            "concerns": tuple(concerns),
        }

    def observation(self, record: Record, quote: str, rank: int | None) -> dict:
        if not record.get("indicator"):
            raise record.fail("an observation needs an indicator")
        if not record.get("value") and rank is None:
            raise record.fail("an observation needs a value or a rank")
        if record.get("estimated") and "预计" not in quote:
            raise record.fail("estimated: true but the quote does not say 预计")
        growth_of = record.get("growth_of")
        if growth_of and self.fact_is_claim.get(growth_of) is not False:
            raise record.fail(f"growth_of {growth_of!r} is not an observation")
        basis = record.get("basis")
        if basis and basis != YEAR_ON_YEAR:
            raise record.fail(f"unknown basis {basis!r} (known: {YEAR_ON_YEAR})")
        if basis and "同比" not in quote:
            raise record.fail("basis: year-on-year but the quote does not say 同比")
        return {
            "value": self.value(record, quote) if record.get("value") else None,
            "estimated": bool(record.get("estimated")),
            "growth_of": growth_of,
            "year_on_year": bool(basis),
        }

    def value(self, record: Record, quote: str) -> Value:
        written = record["value"]
        if written not in quote:
            raise record.fail(f"value {written!r} is not in the quote")
        try:
            parsed = parse_value(written)
        except ValueError as error:
            raise record.fail(str(error)) from None
        if record.get("change") == "decrease":
            word = next((w for w in FALL_WORDS if w in quote), None)
            if word is None:
                raise record.fail("change: decrease but the quote says neither 下降 nor 减少")
            parsed = negated(parsed)
            written = f"{word}{written}"  # 下降17.3%和20%: each figure keeps the word
        unit, word = self.unit(record, parsed)
        qualifier = self.zz_term(record, record.get("qualifier") or parsed.qualifier, "qualifier")
        return Value(written, parsed, unit, word, qualifier)

    def unit(self, record: Record, value: WrittenValue) -> tuple[URIRef, str]:
        word = value.measure_word or record.get("unit")
        if not word:
            raise record.fail(f"value {record['value']!r} has no measure word: add 'unit:'")
        if value.measure_word and record.get("unit") and record["unit"] != value.measure_word:
            raise record.fail(
                f"unit {record['unit']!r} contradicts the value's {value.measure_word!r}"
            )
        spec = self.sources.units.get(word)
        if spec is None:
            raise record.fail(f"unknown unit {word!r} (add it to units.yaml)")
        name = spec["unit"]
        return (getattr(ZZ, name[3:]) if name.startswith("zz:") else UNIT[name]), word

    # -- relations and links ---------------------------------------------------------------

    def relation(self, record: Record) -> Relation:
        subject = self.entity_ref(record, record["subject"])
        obj = self.entity_ref(record, record["object"])
        slug = "--".join(
            (
                subject.replace("/", "."),
                record["property"].replace(":", "."),
                obj.replace("/", "."),
            )
        )
        return Relation(
            subject, self.property_iri(record, record["property"]), obj, slug, self.locate(record)
        )

    def property_iri(self, record: Record, name: str) -> URIRef:
        if ":" not in name:
            return self.zz_term(record, name, "property")
        prefix, local = name.split(":", 1)
        if prefix == "zz":
            return self.zz_term(record, local, "property")
        if prefix not in PREFIXES:
            raise record.fail(f"unknown prefix {prefix!r} in property {name!r}")
        return URIRef(PREFIXES[prefix] + local)

    def links(self, record: Record) -> list[Link]:
        entity = self.entity_ref(record, record["entity"])
        targets = []
        if record.get("wikidata"):
            targets.append(("wikidata", OWL.sameAs, WD[str(record["wikidata"])]))
        if record.get("related_wikidata"):
            targets.append(("wikidata", RDFS.seeAlso, WD[str(record["related_wikidata"])]))
        if record.get("geonames"):
            match = GEONAMES_MATCH.get(record.get("geonames_match", "exact"))
            if match is None:
                raise record.fail(f"geonames_match must be one of {', '.join(GEONAMES_MATCH)}")
            targets.append(("geonames", match, GEONAMES[f"{record['geonames']}/"]))
        evidence = record["evidence"] or []
        links = []
        for kind, predicate, target in targets:
            seen = tuple((e["source"], e["excerpt"]) for e in evidence if e.get("id") == kind)
            if not seen:
                raise record.fail(f"no evidence for the {kind} identifier")
            local = str(record["geonames"] if kind == "geonames" else target.rsplit("/", 1)[-1])
            slug = f"{entity.replace('/', '.')}--{kind}--{local}"
            links.append(Link(entity, kind, predicate, target, slug, seen))
        return links


def negated(value: WrittenValue) -> WrittenValue:
    """A fall written as a positive rate (下降17.3%) as a negative change."""

    def flip(n: Decimal | None) -> Decimal | None:
        return None if n is None else -n

    return WrittenValue(
        value.written,
        flip(value.number),
        value.measure_word,
        value.qualifier,
        lower=flip(value.upper),
        lower_inclusive=value.upper_inclusive,
        upper=flip(value.lower),
        upper_inclusive=value.lower_inclusive,
    )
