"""Where each triple came from: quotes as Web Annotation selectors, reified statements, evidence."""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from kg.iris import Minter
from kg.text import Article, Span
from kg.vocab import OA, ZZ


class Provenance:
    """Adds quote resources to a graph, each once per span, and ties facts to them."""

    def __init__(self, graph: Graph, article: Article, minter: Minter, article_iri: URIRef):
        self.graph = graph
        self.article = article
        self.minter = minter
        self.article_iri = article_iri

    def quote(self, span: Span) -> URIRef:
        """The quote resource for a span: a TextQuoteSelector and a TextPositionSelector."""
        g, iri = self.graph, self.minter.quote(span)
        if (iri, RDF.type, ZZ.Quote) in g:
            return iri
        exact = self.article.text[span.start : span.end]
        prefix, suffix = self.article.context(span)
        text_selector, position = URIRef(iri + "#text"), URIRef(iri + "#position")
        g.add((iri, RDF.type, ZZ.Quote))
        g.add((iri, RDF.type, OA.SpecificResource))
        g.add((iri, OA.hasSource, self.article_iri))
        g.add((iri, RDF.value, Literal(exact, lang="zh")))
        g.add((iri, OA.hasSelector, text_selector))
        g.add((iri, OA.hasSelector, position))
        g.add((text_selector, RDF.type, OA.TextQuoteSelector))
        g.add((text_selector, OA.exact, Literal(exact)))
        g.add((text_selector, OA.prefix, Literal(prefix)))
        g.add((text_selector, OA.suffix, Literal(suffix)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        for prop, offset in (
            (OA.start, span.start),
            (OA.end, span.end),
            (ZZ.rawStart, span.raw_start),
            (ZZ.rawEnd, span.raw_end),
        ):
            g.add((position, prop, Literal(offset, datatype=XSD.nonNegativeInteger)))
        return iri

    def cite(self, subject: URIRef, span: Span) -> None:
        """Tie ``subject`` to the quote at ``span`` and to the article."""
        self.graph.add((subject, ZZ.hasQuote, self.quote(span)))
        self.graph.add((subject, PROV.wasDerivedFrom, self.article_iri))

    def statement(self, slug: str, triple: tuple[URIRef, URIRef, URIRef]) -> URIRef:
        """Add ``triple`` and a reified zz:Statement about it, to carry its provenance."""
        g, iri = self.graph, self.minter.statement(slug)
        subject, predicate, obj = triple
        g.add(triple)
        g.add((iri, RDF.type, ZZ.Statement))
        g.add((iri, RDF.type, RDF.Statement))
        g.add((iri, RDF.subject, subject))
        g.add((iri, RDF.predicate, predicate))
        g.add((iri, RDF.object, obj))
        return iri

    def evidence(self, statement: URIRef, source: str, excerpt: str) -> None:
        self.graph.add((statement, ZZ.evidence, Literal(excerpt)))
        self.graph.add((statement, DCTERMS.source, URIRef(source)))
