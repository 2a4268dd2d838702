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

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from kg.pageindex import CJK, fold, heads, ngrams, words
from server.views import common, figures, negotiation
from server.views.catalogue import Catalogue, catalogue
from server.views.errors import init_blueprint
from server.views.messages import MESSAGES

bp = Blueprint("search", __name__)
init_blueprint(bp)

MAX_RESULTS = 50
# The score of an exact label match: exact bonus 4 + full coverage 1 + same length 1.
TOP_SCORE = 6.0
MAX_QUERY_CHARS = 200
# How many names each lookup of a query's candidates reads at most (the shortest: names are
# numbered shortest first). More than any lookup finds on the real graph, so there every name
# that shares a bigram with the query is scored; on a large graph, the work per query is bounded.
CANDIDATES_PER_LOOKUP = 400
# The names that begin with a query of three characters or more are one range of the index of
# folded names: read at most this many times CANDIDATES_PER_LOOKUP of them (in that index's
# order), the shortest of which are the lookup's. On the real graph no query begins that many.
PREFIX_RANGE_FACTOR = 10
AFTER_EVERY_CHARACTER = "\U0010ffff"  # the last code point: text + it > text + anything else
NAME_COLUMNS = "id, iri, text, lang, alias, kind, folded, squeezed, latin"
BY_WORDS = """FROM names WHERE id IN (SELECT rowid FROM word_search WHERE word_search MATCH ?
  ORDER BY rowid LIMIT ?)"""
BY_SUBSTRING = """FROM names WHERE id IN (SELECT rowid FROM substring_search
  WHERE substring_search MATCH ? ORDER BY rowid LIMIT ?)"""
BEGINNING_WITH = """FROM names WHERE id IN (SELECT id FROM names WHERE folded >= ? AND folded < ?
  ORDER BY folded LIMIT ?) ORDER BY id LIMIT ?"""
GRAM_NUMBERS = "SELECT name FROM grams WHERE gram = ? ORDER BY name LIMIT ?"
BY_NUMBERS = "FROM names WHERE id IN (SELECT value FROM json_each(?))"
KINDS = ("figure", "entity", "indicator", "claim")


@dataclass(frozen=True)
class Name:
    """A searchable text of the page index, with its folded forms (kg/pageindex.py)."""

    iri: str
    text: str
    lang: str
    is_alias: bool
    kind: str
    folded: str
    squeezed: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    iri: str
    score: float
    matched: str
    kind: str = "entity"


