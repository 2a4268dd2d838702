"""Fixtures of the SPARQL endpoint tests, loaded by their modules with
`pytest_plugins = ["sparql_fixtures"]`: the built store, one live server, the store opened here."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_support import TEST_MAX_ROWS, LiveServer


@pytest.fixture(scope="session")
def sparql_store(built) -> Path:
    return Path(built.store_dir)


@pytest.fixture(scope="session")
def sparql_server(sparql_store):
    """One live server for the session (test modules load this file with `pytest_plugins`)."""
    server = LiveServer.start(sparql_store, "--max-rows", str(TEST_MAX_ROWS), "--timeout", "20")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def direct_store(sparql_store) -> ox.Store:
    """The same store, opened read-only in the test process."""
    return ox.Store.read_only(str(sparql_store))
