"""The home page (the dataset, its counts, entry points) and the pages of classes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request

from server.views import common, data, figures, negotiation, queries, queryui, structured
from server.views.catalogue import catalogue
from server.views.errors import init_blueprint
from server.views.queries import bind

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
    iri = queries.dataset()
    rows = data.select(bind(queries.DATASET, dataset=iri))
    found: dict = {"iri": iri.value, "title": {}, "description": {}}
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
    rows = data.select(bind(queries.CLASS_COUNTS, dataset=queries.dataset()))
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


@dataclass
class Members:
    """One page of a class's instances, by keyset: the IRIs after (or before) a known one."""

    iris: list[str]
    total: int
    page: int
    pages: int
    previous: str | None  # the `before=` of the page before, if any
    next: str | None  # the `after=` of the page after, if any


def members(iri: str, *, after: str, before: str) -> Members:
    found = catalogue()
    total = found.member_count(iri)
    iris = found.members(iri, after=after, before=before, limit=PAGE_SIZE)
    if not iris and before:  # nothing before: the first page
        iris = found.members(iri, limit=PAGE_SIZE)
    if not iris:
        return Members([], total, 1, 1, None, None)
    page = found.member_count(iri, below=iris[0]) // PAGE_SIZE + 1
    pages = max(1, -(-total // PAGE_SIZE))
    return Members(
        iris,
        total,
        page,
        pages,
        iris[0] if page > 1 else None,
        iris[-1] if page < pages else None,
    )


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
        figure_count=catalogue().figure_count(),
        examples=queryui.examples_in(lang)[:HOME_QUERIES],
        jsonld=structured.dataset(described),
    )
    return negotiation.html_response(page, links=void_link())


def featured() -> list[str]:
    """A few entities to start from, those of them the graph holds."""
    iris = [str(queries.minter().entity(path)) for path in FEATURED]
    return [iri for iri in iris if catalogue().has_label(iri)]


def headline_figures() -> list[figures.Figure]:
    """The first exact figures of the article that state their period."""
    return figures.first(HOME_FIGURES, lambda fig: fig.bound == "exact" and bool(fig.period))


def void_link() -> str:
    return f'<{request.script_root}/.well-known/void>; rel="alternate"; type="text/turtle"'


@bp.route("/class/")
def classes() -> Response:
    page = render_template("classes.html", counts=class_counts(), class_name=class_name)
    return negotiation.html_response(page, links=void_link())


@bp.route("/class/<name>")
def class_page(name: str) -> Response:
    """A class's instances, PAGE_SIZE at a time in IRI order; `after=`/`before=` an IRI page
    by keyset, so any page costs the same."""
    iri = class_iri(name)
    if iri is None:
        abort(404)
    found = members(iri, after=request.args.get("after", ""), before=request.args.get("before", ""))
    if found.total == 0:
        abort(404)
    catalogue().remember_names(found.iris)
    page = render_template("class.html", iri=iri, members=found, class_name=class_name)
    return negotiation.html_response(page)
