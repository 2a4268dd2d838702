"""Query results to bytes in the chosen format, at most `max_rows` rows or triples."""

import itertools
import json
from dataclasses import dataclass

import pyoxigraph as ox

from server.errors import NotAcceptable
from server.formats import Choice, Format

RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Body:
    """Serialised answer: bytes, the format, how many rows (or triples) and whether cut short."""

    data: bytes
    format: Format
    rows: int
    truncated: bool


def serialise(result, choice: Choice, *, max_rows: int) -> Body:
    if isinstance(result, ox.QueryBoolean):
        fmt = need(choice.results, "an ASK")
        return Body(written(result.serialize(format=RESULTS_FORMATS[fmt.name])), fmt, 1, False)
    if isinstance(result, ox.QuerySolutions):
        return solutions(result, need(choice.results, "a SELECT"), max_rows)
    return triples(result, need(choice.graph, "a CONSTRUCT or DESCRIBE"), max_rows)


def need(fmt: Format | None, kind: str) -> Format:
    if fmt is None:
        raise NotAcceptable(
            f"None of the accepted media types can carry the result of {kind} query."
        )
    return fmt


def solutions(result: ox.QuerySolutions, fmt: Format, max_rows: int) -> Body:
    """Rows up to the cap, written as SPARQL JSON and re-serialised by pyoxigraph."""
    variables = [variable.value for variable in result.variables]
    rows = list(itertools.islice(result, max_rows + 1))
    truncated = len(rows) > max_rows
    del rows[max_rows:]
    bindings = [binding(row, variables) for row in rows]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt.name != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = written(parsed.serialize(format=RESULTS_FORMATS[fmt.name]))
    return Body(data, fmt, len(rows), truncated)


def binding(row: ox.QuerySolution, variables: list[str]) -> dict:
    values = {}
    for index, name in enumerate(variables):
        term = row[index]
        if term is not None:
            values[name] = term_json(term)
    return values


def term_json(term) -> dict:
    """A term in the SPARQL 1.1 (and 1.2, for triple terms) JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: term_json(getattr(term, p)) for p in parts}}
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
        if term.direction:
            value["its:dir"] = term.direction
    elif term.datatype.value != XSD_STRING:
        value["datatype"] = term.datatype.value
    return value


def triples(result, fmt: Format, max_rows: int) -> Body:
    found = list(itertools.islice(result, max_rows + 1))
    truncated = len(found) > max_rows
    del found[max_rows:]
    rdf_format = GRAPH_FORMATS[fmt.name]
    if rdf_format.supports_datasets:
        found = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in found]
    return Body(written(ox.serialize(found, format=rdf_format)), fmt, len(found), truncated)


def written(data: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when given no output file."""
    assert data is not None
    return data
