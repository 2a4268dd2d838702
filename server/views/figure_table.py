"""All the figures in one table (/figures): sortable, filterable by entity, indicator, period,
qualifier and status with a count beside each choice (as Datasette's facets), and the filtered
rows as CSV and JSON one click away (/figures.csv, /figures.json, same parameters)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from server.views import common, figures, negotiation
from server.views.errors import init_blueprint

bp = Blueprint("figures", __name__)
init_blueprint(bp)

NONE = "none"  # the facet value of a figure without that field (a period not given)
FACETS = ("entity", "indicator", "period", "qualifier", "status")
FIELD_OF = {
    "entity": "about",
    "indicator": "indicator",
    "period": "period",
    "qualifier": "qualifier",
    "status": "status",
}
SORTS = ("position", "entity", "indicator", "value", "period", "qualifier", "status")
CSV_COLUMNS = (
    "iri",
    "page",
    "entity",
    "entity_label",
    "indicator",
    "indicator_label",
    "value",
    "lower_bound",
    "upper_bound",
    "unit",
    "figure",
    "value_as_written",
    "qualifier",
    "status",
    "period",
    "period_label",
    "period_assumed",
    "caveats",
    "quote",
    "quote_text",
)


def key_of(iri: str) -> str:
    """A short, stable key for a facet value: `place/zhengzhou`, `zz:Exact`, or `none`."""
    if not iri:
        return NONE
    base = current_app.config["BASE"] + "id/"
    if iri.startswith(base):
        return iri[len(base) :]
    if iri.startswith(common.ONTOLOGY_NS):
        return "zz:" + iri[len(common.ONTOLOGY_NS) :]
    return iri


def facet_key(fig: figures.Figure, facet: str) -> str:
    return key_of(getattr(fig, FIELD_OF[facet]))


def chosen() -> dict[str, str]:
    """The filters the request asks for (unknown parameters are ignored)."""
    return {facet: request.args[facet] for facet in FACETS if request.args.get(facet)}


def filtered(filters: dict[str, str]) -> list[figures.Figure]:
    return [
        fig
        for fig in figures.all_figures()
        if all(facet_key(fig, facet) == value for facet, value in filters.items())
    ]


def sort_key(name: str, lang: str):
    if name == "value":
        return lambda fig: (fig.chart_value is None, fig.chart_value or 0.0)
    if name == "position":
        return None
    field = FIELD_OF[name]
    return lambda fig: common.label(getattr(fig, field), lang) if getattr(fig, field) else "~"


def sorted_rows(rows: list[figures.Figure], lang: str) -> tuple[list[figures.Figure], str, bool]:
    name = request.args.get("sort", "position")
    name = name if name in SORTS else "position"
    descending = request.args.get("desc") == "1"
    key = sort_key(name, lang)
    ordered = sorted(rows, key=key, reverse=descending) if key else list(rows)
    if key is None and descending:
        ordered.reverse()
    return ordered, name, descending


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    count: int
    selected: bool


def facets(rows: list[figures.Figure], filters: dict[str, str], lang: str) -> dict[str, list]:
    """For each facet, its values among the rows shown, with their counts, largest first."""
    found = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        iris: dict[str, str] = {}
        for fig in rows:
            key = facet_key(fig, facet)
            counts[key] = counts.get(key, 0) + 1
            iris[key] = getattr(fig, FIELD_OF[facet])
        found[facet] = sorted(
            (
                Choice(
                    key,
                    common.label(iris[key], lang) if iris[key] else none_label(facet, lang),
                    count,
                    filters.get(facet) == key,
                )
                for key, count in counts.items()
            ),
            key=lambda choice: (-choice.count, choice.label),
        )
    return found


def none_label(facet: str, lang: str) -> str:
    if facet == "period":
        return common.MESSAGES["no_period"][lang]
    return "—"


def record(fig: figures.Figure, lang: str) -> dict:
    """One row of the CSV and JSON forms."""
    context = figures.quote_of(fig)
    return {
        "iri": fig.iri,
        "page": request.host_url.rstrip("/") + (common.href(fig.iri) or ""),
        "entity": fig.about,
        "entity_label": common.label(fig.about, lang) if fig.about else "",
        "indicator": fig.indicator,
        "indicator_label": common.label(fig.indicator, lang) if fig.indicator else "",
        "value": fig.value,
        "lower_bound": fig.lower,
        "upper_bound": fig.upper,
        "unit": fig.unit,
        "figure": figures.value_text(fig, lang),
        "value_as_written": fig.written,
        "qualifier": fig.qualifier,
        "status": fig.status,
        "period": fig.period,
        "period_label": figures.period_text(fig, lang),
        "period_assumed": fig.period_assumed,
        "caveats": [caveat.text for caveat in figures.caveats(fig, lang)],
        "quote": fig.quote,
        "quote_text": context and "".join(part for part, _ in context.parts) or "",
    }


def query_args() -> dict[str, Any]:
    return {key: value for key, value in request.args.items() if key != "lang"}


@bp.route("/figures")
def page() -> Response:
    lang = common.choose_lang()
    filters = chosen()
    rows, sort, descending = sorted_rows(filtered(filters), lang)
    html = render_template(
        "figures.html",
        rows=rows,
        total=len(figures.all_figures()),
        filters=filters,
        facets=facets(rows, filters, lang),
        facet_names=FACETS,
        sort=sort,
        descending=descending,
        csv_url=url_for("figures.as_csv", **query_args()),
        json_url=url_for("figures.as_json", **query_args()),
    )
    links = (
        f'<{url_for("figures.as_csv", **query_args())}>; rel="alternate"; type="text/csv", '
        f'<{url_for("figures.as_json", **query_args())}>; rel="alternate"; type="application/json"'
    )
    return negotiation.html_response(html, links=links)


@bp.route("/figures.json")
def as_json() -> Response:
    lang = common.choose_lang()
    filters = chosen()
    rows, _, _ = sorted_rows(filtered(filters), lang)
    return jsonify(
        {"filters": filters, "count": len(rows), "rows": [record(fig, lang) for fig in rows]}
    )


@bp.route("/figures.csv")
def as_csv() -> Response:
    lang = common.choose_lang()
    rows, _, _ = sorted_rows(filtered(chosen()), lang)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for fig in rows:
        row = record(fig, lang)
        row["caveats"] = "; ".join(row["caveats"])
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    response = Response(out.getvalue(), 200, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="zzkg-figures.csv"'
    return response
