"""Downloads and metadata: the dumps, the VoID/DCAT description and the sitemap."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue

from server.views import common, data, negotiation, queries
from server.views.catalogue import catalogue
from server.views.errors import init_blueprint
from server.views.queries import bind

bp = Blueprint("downloads", __name__)
init_blueprint(bp)
SITEMAP_LIMIT = 50_000  # URLs per sitemap, at most (sitemaps.org)
SITE_PAGES = (
    "home.index",
    "article.view",
    "figures.page",
    "search.page",
    "downloads.page",
    "ontology_doc.page",
    "queryui.page",
    "home.classes",
)


def distributions() -> list[dict]:
    """Each dump as the VoID description lists it: file name, title, media type, size, SHA-256."""
    rows = data.select(bind(queries.DISTRIBUTIONS, dataset=queries.dataset()))
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
    body = data.construct(bind(queries.GRAPH_TRIPLES, graph=queries.graph("void")), fmt.media_type)
    response = negotiation.rdf_response(body, fmt)
    response.headers["Link"] = f'<{url_for("downloads.page")}>; rel="alternate"; type="text/html"'
    return response


@bp.route("/sitemap.xml")
def sitemap() -> Response:
    """A sitemap index (sitemaps.org): the site's own pages and every entity page, in parts of
    at most SITEMAP_LIMIT URLs each, read from the page index in order."""
    root = request.host_url.rstrip("/")
    urls = [
        root + url_for("downloads.sitemap_part", number=n) for n in range(1, sitemap_parts() + 1)
    ]
    xml = render_template("sitemap-index.xml", urls=urls)
    return Response(xml, 200, content_type="application/xml; charset=utf-8")


def sitemap_parts() -> int:
    return max(1, -(-(len(SITE_PAGES) + catalogue().page_count()) // SITEMAP_LIMIT))


@bp.route("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    """Part `number` of the sitemap: the first also lists the site's own pages."""
    if not 1 <= number <= sitemap_parts():
        abort(404)
    root = request.host_url.rstrip("/")
    pages = [url_for(name) for name in SITE_PAGES] if number == 1 else []
    first = (number - 1) * SITEMAP_LIMIT - (len(SITE_PAGES) if number > 1 else 0) + 1
    count = SITEMAP_LIMIT - len(pages)
    pages += [common.href(iri) or "" for iri in catalogue().pages(first, count)]
    xml = render_template("sitemap.xml", urls=[root + page for page in pages])
    return Response(xml, 200, content_type="application/xml; charset=utf-8")
