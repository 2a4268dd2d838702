"""Minting the dataset's IRIs from the configured base: stable, readable, never blank nodes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import URIRef

from kg.graphs import DEFAULT_BASE, GRAPH_NAMES
from kg.text import Span

__all__ = ["DEFAULT_BASE", "GRAPH_NAMES", "Minter"]


@dataclass(frozen=True)
class Minter:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.startswith(("http://", "https://")) or not self.base.endswith("/"):
            raise ValueError(f"base IRI must be http(s) and end with '/': {self.base!r}")

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def entity(self, entity_id: str) -> URIRef:
        return self._iri(f"id/{entity_id}")

    def indicator(self, slug: str) -> URIRef:
        return self._iri(f"id/indicator/{slug}")

    def observation(self, fact_id: str) -> URIRef:
        return self._iri(f"id/observation/{fact_id}")

    def claim(self, fact_id: str) -> URIRef:
        return self._iri(f"id/claim/{fact_id}")

    def period(self, slug: str) -> URIRef:
        return self._iri(f"id/period/{slug}")

    def instant(self, day: date) -> URIRef:
        return self._iri(f"id/instant/{day.isoformat()}")

    def quote(self, span: Span) -> URIRef:
        return self._iri(f"id/quote/{span.start}-{span.end}")

    def statement(self, slug: str) -> URIRef:
        return self._iri(f"id/statement/{slug}")

    def scheme(self, slug: str) -> URIRef:
        return self._iri(f"id/scheme/{slug}")

    def graph(self, name: str) -> URIRef:
        if name not in GRAPH_NAMES:
            raise ValueError(f"unknown graph {name!r}")
        return self._iri(f"graph/{name}")

    def dump(self, filename: str) -> URIRef:
        return self._iri(f"download/{filename}")

    @property
    def dataset(self) -> URIRef:
        return self._iri("dataset")
