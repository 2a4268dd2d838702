"""Fixtures of the SPARQL endpoint tests, loaded by their modules with
`pytest_plugins = ["sparql_fixtures"]`: the built store, a live server per backend, the store
opened here.

`sparql_server` is parametrised over the backends: the embedded store, and `zzkg serve
--sparql-endpoint` on a real `oxigraph serve` ("remote") and on Virtuoso (skipped where it is
not installed); `embedded_server` is for the tests of query worker processes, which only the
embedded backend has."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_support import TEST_MAX_ROWS, LiveServer

BACKENDS = ("embedded", "remote", "virtuoso")
OPTIONS = ("--max-rows", str(TEST_MAX_ROWS), "--timeout", "20")


@pytest.fixture(scope="session")
def sparql_store(built) -> Path:
    return Path(built.store_dir)


@pytest.fixture(scope="session")
def embedded_server(sparql_store):
    """`zzkg serve` on the embedded store, for the session."""
    server = LiveServer.start(sparql_store, *OPTIONS)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_server(sparql_store, remote_engine):
    """`zzkg serve --sparql-endpoint` on the session's `oxigraph serve`."""
    server = LiveServer.start(sparql_store, *OPTIONS, "--sparql-endpoint", remote_engine.query_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(sparql_store, virtuoso_engine):
    """`zzkg serve --sparql-endpoint` on the session's Virtuoso."""
    server = LiveServer.start(
        sparql_store, *OPTIONS, "--sparql-endpoint", virtuoso_engine.query_url
    )
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def sparql_server(request):
    """One live server per backend (test modules load this file with `pytest_plugins`)."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session")
def direct_store(sparql_store) -> ox.Store:
    """The same store, opened read-only in the test process."""
    return ox.Store.read_only(str(sparql_store))
