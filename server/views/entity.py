"""Dereferencing: every IRI under {base}id/ as a page for people and RDF for machines."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from server.views import (
    charts,
    citation,
    common,
    data,
    describe,
    figures,
    negotiation,
    queries,
    quotes,
    structured,
)
from server.views.catalogue import catalogue
from server.views.errors import init_blueprint
from server.views.messages import MESSAGES

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
    name = common.pick(found.labels, lang) or common.label(found.iri, lang)
    return render_template(
        "entity.html",
        entity=found,
        name=name,
        other_name=found.labels.get(common.other_lang(lang)),
        description=common.pick(found.descriptions, lang),
        alternates=alternates(page_url),
        outgoing=[paged(group) for group in found.outgoing],
        incoming=[paged(group) for group in found.incoming],
        figure=next(iter(figures.read([found.iri])), None)
        if data.PREFIXES["zz"] + "Observation" in found.types
        else None,
        quote=quote_page(found.iri),
        statement=catalogue().statement(found.iri),
        charts=entity_charts(found, lang),
        cite=citation.citation_block(found.iri, lang) if found.iri == catalogue().article else None,
        jsonld=structured.resource(found, page_url),
    )


def entity_charts(found: describe.Entity, lang: str) -> list[charts.Chart]:
    """An entity's growth rates and repeated indicators; an indicator's values across entities."""
    on_indicator = not found.observations
    source = found.observations or found.indicator_observations

    def title_of(key: tuple[str, str], group: list[figures.Figure]) -> str:
        kind, unit = key
        name = (
            common.label(str(queries.minter().indicator(figures.GROWTH_RATE)), lang)
            if kind == "growth"
            else common.label(kind, lang)
        )
        return f"{name} ({common.label(unit, lang)})"

    def point_of(fig: figures.Figure) -> charts.Point:
        parts = [common.label(fig.about if on_indicator else fig.indicator, lang)]
        parts.append(figures.period_text(fig, lang))
        if fig.period_assumed:
            parts[-1] += f" ({MESSAGES['assumed'][lang]})"
        return charts.Point(
            label=" · ".join(parts),
            figure=fig,
            text=figures.short_text(fig, lang),
            tooltip=tooltip(fig, lang),
            href=common.href(fig.iri) or "",
        )

    return charts.comparable(source, title_of=title_of, point_of=point_of, lang=lang)


def tooltip(fig: figures.Figure, lang: str) -> str:
    """A bar's title: the figure's name, its sentence and its caveats."""
    marks = "; ".join(caveat.text for caveat in figures.caveats(fig, lang))
    text = f"{common.label(fig.iri, lang)}: {figures.sentence(fig, lang)}"
    return f"{text} ({marks})" if marks else text


def quote_page(iri: str) -> dict | None:
    """A quote's words and context (prefix, exact, suffix) and its offsets, if `iri` is a quote."""
    found = catalogue().quote(iri)
    if found is None:
        return None
    return {"context": quotes.in_context(iri), "exact": found[2]}


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


@bp.app_template_filter("number")
def format_number(value) -> str:
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.4f}".rstrip("0").rstrip(".")
