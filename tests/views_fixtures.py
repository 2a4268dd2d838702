"""Fixtures for the Linked Data views tests (`pytest_plugins = ["views_fixtures"]`): the app on
the session's real build, and a Flask test client."""

import pytest

from server import create_app


@pytest.fixture(scope="session")
def views_app(built):
    app = create_app({"STORE_DIR": str(built.store_dir), "QUERY_WORKERS": 1, "TESTING": True})
    yield app
    app.extensions["zzkg.pool"].close()


@pytest.fixture()
def client(views_app):
    return views_app.test_client()
