"""Fixtures for the Linked Data views tests (`pytest_plugins = ["views_fixtures"]`): the app on
the session's real build, once per backend (the embedded store, and the same build published to
a real `oxigraph serve` and, where installed, Virtuoso), and a Flask test client."""

import pytest

from server import create_app

BACKENDS = ("embedded", "remote", "virtuoso")
ENGINES = {"remote": "remote_engine", "virtuoso": "virtuoso_engine"}


@pytest.fixture(scope="session", params=BACKENDS)
def views_app(built, request):
    config = {"STORE_DIR": str(built.store_dir), "QUERY_WORKERS": 1, "TESTING": True}
    if request.param in ENGINES:
        config["SPARQL_ENDPOINT"] = request.getfixturevalue(ENGINES[request.param]).query_url
        config["DUMPS_DIR"] = str(built.dumps_dir)
    app = create_app(config)
    yield app
    app.extensions["zzkg.pool"].close()


@pytest.fixture()
def client(views_app):
    return views_app.test_client()