class Index:
    """Search over the page index's names (kg/pageindex.py): candidates from its tables, each
    lookup bounded, then scored and ranked here."""

    def __init__(self, found: Catalogue):
        self.catalogue = found

    def search(self, query: str, *, limit: int = MAX_RESULTS) -> list[Hit]:
        folded = fold(query)[:MAX_QUERY_CHARS]
        grams = ngrams(folded)
        if not grams:
            return []
        query_words = words(folded)
        by_words = not CJK.search(folded) and bool(query_words)
        wanted = {gram for gram in grams if len(gram) == 2} or grams
        best: dict[str, Hit] = {}
        for name in self.candidates(folded, wanted, query_words if by_words else [], limit):
            if by_words and not all_words_begin(query_words, list(name.words)):
                continue
            # a gram of the query is one of the name's when it is in its spaceless text
            shared = sum(1 for gram in wanted if gram in name.squeezed)
            if not shared:
                continue
            coverage = 1.0 if by_words else shared / len(wanted)
            score = self.score(folded, name.folded, coverage, name.is_alias)
            if score > 0 and (name.iri not in best or best[name.iri].score < score):
                best[name.iri] = Hit(name.iri, score, name.text, name.kind)
        return sorted(
            best.values(),
            key=lambda hit: (-round(hit.score, 6), KINDS.index(hit.kind), hit.matched, hit.iri),
        )[:limit]

    def candidates(
        self, folded: str, wanted: set[str], query_words: list[str], limit: int
    ) -> list[Name]:
        """The names that may score: an exact match, names that begin with the query, and
        names with words that begin with its words (a query in Latin words), or names that
        contain it and names that share at least half its bigrams (any other); the shortest of
        each, as they score highest.

        A name containing the query scores more than 2.75 and one that does not at most 2
        (coverage and shortness, 1 each): when the names containing it already name `limit`
        things, those sharing only some of its bigrams cannot be among the results and are not
        read (exact while no lookup is cut short, as on the real graph)."""
        per_lookup = CANDIDATES_PER_LOOKUP
        lookups: list[tuple[str, tuple]] = [
            ("FROM names WHERE folded = ?", (folded,)),
            begins_with(folded, per_lookup),
        ]
        squeezed = "".join(folded.split())
        if query_words:
            match = " AND ".join(fts_phrase(word) + "*" for word in query_words)
            lookups.append((BY_WORDS, (match, per_lookup)))
        elif len(squeezed) >= 3:
            lookups.append((BY_SUBSTRING, (fts_phrase(squeezed), per_lookup)))
        found: dict[int, Name] = {}
        for where, args in lookups:
            for number, *row in self.catalogue.rows(f"SELECT {NAME_COLUMNS} {where}", *args):
                found.setdefault(number, name_of(row))
        containing = len(squeezed) >= 3 and len({name.iri for name in found.values()}) >= limit
        if query_words or containing:
            return list(found.values())
        numbers = self.sharing_half(sorted(wanted), known=found)
        rows = self.catalogue.rows(f"SELECT {NAME_COLUMNS} {BY_NUMBERS}", json.dumps(numbers))
        sharing = {number: name_of(row) for number, *row in rows}
        # in the order the bigrams' lists give them, as when each list was read in turn
        return [*found.values(), *(sharing[number] for number in numbers)]

    def sharing_half(self, grams: list[str], *, known: dict[int, Name]) -> list[int]:
        """The numbers of the names, among the shortest having each of the grams, that may share
        at least half of them, in the order the grams' lists give them; `known` ones left out.

        Only the numbers are read first (from the grams' own index, in order); a name's rows
        then only if it can cover half the grams: it has those whose lists hold it, and may have
        those whose lists were cut short before reaching its number, no others."""
        per_lookup = CANDIDATES_PER_LOOKUP
        lists = [
            [row[0] for row in self.catalogue.rows(GRAM_NUMBERS, gram, per_lookup)]
            for gram in grams
        ]
        # the last number of each list cut short: a name past it may have the gram all the same
        cut_at = sorted(numbers[-1] for numbers in lists if len(numbers) == per_lookup)
        counts: dict[int, int] = {}
        for numbers in lists:
            for number in numbers:
                counts[number] = counts.get(number, 0) + 1
        half = len(grams) / 2
        return [
            number
            for number, count in counts.items()
            if number not in known and count + bisect.bisect_left(cut_at, number) >= half
        ]

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


def name_of(row: Sequence) -> Name:
    """A Name from a row of NAME_COLUMNS after the number."""
    iri, text, lang, alias, kind, folded, squeezed, latin = row
    return Name(iri, text, lang, bool(alias), kind, folded, squeezed, tuple(latin.split()))


def begins_with(folded: str, limit: int) -> tuple[str, tuple]:
    """The lookup of the names that begin with the query, the shortest first. A query of one or
    two characters is a name's whole head: read in order under it, so it stops at `limit`
    however many share it. A longer one reads the names that begin with it, and only those,
    from the index of the folded names (where they are one range), then takes the shortest:
    reading under the head instead went through every name sharing its first two characters
    (all of them when none went on like the query), a number that grows with the graph. If
    more names than PREFIX_RANGE_FACTOR * limit begin with it, the shortest of those first in
    the index's order are taken."""
    head1, head2 = heads(folded)
    if len(folded) == 1:
        return ("FROM names WHERE head1 = ? ORDER BY id LIMIT ?", (head1, limit))
    if len(folded) == 2:
        return ("FROM names WHERE head2 = ? ORDER BY id LIMIT ?", (head2, limit))
    return (
        BEGINNING_WITH,
        (folded, folded + AFTER_EVERY_CHARACTER, limit * PREFIX_RANGE_FACTOR, limit),
    )


def fts_phrase(text: str) -> str:
    """The text as one FTS5 string (a phrase of its tokens), quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def all_words_begin(query_words: list[str], text_words: list[str]) -> bool:
    return all(any(word.startswith(q) for word in text_words) for q in query_words)


def index() -> Index:
    """This app's search index (the page index's names)."""
    return Index(catalogue())


def search(query: str, *, limit: int = MAX_RESULTS) -> list[dict]:
    """Ranked results as plain dicts: iri, url, label (both languages), types, score, matched."""
    lang = common.choose_lang()
    hits = index().search(query, limit=limit)
    found = {fig.iri: fig for fig in figures.read([h.iri for h in hits if h.kind == "figure"])}
    iris = [hit.iri for hit in hits]
    catalogue().remember_names(iris)
    types = catalogue().types_of(iris)
    results = []
    for hit in hits:
        labels = catalogue().labels(hit.iri)
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
                    {"iri": t, "label": common.label(t, lang)} for t in types.get(hit.iri, [])
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
