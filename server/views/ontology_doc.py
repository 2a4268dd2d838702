"""The ontology's documentation page (/ontology, one anchor per term) and its RDF forms."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from kg.resources import ONTOLOGY_DIR
from server.views import common, data, negotiation, queries
from server.views.errors import init_blueprint
from server.views.queries import bind

bp = Blueprint("ontology_doc", __name__)
init_blueprint(bp)

OWL = data.PREFIXES["owl"]
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SECTIONS = (
    ("classes", OWL + "Class"),
    ("properties", OWL + "ObjectProperty"),
    ("properties", OWL + "DatatypeProperty"),
    ("individuals", OWL + "NamedIndividual"),
)


def terms() -> dict[str, list[dict]]:
    """Section name -> the terms in it, each with labels, definitions and its links."""
    found: dict[str, dict] = {}
    for row in data.select(bind(queries.ONTOLOGY_TERMS, graph=queries.graph("ontology"))):
        term = found.setdefault(
            row["term"]["value"],
            {
                "iri": row["term"]["value"],
                "kinds": set(),
                "label": {},
                "definition": {},
                "links": {},
            },
        )
        term["kinds"].add(row["kind"]["value"])
        if "p" not in row:
            continue
        name, value = common.local_name(row["p"]["value"]), row["o"]
        if name in ("label", "definition"):
            term[name][value.get("xml:lang", "")[:2]] = value["value"]
        else:
            term["links"].setdefault(row["p"]["value"], set()).add(value["value"])
    sections: dict[str, list[dict]] = {"classes": [], "properties": [], "individuals": []}
    for term in sorted(found.values(), key=lambda item: item["iri"]):
        term["id"] = term["iri"][len(common.ONTOLOGY_NS) :]
        term["links"] = {prop: sorted(values) for prop, values in sorted(term["links"].items())}
        for section, kind in SECTIONS:
            if kind in term["kinds"]:
                sections[section].append(term)
                break
    return sections


@bp.route("/ontology")
def page() -> Response:
    fmt = negotiation.choose()
    return ontology_as(fmt)


def ontology_version() -> str | None:
    rows = data.select(bind(queries.ONTOLOGY_VERSION, graph=queries.graph("ontology")))
    return rows[0]["v"]["value"] if rows else None


@bp.route("/ontology/<version>")
def version(version: str) -> ResponseReturnValue:
    """The ontology's version IRI ({base}ontology/0.1.0): the current ontology, if it is that one."""
    if version != ontology_version():
        abort(404)
    return redirect(url_for("ontology_doc.page"), 303)


@bp.route("/shapes")
def shapes() -> Response:
    """The SHACL shapes every build must pass, as Turtle."""
    return Response(SHAPES_FILE.read_bytes(), 200, content_type="text/turtle; charset=utf-8")


@bp.route("/ontology.<extension>")
def page_as(extension: str) -> Response:
    fmt = negotiation.BY_EXTENSION.get(extension)
    if fmt is None:
        return ontology_as(negotiation.choose())
    return ontology_as(fmt)


def ontology_as(fmt: negotiation.RdfFormat | None) -> Response:
    if fmt is not None:
        body = data.construct(
            bind(queries.GRAPH_TRIPLES, graph=queries.graph("ontology")), fmt.media_type
        )
        return negotiation.rdf_response(body, fmt)
    page_url = url_for("ontology_doc.page")
    alternates = [(item, f"{page_url}.{item.extension}") for item in negotiation.RDF_FORMATS]
    html = render_template(
        "ontology.html",
        sections=terms(),
        alternates=alternates,
        ontology=common.ONTOLOGY_NS.rstrip("#"),
    )
    return negotiation.html_response(html, links=negotiation.link_header(page_url))
