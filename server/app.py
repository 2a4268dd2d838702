"""The Flask application factory of zzkg's web server: the SPARQL 1.1 endpoint and the pages."""

import atexit
import logging

from flask import Flask

from server import config as settings
from server import cors, errors, front, health, hygiene, reconcile, views
from server.backend.factory import backend_for
from server.sparql import endpoint
from server.sparql.admission import Admission
from server.sparql.cache import AnswerCache
from server.sparql.engine import Engine


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
    backend = backend_for(app.config)
    # one backend for /sparql, /health and the pages ("zzkg.pool": the name server/cli.py warms)
    app.extensions["zzkg.backend"] = app.extensions["zzkg.pool"] = backend
    atexit.register(backend.close)
    app.register_blueprint(endpoint.bp)
    app.register_blueprint(health.bp)
    views.init_app(app)
    reconcile.init_app(app)
    queries = endpoint.QueryEndpoint(app.wsgi_app, engine=engine_for(app), config=app.config)
    app.wsgi_app = queries  # type: ignore[method-assign]
    app.extensions[front.DIRECT] = queries  # the HTTP front answers on its event loop what it can
    hygiene.init_app(app)
    return app


def engine_for(app: Flask) -> Engine:
    """The endpoint's answer cache and admission in front of the backend."""
    config = app.config
    admission = Admission(
        slots=config["QUERY_WORKERS"],
        queue_length=config["QUEUE_LENGTH"],
        wait=config["QUEUE_WAIT"],
        per_client=config["CLIENT_QUERIES"],
    )
    cache = app.extensions["zzkg.cache"] = AnswerCache(max_bytes=config["CACHE_BYTES"])
    return Engine(app.extensions["zzkg.backend"], cache, admission, config)
