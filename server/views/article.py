"""The article view: the mended text with every quote marked and linked to what the graph holds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, url_for

from server.views import citation, common, data, figures, negotiation, queries, quotes
from server.views.catalogue import catalogue
from server.views.errors import init_blueprint

bp = Blueprint("article", __name__)
init_blueprint(bp)

ZZ = data.PREFIXES["zz"]
KIND_ORDER = ("observations", "claims", "relations", "entities")
HEADING_MAX_CHARS = 20
SENTENCE_MARKS = "。，,；;！？：:"


@dataclass
class Holder:
    """Something in the graph that cites a quote."""

    iri: str
    kind: str
    quote: str
    about: str | None = None
    written: str | None = None
    triple: tuple[str, str, str] | None = None
    basis: str | None = None

    @property
    def period_assumed(self) -> bool:
        return self.basis == ZZ + "Inferred"


@dataclass
class Piece:
    text: str
    anchors: list[str] = field(default_factory=list)
    link: Holder | None = None


@dataclass
class Paragraph:
    number: int
    start: int
    end: int
    pieces: list[Piece]
    facts: dict[str, list[Holder]]

    @property
    def has_facts(self) -> bool:
        return any(self.facts.values())

    @property
    def is_heading(self) -> bool:
        """A section heading: a short line with no sentence punctuation and no facts of its own."""
        text = "".join(piece.text for piece in self.pieces)
        return (
            not self.has_facts
            and len(text) <= HEADING_MAX_CHARS
            and not any(mark in text for mark in SENTENCE_MARKS)
        )


def kind_of(iri: str, types: list[str]) -> str:
    if ZZ + "Observation" in types:
        return "observations"
    if ZZ + "Claim" in types:
        return "claims"
    if ZZ + "Statement" in types:
        return "relations"
    return "entities"


def holders() -> dict[str, list[Holder]]:
    """Quote IRI -> what cites it, observations first."""
    found: dict[str, Holder] = {}
    for row in data.select(queries.HOLDERS):
        value = {name: binding["value"] for name, binding in row.items()}
        key = value["thing"] + " " + value["quote"]
        if key in found:
            continue
        triple = (value["s"], value["p"], value["o"]) if "s" in value else None
        kind = kind_of(value["thing"], catalogue().types(value["thing"]))
        found[key] = Holder(
            value["thing"],
            kind,
            value["quote"],
            value.get("about"),
            value.get("written"),
            triple,
            value.get("basis"),
        )
    by_quote: dict[str, list[Holder]] = {}
    for holder in sorted(found.values(), key=lambda h: (KIND_ORDER.index(h.kind), h.iri)):
        by_quote.setdefault(holder.quote, []).append(holder)
    return by_quote


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def paragraph(number: int, start: int, end: int, text: str, cited: dict) -> Paragraph:
    """One paragraph cut at every quote boundary; each piece links to its innermost quote.
    `cited`: quote IRI -> (its start, its end, what cites it)."""
    inside = [(iri, s, e) for iri, (s, e, _) in cited.items() if s < end and e > start]
    cuts = sorted(
        {start, end} | {max(start, s) for _, s, _ in inside} | {min(end, e) for _, _, e in inside}
    )
    pieces = []
    for a, b in itertools.pairwise(cuts):
        covering = [(e - s, iri) for iri, s, e in inside if s <= a and e >= b]
        anchors = [quotes.anchor(s, e) for _, s, e in sorted(inside, key=lambda q: q[1:]) if s == a]
        link = cited[min(covering)[1]][2][0] if covering else None
        pieces.append(Piece(text[a:b], sorted(set(anchors)), link))
    facts: dict[str, list[Holder]] = {kind: [] for kind in KIND_ORDER}
    for iri, s, _ in sorted(inside, key=lambda q: q[1]):
        if start <= s < end:
            for holder in cited[iri][2]:
                facts[holder.kind].append(holder)
    return Paragraph(number, start, end, pieces, facts)


def paragraphs() -> list[Paragraph]:
    text = catalogue().whole_text()
    cited = {
        iri: (quote[0], quote[1], found)
        for iri, found in holders().items()
        if (quote := catalogue().quote(iri)) is not None
    }
    return [paragraph(n, s, e, text, cited) for n, (s, e) in enumerate(line_spans(text), 1)]


@bp.route("/article")
def view() -> Response:
    article = catalogue().article
    lang = common.choose_lang()
    found = paragraphs()
    cited = [h.iri for p in found for kind in p.facts.values() for h in kind]
    page = render_template(
        "article.html",
        article=article,
        title=common.label(article, lang),
        paragraphs=found,
        kinds=KIND_ORDER,
        figures={fig.iri: fig for fig in figures.read(sorted(set(cited)))},
        cite=citation.citation_block(article, lang),
    )
    page_url = url_for("entity.resource", path=article.split("/id/", 1)[-1])
    return negotiation.html_response(page, links=negotiation.link_header(page_url))
