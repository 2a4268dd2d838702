"""The one way the server reads the graph: a Backend, chosen once in create_app.

Two implementations: `embedded.EmbeddedBackend` (the sandboxed query workers over the build's
store) and `remote.RemoteBackend` (a SPARQL engine over HTTP). /sparql, /health, the service
description and every page read through the same interface, with the same safety check
(server/sparql/safety.py) and the same deadline, and get the same typed answers.

Requests and answers are dataclasses; failures are built-in exception types (server/errors.py
maps them to HTTP). On a worker's pipe a query and an answer travel as tuples of strings, bytes
and numbers (`wire`): pickling the dataclasses themselves (a class looked up and an object built
per nested dataclass) cost some 20 µs per message each way, a tuple under 1 µs. A refusal, rare,
crosses as it is. This package is imported by the query worker, so it imports neither Flask nor
rdflib.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from kg.formats import named
from server.formats import GRAPH_BY_NAME, RESULTS_BY_NAME, Choice
from server.sparql.serialise import Body

PAGE_MAX_ROWS = 1_000_000  # the pages' own queries: every row they ask for
PAGE_MAX_BYTES = 1 << 30
# what the pages read their answers in: SPARQL JSON rows, N-Triples graphs
PAGE_CHOICE = Choice(RESULTS_BY_NAME["json"], GRAPH_BY_NAME["ntriples"])

Binding = dict[str, str]  # one term, in the SPARQL 1.1 JSON results format
Row = dict[str, Binding]


@dataclass(frozen=True)
class Query:
    """One query to run: its text, the protocol's dataset, the answer's formats and caps."""

    text: str
    choice: Choice
    max_rows: int
    max_bytes: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def wire(self) -> tuple:
        names = (
            None if fmt is None else fmt.name for fmt in (self.choice.results, self.choice.graph)
        )
        limits = (self.max_rows, self.max_bytes)
        return (self.text, *names, *limits, self.default_graphs, self.named_graphs)

    @classmethod
    def from_wire(cls, wire: tuple) -> Query:
        text, results, graph, max_rows, max_bytes, default_graphs, named_graphs = wire
        choice = Choice(RESULTS_BY_NAME.get(results), GRAPH_BY_NAME.get(graph))
        return cls(text, choice, max_rows, max_bytes, default_graphs, named_graphs)


@dataclass(frozen=True)
class Answer:
    """A query's serialised answer, and whether the same query always gets it."""

    body: Body
    cacheable: bool

    def wire(self) -> tuple:
        body = self.body
        return (body.data, body.format.name, body.rows, body.truncated, self.cacheable)


@dataclass(frozen=True)
class Refusal:
    """A query that was refused or failed: the exception to raise, and whether the same query
    always fails so (then it may be cached as the answer is)."""

    error: Exception
    cacheable: bool


Reply = Answer | Refusal


def reply_to_wire(reply: Reply) -> object:
    return reply.wire() if isinstance(reply, Answer) else reply


def reply_from_wire(wire: object) -> Reply:
    if isinstance(wire, tuple):
        data, name, rows, truncated, cacheable = wire
        return Answer(Body(data, named(name), rows, truncated), cacheable)
    assert isinstance(wire, Refusal)
    return wire


def unwrap(reply: Reply) -> Answer:
    if isinstance(reply, Refusal):
        raise reply.error
    return reply


class Backend:
    """What both backends do. `run` serves /sparql (callers hold an admission slot); `read`
    serves the pages, on a lane of its own so that they never queue behind /sparql queries."""

    source = "backend"
    runs_on_loop = False  # whether run_idle can answer (else /sparql waits for it in a thread)

    def __init__(self, *, timeout: float):
        self.timeout = timeout  # the pages' deadline: the same default as a /sparql query's

    def run(self, query: Query, *, timeout: float) -> Reply:
        raise NotImplementedError

    def read(self, query: Query, *, timeout: float) -> Reply:
        raise NotImplementedError

    async def run_idle(self, query: Query, *, timeout: float) -> Reply | None:
        """`run` on the event loop if it can start at once without a thread (an idle worker);
        None if not (nothing was started: then `run` it in a thread)."""
        return None

    def probe(self) -> bool:
        """True if the store answers, False if every worker is busy running a query (alive,
        so the store is being read); an exception if the store cannot be read."""
        raise NotImplementedError

    def warm(self) -> None:
        """Start what the backend needs before the first request."""

    def close(self) -> None:
        """Stop what the backend started."""

    def page_answer(self, text: str) -> Body:
        query = Query(text, PAGE_CHOICE, max_rows=PAGE_MAX_ROWS, max_bytes=PAGE_MAX_BYTES)
        return unwrap(self.read(query, timeout=self.timeout)).body

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT, each variable's term as SPARQL JSON writes it."""
        document = json.loads(self.page_answer(text).data)
        if "results" not in document:
            raise TypeError("select() takes a SELECT query")
        return document["results"]["bindings"]

    def triples(self, text: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE."""
        body = self.page_answer(text)
        if body.format.name != "ntriples":
            raise TypeError("triples() takes a CONSTRUCT or DESCRIBE query")
        return [quad.triple for quad in ox.parse(body.data, format=ox.RdfFormat.N_TRIPLES)]
