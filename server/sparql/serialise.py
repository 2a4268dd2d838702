"""Query results to bytes in the chosen format, written by pyoxigraph (the one SPARQL JSON term
writer), at most `max_rows` rows or triples and at most `max_bytes` bytes.

Solutions are written as SPARQL JSON straight from the engine into a writer that stops at
`max_bytes`; their rows are counted on those bytes. Within both caps (the usual case) the answer
is those bytes, or, for another results format, the same rows read back and written in it.
Past a cap, the JSON is cut after its last whole row within the caps, then written in the format
and, if that is longer, cut further until it fits. Triples in Turtle or N-Triples are written
straight from the engine too, and counted on the bytes; in another format (or from a remote
engine) they stream through a counter into the writer, each triple a Python object (slower on a
DESCRIBE of 1,233 triples by 2-8% in Turtle, 12-16% in N-Triples). Past a cap, what was written is read back up to its last whole
statement and written again, cut to fit. Any cut marks the body truncated.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from kg.formats import Format
from server.errors import NotAcceptable

JSON_RESULTS = ox.QueryResultsFormat.JSON
# in SPARQL JSON as pyoxigraph writes it, a row that binds something starts with `{"`; within a
# JSON string a quote is always escaped, so `},{"` is found only between two rows
NEXT_ROW = b'},{"'
NEXT_EMPTY_ROW = b"},{}"  # also found in strings: counted exactly then
NO_ROWS = b'"bindings":[]}}'
# a JSON string, or a bracket of the document's structure
STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.)*"|[][{}]')
# pyoxigraph's Turtle and N-Triples writers end every statement with ` .` and a line break, and
# never write a line break inside a term (it is escaped), so this ends the last whole statement
STATEMENT_END = b" .\n"


@dataclass(frozen=True)
class Body:
    """Serialised answer: bytes, the format, how many rows (or triples) and whether cut short."""

    data: bytes
    format: Format
    rows: int
    truncated: bool


class Full(Exception):
    """The answer grew past its byte cap while being written."""


class CappedWriter(io.RawIOBase):
    """Collects what pyoxigraph writes; raises Full once it holds more than `limit` bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.buffer = bytearray()
        self.full = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        if self.full:  # pyoxigraph's buffer, dropped after the error, writes its rest again
            raise Full
        self.buffer += data
        if len(self.buffer) > self.limit:
            self.full = True
            raise Full
        return len(data)


def serialise(result, choice, *, max_rows: int, max_bytes: int) -> Body:
    if isinstance(result, ox.QueryBoolean):
        fmt = need(choice.results, "an ASK")
        return Body(written(result.serialize(format=fmt.results)), fmt, 1, False)
    if isinstance(result, ox.QuerySolutions):
        return solutions(result, need(choice.results, "a SELECT"), max_rows, max_bytes)
    return triples(result, need(choice.graph, "a CONSTRUCT or DESCRIBE"), max_rows, max_bytes)


def need(fmt: Format | None, kind: str) -> Format:
    if fmt is None:
        raise NotAcceptable(
            f"None of the accepted media types can carry the result of {kind} query."
        )
    return fmt


def capped(write: Callable[[IO[bytes]], object], limit: int) -> tuple[bytes, bool]:
    """What `write` wrote into a capped writer, and whether it finished within the cap."""
    writer = CappedWriter(limit)
    try:
        write(cast(IO[bytes], writer))  # a RawIOBase
    except Full:
        return bytes(writer.buffer), False
    except OSError as error:  # pyoxigraph reports the writer's exception as an I/O error
        if not isinstance(error.__cause__ or error.__context__, Full):
            raise
        return bytes(writer.buffer), False
    return bytes(writer.buffer), True


def solutions(result: ox.QuerySolutions, fmt: Format, max_rows: int, max_bytes: int) -> Body:
    data, complete = capped(lambda out: result.serialize(out, format=JSON_RESULTS), max_bytes)
    if complete:
        rows = count_rows(data)
        if rows <= max_rows:
            if fmt.engine is JSON_RESULTS:
                return Body(data, fmt, rows, False)
            converted = convert(data, fmt)
            if len(converted) <= max_bytes:
                return Body(converted, fmt, rows, False)
    ends = row_ends(data)[:max_rows]

    def write(count: int) -> bytes:
        head = (
            data[: ends[count - 1]]
            if count
            else data[: data.index(b"[", data.index(b'"bindings"')) + 1]
        )
        cut = head + b"]}}"
        return cut if fmt.engine is JSON_RESULTS else convert(cut, fmt)

    out, count = fit(len(ends), write, max_bytes)
    return Body(out, fmt, count, True if not complete else count < count_rows(data))


def convert(json_data: bytes, fmt: Format) -> bytes:
    """SPARQL JSON results written in another results format, by pyoxigraph."""
    return written(
        ox.parse_query_results(json_data, format=JSON_RESULTS).serialize(format=fmt.results)
    )


