"""The query UI for browsers: YASGUI (a local static bundle) with the example queries."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, url_for

from kg.examples import QUERIES_DIR, header
from server import formats
from server.views import common, data, negotiation
from server.views.errors import init_blueprint

bp = Blueprint("queryui", __name__)
init_blueprint(bp)
PLAIN_FORM_EXAMPLE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?thing rdfs:label ?label .
  FILTER(lang(?label) = "en")
}
LIMIT 20"""


def read_query(path: Path) -> dict:
    """An example query: its file name, header fields (`# key: value` lines) and text."""
    text = path.read_text(encoding="utf-8")
    fields = header(text)
    return {
        "name": path.stem,
        "title": {"zh": fields.get("title@zh", path.stem), "en": fields.get("title@en", path.stem)},
        "question": fields.get("question", ""),
        "answer": fields.get("answer", ""),
        "query": text,
    }


def examples() -> list[dict]:
    folder = Path(current_app.config["QUERIES_DIR"])
    return [read_query(path) for path in sorted(folder.glob("*.rq"))]


@bp.route("/query")
def page() -> Response:
    return negotiation.html_response(render_page())


def render_page() -> str:
    """YASGUI with the example queries; the plain form inside <noscript> for browsers without JS."""
    lang = common.choose_lang()
    config = {
        "endpoint": url_for("sparql.endpoint"),
        "base": current_app.config["BASE"],
        "root": url_for("home.index"),
        "examples": [
            {
                "name": item["name"],
                "title": common.pick(item["title"], lang),
                "query": item["query"],
            }
            for item in examples()
        ],
    }
    settings = current_app.config
    return render_template(
        "queryui.html",
        config=config,
        examples=config["examples"],
        example=PLAIN_FORM_EXAMPLE,
        formats=formats.GRAPH,
        format_names=formats.names(),
        timeout=int(settings["QUERY_TIMEOUT"]),
        max_timeout=int(settings["MAX_QUERY_TIMEOUT"]),
    )


@bp.route("/api/queries")
def catalogue() -> Response:
    return jsonify(examples())


@bp.route("/api/queries.ttl")
def catalogue_rdf() -> Response:
    """The same queries as RDF (the build's examples graph, kg/examples.py): SHACL SPARQL
    executables with rdfs:comment and schema:target, as the SIB example-query convention has."""
    graph = current_app.config["BASE"] + "graph/examples"
    body = data.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "text/turtle"
    )
    return Response(body, mimetype="text/turtle")


def init_app(app: Flask) -> None:
    app.config.setdefault("QUERIES_DIR", str(QUERIES_DIR))
