"""The Flask application factory of zzkg's web server: the SPARQL 1.1 endpoint and the pages."""

import atexit
import logging

from flask import Flask

from server import config as settings
from server import cors, engine, errors, fastpath, health, hygiene, reconcile, sparql, views


def create_app(config: dict | None = None) -> Flask:
    """A configured app: defaults, then ZZKG_* environment variables, then `config`."""
    app = Flask(__name__)
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_mapping(settings.from_environment())
    app.config.from_mapping(config or {})
    app.config["MAX_CONTENT_LENGTH"] = settings.request_body_limit(app.config["MAX_QUERY_BYTES"])
    logging.getLogger("zzkg").setLevel(logging.INFO)
    errors.init_app(app)
    cors.init_app(app)
    engine.init_app(app)
    atexit.register(app.extensions["zzkg.pool"].close)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(health.bp)
    views.init_app(app)
    reconcile.init_app(app)
    app.wsgi_app = fastpath.CachedAnswers(  # type: ignore[method-assign]
        app.wsgi_app, cache=app.extensions["zzkg.cache"]
    )
    hygiene.init_app(app)
    return app
