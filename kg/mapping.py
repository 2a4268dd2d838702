"""Records of kg/sources -> RDF triples. Pure: reads Sources, writes one rdflib Graph."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.iris import Minter
from kg.numbers import WrittenValue, parse_value
from kg.periods import Period, parse_period
from kg.provenance import Provenance
from kg.sources import Record, Sources
from kg.vocab import GEONAMES, PREFIXES, QB, SCHEMA, TIME, UNIT, WD, ZZ

INDUSTRY_SCHEME = "industries"
FALL_WORDS = ("下降", "减少")
GEONAMES_MATCH = {"exact": SKOS.exactMatch, "close": SKOS.closeMatch}  # granularity differs
ARTICLE_DATE_NOTE = {
    "zh": "文章未注明刊发媒体和日期；正文写到的最晚日期为{day.month}月{day.day}日，故写作不早于{day:%Y-%m-%d}。",
    "en": "The text names neither its outlet nor its date; the latest day it states is"
    " {day:%Y-%m-%d}, so it was written on or after that day.",
}


class Mapper:
    """Turns checked records into triples; every failure names its record."""

    def __init__(self, sources: Sources, minter: Minter):
        self.sources = sources
        self.minter = minter
        self.graph = Graph()
        article_iri = minter.entity(sources.meta.get("id", "article/article"))
        self.prov = Provenance(self.graph, sources.article, minter, article_iri)
        self.entity_types = {r["id"]: r["type"] for r in sources.entities}
        self.entity_types[sources.meta.get("id", "article/article")] = "Article"
        self.labels = {r["id"]: r["label"] for r in sources.entities}
        self.indicators = {r["id"]: r for r in sources.indicators}
        self.latest_date = date.fromisoformat(str(sources.meta["latest_date_stated"]))
        self.fact_kinds = {
            r["id"]: ("claim" if "claim" in r.data else "observation") for r in sources.facts
        }

    def build(self) -> Graph:
        self.add_article()
        self.add_industry_scheme()
        for record in self.sources.entities:
            self.add_entity(record)
        for record in self.sources.indicators:
            self.add_indicator(record)
        for record in self.sources.facts:
            self.add_fact(record)
        for record in self.sources.relations:
            self.add_relation(record)
        for record in self.sources.links:
            self.add_link(record)
        return self.graph

    # -- helpers ---------------------------------------------------------------------------

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def add_labels(self, iri: URIRef, label: dict, *, prefer: bool = True) -> None:
        for lang in ("zh", "en"):
            self.add(iri, RDFS.label, Literal(label[lang], lang=lang))
            if prefer:
                self.add(iri, SKOS.prefLabel, Literal(label[lang], lang=lang))

    def entity_ref(self, record: Record, entity_id: str, *, kind: str | None = None) -> URIRef:
        if entity_id not in self.entity_types:
            raise record.fail(f"unknown entity {entity_id!r} (not in entities.yaml)")
        if kind and self.entity_types[entity_id] != kind:
            raise record.fail(f"{entity_id!r} is a {self.entity_types[entity_id]}, not a {kind}")
        return self.minter.entity(entity_id)

    def zz_term(self, record: Record, name: str, what: str) -> URIRef:
        try:
            return getattr(ZZ, name)
        except AttributeError:
            raise record.fail(f"unknown {what} {name!r} (not in the ontology)") from None

    # -- the article -----------------------------------------------------------------------

    def add_article(self) -> None:
        meta, iri = self.sources.meta, self.prov.article_iri
        self.add(iri, RDF.type, ZZ.Article)
        self.add(iri, SCHEMA.text, Literal(self.sources.article.text, lang="zh"))
        self.add(iri, SCHEMA.inLanguage, Literal(meta.get("language", "zh")))
        headline = meta["headline"]
        for lang in ("zh", "en"):
            self.add(iri, SCHEMA.headline, Literal(headline[lang], lang=lang))
        self.add_labels(iri, headline)
        if meta.get("kicker"):
            for lang in ("zh", "en"):
                self.add(iri, SCHEMA.alternativeHeadline, Literal(meta["kicker"][lang], lang=lang))
        if meta.get("headline_quote"):
            record = Record({"quote": meta["headline_quote"]}, "article.yaml headline_quote")
            self.add(iri, ZZ.hasQuote, self.prov.quote(self.prov.locate(record)))
        self.add_latest_date(iri, meta)

    def add_latest_date(self, iri: URIRef, meta: dict) -> None:
        """What the text says of its date: nothing but the latest day it mentions."""
        record = Record({"quote": meta["latest_date_quote"]}, "article.yaml latest_date_stated")
        day = self.latest_date
        written = f"{day.month}月{day.day}日"
        if written not in meta["latest_date_quote"]:
            raise record.fail(f"latest_date_quote does not say {written}")
        self.prov.locate(record)
        self.add(iri, ZZ.latestDateStated, Literal(day.isoformat(), datatype=XSD.date))
        for lang, text in ARTICLE_DATE_NOTE.items():
            self.add(iri, RDFS.comment, Literal(text.format(day=day), lang=lang))

    def add_industry_scheme(self) -> None:
        iri = self.minter.scheme(INDUSTRY_SCHEME)
        self.add(iri, RDF.type, SKOS.ConceptScheme)
        self.add_labels(
            iri, {"zh": "郑州产业与产业链", "en": "Zhengzhou industries and industrial chains"}
        )
        self.add(iri, DCTERMS.source, self.prov.article_iri)

    # -- entities and indicators -----------------------------------------------------------

    def add_entity(self, record: Record) -> None:
        iri = self.minter.entity(record["id"])
        self.add(iri, RDF.type, self.zz_term(record, record["type"], "class"))
        self.add_labels(iri, record["label"])
        for lang, names in (record.get("aliases") or {}).items():
            for name in names:
                self.add(iri, SKOS.altLabel, Literal(name, lang=lang))
        for lang, text in (record.get("description") or {}).items():
            self.add(iri, SCHEMA.description, Literal(text, lang=lang))
        if record["type"] in ("Industry", "IndustrialChain"):
            self.add(iri, SKOS.inScheme, self.minter.scheme(INDUSTRY_SCHEME))
        if record.get("broader"):
            self.add(iri, SKOS.broader, self.entity_ref(record, record["broader"]))
        if record.get("note"):
            self.add(iri, RDFS.comment, Literal(record["note"], lang="en"))
        self.prov.cite(iri, record, "mention")

    def add_indicator(self, record: Record) -> None:
        iri = self.minter.indicator(record["id"])
        self.add(iri, RDF.type, ZZ.Indicator)
        self.add_labels(iri, record["label"])
        for lang in ("zh", "en"):
            self.add(iri, SKOS.definition, Literal(record["definition"][lang], lang=lang))
        if record.get("broader"):
            if record["broader"] not in self.indicators:
                raise record.fail(f"unknown broader indicator {record['broader']!r}")
            self.add(iri, SKOS.broader, self.minter.indicator(record["broader"]))

    # -- facts -----------------------------------------------------------------------------

    def add_fact(self, record: Record) -> None:
        is_claim = "claim" in record.data
        iri = (self.minter.claim if is_claim else self.minter.observation)(record["id"])
        span = self.prov.cite(iri, record)
        quote = self.sources.article.text[span.start : span.end]
        self.add(iri, ZZ.about, self.entity_ref(record, record["about"]))
        if record.get("about_inferred"):
            self.add_inference(iri, record, "about_inferred", ZZ.aboutBasis, ZZ.aboutNote)
        self.add(iri, QB.dataSet, self.minter.dataset)
        if record.get("indicator"):
            if record["indicator"] not in self.indicators:
                raise record.fail(f"unknown indicator {record['indicator']!r}")
            self.add(iri, ZZ.indicator, self.minter.indicator(record["indicator"]))
        for key, prop in (("period_text", ZZ.periodAsWritten), ("rank_text", ZZ.rankAsWritten)):
            if record.get(key):
                if record[key] not in quote:
                    raise record.fail(f"{key} {record[key]!r} is not in the quote")
                self.add(iri, prop, Literal(record[key], lang="zh"))
        if record.get("period_inferred") and not record.get("period"):
            raise record.fail("period_inferred needs a period")
        period = self.add_period(record) if record.get("period") else None
        if record.get("rank") is not None:
            self.add_rank(iri, record)
        elif record.get("rank_among"):  # "among the leaders of" a group, without a number
            group = self.entity_ref(record, record["rank_among"], kind="ComparisonGroup")
            self.add(iri, ZZ.rankAmong, group)
        if record.get("note"):
            self.add(iri, RDFS.comment, Literal(record["note"], lang="en"))
        if is_claim:
            self.add_claim(iri, record)
        else:
            self.add_observation(iri, record, quote, period)

    def add_claim(self, iri: URIRef, record: Record) -> None:
        if not record.get("statement"):
            raise record.fail("a claim needs a statement {zh, en}")
        self.add(iri, RDF.type, ZZ.Claim)
        self.add(iri, ZZ.claimType, self.zz_term(record, record["claim"], "claim type"))
        for lang in ("zh", "en"):
            self.add(iri, ZZ.claimText, Literal(record["statement"][lang], lang=lang))
        self.add_labels(iri, record["statement"], prefer=False)
        for fact_id in record.get("concerns") or []:
            if fact_id not in self.fact_kinds:
                raise record.fail(f"concerns {fact_id!r}, which is not a fact of facts.yaml")
            make = (
                self.minter.claim
                if self.fact_kinds[fact_id] == "claim"
                else self.minter.observation
            )
            self.add(iri, ZZ.concerns, make(fact_id))

    def add_observation(
        self, iri: URIRef, record: Record, quote: str, period: Period | None
    ) -> None:
        if not record.get("indicator"):
            raise record.fail("an observation needs an indicator")
        if not record.get("value") and record.get("rank") is None:
            raise record.fail("an observation needs a value or a rank")
        self.add(iri, RDF.type, ZZ.Observation)
        self.add_observation_labels(iri, record, period)
        if record.get("value"):
            self.add_value(iri, record, quote)
        else:
            self.add(iri, ZZ.qualifier, ZZ.Exact)
        status = ZZ.Estimated if record.get("estimated") else ZZ.Reported
        if record.get("estimated") and "预计" not in quote:
            raise record.fail("estimated: true but the quote does not say 预计")
        self.add(iri, ZZ.status, status)
        if record.get("growth_of"):
            if self.fact_kinds.get(record["growth_of"]) != "observation":
                raise record.fail(f"growth_of {record['growth_of']!r} is not an observation")
            self.add(iri, ZZ.growthOf, self.minter.observation(record["growth_of"]))
        if record.get("basis"):
            if record["basis"] != "year-on-year":
                raise record.fail(f"unknown basis {record['basis']!r} (known: year-on-year)")
            if "同比" not in quote:
                raise record.fail("basis: year-on-year but the quote does not say 同比")
            self.add(iri, ZZ.comparisonBasis, ZZ.YearOnYear)

    def add_observation_labels(self, iri: URIRef, record: Record, period: Period | None) -> None:
        about, indicator = (
            self.labels[record["about"]],
            self.indicators[record["indicator"]]["label"],
        )
        zh = f"{about['zh']}·{indicator['zh']}"
        en = f"{indicator['en']}, {about['en']}"
        if period:
            zh, en = f"{zh}({period.label_zh})", f"{en} ({period.label_en})"
        self.add_labels(iri, {"zh": zh, "en": en}, prefer=False)

    def add_value(self, iri: URIRef, record: Record, quote: str) -> None:
        written = record["value"]
        if written not in quote:
            raise record.fail(f"value {written!r} is not in the quote")
        try:
            value = parse_value(written)
        except ValueError as error:
            raise record.fail(str(error)) from None
        if record.get("change") == "decrease":
            word = next((w for w in FALL_WORDS if w in quote), None)
            if word is None:
                raise record.fail("change: decrease but the quote says neither 下降 nor 减少")
            value = negated(value)
            written = f"{word}{written}"  # 下降17.3%和20%: each figure keeps the word
        unit = self.unit_of(record, value)
        self.add(iri, ZZ.valueAsWritten, Literal(written, lang="zh"))
        self.add(iri, ZZ.unit, unit)
        self.add(iri, ZZ.measureWord, Literal(value.measure_word or record["unit"], lang="zh"))
        qualifier = record.get("qualifier") or value.qualifier
        self.add(iri, ZZ.qualifier, self.zz_term(record, qualifier, "qualifier"))
        if value.number is not None:
            self.add(iri, ZZ.value, decimal_literal(value.number))
        for prop, bound in ((ZZ.lowerBound, value.lower), (ZZ.upperBound, value.upper)):
            if bound is not None:
                self.add(iri, prop, decimal_literal(bound))
        if value.lower is not None:
            self.add(iri, ZZ.lowerBoundInclusive, Literal(value.lower_inclusive))
        if value.upper is not None:
            self.add(iri, ZZ.upperBoundInclusive, Literal(value.upper_inclusive))

    def unit_of(self, record: Record, value: WrittenValue) -> URIRef:
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
        return getattr(ZZ, name[3:]) if name.startswith("zz:") else UNIT[name]

    def add_rank(self, iri: URIRef, record: Record) -> None:
        rank = record["rank"]
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
            raise record.fail(f"rank must be a positive whole number, got {rank!r}")
        if not record.get("rank_among"):
            raise record.fail("a rank needs rank_among (its comparison group)")
        group = self.entity_ref(record, record["rank_among"], kind="ComparisonGroup")
        self.add(iri, ZZ.rank, Literal(rank, datatype=XSD.positiveInteger))
        self.add(iri, ZZ.rankAmong, group)

    def add_period(self, record: Record) -> Period:
        try:
            period = parse_period(record["period"], as_of=self.latest_date)
        except ValueError as error:
            raise record.fail(str(error)) from None
        if period.end and period.end > self.latest_date and not record.get("estimated"):
            raise record.fail(
                f"period {period.key!r} ends after {self.latest_date}, the latest day the "
                "article states: only an estimate may cover it"
            )
        iri = self.minter.period(period.slug)
        fact = (self.minter.claim if "claim" in record.data else self.minter.observation)(
            record["id"]
        )
        self.add(fact, ZZ.period, iri)
        self.add_period_basis(fact, record)
        self.add(iri, RDF.type, ZZ.Period)
        self.add(iri, RDF.type, TIME.ProperInterval)
        self.add_labels(iri, {"zh": period.label_zh, "en": period.label_en}, prefer=False)
        for prop, day in ((TIME.hasBeginning, period.begin), (TIME.hasEnd, period.end)):
            if day is not None:
                self.add(iri, prop, self.instant(day))
        if period.duration:
            self.add(iri, TIME.hasXSDDuration, Literal(period.duration, datatype=XSD.duration))
        return period

    def add_period_basis(self, fact: URIRef, record: Record) -> None:
        """Stated when the quote writes the period; otherwise the record must say why it is
        assumed."""
        if record.get("period_inferred"):
            self.add_inference(fact, record, "period_inferred", ZZ.periodBasis, ZZ.periodNote)
        elif record.get("period_text"):
            self.add(fact, ZZ.periodBasis, ZZ.Stated)
        else:
            raise record.fail(
                "the quote does not state the period: give period_text (as written in the "
                "quote) or period_inferred (a reason from inferences.yaml)"
            )

    def add_inference(
        self, fact: URIRef, record: Record, key: str, basis: URIRef, note: URIRef
    ) -> None:
        reason = self.sources.inferences.get(record[key])
        if reason is None:
            raise record.fail(f"{key} {record[key]!r} is not a reason in inferences.yaml")
        self.add(fact, basis, ZZ.Inferred)
        for lang in ("zh", "en"):
            self.add(fact, note, Literal(" ".join(reason[lang].split()), lang=lang))

    def instant(self, day: date) -> URIRef:
        iri = self.minter.instant(day)
        self.add(iri, RDF.type, TIME.Instant)
        self.add(iri, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date))
        return iri

    # -- relations and external links ------------------------------------------------------

    def add_relation(self, record: Record) -> None:
        subject = self.entity_ref(record, record["subject"])
        obj = self.entity_ref(record, record["object"])
        predicate = self.property_iri(record, record["property"])
        slug = "--".join(
            (
                record["subject"].replace("/", "."),
                record["property"].replace(":", "."),
                record["object"].replace("/", "."),
            )
        )
        statement = self.prov.statement(slug, (subject, predicate, obj))
        self.prov.cite(statement, record)

    def property_iri(self, record: Record, name: str) -> URIRef:
        if ":" not in name:
            return self.zz_term(record, name, "property")
        prefix, local = name.split(":", 1)
        if prefix == "zz":
            return self.zz_term(record, local, "property")
        if prefix not in PREFIXES:
            raise record.fail(f"unknown prefix {prefix!r} in property {name!r}")
        return URIRef(PREFIXES[prefix] + local)

    def add_link(self, record: Record) -> None:
        subject = self.entity_ref(record, record["entity"])
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
        for kind, predicate, target in targets:
            seen = [e for e in evidence if e.get("id") == kind]
            if not seen:
                raise record.fail(f"no evidence for the {kind} identifier")
            local = str(record["geonames"] if kind == "geonames" else target.rsplit("/", 1)[-1])
            slug = f"{record['entity'].replace('/', '.')}--{kind}--{local}"
            statement = self.prov.statement(slug, (subject, predicate, target))
            for item in seen:
                self.prov.evidence(statement, item["source"], item["excerpt"])


def decimal_literal(number: Decimal) -> Literal:
    """xsd:decimal in canonical form (131000.0, 112.9), the form Turtle writers round-trip."""
    text = format(number, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


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


def map_sources(sources: Sources, minter: Minter) -> Graph:
    """The knowledge graph (without ontology and VoID) of checked sources."""
    return Mapper(sources, minter).build()
