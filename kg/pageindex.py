"""The page index: what the web pages look up by IRI and what search matches, in one SQLite file
written beside the store by `zzkg build` and shared, read-only, by every web process.

Pages need an IRI's labels, types and quote in a few microseconds, the instances of a class and
the sitemap's IRIs in order, page by page, and a search over every name; reading them from the
store per process meant a whole-graph catalogue in each one. Here they are tables, built once:

- labels, types, members (a class -> its instances, subclasses included) and class_sizes,
  quotes, statements, figures (observations in the order of the article), pages (the sitemap's
  IRIs), meta (the article and its text); figures and pages are numbered 1, 2, ... so that
  their largest number is their count;
- names: every searchable text (entity and indicator labels and aliases, figures by indicator,
  value as written and quote, claims by their words), numbered shortest first, so that any
  lookup's first rows are its shortest names (their first one and two characters and their
  folded text indexed, for names that begin with a query); with `grams` (each name's
  characters and character bigrams, for Chinese queries of any length, one and two characters
  included),
  `substring_search` (FTS5 with its trigram tokenizer: names containing the query) and
  `word_search` (FTS5 on the Latin words: names with words that begin with the query's words).

How a query is matched and ranked is server/views/search.py's; the text folding both sides use
is here (`fold`, `ngrams`, `words`).
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.vocab import PREFIXES

INDEX_FILE = "index.sqlite"
SCHEMA_VERSION = "1"
# The IRI paths (under {base}id/) of the things search finds by name.
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
WORD = re.compile(r"[^\W_]+(?:[.,]\d+)*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

Binding = dict[str, str]
Select = Callable[[str], Iterable[dict[str, Binding]]]


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def ngrams(text: str) -> set[str]:
    """Single characters and bigrams of the folded text, spaces excluded."""
    chars = [c for c in fold(text) if not c.isspace()]
    return set(chars) | {a + b for a, b in itertools.pairwise(chars)}


def words(text: str) -> list[str]:
    """The Latin-script words and numbers of the folded text (Chinese runs split off)."""
    return [w for part in CJK.split(fold(text)) for w in WORD.findall(part)]


def squeezed(text: str) -> str:
    return "".join(fold(text).split())


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE labels (iri TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
                     alias INTEGER NOT NULL);
CREATE TABLE types (iri TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (iri, type))
    WITHOUT ROWID;
CREATE TABLE members (class TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (class, iri))
    WITHOUT ROWID;
CREATE TABLE class_sizes (class TEXT PRIMARY KEY, size INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE quotes (iri TEXT PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL,
                     exact TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE statements (iri TEXT PRIMARY KEY, s TEXT NOT NULL, p TEXT NOT NULL,
                         o TEXT NOT NULL, quote TEXT) WITHOUT ROWID;
CREATE TABLE figures (position INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE pages (n INTEGER PRIMARY KEY, iri TEXT NOT NULL);
CREATE TABLE names (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, text TEXT NOT NULL,
                    lang TEXT NOT NULL, alias INTEGER NOT NULL, kind TEXT NOT NULL,
                    folded TEXT NOT NULL, squeezed TEXT NOT NULL, latin TEXT NOT NULL,
                    head1 TEXT NOT NULL, head2 TEXT NOT NULL);
CREATE TABLE grams (gram TEXT NOT NULL, name INTEGER NOT NULL, PRIMARY KEY (gram, name))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE substring_search USING fts5(squeezed, content='names', content_rowid='id',
                                           tokenize='trigram');
CREATE VIRTUAL TABLE word_search USING fts5(latin, content='names', content_rowid='id',
                                      tokenize='unicode61 remove_diacritics 0');
"""
INDEXES = """
CREATE INDEX labels_by_iri ON labels (iri);
CREATE INDEX statements_by_s ON statements (s);
CREATE INDEX statements_by_o ON statements (o);
CREATE INDEX names_by_folded ON names (folded);
CREATE INDEX names_by_head1 ON names (head1, id);
CREATE INDEX names_by_head2 ON names (head2, id);
"""

