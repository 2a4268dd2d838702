"""The session's shared fixtures, in one place: the real graph built once from kg/sources into a
temporary directory; the store opened read-only once; the app and its Flask test `client` on
each backend (the embedded store, and the same build published by `zzkg publish` to a real
`oxigraph serve` and, where Debian's `virtuoso-opensource` is installed, Virtuoso); and live
`zzkg serve` servers on each backend. Session fixtures are built only when a test asks."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from remote_support import VIRTUOSO, OxigraphServer, VirtuosoServer
from sparql_support import TEST_MAX_ROWS, LiveServer

from kg.build import build
from server import create_app

BACKENDS = ("embedded", "remote", "virtuoso")
ENGINES = {"remote": "remote_engine", "virtuoso": "virtuoso_engine"}
OPTIONS = ("--max-rows", str(TEST_MAX_ROWS), "--timeout", "20")  # of the live servers


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The BuildReport of one real build (store under .store_dir, dumps under .dumps_dir)."""
    return build(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def sparql_store(built) -> Path:
    """The built store's directory."""
    return Path(built.store_dir)


@pytest.fixture(scope="session")
def store(sparql_store) -> ox.Store:
    """The built store, opened read-only in the test process, once."""
    return ox.Store.read_only(str(sparql_store))


@pytest.fixture(scope="session")
def remote_engine(built, tmp_path_factory):
    """`oxigraph serve` on a loopback port, the build published to it by the Graph Store
    Protocol; stopped at the end of the session."""
    server = OxigraphServer.start(tmp_path_factory.mktemp("oxigraph"))
    try:
        done = server.publish(built.out_dir, "--graph-store", server.store_url)
        assert done.returncode == 0, done.stderr
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_engine(built, tmp_path_factory):
    """Virtuoso on loopback ports, the build published by SPARQL Update; stopped at the end."""
    if VIRTUOSO is None:
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource)")
    server = VirtuosoServer.start(tmp_path_factory.mktemp("virtuoso"))
    try:
        done = server.publish(built.out_dir)
        assert done.returncode == 0, done.stderr
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def views_app(built, request):
    """The app on the session's build, once per backend."""
    config = {"STORE_DIR": str(built.store_dir), "QUERY_WORKERS": 1, "TESTING": True}
    if request.param in ENGINES:
        config["SPARQL_ENDPOINT"] = request.getfixturevalue(ENGINES[request.param]).query_url
        config["DUMPS_DIR"] = str(built.dumps_dir)
    app = create_app(config)
    yield app
    app.extensions["zzkg.pool"].close()


@pytest.fixture()
def client(views_app):
    """A Flask test client of the app, once per backend."""
    return views_app.test_client()


@pytest.fixture
def embedded_client(sparql_store):
    """A test client of a fresh app on the embedded store, its caches empty, for one test."""
    app = create_app({"STORE_DIR": str(sparql_store), "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["zzkg.pool"].close()


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
