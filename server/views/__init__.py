"""The Linked Data views: entity pages and their RDF, the article, search, downloads, the query UI."""

import contextlib
import sqlite3

from flask import Flask
from werkzeug.exceptions import NotFound

from server.views import (
    article,
    catalogue,
    common,
    data,
    downloads,
    entity,
    errors,
    figure_table,
    figures,
    home,
    ontology_doc,
    queryui,
    search,
)

BLUEPRINTS = (
    home.bp,
    entity.bp,
    article.bp,
    figure_table.bp,
    search.bp,
    downloads.bp,
    ontology_doc.bp,
    queryui.bp,
)


def init_app(app: Flask) -> None:
    """Set up the reader (on the app's backend), the page index (labels, search), and register
    every views blueprint."""
    reader = data.Reader(app.extensions["zzkg.backend"])
    data.init_app(app, reader)
    catalogue.init_app(app, reader)
    common.init_app(app)
    figures.init_app(app)
    queryui.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # Any unknown path, not only those under the views' blueprints: a page for people.
    app.register_error_handler(NotFound, errors.not_found)


def warm_up(app: Flask) -> None:
    """Compile every template, render the home page and a search once, so that a web process's
    first page and first search cost what any does: templates took 100-150 ms on the first
    request, and on a large graph the first reads of the store and of the page index (their
    tables' upper pages, a figure's statements) as much again. The search is for the index's
    shortest name, whatever it is."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    if app.config["SPARQL_ENDPOINT"]:  # a remote engine is asked nothing before a page
        return
    client = app.test_client()
    # no store yet: the page says so (503), and so will the pages when asked
    client.get("/", headers={"Accept": "text/html"})
    with app.app_context(), contextlib.suppress(OSError, sqlite3.Error):
        shortest = catalogue.catalogue().rows("SELECT text FROM names ORDER BY id LIMIT 1")
        for (text,) in shortest:
            client.get("/search", query_string={"q": text}, headers={"Accept": "text/html"})
