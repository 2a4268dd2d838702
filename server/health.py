"""/health: 200 when a query worker can read the store (or the remote engine answers), else 503.

It never queues behind queries: an idle worker is asked, and when every worker is busy running
a query, that is answer enough (`ok (busy)`)."""

from flask import Blueprint, Response, current_app

from server.errors import RemoteTimeout, RemoteUnavailable
from server.formats import RESULTS, Choice
from server.pool import WorkerPool
from server.remote_queries import RemoteQueries

bp = Blueprint("health", __name__)
PROBE = {
    "query": "ASK { }",
    "default_graphs": (),
    "named_graphs": (),
    "choice": Choice(RESULTS[0], None),
    "max_rows": 1,
    "max_bytes": 1024,
}


@bp.route("/health")
def health() -> Response:
    pool: WorkerPool | RemoteQueries = current_app.extensions["zzkg.pool"]
    try:
        reply = pool.probe(PROBE, timeout=10.0)
    except (RemoteUnavailable, RemoteTimeout):
        raise OSError("store not readable") from None
    if reply is None:
        return Response("ok (busy)\n", 200, mimetype="text/plain")
    if "body" not in reply:
        raise OSError("store not readable")
    return Response("ok\n", 200, mimetype="text/plain")