LABELS = (
    "SELECT ?s ?p ?l WHERE { VALUES ?p { rdfs:label skos:prefLabel skos:altLabel }"
    " ?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l)) }"
)
TYPES = "SELECT ?s ?t WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s) && isIRI(?t)) }"
SUBCLASSES = "SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super FILTER(isIRI(?super)) }"
QUOTES = (
    "SELECT ?q ?start ?end ?exact WHERE { ?q a zz:Quote ; rdf:value ?exact ;"
    " oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }"
)
ARTICLE = "SELECT ?a ?text WHERE { ?a a zz:Article ; schema:text ?text } LIMIT 1"
STATEMENTS = (
    "SELECT ?st ?s ?p ?o ?q WHERE { ?st a rdf:Statement ; rdf:subject ?s ;"
    " rdf:predicate ?p ; rdf:object ?o OPTIONAL { ?st zz:hasQuote ?q } }"
)
FIGURES = """
SELECT ?obs ?indicator ?written ?rankWritten ?quote WHERE {
  ?obs a zz:Observation .
  OPTIONAL { ?obs zz:indicator ?indicator }
  OPTIONAL { ?obs zz:valueAsWritten ?written }
  OPTIONAL { ?obs zz:rankAsWritten ?rankWritten }
  OPTIONAL { ?obs zz:hasQuote ?quote }
}
"""
CLAIM_TEXTS = """
SELECT ?claim ?text WHERE {
  ?claim a zz:Claim .
  { ?claim zz:claimText ?text } UNION { ?claim zz:hasQuote ?q . ?q rdf:value ?text }
}
"""
SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"


def store_select(store: ox.Store) -> Select:
    """`select` on an open pyoxigraph store: rows of {"value", "xml:lang"?} per variable."""
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

    def select(sparql: str) -> Iterable[dict[str, Binding]]:
        solutions = store.query(prologue + sparql, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            row = {}
            for name in names:
                found = solution[name]
                if found is not None:
                    lang = getattr(found, "language", None)
                    row[name] = {"value": found.value, **({"xml:lang": lang} if lang else {})}
            yield row

    return select


def write(path: Path, store: ox.Store, *, base: str) -> Path:
    """The page index of the store, written to `path` (atomically: a new file renamed over)."""
    return write_from(path, store_select(store), base=base)


def write_from(path: Path, select: Select, *, base: str) -> Path:
    """The page index of the graph that `select` reads (the store, or a remote engine)."""
    return written(path, lambda db: fill(db, select, base))


def write_names(path: Path, found: list[tuple]) -> Path:
    """An index of these names only, (iri, text, lang, alias, kind) each: search's tests."""
    return written(path, lambda db: fill_names(db, found))


def written(path: Path, filling: Callable[[sqlite3.Connection], None]) -> Path:
    """A new index file at `path`, filled by `filling` (atomically: written beside, renamed)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
        with db:
            filling(db)
        db.executescript(INDEXES + "ANALYZE;")
    finally:
        db.close()
    partial.replace(path)
    return path


def fill(db: sqlite3.Connection, select: Select, base: str) -> None:
    labels = fill_labels(db, select)
    fill_types(db, select)
    quotes = fill_quotes(db, select)
    figures = list(select(FIGURES))
    fill_article(db, select, base)
    fill_statements(db, select)
    fill_figures(db, figures, quotes)
    fill_pages(db, select, base)
    fill_names(db, names(labels, figures, quotes, select, base))
    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))


def fill_labels(db, select: Select) -> dict[str, dict[str, list[str]]]:
    """Labels (the first in each language is the one shown) and aliases, as the graph has them;
    returns iri -> {"label:zh": [...], "alias:en": [...]} for the names."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = []
    for row in select(LABELS):
        iri, text = row["s"]["value"], row["l"]["value"]
        lang = row["l"].get("xml:lang", "")[:2]
        alias = row["p"]["value"].endswith("altLabel")
        rows.append((iri, lang, text, int(alias)))
        found[iri][("alias:" if alias else "label:") + lang].append(text)
    db.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", rows)
    return found


def fill_types(db, select: Select) -> None:
    types: dict[str, set[str]] = defaultdict(set)
    for row in select(TYPES):
        types[row["s"]["value"]].add(row["t"]["value"])
    db.executemany(
        "INSERT INTO types VALUES (?, ?)", ((s, t) for s, found in types.items() for t in found)
    )
    above: dict[str, set[str]] = defaultdict(set)
    for row in select(SUBCLASSES):
        above[row["sub"]["value"]].add(row["super"]["value"])
    members = {
        (cls, iri)
        for iri, found in types.items()
        for direct in found
        for cls in superclasses(direct, above)
    }
    db.executemany("INSERT INTO members VALUES (?, ?)", sorted(members))
    db.execute("INSERT INTO class_sizes SELECT class, count(*) FROM members GROUP BY class")


def superclasses(cls: str, above: dict[str, set[str]]) -> set[str]:
    """The class and every class above it (rdfs:subClassOf*)."""
    seen, todo = {cls}, [cls]
    while todo:
        for sup in above.get(todo.pop(), ()):
            if sup not in seen:
                seen.add(sup)
                todo.append(sup)
    return seen


def fill_quotes(db, select: Select) -> dict[str, tuple[int, int, str]]:
    quotes = {
        row["q"]["value"]: (
            int(row["start"]["value"]),
            int(row["end"]["value"]),
            row["exact"]["value"],
        )
        for row in select(QUOTES)
    }
    db.executemany(
        "INSERT INTO quotes VALUES (?, ?, ?, ?)",
        ((iri, *found) for iri, found in quotes.items()),
    )
    return quotes


def fill_article(db, select: Select, base: str) -> None:
    rows = list(select(ARTICLE))
    article, text = (rows[0]["a"]["value"], rows[0]["text"]["value"]) if rows else ("", "")
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", (("article", article), ("text", text), ("base", base))
    )


