"""Answers are capped in bytes as well as rows (triples counted on the engine's own Turtle and
N-Triples); the answer cache keeps to one budget, counted
honestly; values pyoxigraph cannot write, and engine failures, are clean errors that keep the
worker."""

from io import BytesIO

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph
from sparql_support import LiveServer, results
from test_sparql_sandbox import UNCHECKED, Worker

from server import create_app
from server.backend import Answer, Query, Refusal
from server.backend.pool import WorkerPool
from server.errors import AnswerTooLarge, EngineFailed
from server.formats import GRAPH_BY_NAME, RESULTS, Choice
from server.sparql.serialise import serialise, turtle_triples

CAP_MB = 0.05
CAP = int(CAP_MB * 1024 * 1024)
ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
ALL_LABELS = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
# one string of 2^21 x 8 characters = 16 MiB, built inside the query
BIG = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(21))
TURTLE = ox.RdfFormat.TURTLE
XSD = "http://www.w3.org/2001/XMLSchema#"
BIG_VALUE = f'SELECT ?s21 WHERE {{ BIND("abcdefgh" AS ?s0) {BIG} }}'


@pytest.fixture(scope="module")
def capped(sparql_store):
    live = LiveServer.start(
        sparql_store, "--max-answer-mb", str(CAP_MB), "--max-rows", "100000", "--cache-mb", "0"
    )
    yield live
    live.stop()


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [("application/n-triples", "nt"), ("text/turtle", "turtle"), ("application/rdf+xml", "xml")],
)
def test_a_graph_answer_is_cut_to_the_byte_cap(capped, accept, rdflib_format):
    response = requests.get(
        capped.endpoint, params={"query": ALL_TRIPLES}, headers={"Accept": accept}, timeout=60
    )
    assert response.status_code == 200
    assert len(response.content) <= CAP
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Max-Bytes"] == str(CAP)
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == int(response.headers["X-SPARQL-Rows"]) > 0


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
)
def test_a_results_answer_is_cut_to_the_byte_cap(capped, accept):
    response = requests.get(
        capped.endpoint, params={"query": ALL_LABELS}, headers={"Accept": accept}, timeout=60
    )
    assert response.status_code == 200
    assert len(response.content) <= CAP
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert len(results(response)) == int(response.headers["X-SPARQL-Rows"]) > 0


def test_a_small_answer_is_whole(capped):
    response = requests.get(capped.endpoint, params={"query": ALL_LABELS + " LIMIT 3"}, timeout=60)
    assert "X-SPARQL-Truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 3


def request(text: str, fmt) -> Query:
    return Query(text, Choice(fmt, None), max_rows=10, max_bytes=64 << 20)


@pytest.fixture
def pool(sparql_store):
    settings = {"store_dir": str(sparql_store), "allowlist": [], "max_nesting": 64}
    workers = WorkerPool({**settings, "memory_mb": 2048}, size=1)
    yield workers
    workers.close()


@pytest.mark.parametrize("media_format", ["csv", "tsv", "xml"])
def test_a_value_too_large_for_the_format_is_413_and_the_worker_stays(pool, media_format):
    fmt = next(fmt for fmt in RESULTS if fmt.name == media_format)
    pool.warm()
    (pid,) = pool.pids()
    reply = pool.run(request(BIG_VALUE, fmt), timeout=60)
    assert isinstance(reply, Refusal) and isinstance(reply.error, AnswerTooLarge)
    answer = pool.run(request("ASK { ?s ?p ?o }", RESULTS[0]), timeout=30)
    assert isinstance(answer, Answer) and b"true" in answer.body.data
    assert pool.pids() == [pid]


def test_an_engine_failure_is_an_error_reply_and_the_worker_stays(sparql_store):
    worker = Worker(sparql_store, UNCHECKED)
    try:
        reply = worker.ask("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }")
        assert isinstance(reply, Refusal) and isinstance(reply.error, EngineFailed)
        assert worker.ask("ASK { ?s ?p ?o }").body.data == b'{"head":{},"boolean":true}'
    finally:
        assert worker.stop() == 0


