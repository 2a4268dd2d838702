"""The query worker cannot connect anywhere, whatever its query says: every SERVICE trick makes
zero connections to a loopback listener, on the live server and on a worker handed the query
with the parse check switched off; the worker refuses to start without its sandbox; allow-listed
SERVICE endpoints, and only they, are reached through the relay."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
import requests
from sparql_support import ROOT, Listener
from test_sparql_safety import service_variants

from server.backend import Answer, Query, Refusal, ipc, reply_from_wire
from server.backend.pool import WorkerPool
from server.errors import SandboxRefused
from server.formats import RESULTS, Choice
from server.sparql import safety

JSON = Choice(RESULTS[0], None)
# the parse check switched off, or the sandbox broken, before the worker's own main() runs
UNCHECKED = (
    "from server.sparql import safety; "
    "safety.inspect = lambda query, **_: safety.Verdict(False, False, True)"
)
NO_UNSHARE = "from server.backend import sandbox; sandbox.enter_namespace = lambda flags: None"
FAILING_UNSHARE = (
    "import ctypes; from server.backend import sandbox\n"
    "class Libc:\n"
    "    def unshare(self, flags):\n"
    "        ctypes.set_errno(1)\n"
    "        return -1\n"
    "sandbox.libc = Libc"
)


# SERVICE SILENT, or a failing SERVICE inside FILTER EXISTS, answers without the error
SERVICE_ERROR_HIDDEN = ("silent", "in FILTER EXISTS")


def tricky_variants(url: str) -> dict[str, str]:
    """The variants the issue found or feared, beyond the parse check's own list."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    body = "{ ?s ?p ?o }"
    return {
        **service_variants(url),
        "comment ended by CR": f"SELECT * WHERE {{ # x\r SERVICE <{url}> {body} \n }}",
        "comment ended by escaped CR": f"SELECT * WHERE {{ # x\\u000D SERVICE <{url}> {body} \n }}",
        "comment ended by U+2028": f"SELECT * WHERE {{ # x\u2028 SERVICE <{url}> {body} \n }}",
        "comment ended by U+0085": f"SELECT * WHERE {{ # x\u0085 SERVICE <{url}> {body} \n }}",
        "comment ended by U+2029": f"SELECT * WHERE {{ # x\u2029 SERVICE <{url}> {body} \n }}",
        "BIND-ed IRI": f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {body} }}",
        "built IRI": "SELECT * WHERE { BIND(IRI(CONCAT('http://', '"
        + host
        + ":"
        + port
        + "/sparql')) AS ?e) SERVICE ?e { ?s ?p ?o } }",
        "SPARQL 1.2 triple term": "SELECT * WHERE { BIND(<<( <urn:a> <urn:b> <urn:c> )>> AS ?t) "
        f"SERVICE SILENT <{url}> {body} }}",
        "SPARQL 1.2 VERSION": f'VERSION "1.2" SELECT * WHERE {{ SERVICE SILENT <{url}> {body} }}',
    }


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def test_no_service_trick_connects_from_the_live_server(embedded_server, listener):
    for name, query in tricky_variants(listener.url).items():
        response = requests.post(
            embedded_server.endpoint,
            data=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=60,
        )
        assert response.status_code in (400, 403), (name, response.status_code, response.text)
    assert requests.get(embedded_server.url + "/health", timeout=60).status_code == 200
    assert listener.connections == []


def test_a_cr_line_break_is_refused_with_its_reason(embedded_server):
    query = "SELECT * WHERE { # comment\r ?s ?p ?o }"
    response = requests.get(embedded_server.endpoint, params={"query": query}, timeout=60)
    assert response.status_code == 400
    assert "U+000D" in response.text


def test_cr_lf_line_ends_are_read_as_lf(embedded_server):
    query = "ASK {\r\n  # a comment\r\n  ?s ?p ?o\r\n}"
    response = requests.post(embedded_server.endpoint, data={"query": query}, timeout=60)
    assert response.status_code == 200 and response.json()["boolean"] is True


