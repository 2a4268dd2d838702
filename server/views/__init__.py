"""The Linked Data views: entity pages and their RDF, the article, search, downloads, the query UI."""

from pathlib import Path

from flask import Flask
from werkzeug.exceptions import NotFound

from server import engine
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
    remote_reader,
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
    """Set up the reader (the embedded store, or the remote engine when SPARQL_ENDPOINT is set),
    the page index (labels, search), and register every views blueprint."""
    reader = reader_for(app)
    data.init_app(app, reader)
    catalogue.init_app(app, reader)
    common.init_app(app)
    figures.init_app(app)
    queryui.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # Any unknown path, not only those under the views' blueprints: a page for people.
    app.register_error_handler(NotFound, errors.not_found)


def reader_for(app: Flask):
    if app.config["SPARQL_ENDPOINT"]:
        return remote_reader.RemoteReader(
            engine.remote_endpoint(app.config), timeout=app.config["QUERY_TIMEOUT"]
        )
    return data.StoreReader(Path(app.config["STORE_DIR"]))
