"""The Linked Data views: entity pages and their RDF, the article, search, downloads, the query UI."""

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
    """Compile every template and render the home page once, so that a web process's first
    page costs what any page does: templates took 100-150 ms on the first request, and on a
    large graph the first reads of the store's tables and of the page index about as much."""
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    if not app.config["SPARQL_ENDPOINT"]:  # (a remote engine is asked nothing before a page)
        # no store yet: the page says so (503), and so will the pages when asked
        app.test_client().get("/", headers={"Accept": "text/html"})