class Worker:
    """server.backend.worker started by hand, after `prelude` runs in its interpreter."""

    def __init__(self, store, prelude: str, allowlist=()):
        settings = {"store_dir": str(store), "allowlist": list(allowlist), "max_nesting": 64}
        code = f"{prelude}\nimport sys\nfrom server.backend import worker as query_worker\n"
        code += "sys.exit(query_worker.main(sys.argv[1:]))"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, json.dumps(settings)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.hello = ipc.receive(self.process.stdout.fileno(), deadline_in(30))

    def ask(self, query: str):
        request = Query(query, JSON, max_rows=10, max_bytes=1 << 20)
        ipc.send(self.process.stdin.fileno(), request.wire())
        return reply_from_wire(ipc.receive(self.process.stdout.fileno(), deadline_in(30)))

    def stop(self) -> int:
        self.process.stdin.close()
        code = self.process.wait(timeout=30)
        self.process.stdout.close()
        return code


def deadline_in(seconds: float) -> float:
    import time

    return time.monotonic() + seconds


def test_a_worker_handed_service_directly_cannot_connect(sparql_store, listener):
    worker = Worker(sparql_store, UNCHECKED)
    try:
        assert worker.hello["ready"] is True
        for name, query in service_variants(listener.url).items():
            assert isinstance(worker.ask(query), Refusal) or name in SERVICE_ERROR_HIDDEN, name
        for name, query in tricky_variants(listener.url).items():
            assert isinstance(worker.ask(query), Answer | Refusal), name  # answered, not crashed
        assert worker.ask("ASK { ?s ?p ?o }").body.data
    finally:
        assert worker.stop() == 0
    assert listener.connections == []


@pytest.mark.parametrize("prelude", [NO_UNSHARE, FAILING_UNSHARE], ids=["no-op", "refused"])
def test_a_worker_without_its_sandbox_refuses_to_start(sparql_store, prelude):
    worker = Worker(sparql_store, prelude)
    assert worker.hello == {"ready": False, "reason": "sandbox"}
    assert worker.stop() == 1


def test_the_pool_reports_a_refused_sandbox(sparql_store):
    pool = WorkerPool(
        {"store_dir": str(sparql_store), "allowlist": ["ftp://x.example/"], "max_nesting": 64},
        size=1,
    )
    try:
        with pytest.raises(SandboxRefused):
            pool.run(Query("ASK {}", JSON, max_rows=10, max_bytes=1 << 20), timeout=30)
    finally:
        pool.close()


class StubEndpoint(BaseHTTPRequestHandler):
    """A SPARQL endpoint answering every query with one row, ?x = "remote"."""

    hits: ClassVar[list[str]] = []

    def do_POST(self):
        self.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        row = {"x": {"type": "literal", "value": "remote"}}
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubEndpoint)
    StubEndpoint.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_allow_listed_service_reaches_its_host_and_nothing_else(
    sparql_store, stub_endpoint, listener
):
    allowed = f"http://{stub_endpoint}/sparql"
    worker = Worker(sparql_store, UNCHECKED, allowlist=[allowed])
    try:
        assert worker.hello["ready"] is True
        reply = worker.ask(f"SELECT ?x WHERE {{ SERVICE <{allowed}> {{ ?x ?p ?o }} }}")
        document = json.loads(reply.body.data)
        assert [row["x"]["value"] for row in document["results"]["bindings"]] == ["remote"]
        other_path = allowed.replace("/sparql", "/elsewhere")
        assert isinstance(
            worker.ask(f"SELECT * WHERE {{ SERVICE <{other_path}> {{ ?x ?p ?o }} }}"), Answer
        )
        for name, query in service_variants(listener.url).items():
            assert isinstance(worker.ask(query), Refusal) or name in SERVICE_ERROR_HIDDEN, name
    finally:
        worker.stop()
    assert StubEndpoint.hits == ["/sparql", "/elsewhere"]
    assert listener.connections == []


def test_stray_line_breaks_are_refused_and_cr_lf_is_lf():
    assert safety.normalise_line_breaks("ASK {\r\n}") == "ASK {\n}"
    for text in ("\r", "\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\\u000D", "\\u2028"):
        with pytest.raises(SyntaxError, match="line break"):
            safety.normalise_line_breaks(f"ASK {{ # x{text} }}")
