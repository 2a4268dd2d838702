"""The Linked Data views: entity pages and their RDF, the article, search, downloads, the query UI."""

from flask import Flask
from werkzeug.exceptions import NotFound

from server.views import (
    article,
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
    """Set up the reader (on the app's backend), the search index, and register every views
    blueprint."""
    data.init_app(app, data.Reader(app.extensions["zzkg.backend"]))
    common.init_app(app)
    figures.init_app(app)
    search.init_app(app)
    queryui.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # Any unknown path, not only those under the views' blueprints: a page for people.
    app.register_error_handler(NotFound, errors.not_found)
