"""/health: 200 when a query worker can read the store (or the remote engine answers), else 503.

It never queues behind queries: an idle worker is asked, and when every worker is busy running
a query, that is answer enough (`ok (busy)`)."""

from flask import Blueprint, Response, current_app

bp = Blueprint("health", __name__)


@bp.route("/health")
def health() -> Response:
    if not current_app.extensions["zzkg.backend"].probe():
        return Response("ok (busy)\n", 200, mimetype="text/plain")
    return Response("ok\n", 200, mimetype="text/plain")
