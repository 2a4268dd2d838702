"""Query results to bytes in the chosen format, at most `max_rows` rows or triples and at most
`max_bytes` bytes: rows are taken while their SPARQL JSON (or N-Triples) form fits, then the
answer is written in its format and, if that is longer, cut further until it fits. Either cut
marks the body truncated."""

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


def serialise(result, choice: Choice, *, max_rows: int, max_bytes: int) -> Body:
    if isinstance(result, ox.QueryBoolean):
        fmt = need(choice.results, "an ASK")
        return Body(written(result.serialize(format=RESULTS_FORMATS[fmt.name])), fmt, 1, False)
    if isinstance(result, ox.QuerySolutions):
        return solutions(result, need(choice.results, "a SELECT"), max_rows, max_bytes)
    return triples(result, need(choice.graph, "a CONSTRUCT or DESCRIBE"), max_rows, max_bytes)


def take(items, max_rows: int, max_bytes: int, size) -> tuple[list, bool]:
    """Items while there are at most max_rows and their sizes add up to at most max_bytes."""
    kept: list = []
    total = 0
    for item in items:
        total += size(item)
        if len(kept) == max_rows or total > max_bytes:
            return kept, True
        kept.append(item)
    return kept, False


def fit(rows: list, write, max_bytes: int) -> tuple[bytes, int]:
    """Write the rows; while the result is longer than max_bytes, keep proportionally fewer."""
    data = write(rows)
    while len(data) > max_bytes and rows:
        rows = rows[: min(len(rows) - 1, int(len(rows) * max_bytes / len(data) * 0.95))]
        data = write(rows)
    return data, len(rows)


def need(fmt: Format | None, kind: str) -> Format:
    if fmt is None:
        raise NotAcceptable(
            f"None of the accepted media types can carry the result of {kind} query."
        )
    return fmt


def solutions(result: ox.QuerySolutions, fmt: Format, max_rows: int, max_bytes: int) -> Body:
    """Rows up to the caps, written as SPARQL JSON and re-serialised by pyoxigraph."""
    variables = [variable.value for variable in result.variables]
    rows = (compact(binding(row, variables)) for row in result)
    kept, truncated = take(rows, max_rows, max_bytes, len)

    def write(encoded: list[bytes]) -> bytes:
        head = compact({"vars": variables})
        data = b'{"head":' + head + b',"results":{"bindings":[' + b",".join(encoded) + b"]}}"
        if fmt.name == "json":
            return data
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return written(parsed.serialize(format=RESULTS_FORMATS[fmt.name]))

    data, count = fit(kept, write, max_bytes)
    return Body(data, fmt, count, truncated or count < len(kept))


def compact(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


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


def triples(result, fmt: Format, max_rows: int, max_bytes: int) -> Body:
    found, truncated = take(result, max_rows, max_bytes, lambda triple: len(str(triple)) + 3)
    rdf_format = GRAPH_FORMATS[fmt.name]
    if rdf_format.supports_datasets:
        found = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in found]
    data, count = fit(found, lambda kept: written(ox.serialize(kept, format=rdf_format)), max_bytes)
    return Body(data, fmt, count, truncated or count < len(found))


def written(data: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when given no output file."""
    assert data is not None
    return data
