"""The formats the dataset is written and served in: one entry each, on pyoxigraph's own.

pyoxigraph's `RdfFormat` and `QueryResultsFormat` carry each format's media type, file
extension and IRI (http://www.w3.org/ns/formats/); an entry adds only what they do not: the
short name of the `format=` parameter, the media types that mean the same, and where the format
is offered (answers of /sparql, the pages' RDF twins). Read by the server's negotiation,
serialisation, service description and page alternates; imports only pyoxigraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

# the W3C's IRI for JSON-LD, as the formats namespace lists it (pyoxigraph names a newer one)
JSON_LD_IRI = "http://www.w3.org/ns/formats/JSON-LD"


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, pyoxigraph's format, and what it is offered as."""

    name: str
    engine: ox.RdfFormat | ox.QueryResultsFormat | None
    aliases: tuple[str, ...] = ()  # media types that mean the same
    keywords: tuple[str, ...] = ()  # more `format=` words
    page_rank: int = 0  # offered as an RDF twin of every page (`.ext`, Accept) in this order
    dump: str = ""  # written by every build as zzkg.<ext>, holding what this says
    dump_every_graph: bool = False  # the dump holds every graph, not only the facts
    iri_override: str | None = None

    def __reduce__(self):
        """Pickled by name (pyoxigraph's formats are not picklable): a query worker gets the
        same entry of this registry."""
        return (named, (self.name,))

    @cached_property
    def media_type(self) -> str:
        if self.engine is None:
            return "text/html"
        return self.engine.media_type.split(";")[0]

    @cached_property
    def content_type(self) -> str:
        if self.media_type.startswith("text/"):
            return self.media_type + "; charset=utf-8"
        return self.media_type

    @cached_property
    def extension(self) -> str:
        return "html" if self.engine is None else self.engine.file_extension

    @cached_property
    def label(self) -> str:
        return "HTML" if self.engine is None else self.engine.name

    @cached_property
    def iri(self) -> str:
        assert self.engine is not None
        return self.iri_override or self.engine.iri

    @cached_property
    def rdf(self) -> ox.RdfFormat:
        """pyoxigraph's format of a graph entry."""
        assert isinstance(self.engine, ox.RdfFormat), self.name
        return self.engine

    @cached_property
    def results(self) -> ox.QueryResultsFormat:
        """pyoxigraph's format of a results entry."""
        assert isinstance(self.engine, ox.QueryResultsFormat), self.name
        return self.engine

    @cached_property
    def supports_datasets(self) -> bool:
        return isinstance(self.engine, ox.RdfFormat) and self.engine.supports_datasets


RESULTS = (
    Format("json", ox.QueryResultsFormat.JSON, ("application/json",), ("json",)),
    Format("xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), ("xml",)),
    Format("csv", ox.QueryResultsFormat.CSV, (), ("csv",)),
    Format("tsv", ox.QueryResultsFormat.TSV, (), ("tsv",)),
)

GRAPH = (
    Format(
        "turtle",
        ox.RdfFormat.TURTLE,
        ("application/x-turtle", "application/turtle"),
        ("ttl",),
        page_rank=1,
        dump="the facts graph as Turtle",
    ),
    Format(
        "ntriples",
        ox.RdfFormat.N_TRIPLES,
        ("text/plain",),
        ("nt",),
        page_rank=3,
        dump="the facts graph as N-Triples, sorted",
    ),
    Format(
        "rdfxml",
        ox.RdfFormat.RDF_XML,
        ("application/xml", "text/xml"),
        ("xml", "rdf", "rdf+xml"),
        page_rank=4,
    ),
    Format(
        "jsonld",
        ox.RdfFormat.JSON_LD,
        ("application/json",),
        ("json", "json-ld"),
        page_rank=2,
        dump="the facts graph as JSON-LD",
        iri_override=JSON_LD_IRI,
    ),
    Format(
        "nquads",
        ox.RdfFormat.N_QUADS,
        (),
        ("nq",),
        dump="every graph (facts, ontology, example queries) as N-Quads, sorted",
        dump_every_graph=True,
    ),
    Format(
        "trig",
        ox.RdfFormat.TRIG,
        (),
        (),
        dump="every graph (facts, ontology, example queries) as TriG",
        dump_every_graph=True,
    ),
    Format("n3", ox.RdfFormat.N3, ("text/rdf+n3",), ()),
)

HTML = Format("html", None)


def named(name: str) -> Format:
    """The registry's entry of that name."""
    for fmt in (*RESULTS, *GRAPH, HTML):
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def page_formats() -> tuple[Format, ...]:
    """The pages' RDF twins, in the order they are offered (Link headers, Accept ties)."""
    return tuple(sorted((fmt for fmt in GRAPH if fmt.page_rank), key=lambda fmt: fmt.page_rank))


def dump_formats() -> tuple[Format, ...]:
    """The RDF dumps of a build: those of every graph first, then those of the facts."""
    dumped = [fmt for fmt in GRAPH if fmt.dump]
    return tuple(sorted(dumped, key=lambda fmt: not fmt.dump_every_graph))
