"""Dereferencing: every IRI under {base}id/ as a page for people and RDF for machines."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from server.views import charts, common, describe, negotiation, structured
from server.views.errors import init_blueprint

bp = Blueprint("entity", __name__)
init_blueprint(bp)
PAGE_SIZE = 25


@bp.route("/id/<path:path>")
def resource(path: str) -> Response:
    return dereference("id/", path, "entity.resource")


@bp.route("/graph/<path:path>")
def graph(path: str) -> Response:
    """A named graph of the store, described by the VoID graph (its triple count)."""
    return dereference("graph/", path, "entity.graph")


@bp.route("/dataset/<path:path>")
def dataset_part(path: str) -> Response:
    """A part of the dataset's VoID description, such as a class partition."""
    return dereference("dataset/", path, "entity.dataset_part")


def dereference(prefix: str, path: str, endpoint: str) -> Response:
    """The resource {base}{prefix}{path}: its page, or its RDF by Accept or file extension."""
    base = current_app.config["BASE"] + prefix
    stem, fmt = negotiation.split_extension(path)
    if fmt is not None and describe.exists(base + stem):
        path = stem
    else:
        fmt = negotiation.choose()
    iri = base + path
    page_url = url_for(endpoint, path=path)
    if fmt is not None:
        if not describe.exists(iri):
            abort(404)
        response = negotiation.rdf_response(describe.rdf_description(iri, fmt.media_type), fmt)
        response.headers["Link"] = f'<{page_url}>; rel="alternate"; type="text/html"'
        return response
    found = describe.entity(iri)
    if found is None:
        abort(404)
    return negotiation.html_response(
        render_entity(found, page_url), links=negotiation.link_header(page_url)
    )


def render_entity(found: describe.Entity, page_url: str) -> str:
    lang = common.choose_lang()
    across = not found.observations
    chart_source = found.observations or found.indicator_observations
    return render_template(
        "entity.html",
        entity=found,
        name=common.pick(found.labels, lang) or common.local_name(found.iri),
        other_name=found.labels.get(common.other_lang(lang)),
        description=common.pick(found.descriptions, lang),
        alternates=alternates(page_url),
        outgoing=[paged(group) for group in found.outgoing],
        incoming=[paged(group) for group in found.incoming],
        jsonld=structured.resource(found, page_url),
        charts=charts.comparable(
            chart_source,
            describe_point=lambda obs: point(obs, found.iri, lang),
            across_entities=across,
        ),
    )


def alternates(page_url: str) -> list[tuple[negotiation.RdfFormat, str]]:
    return [(fmt, f"{page_url}.{fmt.extension}") for fmt in negotiation.RDF_FORMATS]


def paged(group: describe.Group) -> dict:
    """The page of a group's values that the request asks for (`group=` and `page=`)."""
    page = 1
    if request.args.get("group") == group.key:
        page = max(1, request.args.get("page", 1, type=int))
    pages = max(1, -(-group.count // PAGE_SIZE))
    page = min(page, pages)
    values = group.values[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"group": group, "values": values, "page": page, "pages": pages}


def point(obs: dict, iri: str, lang: str) -> tuple[str, float, str, str]:
    """A chart bar: indicator (and entity, on an indicator page) with the period."""
    parts = [common.label(obs["indicator"], lang)] if obs.get("indicator") != iri else []
    if obs.get("indicator") == iri and obs.get("about"):
        parts.append(common.label(obs["about"], lang))
    if obs.get("period"):
        parts.append(common.label(obs["period"], lang))
    text = obs.get("written") or f"{obs['number']:g}"
    return " · ".join(parts), obs["number"], text, common.href(obs["obs"]) or ""


@bp.app_template_filter("number")
def format_number(value) -> str:
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.4f}".rstrip("0").rstrip(".")
