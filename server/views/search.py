"""Search that finds facts: entities and indicators by their names and aliases, figures by
their indicator, their value as written and their quote, claims by their words and quote; in
Chinese and English, ranked and typed.

Chinese has no spaces, so a query with Chinese characters matches by character bigrams (and
single characters): a text matches when it covers at least half of the query's bigrams, and is
ranked by how much it covers, with exact, prefix and whole-substring matches first. A query in
Latin letters and digits matches by words instead: each of its words must begin a word of the
text (`airport` does not match `reports`). Where two hits score the same, figures come first.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from server.views import common, data, figures, negotiation
from server.views.errors import init_blueprint
from server.views.messages import MESSAGES

bp = Blueprint("search", __name__)
init_blueprint(bp)

MAX_RESULTS = 50
# The score of an exact label match: exact bonus 4 + full coverage 1 + same length 1.
TOP_SCORE = 6.0
MAX_QUERY_CHARS = 200
SEARCHABLE_KINDS = (
    "place",
    "industry",
    "chain",
    "route",
    "service",
    "corridor",
    "institution",
    "company",
    "project",
    "programme",
    "policy",
    "event",
    "person",
    "group",
    "product",
    "award",
    "photo",
    "article",
    "indicator",
)


KINDS = ("figure", "entity", "indicator", "claim")
WORD = re.compile(r"[^\W_]+(?:[.,]\d+)*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def ngrams(text: str) -> set[str]:
    """Single characters and bigrams of the folded text, spaces excluded."""
    chars = [c for c in fold(text) if not c.isspace()]
    return set(chars) | {a + b for a, b in itertools.pairwise(chars)}


def words(text: str) -> list[str]:
    """The Latin-script words and numbers of the folded text (Chinese runs split off)."""
    return [w for part in CJK.split(fold(text)) for w in WORD.findall(part)]


@dataclass(frozen=True)
class Name:
    iri: str
    text: str
    lang: str
    is_alias: bool
    kind: str = "entity"


@dataclass(frozen=True)
class Hit:
    iri: str
    score: float
    matched: str
    kind: str = "entity"


class Index:
    """An inverted index from n-grams to the names of the dataset's entities and indicators."""

    def __init__(self, names: list[Name]):
        self.names = names
        self.postings: dict[str, set[int]] = defaultdict(set)
        for number, name in enumerate(names):
            for gram in ngrams(name.text):
                self.postings[gram].add(number)

    def search(self, query: str, *, limit: int = MAX_RESULTS) -> list[Hit]:
        folded = fold(query)[:MAX_QUERY_CHARS]
        grams = ngrams(folded)
        if not grams:
            return []
        by_words = not CJK.search(folded) and bool(words(folded))
        wanted = {gram for gram in grams if len(gram) == 2} or grams
        counts: dict[int, int] = defaultdict(int)
        for gram in wanted:
            for number in self.postings.get(gram, ()):
                counts[number] += 1
        best: dict[str, Hit] = {}
        for number, shared in counts.items():
            name = self.names[number]
            if by_words and not all_words_begin(words(folded), words(name.text)):
                continue
            coverage = 1.0 if by_words else shared / len(wanted)
            score = self.score(folded, fold(name.text), coverage, name.is_alias)
            if score > 0 and (name.iri not in best or best[name.iri].score < score):
                best[name.iri] = Hit(name.iri, score, name.text, name.kind)
        return sorted(
            best.values(),
            key=lambda hit: (-round(hit.score, 6), KINDS.index(hit.kind), hit.matched, hit.iri),
        )[:limit]

    @staticmethod
    def score(query: str, name: str, coverage: float, is_alias: bool) -> float:
        if coverage < 0.5:
            return 0.0
        squeezed = "".join(query.split())
        if name == query:
            bonus = 4.0
        elif name.startswith(query):
            bonus = 3.0
        elif query in name or squeezed in "".join(name.split()):
            bonus = 2.0
        else:
            bonus = 0.0
        shortness = len(query) / max(len(name), len(query))
        return bonus + coverage + shortness - (0.25 if is_alias else 0.0)


def all_words_begin(query_words: list[str], text_words: list[str]) -> bool:
    return all(any(word.startswith(q) for word in text_words) for q in query_words)


