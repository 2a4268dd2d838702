"""The remote backend's own behaviour: an engine that is down, late or failing becomes a clear
502/504 (never its internal text, never a hang), the read-only credential is sent, and the
downloads say where the dumps are. The endpoint, page and search tests run on both backends
through the parametrised fixtures."""

import argparse
import base64
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from sparql_support import free_port

from server import cli, create_app
from server.backend import remote as remote_queries
from server.sparql import safety
from zzkg.cli import make_parser

ASK = {"query": "ASK { ?s ?p ?o }"}


def app_on(url: str, **config):
    settings = {"SPARQL_ENDPOINT": url, "TESTING": True, "CACHE_BYTES": 0, **config}
    return create_app(settings).test_client()


class Failing(BaseHTTPRequestHandler):
    """An engine that answers 500 with internal details, and records the headers it got."""

    seen: ClassVar[list[dict]] = []

    def do_POST(self):
        self.seen.append(dict(self.headers))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"java.lang.NullPointerException at com.example.internal.Secret"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_engine():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Failing.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_engine():
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    sock.close()


def assert_plain(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    return text


def test_unreachable_engine_is_502_and_unhealthy():
    client = app_on(f"http://127.0.0.1:{free_port()}/sparql")
    assert "cannot be reached" in assert_plain(client.get("/sparql", query_string=ASK), 502)
    assert client.get("/health").status_code == 503
    assert client.get("/id/place/zhengzhou", headers={"Accept": "text/turtle"}).status_code == 502


def test_late_engine_is_504_within_the_deadline(silent_engine):
    client = app_on(silent_engine)
    response = client.get("/sparql", query_string={**ASK, "timeout": "1"})
    assert "did not answer within" in assert_plain(response, 504)


def test_engine_error_is_502_without_its_text(failing_engine, monkeypatch):
    monkeypatch.setenv("ZZKG_SPARQL_CREDENTIAL", "reader:s3cret")
    client = app_on(failing_engine)
    text = assert_plain(client.get("/sparql", query_string=ASK), 502)
    assert "500" in text and "NullPointer" not in text and "Secret" not in text
    expected = "Basic " + base64.b64encode(b"reader:s3cret").decode()
    assert Failing.seen[-1]["Authorization"] == expected


def test_refused_queries_never_reach_the_engine(failing_engine):
    client = app_on(failing_engine)
    update = client.get("/sparql", query_string={"query": "INSERT DATA { <a:a> <a:b> <a:c> }"})
    assert "read-only" in assert_plain(update, 400)  # an update sent as a query is malformed
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"
    assert_plain(client.get("/sparql", query_string={"query": service}), 403)
    assert Failing.seen == []


def test_downloads_without_dumps_say_so(remote_engine):
    client = app_on(remote_engine.query_url)
    page = client.get("/downloads", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "does not serve the dump files" in page.get_data(as_text=True)
    assert client.get("/download/zzkg.ttl").status_code == 404


def test_serve_flags_select_the_remote_backend():
    parser = argparse.ArgumentParser()
    cli.add_serve_arguments(parser)
    args = parser.parse_args(["--sparql-endpoint", "http://x.example/sparql", "--dumps", "d"])
    config = cli.app_config(args)
    assert config["SPARQL_ENDPOINT"] == "http://x.example/sparql"
    assert config["DUMPS_DIR"].endswith("/d")


def test_the_readme_documents_the_remote_backend():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"^## Running on an existing SPARQL engine\n(.*?)(?=^## )", readme, re.DOTALL | re.MULTILINE
    )
    assert match, "README has no section 'Running on an existing SPARQL engine'"
    section = match.group(1)
    (commands,) = [a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for action in commands.choices["publish"]._actions:
        for flag in action.option_strings:
            assert flag in ("-h", "--help") or f"`{flag}" in section, flag
    for text in (
        "zzkg publish",
        "zzkg serve --sparql-endpoint",
        "--dumps",
        "ZZKG_PUBLISH_CREDENTIAL",
    ):
        assert text in section, text


@pytest.mark.parametrize(
    "query, family",
    [
        ("PREFIX ask: <x:> SELECT * WHERE {}", "results"),
        ("ASK{}", "results"),
        ("# construct\nselect*{}", "results"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "graph"),
        ("BASE <select> PREFIX : <a:> DESCRIBE :select", "graph"),
    ],
)
def test_the_engine_is_asked_for_the_family_of_the_query_form(query, family):
    form = safety.inspect(query, allowlist=(), max_nesting=128).form
    accept = remote_queries.accept_for(form)
    expected = remote_queries.RESULTS_ACCEPT if family == "results" else remote_queries.GRAPH_ACCEPT
    assert accept == expected