def test_the_answer_cache_keeps_one_honest_budget(sparql_store):
    budget = 64 * 1024
    app = create_app({"STORE_DIR": str(sparql_store), "CACHE_BYTES": budget, "QUERY_WORKERS": 1})
    client = app.test_client()
    padding = "#" + "x" * 8000 + "\n"  # a long query text, kept as its digest only
    try:
        for n in range(1200):  # each query twice: kept the second time
            response = client.get(
                "/sparql",
                query_string={"query": f"{padding}ASK {{ }} # {n // 2}"},
                headers={"Accept": "application/sparql-results+json"},
            )
            assert response.status_code == 200
    finally:
        app.extensions["zzkg.pool"].close()
    cache = app.extensions["zzkg.cache"]
    assert cache.held() <= budget
    assert 50 < len(cache.entries) < 600  # the cache was used, and evicted


def test_an_answer_under_the_cap_is_whole(capped):
    response = requests.get(
        capped.endpoint,
        params={"query": ALL_TRIPLES + " LIMIT 5"},
        headers={"Accept": "application/n-triples"},
        timeout=60,
    )
    assert len(Graph().parse(BytesIO(response.content), format="nt")) == 5


# terms pyoxigraph's Turtle writer could be fooled by if triples were counted on its separators
TRICKY_TEXTS = [
    "a , b",
    'quote " , inside',
    "ends with a backslash \\",
    'backslash then quote \\" , x',
    "line\nbreak ;\n and .\n stop",
    "  , ",
    "郑州 , 航空港",
]


def tricky_triples() -> list[ox.Triple]:
    s, p, q = (ox.NamedNode(f"http://example.org/{name}") for name in "spq")
    objects: list = [ox.Literal(text) for text in TRICKY_TEXTS]
    objects += [ox.Literal(text, language="zh") for text in TRICKY_TEXTS[:3]]
    objects += [ox.Literal("3.5", datatype=ox.NamedNode(XSD + "decimal")), ox.BlankNode("b1")]
    objects += [
        ox.Literal("-1", datatype=ox.NamedNode(XSD + "integer")),
        ox.NamedNode("http://x/,"),
    ]
    triples = [ox.Triple(s, p, o) for o in objects] + [ox.Triple(s, q, o) for o in objects[:4]]
    triples.append(ox.Triple(ox.BlankNode("b1"), p, ox.Triple(s, q, objects[0])))
    return triples


def test_turtle_triples_are_counted_on_the_writers_bytes():
    triples = tricky_triples()
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
    assert b'a , b" , "' in data  # objects of one predicate on one line, one of them with ` , `
    assert turtle_triples(data) == len(triples) == len(list(ox.parse(data, format=TURTLE)))
    for size in range(1, len(triples)):
        assert turtle_triples(ox.serialize(triples[:size], format=TURTLE)) == size


def test_every_described_entity_is_counted_as_parsed(store):
    entities = [row["s"] for row in store.query("SELECT DISTINCT ?s { ?s a ?t } LIMIT 300")]
    for entity in entities:
        data = store.query(f"DESCRIBE {entity}", use_default_graph_as_union=True).serialize(
            format=TURTLE
        )
        assert turtle_triples(data) == len(list(ox.parse(data, format=TURTLE))) > 0


@pytest.mark.parametrize("fmt", [GRAPH_BY_NAME["turtle"], GRAPH_BY_NAME["ntriples"]])
def test_triples_written_by_the_engine_are_cut_to_whole_statements(fmt):
    memory = ox.Store()
    memory.extend(ox.Quad(*triple, ox.DefaultGraph()) for triple in tricky_triples()[:-1])
    whole = serialise(memory.query(ALL_TRIPLES), Choice(None, fmt), max_rows=100, max_bytes=1 << 20)
    assert not whole.truncated and whole.rows == len(memory)
    by_rows = serialise(memory.query(ALL_TRIPLES), Choice(None, fmt), max_rows=5, max_bytes=1 << 20)
    assert by_rows.truncated and by_rows.rows == 5
    assert len(list(ox.parse(by_rows.data, format=fmt.rdf))) == 5
    cap = len(whole.data) // 2
    by_bytes = serialise(memory.query(ALL_TRIPLES), Choice(None, fmt), max_rows=100, max_bytes=cap)
    assert by_bytes.truncated and len(by_bytes.data) <= cap
    assert len(list(ox.parse(by_bytes.data, format=fmt.rdf))) == by_bytes.rows > 0
