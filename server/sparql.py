"""The /sparql route: SPARQL 1.1 Protocol queries, and the service description without a query."""

from flask import Blueprint, Response, current_app, request

from server import description, engine, fastpath, formats, protocol
from server.errors import NotAcceptable
from server.serialise import Body
from server.views import queryui

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    config = current_app.config
    params = protocol.read(request, max_query_bytes=config["MAX_QUERY_BYTES"])
    if params.query is None:
        if request.method == "POST":
            raise ValueError("The request has no `query` parameter.")
        return service_description(params.formats)
    query_request = engine.QueryRequest(
        query=params.query,
        default_graphs=params.default_graphs,
        named_graphs=params.named_graphs,
        timeout=protocol.timeout(
            params.timeout, default=config["QUERY_TIMEOUT"], maximum=config["MAX_QUERY_TIMEOUT"]
        ),
        choice=formats.choose(request.accept_mimetypes, params.formats),
    )
    body, cacheable = engine.answer(query_request)
    response = answer_response(body)
    if cacheable and request.method == "GET":
        response.headers[fastpath.MARK] = str(body.rows)
    return response


def answer_response(body: Body) -> Response:
    response = Response(body.data, 200, content_type=body.format.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["X-SPARQL-Rows"] = str(body.rows)
    if body.truncated:
        response.headers["X-SPARQL-Truncated"] = "true"
        response.headers["X-SPARQL-Max-Rows"] = str(current_app.config["MAX_ROWS"])
        response.headers["X-SPARQL-Max-Bytes"] = str(current_app.config["MAX_ANSWER_BYTES"])
    return response


def service_description(keywords: tuple[str, ...]) -> Response:
    fmt = formats.choose_description(request.accept_mimetypes, keywords)
    if fmt is None:
        raise NotAcceptable("The service description is available as RDF or as an HTML page.")
    if fmt is formats.HTML:
        response = Response(queryui.render_page(), 200, content_type="text/html; charset=utf-8")
    else:
        data = description.serialised(request.base_url, fmt)
        response = Response(data, 200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = (
        f'<{request.base_url}?format=turtle>; rel="alternate"; type="text/turtle"'
    )
    return response
