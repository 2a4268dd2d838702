"""The /sparql route: SPARQL 1.1 Protocol queries, and the service description without a query.

Queries are answered by a WSGI layer in front of Flask (`QueryEndpoint`): the parameters are read
from the environ, the formats looked up per Accept header, and the answer (or the error, mapped
by server/errors.py) written with the same headers the app gives every response (CORS, security).
Flask's request machinery is not on a query's way; a /sparql request without a query, the
service description or the query UI, is Flask's (`bp`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import cast

from flask import Blueprint, Response, current_app, request

from server import cors, errors, formats, hygiene
from server.errors import NotAcceptable
from server.sparql import description, protocol
from server.sparql.engine import Engine, QueryRequest
from server.sparql.serialise import Body

bp = Blueprint("sparql", __name__)
PATH = "/sparql"
METHODS = ("GET", "HEAD", "POST")
REQUEST_KEY = "zzkg.sparql.request"  # the environ's copy of the request, once read
QUERY_UI = "queryui.page"  # the views' page, found by endpoint name (the endpoint imports no view)
# what every /sparql answer carries, as server/cors.py and server/hygiene.py give Flask's
COMMON_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", cors.EXPOSED),
    *hygiene.SECURITY_HEADERS.items(),
]


class QueryEndpoint:
    """WSGI middleware: GET, HEAD and POST /sparql with a query, answered without Flask."""

    def __init__(self, app, *, engine: Engine, config):
        self.app = app
        self.engine = engine
        self.max_query_bytes = config["MAX_QUERY_BYTES"]
        self.max_body = config["MAX_CONTENT_LENGTH"]
        self.timeout = config["QUERY_TIMEOUT"]
        self.max_timeout = config["MAX_QUERY_TIMEOUT"]
        self.truncation = [
            ("X-SPARQL-Truncated", "true"),
            ("X-SPARQL-Max-Rows", str(config["MAX_ROWS"])),
            ("X-SPARQL-Max-Bytes", str(config["MAX_ANSWER_BYTES"])),
        ]

    def __call__(self, environ, start_response):
        if not self.mine(environ):
            return self.app(environ, start_response)
        try:
            request = self.request_of(environ)
            if request is None:
                return self.app(environ, start_response)
            body, _ = self.engine.answer(request, client_of(environ))
            status, headers, chunks = self.answered(body, environ)
        except Exception as error:  # noqa: BLE001 (each becomes its answer: server/errors.py)
            status, headers, chunks = self.refused(error)
        start_response(f"{status} {reason(status)}", headers)
        return chunks

    async def answer_now(self, environ) -> tuple[int, list[tuple[str, str]], list[bytes]] | None:
        """The answer, on the event loop, when no thread is needed (a cached answer, an idle
        worker, a malformed request); None when the request is the thread's to answer."""
        if not self.mine(environ):
            return None
        try:
            request = self.request_of(environ)
            if request is None:
                return None
            answered = await self.engine.answer_now(request, client_of(environ))
            if answered is None:
                return None
            return self.answered(answered[0], environ)
        except Exception as error:  # noqa: BLE001 (each becomes its answer: server/errors.py)
            return self.refused(error)

    @staticmethod
    def mine(environ) -> bool:
        return environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") in METHODS

    def request_of(self, environ) -> QueryRequest | None:
        """The query request, or None for a request without a query (the service description).
        Read once per request: when answer_now hands the request to a thread (no idle worker),
        the thread finds it in the environ."""
        if REQUEST_KEY not in environ:
            environ[REQUEST_KEY] = self.read_request(environ)
        return environ[REQUEST_KEY]

    def read_request(self, environ) -> QueryRequest | None:
        params = protocol.read(
            environ, max_query_bytes=self.max_query_bytes, max_body=self.max_body
        )
        if params.query is None:
            if environ["REQUEST_METHOD"] == "POST":
                raise ValueError("The request has no `query` parameter.")
            return None
        return QueryRequest(
            query=params.query,
            default_graphs=params.default_graphs,
            named_graphs=params.named_graphs,
            timeout=protocol.timeout(
                params.timeout, default=self.timeout, maximum=self.max_timeout
            ),
            choice=formats.choose_for_header(environ.get("HTTP_ACCEPT"), params.formats),
        )

    def answered(self, body: Body, environ) -> tuple[int, list[tuple[str, str]], list[bytes]]:
        headers = [
            ("Content-Type", body.format.content_type),
            ("Content-Length", str(len(body.data))),
            ("Vary", "Accept"),
            ("X-SPARQL-Rows", str(body.rows)),
            *(self.truncation if body.truncated else ()),
            *COMMON_HEADERS,
        ]
        return 200, headers, [] if environ["REQUEST_METHOD"] == "HEAD" else [body.data]

    @staticmethod
    def refused(error: Exception) -> tuple[int, list[tuple[str, str]], list[bytes]]:
        status, message, extra = errors.answer_of(error)
        data = message.encode("utf-8")
        headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(data))),
            *extra.items(),
            *COMMON_HEADERS,
        ]
        return status, headers, [data]


def client_of(environ) -> str:
    """The client as the HTTP front saw it (behind a proxy, every client is the proxy)."""
    return environ.get("REMOTE_ADDR") or "unknown"


def reason(status: int) -> str:
    return HTTPStatus(status).phrase


@bp.route(PATH, methods=["GET", "POST"])
def endpoint() -> Response:
    """GET /sparql without a query: the description in RDF, or the query UI for browsers."""
    keywords = protocol.read(
        request.environ,
        max_query_bytes=current_app.config["MAX_QUERY_BYTES"],
        max_body=current_app.config["MAX_CONTENT_LENGTH"],
    ).formats
    fmt = formats.choose_description(request.accept_mimetypes, keywords)
    if fmt is None:
        raise NotAcceptable("The service description is available as RDF or as an HTML page.")
    if fmt is formats.HTML:
        response = cast(Response, current_app.view_functions[QUERY_UI]())
    else:
        data = description.serialised(request.base_url, fmt)
        response = Response(data, 200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = (
        f'<{request.base_url}?format=turtle>; rel="alternate"; type="text/turtle"'
    )
    return response
