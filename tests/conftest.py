"""Session fixtures: the real graph, built once from kg/sources into a temporary directory, and
real SPARQL engines holding the same build, published to them by `zzkg publish`: `oxigraph
serve`, and Virtuoso where Debian's `virtuoso-opensource` is installed (skipped otherwise)."""

import pytest
from remote_support import VIRTUOSO, OxigraphServer, VirtuosoServer

from kg.build import build


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The BuildReport of one real build (store under .store_dir, dumps under .dumps_dir)."""
    return build(tmp_path_factory.mktemp("build"))


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
