"""Checked records (kg/records.py) -> RDF triples. Pure: emits, never judges a record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.iris import Minter
from kg.periods import Period
from kg.provenance import Provenance
from kg.records import ArticleMeta, Checked, Entity, Fact, Indicator, Link, Relation, Text, Value
from kg.vocab import QB, SCHEMA, TIME, ZZ

INDUSTRY_SCHEME = "industries"
INDUSTRY_SCHEME_LABEL = Text("郑州产业与产业链", "Zhengzhou industries and industrial chains")
SCHEME_TYPES = ("Industry", "IndustrialChain")
ARTICLE_DATE_NOTE = {
    "zh": "文章未注明刊发媒体和日期；正文写到的最晚日期为{day.month}月{day.day}日，故写作不早于{day:%Y-%m-%d}。",
    "en": "The text names neither its outlet nor its date; the latest day it states is"
    " {day:%Y-%m-%d}, so it was written on or after that day.",
}


class Mapper:
    """Turns checked records into one graph."""

    def __init__(self, checked: Checked, minter: Minter):
        self.checked = checked
        self.minter = minter
        self.graph = Graph()
        article = checked.article
        self.prov = Provenance(self.graph, checked.source, minter, minter.entity(article.id))
        self.labels = {e.id: e.label for e in checked.entities}
        self.indicator_labels = {i.id: i.label for i in checked.indicators}

    def build(self) -> Graph:
        self.add_article(self.checked.article)
        self.add_industry_scheme()
        for entity in self.checked.entities:
            self.add_entity(entity)
        for indicator in self.checked.indicators:
            self.add_indicator(indicator)
        for fact in self.checked.facts:
            self.add_fact(fact)
        for relation in self.checked.relations:
            self.add_relation(relation)
        for link in self.checked.links:
            self.add_link(link)
        return self.graph

    # -- helpers ---------------------------------------------------------------------------

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def add_text(self, iri: URIRef, prop: URIRef, text: Text) -> None:
        for lang, words in text.items():
            self.add(iri, prop, Literal(words, lang=lang))

    def add_labels(self, iri: URIRef, label: Text, *, prefer: bool = True) -> None:
        self.add_text(iri, RDFS.label, label)
        if prefer:
            self.add_text(iri, SKOS.prefLabel, label)

    def fact_iri(self, is_claim: bool, fact_id: str) -> URIRef:
        return (self.minter.claim if is_claim else self.minter.observation)(fact_id)

    # -- the article -----------------------------------------------------------------------

    def add_article(self, article: ArticleMeta) -> None:
        iri = self.prov.article_iri
        self.add(iri, RDF.type, ZZ.Article)
        self.add(iri, SCHEMA.text, Literal(self.checked.source.text, lang="zh"))
        self.add(iri, SCHEMA.inLanguage, Literal(article.language))
        self.add_text(iri, SCHEMA.headline, article.headline)
        self.add_labels(iri, article.headline)
        if article.kicker:
            self.add_text(iri, SCHEMA.alternativeHeadline, article.kicker)
        if article.headline_quote:
            self.add(iri, ZZ.hasQuote, self.prov.quote(article.headline_quote))
        day = article.latest_date
        self.add(iri, ZZ.latestDateStated, Literal(day.isoformat(), datatype=XSD.date))
        for lang, text in ARTICLE_DATE_NOTE.items():
            self.add(iri, RDFS.comment, Literal(text.format(day=day), lang=lang))

    def add_industry_scheme(self) -> None:
        iri = self.minter.scheme(INDUSTRY_SCHEME)
        self.add(iri, RDF.type, SKOS.ConceptScheme)
        self.add_labels(iri, INDUSTRY_SCHEME_LABEL)
        self.add(iri, DCTERMS.source, self.prov.article_iri)

    # -- entities and indicators -----------------------------------------------------------

    def add_entity(self, entity: Entity) -> None:
        iri = self.minter.entity(entity.id)
        self.add(iri, RDF.type, entity.type)
        self.add_labels(iri, entity.label)
        for lang, name in entity.aliases:
            self.add(iri, SKOS.altLabel, Literal(name, lang=lang))
        if entity.description:
            self.add_text(iri, SCHEMA.description, entity.description)
        if entity.type_name in SCHEME_TYPES:
            self.add(iri, SKOS.inScheme, self.minter.scheme(INDUSTRY_SCHEME))
        if entity.broader:
            self.add(iri, SKOS.broader, self.minter.entity(entity.broader))
        if entity.note:
            self.add(iri, RDFS.comment, Literal(entity.note, lang="en"))
        self.prov.cite(iri, entity.mention)

    def add_indicator(self, indicator: Indicator) -> None:
        iri = self.minter.indicator(indicator.id)
        self.add(iri, RDF.type, ZZ.Indicator)
        self.add_labels(iri, indicator.label)
        self.add_text(iri, SKOS.definition, indicator.definition)
        if indicator.broader:
            self.add(iri, SKOS.broader, self.minter.indicator(indicator.broader))

    # -- facts -----------------------------------------------------------------------------

    def add_fact(self, fact: Fact) -> None:
        iri = self.fact_iri(fact.is_claim, fact.id)
        self.prov.cite(iri, fact.quote)
        self.add(iri, ZZ.about, self.minter.entity(fact.about))
        if fact.about_inferred:
            self.add_inference(iri, ZZ.aboutBasis, ZZ.aboutNote, fact.about_inferred)
        self.add(iri, QB.dataSet, self.minter.dataset)
        if fact.indicator:
            self.add(iri, ZZ.indicator, self.minter.indicator(fact.indicator))
        if fact.period_text:
            self.add(iri, ZZ.periodAsWritten, Literal(fact.period_text, lang="zh"))
        if fact.rank_text:
            self.add(iri, ZZ.rankAsWritten, Literal(fact.rank_text, lang="zh"))
        if fact.period:
            self.add_period(iri, fact)
        if fact.rank is not None:
            self.add(iri, ZZ.rank, Literal(fact.rank, datatype=XSD.positiveInteger))
        if fact.rank_among:
            self.add(iri, ZZ.rankAmong, self.minter.entity(fact.rank_among))
        if fact.note:
            self.add(iri, RDFS.comment, Literal(fact.note, lang="en"))
        if fact.is_claim:
            self.add_claim(iri, fact)
        else:
            self.add_observation(iri, fact)

    def add_claim(self, iri: URIRef, fact: Fact) -> None:
        assert fact.statement is not None and fact.claim_type is not None
        self.add(iri, RDF.type, ZZ.Claim)
        self.add(iri, ZZ.claimType, fact.claim_type)
        self.add_text(iri, ZZ.claimText, fact.statement)
        self.add_labels(iri, fact.statement, prefer=False)
        for is_claim, fact_id in fact.concerns:
            self.add(iri, ZZ.concerns, self.fact_iri(is_claim, fact_id))

    def add_observation(self, iri: URIRef, fact: Fact) -> None:
        self.add(iri, RDF.type, ZZ.Observation)
        self.add_observation_labels(iri, fact)
        if fact.value:
            self.add_value(iri, fact.value)
        else:
            self.add(iri, ZZ.qualifier, ZZ.Exact)
        self.add(iri, ZZ.status, ZZ.Estimated if fact.estimated else ZZ.Reported)
        if fact.growth_of:
            self.add(iri, ZZ.growthOf, self.minter.observation(fact.growth_of))
        if fact.year_on_year:
            self.add(iri, ZZ.comparisonBasis, ZZ.YearOnYear)

    def add_observation_labels(self, iri: URIRef, fact: Fact) -> None:
        assert fact.indicator is not None
        about, indicator = self.labels[fact.about], self.indicator_labels[fact.indicator]
        zh, en = f"{about.zh}·{indicator.zh}", f"{indicator.en}, {about.en}"
        if fact.period:
            period = fact.period.period
            zh, en = f"{zh}({period.label_zh})", f"{en} ({period.label_en})"
        self.add_labels(iri, Text(zh, en), prefer=False)

    def add_value(self, iri: URIRef, value: Value) -> None:
        parsed = value.parsed
        self.add(iri, ZZ.valueAsWritten, Literal(value.written, lang="zh"))
        self.add(iri, ZZ.unit, value.unit)
        self.add(iri, ZZ.measureWord, Literal(value.measure_word, lang="zh"))
        self.add(iri, ZZ.qualifier, value.qualifier)
        if parsed.number is not None:
            self.add(iri, ZZ.value, decimal_literal(parsed.number))
        for prop, bound in ((ZZ.lowerBound, parsed.lower), (ZZ.upperBound, parsed.upper)):
            if bound is not None:
                self.add(iri, prop, decimal_literal(bound))
        if parsed.lower is not None:
            self.add(iri, ZZ.lowerBoundInclusive, Literal(parsed.lower_inclusive))
        if parsed.upper is not None:
            self.add(iri, ZZ.upperBoundInclusive, Literal(parsed.upper_inclusive))

    def add_period(self, fact_iri: URIRef, fact: Fact) -> None:
        assert fact.period is not None
        period: Period = fact.period.period
        iri = self.minter.period(period.slug)
        self.add(fact_iri, ZZ.period, iri)
        if fact.period.inferred:
            self.add_inference(fact_iri, ZZ.periodBasis, ZZ.periodNote, fact.period.inferred)
        else:
            self.add(fact_iri, ZZ.periodBasis, ZZ.Stated)
        self.add(iri, RDF.type, ZZ.Period)
        self.add(iri, RDF.type, TIME.ProperInterval)
        self.add_labels(iri, Text(period.label_zh, period.label_en), prefer=False)
        for prop, day in ((TIME.hasBeginning, period.begin), (TIME.hasEnd, period.end)):
            if day is not None:
                self.add(iri, prop, self.instant(day))
        if period.duration:
            self.add(iri, TIME.hasXSDDuration, Literal(period.duration, datatype=XSD.duration))

    def add_inference(self, fact: URIRef, basis: URIRef, note: URIRef, reason: Text) -> None:
        self.add(fact, basis, ZZ.Inferred)
        self.add_text(fact, note, reason)

    def instant(self, day: date) -> URIRef:
        iri = self.minter.instant(day)
        self.add(iri, RDF.type, TIME.Instant)
        self.add(iri, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date))
        return iri

    # -- relations and external links ------------------------------------------------------

    def add_relation(self, relation: Relation) -> None:
        triple = (
            self.minter.entity(relation.subject),
            relation.predicate,
            self.minter.entity(relation.object),
        )
        self.prov.cite(self.prov.statement(relation.slug, triple), relation.quote)

    def add_link(self, link: Link) -> None:
        triple = (self.minter.entity(link.entity), link.predicate, link.target)
        statement = self.prov.statement(link.slug, triple)
        for source, excerpt in link.evidence:
            self.prov.evidence(statement, source, excerpt)


def decimal_literal(number: Decimal) -> Literal:
    """xsd:decimal in canonical form (131000.0, 112.9), the form Turtle writers round-trip."""
    text = format(number, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def map_records(checked: Checked, minter: Minter) -> Graph:
    """The knowledge graph (without ontology and VoID) of checked records."""
    return Mapper(checked, minter).build()
