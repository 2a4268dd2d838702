"""/health: 200 when a query worker can read the store, 503 otherwise."""

from flask import Blueprint, Response, current_app

from server.formats import RESULTS, Choice
from server.pool import WorkerPool

bp = Blueprint("health", __name__)
PROBE = {
    "query": "ASK { }",
    "default_graphs": (),
    "named_graphs": (),
    "choice": Choice(RESULTS[0], None),
    "max_rows": 1,
}


@bp.route("/health")
def health() -> Response:
    pool: WorkerPool = current_app.extensions["zzkg.pool"]
    reply = pool.run(PROBE, timeout=10.0)
    if "body" not in reply:
        raise OSError("store not readable")
    return Response("ok\n", 200, mimetype="text/plain")
