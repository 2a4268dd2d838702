"""The query UI for browsers: YASGUI (a local static bundle) with the example queries."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, url_for

from kg.examples import header
from kg.resources import QUERIES_DIR
from server import formats
from server.views import common, data, negotiation, queries
from server.views.errors import init_blueprint
from server.views.messages import MESSAGES
from server.views.queries import bind

bp = Blueprint("queryui", __name__)
init_blueprint(bp)
DEFAULT_QUERY = """{prefixes}
# Every exact figure of the article: what it is about, its indicator, value, unit and period.
# (zz:qualifier zz:Exact leaves out bounds such as 800家以上; drop that line to see them too.)
SELECT ?figure ?about ?indicator ?value ?unit ?period WHERE {{
  ?figure a zz:Observation ;
          zz:about/rdfs:label ?about ;
          zz:indicator ?ind ;
          zz:value ?value ;
          zz:unit ?unit ;
          zz:qualifier zz:Exact .
  ?ind rdfs:label ?indicator .
  OPTIONAL {{ ?figure zz:period/rdfs:label ?period FILTER(lang(?period) = "{lang}") }}
  FILTER(lang(?about) = "{lang}" && lang(?indicator) = "{lang}")
}}
ORDER BY ?indicator
LIMIT 100"""


def default_query(lang: str) -> str:
    """The query the UI opens with: about this dataset, its prefixes declared (the ontology,
    the indicators, the QUDT units, rdfs), labels in the page's language."""
    base = current_app.config["BASE"]
    prefixes = {
        "zz": data.PREFIXES["zz"],
        "indicator": base + "id/indicator/",
        "unit": data.PREFIXES["unit"],
        "rdfs": data.PREFIXES["rdfs"],
    }
    lines = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items())
    return DEFAULT_QUERY.format(prefixes=lines, lang=lang)


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


def examples_in(lang: str) -> list[dict]:
    """The example queries with their titles in `lang`."""
    return [
        {"name": item["name"], "title": common.pick(item["title"], lang), "query": item["query"]}
        for item in examples()
    ]


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
        "examples": examples_in(lang),
        "defaultQuery": default_query(lang),
        "messages": {"undeclared": MESSAGES["undeclared_prefix"][lang]},
    }
    settings = current_app.config
    return render_template(
        "queryui.html",
        config=config,
        examples=config["examples"],
        example=config["defaultQuery"],
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
    body = data.construct(
        bind(queries.GRAPH_TRIPLES, graph=queries.graph("examples")), "text/turtle"
    )
    return Response(body, mimetype="text/turtle")


def init_app(app: Flask) -> None:
    app.config.setdefault("QUERIES_DIR", str(QUERIES_DIR))