def count_rows(data: bytes) -> int:
    """The rows of a whole SPARQL JSON document as pyoxigraph writes it."""
    if data.endswith(NO_ROWS):
        return 0
    if NEXT_EMPTY_ROW in data:
        return len(json.loads(data)["results"]["bindings"])
    return data.count(NEXT_ROW) + 1


def row_ends(data: bytes) -> list[int]:
    """Where each whole row of a (possibly cut) SPARQL JSON document ends: the offset after
    its closing brace. Read on the document's structure, strings skipped."""
    ends, depth, start = [], 0, data.find(b'"bindings"')
    if start < 0:
        return []
    for match in STRUCTURE.finditer(data, start):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
        elif token in (b"}", b"]"):
            depth -= 1
            if depth == 1 and token == b"}":
                ends.append(match.end())
            if depth < 1:
                break
    return ends


def fit(available: int, write: Callable[[int], bytes], max_bytes: int) -> tuple[bytes, int]:
    """The first `available` items written; while longer than max_bytes, proportionally fewer."""
    count = available
    data = write(count)
    while len(data) > max_bytes and count:
        count = min(count - 1, int(count * max_bytes / len(data) * 0.95))
        data = write(count)
    return data, count


class Counted:
    """The first `limit` items of an iterable, kept as they pass; `more` if there were more."""

    def __init__(self, items: Iterable, limit: int):
        self.items = iter(items)
        self.limit = limit
        self.kept: list = []
        self.more = False

    def __iter__(self) -> Iterator:
        for item in self.items:
            if len(self.kept) == self.limit:
                self.more = True
                return
            self.kept.append(item)
            yield item


def turtle_triples(data: bytes) -> int:
    """The triples of a Turtle document as pyoxigraph writes it without prefixes: one per object.
    An object ends a statement (` .` and a line break), a predicate's objects (` ;` and a line
    break) or comes before another of the same predicate (` , `). Line breaks are never inside a
    term, so the first two are counted as they are; ` , ` may be inside a string, so it counts
    only where an even number of unescaped quotes comes before it."""
    count = data.count(b" ;\n") + data.count(STATEMENT_END)
    inside = 0
    for before in data.split(b" , ")[:-1]:
        quotes = before.count(b'"')
        if quotes and b"\\" in before:
            quotes -= before.replace(b"\\\\", b"").count(b'\\"')
        inside ^= quotes & 1
        count += not inside
    return count


def line_triples(data: bytes) -> int:
    """The triples of an N-Triples document: one a line."""
    return data.count(b"\n")


# the graph formats whose triples are counted on pyoxigraph's own output
TRIPLE_COUNTERS: dict[ox.RdfFormat, Callable[[bytes], int]] = {
    ox.RdfFormat.TURTLE: turtle_triples,
    ox.RdfFormat.N_TRIPLES: line_triples,
}


def triples(result, fmt: Format, max_rows: int, max_bytes: int) -> Body:
    counter = TRIPLE_COUNTERS.get(fmt.rdf)
    if counter is None or not isinstance(result, ox.QueryTriples):  # a remote engine's: parsed
        return counted_triples(result, fmt, max_rows, max_bytes)
    data, complete = capped(lambda out: result.serialize(out, format=fmt.rdf), max_bytes)
    if complete:
        rows = counter(data)
        if rows <= max_rows:
            return Body(data, fmt, rows, False)
    written_back = ox.parse(data if complete else whole_statements(data), format=fmt.rdf)
    return cut_triples(list(itertools.islice(written_back, max_rows)), fmt, max_bytes)


def whole_statements(data: bytes) -> bytes:
    """A cut Turtle or N-Triples document up to the end of its last whole statement."""
    end = data.rfind(STATEMENT_END)
    return data[: end + len(STATEMENT_END)] if end >= 0 else b""


def counted_triples(result, fmt: Format, max_rows: int, max_bytes: int) -> Body:
    counted = Counted(result, max_rows)
    data, complete = capped(
        lambda out: ox.serialize(statements(counted, fmt), out, format=fmt.rdf), max_bytes
    )
    if complete:
        return Body(data, fmt, len(counted.kept), counted.more)
    return cut_triples(counted.kept, fmt, max_bytes)


def cut_triples(kept: list, fmt: Format, max_bytes: int) -> Body:
    """The first of `kept` that fit in max_bytes once written: a truncated body."""
    out, count = fit(
        len(kept),
        lambda n: written(ox.serialize(list(statements(kept[:n], fmt)), format=fmt.rdf)),
        max_bytes,
    )
    return Body(out, fmt, count, True)


def statements(items: Iterable, fmt: Format) -> Iterable:
    """Triples as the format writes them: in the default graph for a dataset format."""
    if not fmt.supports_datasets:
        return items
    return (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in items)


def written(data: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when given no output file."""
    assert data is not None
    return data
