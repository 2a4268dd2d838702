"""The records of kg/sources once checked (kg/checks.py), typed: what kg/mapping.py maps.

Quotes are resolved to spans, references to ids that exist, values to numbers and bounds, units
and terms to IRIs, periods to dates with their basis. Nothing here can be wrong any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from kg.numbers import WrittenValue
from kg.periods import Period
from kg.text import Article as MendedText
from kg.text import Span


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    @classmethod
    def of(cls, mapping: dict) -> Text:
        return cls(mapping["zh"], mapping["en"])

    def items(self) -> tuple[tuple[str, str], ...]:
        return (("zh", self.zh), ("en", self.en))


@dataclass(frozen=True)
class ArticleMeta:
    id: str
    language: str
    headline: Text
    kicker: Text | None
    headline_quote: Span | None
    latest_date: date


@dataclass(frozen=True)
class Entity:
    id: str
    type: URIRef
    type_name: str
    label: Text
    aliases: tuple[tuple[str, str], ...]  # (lang, name)
    description: Text | None
    broader: str | None
    note: str | None
    mention: Span


@dataclass(frozen=True)
class Indicator:
    id: str
    label: Text
    definition: Text
    broader: str | None


@dataclass(frozen=True)
class PeriodUse:
    period: Period
    inferred: Text | None  # the reason, when the text does not state the period


@dataclass(frozen=True)
class Value:
    written: str  # as written; a fall keeps its word (下降17.3%)
    parsed: WrittenValue
    unit: URIRef
    measure_word: str
    qualifier: URIRef


@dataclass(frozen=True)
class Fact:
    id: str
    is_claim: bool
    about: str
    about_inferred: Text | None
    indicator: str | None
    quote: Span
    period: PeriodUse | None
    period_text: str | None
    rank: int | None
    rank_among: str | None
    rank_text: str | None
    note: str | None
    # observations
    value: Value | None = None
    estimated: bool = False
    growth_of: str | None = None
    year_on_year: bool = False
    # claims
    claim_type: URIRef | None = None
    statement: Text | None = None
    concerns: tuple[tuple[bool, str], ...] = ()  # (is_claim, fact id)


@dataclass(frozen=True)
class Relation:
    subject: str
    predicate: URIRef
    object: str
    slug: str
    quote: Span


@dataclass(frozen=True)
class Link:
    entity: str
    kind: str  # wikidata or geonames
    predicate: URIRef
    target: URIRef
    slug: str
    evidence: tuple[tuple[str, str], ...]  # (source, excerpt)


@dataclass(frozen=True)
class Checked:
    source: MendedText  # the mended text every span points into
    article: ArticleMeta
    entities: list[Entity]
    indicators: list[Indicator]
    facts: list[Fact]
    relations: list[Relation]
    links: list[Link]
