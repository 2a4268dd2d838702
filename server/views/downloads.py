"""Downloads and metadata: the dumps, the VoID/DCAT description and the sitemap."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue

from server.views import common, data, negotiation
from server.views.errors import init_blueprint

bp = Blueprint("downloads", __name__)
init_blueprint(bp)
SITEMAP_LIMIT = 50_000


def distributions() -> list[dict]:
    """Each dump as the VoID description lists it: file name, title, media type, size, SHA-256."""
    rows = data.select(
        f"""SELECT ?dump ?title ?description ?size ?media ?sha WHERE {{
          <{current_app.config["BASE"]}dataset> dcat:distribution ?dump .
          OPTIONAL {{ ?dump dct:title ?title }}
          OPTIONAL {{ ?dump dct:description ?description }}
          OPTIONAL {{ ?dump dcat:byteSize ?size }}
          OPTIONAL {{ ?dump dcat:mediaType ?media }}
          OPTIONAL {{ ?dump <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue> ?sha }}
        }} ORDER BY ?dump"""
    )
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        value: dict[str, Any] = {name: binding["value"] for name, binding in row.items()}
        value["file"] = common.local_name(value["dump"])
        value["media"] = value.get("media", "").split("/media-types/")[-1]
        value["size"] = int(value["size"]) if "size" in value else None
        found.setdefault(value["dump"], value)
    return list(found.values())


@bp.route("/downloads")
def page() -> Response:
    available = data.dumps_dir() is not None
    html = render_template("downloads.html", dumps=distributions(), available=available)
    return negotiation.html_response(
        html, links=f'<{url_for("downloads.void")}>; rel="describedby"; type="text/turtle"'
    )


@bp.route("/download/<name>")
def download(name: str) -> Response:
    folder = data.dumps_dir()
    if folder is None or name not in {dump["file"] for dump in distributions()}:
        abort(404)
    media = {dump["file"]: dump["media"] for dump in distributions()}[name]
    return send_from_directory(folder, name, mimetype=media or None, max_age=3600)


@bp.route("/dataset")
@bp.route("/.well-known/void")
def void() -> ResponseReturnValue:
    """The VoID/DCAT description (the void graph) in the RDF format asked for; Turtle first.

    A browser (asking for HTML) is sent to the home page, which shows the same description; a
    client that names no type gets Turtle from /.well-known/void.
    """
    asks_html = request.path == "/dataset" or bool(request.accept_mimetypes)
    if asks_html and negotiation.choose() is None:
        return redirect(url_for("home.index"), 303)
    fmt = negotiation.choose_rdf()
    graph = current_app.config["BASE"] + "graph/void"
    body = data.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", fmt.media_type
    )
    response = negotiation.rdf_response(body, fmt)
    response.headers["Link"] = f'<{url_for("downloads.page")}>; rel="alternate"; type="text/html"'
    return response


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    base = current_app.config["BASE"]
    rows = data.select(
        f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/")
        && !CONTAINS(STR(?s), "#")) }} ORDER BY ?s LIMIT {SITEMAP_LIMIT}"""
    )
    root = request.host_url.rstrip("/")
    pages = [
        url_for(name)
        for name in (
            "home.index",
            "article.view",
            "figures.page",
            "search.page",
            "downloads.page",
            "ontology_doc.page",
            "queryui.page",
            "home.classes",
        )
    ]
    pages += [common.href(row["s"]["value"]) or "" for row in rows]
    xml = render_template("sitemap.xml", urls=[root + page for page in pages])
    return Response(xml, 200, content_type="application/xml; charset=utf-8")