def fill_statements(db, select: Select) -> None:
    found: dict[str, tuple] = {}
    for row in select(STATEMENTS):
        iri = row["st"]["value"]
        quote = row["q"]["value"] if "q" in row else None
        if iri not in found or (found[iri][4] is None and quote is not None):
            found[iri] = (iri, row["s"]["value"], row["p"]["value"], row["o"]["value"], quote)
    db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?)", found.values())


def fill_figures(db, figures: list[dict], quotes: dict[str, tuple[int, int, str]]) -> None:
    """Observations in the order of the article: by where their quote starts, then by IRI."""
    start: dict[str, int] = {}
    for row in figures:
        iri = row["obs"]["value"]
        quote = quotes.get(row["quote"]["value"]) if "quote" in row else None
        start.setdefault(iri, quote[0] if quote else 10**9)
    ordered = sorted(start, key=lambda iri: (start[iri], iri))
    db.executemany("INSERT INTO figures (iri) VALUES (?)", ((iri,) for iri in ordered))


def fill_pages(db, select: Select, base: str) -> None:
    """The dataset's pages for the sitemap: IRIs under {base}id/ but not their #parts, sorted."""
    under = base + "id/"
    found = sorted(
        {
            iri
            for row in select(SUBJECTS)
            if (iri := row["s"]["value"]).startswith(under) and "#" not in iri
        }
    )
    db.executemany("INSERT INTO pages (iri) VALUES (?)", ((iri,) for iri in found))


def names(labels, figures, quotes, select: Select, base: str) -> list[tuple]:
    """(iri, text, lang, alias, kind) of everything search finds by a name."""
    prefixes = tuple(f"{base}id/{kind}/" for kind in SEARCHABLE_KINDS)
    indicator = f"{base}id/indicator/"
    found = []
    for iri, texts in labels.items():
        if not iri.startswith(prefixes):
            continue
        kind = "indicator" if iri.startswith(indicator) else "entity"
        for key, all_texts in texts.items():
            role, lang = key.split(":")
            chosen = all_texts if role == "alias" else all_texts[:1]
            found += [(iri, text, lang, int(role == "alias"), kind) for text in chosen]
    seen = set()
    for row in figures:
        values = {name: binding["value"] for name, binding in row.items()}
        iri = values["obs"]
        if iri in seen:
            continue
        seen.add(iri)
        for key, texts in labels.get(values.get("indicator", ""), {}).items():
            if key.startswith("label:"):
                found.append((iri, texts[0], key[6:], 0, "figure"))
        for key in ("written", "rankWritten"):
            if values.get(key):
                found.append((iri, values[key], "zh", 0, "figure"))
        if values.get("quote") in quotes:
            found.append((iri, quotes[values["quote"]][2], "zh", 1, "figure"))
    for row in select(CLAIM_TEXTS):
        lang = row["text"].get("xml:lang", "")[:2] or "zh"
        found.append((row["claim"]["value"], row["text"]["value"], lang, 0, "claim"))
    return found


def name_row(number: int, iri: str, text: str, lang: str, alias: int, kind: str) -> tuple:
    """A row of `names`: the name, its folded forms, and its first one and two characters (the
    heads a prefix lookup reads in order)."""
    folded = fold(text)
    latin = " ".join(words(text))
    return (number, iri, text, lang, alias, kind, folded, squeezed(text), latin, *heads(folded))


def heads(folded: str) -> tuple[str, str]:
    return folded[:1], folded[:2]


def fill_names(db, found: list[tuple]) -> None:
    """Names numbered shortest first (so a lookup's first rows are its shortest names), with
    their n-grams and their two full-text tables."""
    rows = sorted(
        {(len(fold(text)), iri, text, lang, alias, kind) for iri, text, lang, alias, kind in found}
    )
    db.executemany(
        "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name_row(number, *row[1:]) for number, row in enumerate(rows, 1)),
    )
    db.executemany(
        "INSERT INTO grams VALUES (?, ?)",
        (
            (gram, number)
            for number, (_, _, text, *_rest) in enumerate(rows, 1)
            for gram in ngrams(text)
        ),
    )
    db.execute("INSERT INTO substring_search(substring_search) VALUES ('rebuild')")
    db.execute("INSERT INTO word_search(word_search) VALUES ('rebuild')")