def load_names(base: str) -> list[Name]:
    catalogue = data.catalogue()
    prefixes = tuple(f"{base}id/{kind}/" for kind in SEARCHABLE_KINDS)
    names = []
    indicator = f"{base}id/indicator/"
    for iri, texts in catalogue.labels.items():
        if iri.startswith(prefixes):
            kind = "indicator" if iri.startswith(indicator) else "entity"
            names += [Name(iri, text, lang, False, kind) for lang, text in texts.items()]
    for iri, aliases in catalogue.aliases.items():
        if iri.startswith(prefixes):
            names += [
                Name(iri, text, lang, True, "indicator" if iri.startswith(indicator) else "entity")
                for lang, all_texts in aliases.items()
                for text in all_texts
            ]
    return names + fact_names()


def fact_names() -> list[Name]:
    """Figures by their indicator's names, their value as written and their quote; claims by
    their words and their quote."""
    catalogue = data.catalogue()
    names = []
    for fig in figures.all_figures():
        texts = dict(catalogue.labels.get(fig.indicator, {}))
        for lang, text in texts.items():
            names.append(Name(fig.iri, text, lang, False, "figure"))
        for text in (fig.written, fig.rank_written):
            if text:
                names.append(Name(fig.iri, text, "zh", False, "figure"))
        if fig.quote in catalogue.quotes:
            names.append(Name(fig.iri, catalogue.quotes[fig.quote][2], "zh", True, "figure"))
    for row in data.select(CLAIM_TEXTS):
        kind_text = row["text"]
        lang = kind_text.get("xml:lang", "")[:2] or "zh"
        names.append(Name(row["claim"]["value"], kind_text["value"], lang, False, "claim"))
    return names


CLAIM_TEXTS = """
SELECT ?claim ?text WHERE {
  ?claim a zz:Claim .
  { ?claim zz:claimText ?text } UNION { ?claim zz:hasQuote ?q . ?q rdf:value ?text }
}
"""


class IndexHolder:
    def __init__(self, base: str):
        self.base = base

    @cached_property
    def index(self) -> Index:
        return Index(load_names(self.base))


def index() -> Index:
    """This process's index (built on first use from the catalogue's labels and aliases)."""
    return current_app.extensions["zzkg.views.search"].index


def search(query: str, *, limit: int = MAX_RESULTS) -> list[dict]:
    """Ranked results as plain dicts: iri, url, label (both languages), types, score, matched."""
    lang = common.choose_lang()
    catalogue = data.catalogue()
    results = []
    found = figures.by_iri()
    for hit in index().search(query, limit=limit):
        labels = catalogue.labels.get(hit.iri, {})
        fig = found.get(hit.iri)
        results.append(
            {
                "iri": hit.iri,
                "url": common.href(hit.iri),
                "label": common.pick(labels, lang) or common.label(hit.iri, lang),
                "labels": labels,
                "kind": hit.kind,
                "kind_label": MESSAGES["kind_" + hit.kind][lang],
                "figure": figures.sentence(fig, lang) if fig else None,
                "fall": fig.is_fall if fig else False,
                "caveats": [c.text for c in figures.caveats(fig, lang)] if fig else [],
                "types": [
                    {"iri": t, "label": common.label(t, lang)}
                    for t in catalogue.types.get(hit.iri, [])
                ],
                "matched": hit.matched,
                "score": round(hit.score, 3),
            }
        )
    return results


@bp.route("/search")
def page() -> Response:
    query = request.args.get("q", "").strip()
    results = search(query) if query else []
    return negotiation.html_response(
        render_template("search.html", query=query, results=results),
        links=f'<{url_for("search.api", q=query)}>; rel="alternate"; type="application/json"'
        if query
        else None,
    )


@bp.route("/api/search")
def api() -> Response:
    query = request.args.get("q", "").strip()
    limit = min(MAX_RESULTS, max(1, request.args.get("limit", MAX_RESULTS, type=int)))
    response = jsonify({"query": query, "results": search(query, limit=limit) if query else []})
    response.headers["Vary"] = "Accept-Language"
    return response


def init_app(app) -> None:
    app.extensions["zzkg.views.search"] = IndexHolder(app.config["BASE"])
