"""Deterministic dumps: the same sources give byte-identical files, build after build."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef

from kg import tables
from kg.formats import Format, dump_formats
from kg.iris import Minter
from kg.vocab import LICENCE, PREFIXES

EXAMPLES_NAME = "queries.ttl"
# filename -> (media type, what it holds): an RDF dump for each format of the registry that has
# one (kg/formats.py), then the tables and the example queries
DUMPS = {
    **{f"zzkg.{fmt.extension}": (fmt.media_type, fmt.dump) for fmt in dump_formats()},
    tables.CSV_NAME: ("text/csv", "one row per observation, UTF-8 CSV with a header (and a BOM)"),
    tables.CSVW_NAME: ("application/csvm+json", "CSV on the Web metadata for observations.csv"),
    tables.DATAPACKAGE_NAME: ("application/json", "Frictionless Data Package for observations.csv"),
    EXAMPLES_NAME: (
        "text/turtle",
        "the example queries as SHACL SPARQL executables (SIB convention)",
    ),
}


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    description: str
    size: int
    sha256: str


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def sorted_lines(data: str) -> str:
    lines = sorted({line for line in data.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def as_quads(ntriples: str, graph: URIRef) -> str:
    """N-Triples lines as N-Quads lines of the named graph."""
    name = graph.n3()
    return "".join(line[:-1] + name + " .\n" for line in ntriples.splitlines() if line.strip())


def reserialise(
    sorted_lines: str, source: pyoxigraph.RdfFormat, target: pyoxigraph.RdfFormat
) -> str:
    """Sorted N-Quads or N-Triples in another format, keeping their order.

    pyoxigraph writes in input order, so the output is as deterministic as the sorted input
    (rdflib's TriG writer orders graphs by hash, which changes from run to run).
    """
    statements = pyoxigraph.parse(sorted_lines, format=source)
    data = pyoxigraph.serialize(statements, format=target, prefixes=PREFIXES)
    assert data is not None  # without an output, pyoxigraph returns the bytes
    return data.decode("utf-8")


def rdf_dump(fmt: Format, nquads: str, ntriples: str) -> str:
    """One format's dump: the sorted statements themselves (N-Quads, N-Triples), or written from
    them by pyoxigraph in the format's own syntax (each subject's triples one block, as sorted)."""
    source, statements = (
        (pyoxigraph.RdfFormat.N_QUADS, nquads)
        if fmt.dump_every_graph
        else (pyoxigraph.RdfFormat.N_TRIPLES, ntriples)
    )
    if fmt.rdf == source:
        return statements
    return reserialise(statements, source, fmt.rdf)


def write_dumps(
    graphs: dict[URIRef, Graph],
    facts_graph: URIRef,
    directory: Path,
    *,
    base: str,
    facts_ntriples: str | None = None,
) -> list[DumpFile]:
    """Write every dump of DUMPS into ``directory``; return them with sizes and checksums.
    ``facts_ntriples``: the facts graph as N-Triples, if the caller has written it already."""
    directory.mkdir(parents=True, exist_ok=True)
    # Each graph written once as N-Triples (rdflib's writer, term by term as its N-Quads writer
    # does); the other formats come from those lines through pyoxigraph's writers, which are
    # many times faster than rdflib's Turtle writer on a large graph.
    triples_of = {
        name: facts_ntriples
        if name == facts_graph and facts_ntriples
        else graph.serialize(format="nt")
        for name, graph in graphs.items()
    }
    nquads = sorted_lines("".join(as_quads(text, name) for name, text in triples_of.items()))
    ntriples = sorted_lines(triples_of[facts_graph])
    examples = sorted_lines(triples_of[Minter(base).graph("examples")])
    contents = {f"zzkg.{fmt.extension}": rdf_dump(fmt, nquads, ntriples) for fmt in dump_formats()}
    contents[EXAMPLES_NAME] = reserialise(
        examples, pyoxigraph.RdfFormat.N_TRIPLES, pyoxigraph.RdfFormat.TURTLE
    )
    # The BOM makes Excel read the table as UTF-8 (Chinese intact); CSV parsers skip it.
    table = tables.observations_csv(nquads).encode("utf-8-sig")
    data_of = {name: text.encode("utf-8") for name, text in contents.items()}
    data_of[tables.CSV_NAME] = table
    data_of[tables.CSVW_NAME] = tables.csvw_metadata(base, licence=str(LICENCE)).encode("utf-8")
    data_of[tables.DATAPACKAGE_NAME] = tables.datapackage(
        licence=str(LICENCE), sha256=hashlib.sha256(table).hexdigest(), size=len(table)
    ).encode("utf-8")
    written = []
    for filename, (media_type, description) in DUMPS.items():
        data = data_of[filename]
        (directory / filename).write_bytes(data)
        written.append(
            DumpFile(filename, media_type, description, len(data), hashlib.sha256(data).hexdigest())
        )
    return written
