"""Search over labels and aliases in Chinese and English: character n-grams, ranked, typed.

Chinese has no spaces, so every name is indexed by its character bigrams (and single characters);
a query matches a name when they share n-grams, and is ranked by how much of the query the name
covers, with exact, prefix and whole-substring matches first. English is folded to lower case.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from server.views import common, data, negotiation
from server.views.errors import init_blueprint

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


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def ngrams(text: str) -> set[str]:
    """Single characters and bigrams of the folded text, spaces excluded."""
    chars = [c for c in fold(text) if not c.isspace()]
    return set(chars) | {a + b for a, b in itertools.pairwise(chars)}


@dataclass(frozen=True)
class Name:
    iri: str
    text: str
    lang: str
    is_alias: bool


@dataclass(frozen=True)
class Hit:
    iri: str
    score: float
    matched: str


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
        wanted = {gram for gram in grams if len(gram) == 2} or grams
        counts: dict[int, int] = defaultdict(int)
        for gram in wanted:
            for number in self.postings.get(gram, ()):
                counts[number] += 1
        best: dict[str, Hit] = {}
        for number, shared in counts.items():
            name = self.names[number]
            score = self.score(folded, fold(name.text), shared / len(wanted), name.is_alias)
            if score > 0 and (name.iri not in best or best[name.iri].score < score):
                best[name.iri] = Hit(name.iri, score, name.text)
        return sorted(best.values(), key=lambda hit: (-hit.score, hit.matched, hit.iri))[:limit]

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


def load_names(base: str) -> list[Name]:
    catalogue = data.catalogue()
    prefixes = tuple(f"{base}id/{kind}/" for kind in SEARCHABLE_KINDS)
    names = []
    for iri, texts in catalogue.labels.items():
        if iri.startswith(prefixes):
            names += [Name(iri, text, lang, False) for lang, text in texts.items()]
    for iri, aliases in catalogue.aliases.items():
        if iri.startswith(prefixes):
            names += [
                Name(iri, text, lang, True)
                for lang, all_texts in aliases.items()
                for text in all_texts
            ]
    return names


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
    for hit in index().search(query, limit=limit):
        labels = catalogue.labels.get(hit.iri, {})
        results.append(
            {
                "iri": hit.iri,
                "url": common.href(hit.iri),
                "label": common.pick(labels, lang),
                "labels": labels,
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
