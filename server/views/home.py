"""The home page (the dataset, its counts, entry points) and the pages of classes."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from server.views import common, data, describe, figures, negotiation, queryui, structured
from server.views.errors import init_blueprint

bp = Blueprint("home", __name__)
init_blueprint(bp)
PAGE_SIZE = 100
FEATURED = ("place/zhengzhou", "corridor/air-silk-road", "industry/new-energy-vehicles")
HOME_FIGURES = 6
HOME_QUERIES = 5
# The classes of things a reader looks for (not the plumbing: quotes, statements, periods).
ENTITY_CLASSES = {
    data.PREFIXES["zz"] + name
    for name in (
        "Place",
        "Industry",
        "Project",
        "Programme",
        "Institution",
        "Company",
        "Event",
        "Policy",
        "Person",
        "TradeCorridor",
    )
}


def dataset() -> dict:
    iri = current_app.config["BASE"] + "dataset"
    rows = data.select(
        f"""SELECT ?p ?o WHERE {{ <{iri}> ?p ?o
        VALUES ?p {{ dct:title dct:description dct:license dct:source void:triples void:entities
                    void:sparqlEndpoint owl:versionInfo }} }}"""
    )
    found: dict = {"iri": iri, "title": {}, "description": {}}
    for row in rows:
        name = common.local_name(row["p"]["value"])
        value = row["o"]
        if name in ("title", "description"):
            found[name][value.get("xml:lang", "")[:2]] = value["value"]
        else:
            found[name] = value["value"]
    return found


def class_counts() -> list[dict]:
    """The VoID class partitions: class IRI and number of instances, largest first."""
    iri = current_app.config["BASE"] + "dataset"
    rows = data.select(
        f"""SELECT ?class ?n WHERE {{ <{iri}> void:classPartition ?part .
        ?part void:class ?class ; void:entities ?n }}"""
    )
    counts = [{"iri": row["class"]["value"], "count": int(row["n"]["value"])} for row in rows]
    return sorted(counts, key=lambda item: (-item["count"], item["iri"]))


def class_name(iri: str) -> str:
    return common.curie(iri)


def class_iri(name: str) -> str | None:
    prefix, _, local = name.partition(":")
    namespace = data.PREFIXES.get(prefix)
    if not namespace or not local or not local.replace("_", "").isalnum():
        return None
    return namespace + local


def instances(iri: str, page: int) -> tuple[list[str], int]:
    iri = describe.checked(iri)
    rows = data.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s a/rdfs:subClassOf* <{iri}> FILTER(isIRI(?s)) }}"
    )
    everything = sorted(row["s"]["value"] for row in rows)
    return everything[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], len(everything)


@bp.route("/")
def index() -> Response:
    described = dataset()
    lang = common.choose_lang()
    counts = class_counts()
    page = render_template(
        "home.html",
        dataset=described,
        title=common.pick(described["title"], lang),
        description=common.pick(described["description"], lang),
        counts=counts,
        entity_classes=[item for item in counts if item["iri"] in ENTITY_CLASSES],
        class_name=class_name,
        featured=featured(),
        headline_figures=headline_figures(),
        figure_count=len(figures.all_figures()),
        examples=queryui.examples_in(lang)[:HOME_QUERIES],
        jsonld=structured.dataset(described),
    )
    return negotiation.html_response(page, links=void_link())


def featured() -> list[str]:
    """A few entities to start from, those of them the graph holds."""
    base = current_app.config["BASE"]
    labels = data.catalogue().labels
    return [base + "id/" + path for path in FEATURED if base + "id/" + path in labels]


def headline_figures() -> list[figures.Figure]:
    """The first exact figures of the article that state their period."""
    found = [fig for fig in figures.all_figures() if fig.bound == "exact" and fig.period]
    return found[:HOME_FIGURES]


def void_link() -> str:
    return f'<{request.script_root}/.well-known/void>; rel="alternate"; type="text/turtle"'


@bp.route("/class/")
def classes() -> Response:
    page = render_template("classes.html", counts=class_counts(), class_name=class_name)
    return negotiation.html_response(page, links=void_link())


@bp.route("/class/<name>")
def class_page(name: str) -> Response:
    iri = class_iri(name)
    if iri is None:
        abort(404)
    page_number = max(1, request.args.get("page", 1, type=int))
    members, total = instances(iri, page_number)
    if total == 0:
        abort(404)
    pages = max(1, -(-total // PAGE_SIZE))
    page = render_template(
        "class.html",
        iri=iri,
        members=members,
        total=total,
        page=page_number,
        pages=pages,
        class_name=class_name,
    )
    return negotiation.html_response(page)
