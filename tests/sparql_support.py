"""Helpers for the SPARQL endpoint tests: a live `zzkg serve` on a free loopback port, and the
store itself to compare its answers with."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
TEST_MAX_ROWS = 1000
# `zzkg`, the console script, without depending on where pip put it
ZZKG = [sys.executable, "-m", "zzkg"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """`zzkg serve` as a child process (its own process group, stopped with it)."""

    process: subprocess.Popen
    url: str

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    @classmethod
    def start(cls, store_dir: Path, *options: str) -> "LiveServer":
        port = free_port()
        command = [*ZZKG, "serve", "--store", str(store_dir), "--port", str(port)]
        command += ["--processes", "1", "--threads", "2", *options]
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
        server = cls(process, f"http://127.0.0.1:{port}")
        server.wait_until_healthy()
        return server

    def wait_until_healthy(self, attempts: int = 300) -> None:
        for _ in range(attempts):
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if requests.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not become healthy")

    def query_worker_pids(self) -> list[int]:
        """Processes running server.backend.worker below this server."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and self._is_query_worker(entry):
                pids.append(int(entry.name))
        return pids

    def _is_query_worker(self, proc: Path) -> bool:
        try:
            if b"server.backend.worker" not in (proc / "cmdline").read_bytes():
                return False
            return os.getpgid(int(proc.name)) == self.process.pid
        except (OSError, ProcessLookupError):
            return False

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class Listener:
    """A TCP listener on a loopback port that records every connection made to it."""

    sock: socket.socket = field(default_factory=socket.socket)
    connections: list = field(default_factory=list)

    def __post_init__(self):
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def _accept(self) -> None:
        while self.running:
            try:
                connection, address = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(address)
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()


def quirk(request, backend: str, reason: str) -> None:
    """Mark this test's run on one backend as an expected failure: a documented engine quirk."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("sparql_server") == backend:
        pytest.xfail(reason)


def direct(store: ox.Store, query: str, **options):
    """The store's own answer to a query over the union default graph."""
    if not options:
        options = {"use_default_graph_as_union": True}
    return store.query(query, **options)


def results(response) -> set:
    """Rows of a SPARQL results document (JSON, XML, CSV or TSV) parsed by rdflib."""
    from io import BytesIO

    from rdflib.query import Result

    kind = response.headers["Content-Type"].split(";")[0].strip()
    rdflib_format = {
        "application/sparql-results+json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
    }[kind]
    return rows(Result.parse(BytesIO(response.content), format=rdflib_format))


def rows(result) -> set:
    if result.type == "ASK":
        return {result.askAnswer}
    return {tuple(row.get(var) for var in result.vars) for row in result.bindings}


def direct_rows(store: ox.Store, query: str, media_format: str = "json", **options) -> set:
    """The store's own answer in a results format, parsed by rdflib like the endpoint's."""
    from io import BytesIO

    from rdflib.query import Result

    answer = direct(store, query, **options)
    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    data = answer.serialize(format=formats[media_format])
    return rows(Result.parse(BytesIO(data), format=media_format))


def direct_graph(store: ox.Store, query: str):
    """The store's own CONSTRUCT/DESCRIBE answer as an rdflib Graph."""
    from rdflib import Graph

    data = ox.serialize(direct(store, query), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


def count(response) -> int:
    (row,) = results(response)
    return int(row[0])
