"""The app in-process (Flask test client): the error handler, the query log, the answer caches."""

import gc
import json
import logging

from server import create_app
from server.sparql import engine


def test_unexpected_errors_are_500_without_details(embedded_client, monkeypatch):
    def broken(self, request, client):
        raise RuntimeError("secret detail at /work/main/server/engine.py line 1")

    monkeypatch.setattr(engine.Engine, "answer", broken)
    response = embedded_client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 500
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "secret" not in response.text and "/work/" not in response.text
    assert response.text.startswith("Internal server error")


def test_missing_store_is_503(tmp_path):
    app = create_app({"STORE_DIR": str(tmp_path / "nowhere"), "QUERY_WORKERS": 1})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert "nowhere" not in response.text


def test_each_query_is_logged(embedded_client, caplog):
    caplog.set_level(logging.INFO, logger="zzkg")
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    assert embedded_client.get("/sparql", query_string={"query": query}).status_code == 200
    assert embedded_client.get("/sparql", query_string={"query": "SELECT"}).status_code == 400
    lines = [record.getMessage() for record in caplog.records if record.name == "zzkg.sparql"]
    assert any(engine.digest(query) in line and "status=ok rows=3" in line for line in lines)
    assert any("status=SyntaxError" in line for line in lines)
    assert all("ms=" in line for line in lines)


def test_repeated_get_is_served_from_the_answer_cache(embedded_client, caplog):
    caplog.set_level(logging.INFO, logger="zzkg")
    params = {"query": "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"}
    first = embedded_client.get("/sparql", query_string=params)
    second = embedded_client.get("/sparql", query_string=params)
    assert "from=cache" not in caplog.records[-1].getMessage()  # kept now, on its second time
    third = embedded_client.get("/sparql", query_string=params)
    assert first.data == second.data == third.data
    assert dict(first.headers) == dict(third.headers)
    assert "X-Zzkg-Cacheable" not in third.headers
    assert "from=cache" in caplog.records[-1].getMessage()


def test_cached_answers_are_not_tracked_by_the_garbage_collector(embedded_client):
    # a full cache of tracked objects made every full collection walk them all: p99's cost
    for n in range(3):
        query = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {n + 1}"
        for _ in range(2):  # kept the second time
            assert embedded_client.get("/sparql", query_string={"query": query}).status_code == 200
    entries = embedded_client.application.extensions["zzkg.cache"].entries
    gc.collect()  # a tuple is untracked once the tuples it holds are: one collection per level
    gc.collect()
    assert len(entries) == 3
    assert not any(gc.is_tracked(key) or gc.is_tracked(held) for key, held in entries.items())


def test_random_answers_are_not_cached(embedded_client):
    params = {"query": "SELECT (RAND() AS ?r) WHERE { }"}
    answers = {embedded_client.get("/sparql", query_string=params).data for _ in range(3)}
    assert len(answers) == 3


def test_a_request_handed_to_a_thread_is_read_once(embedded_client, monkeypatch):
    """The front asks the endpoint on its event loop first; when that cannot answer (no idle
    worker), the thread that does answer uses the request already read."""
    import asyncio
    import io

    from server import front
    from server.sparql import protocol

    reads = []
    read = protocol.read
    monkeypatch.setattr(protocol, "read", lambda *a, **k: reads.append(1) or read(*a, **k))

    async def busy(self, request, client):
        return None  # as when every worker is running a query

    monkeypatch.setattr(engine.Engine, "answer_now", busy)
    queries = embedded_client.application.extensions[front.DIRECT]
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": "query=ASK%20%7B%7D",
        "HTTP_ACCEPT": "application/sparql-results+json",
        "wsgi.input": io.BytesIO(b""),
    }
    assert asyncio.run(queries.answer_now(environ)) is None
    statuses = []
    body = b"".join(queries(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"]
    assert json.loads(body)["boolean"] is True
    assert len(reads) == 1
