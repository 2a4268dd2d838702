"""The page index (kg/pageindex.py) as the pages read it: labels, types, quotes, statements, the
instances of a class and the sitemap's IRIs, each looked up when a page needs it.

The file is built by `zzkg build` beside the store (<out>/index.sqlite) and opened read-only by
every web process, so a process holds no copy of the graph's names: SQLite reads the pages it
needs from the file, which the operating system's cache shares between processes. A process has
one connection, which its threads take in turn, so its page cache (CACHE_KIB, whatever the
graph) keeps what any of its pages read: with a connection per thread, each thread's first
pages read the file again, at every page a few times on a large graph. On a remote
engine (SPARQL_ENDPOINT), each web process writes the index from the engine on first use into a
temporary file.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from kg import pageindex

NAMES_CACHED = 4096  # IRIs whose labels a process keeps (a few MB at most, whatever the graph)
CACHE_KIB = 16 * 1024  # the page cache of a process's connection to the index
LABELS_OF = "FROM labels WHERE iri IN (SELECT value FROM json_each(?)) ORDER BY rowid"
TYPES_OF = "FROM types WHERE iri IN (SELECT value FROM json_each(?))"


class Catalogue:
    """Read-only lookups in one page index file; a connection per process, one thread reading
    at a time. The file is the build's, or (`write` given) written by `write()` on first use if
    it is missing."""

    def __init__(self, path: Path, write: Callable[[], Path] | None = None):
        self.path = path
        self.write = write
        self.lock = threading.Lock()
        # process id -> its connection and the lock its threads read under (none shared across
        # a fork)
        self.connections: dict[int, tuple[sqlite3.Connection, threading.Lock]] = {}
        self.batch = threading.local()  # names read for remember_names(), while it runs
        # the names a page asks for again and again (classes, units, places): a bounded cache,
        # which the index never invalidates (a server serves one build)
        self.names_of = functools.lru_cache(maxsize=NAMES_CACHED)(self.read_names)
        self.quote_around = functools.lru_cache(maxsize=NAMES_CACHED)(self.read_quote_around)

    def db(self) -> tuple[sqlite3.Connection, threading.Lock]:
        found = self.connections.get(os.getpid())
        if found is None:
            self.ensure()
            with self.lock:
                found = self.connections.get(os.getpid())
                if found is None:
                    uri = f"{self.path.resolve().as_uri()}?mode=ro"
                    connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
                    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                    found = self.connections[os.getpid()] = (connection, threading.Lock())
        return found

    def ensure(self) -> None:
        with self.lock:
            if not self.path.exists():
                if self.write is None:
                    raise OSError("the page index is missing")
                self.path = self.write()

    def rows(self, sql: str, *args) -> list[tuple]:
        connection, reading = self.db()
        with reading:
            return connection.execute(sql, args).fetchall()

    def meta(self, key: str) -> str:
        rows = self.rows("SELECT value FROM meta WHERE key = ?", key)
        return rows[0][0] if rows else ""

    def read_names(self, iri: str) -> tuple[tuple[str, str, int], ...]:
        batch = getattr(self.batch, "names", None)
        if batch is not None:
            return tuple(batch.get(iri, ()))
        return tuple(
            self.rows("SELECT lang, text, alias FROM labels WHERE iri = ? ORDER BY rowid", iri)
        )

    def remember_names(self, iris: list[str]) -> None:
        """The names of these IRIs into the cache in one lookup, for a page that shows many (a
        class's instances, search results): one read of the index rather than one each."""
        batch: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        rows = self.rows(f"SELECT iri, lang, text, alias {LABELS_OF}", json.dumps(iris))
        for iri, lang, text, alias in rows:
            batch[iri].append((lang, text, alias))
        self.batch.names = batch
        try:
            for iri in iris:
                self.names_of(iri)  # those not cached are read from the batch
        finally:
            self.batch.names = None

    def labels(self, iri: str) -> dict[str, str]:
        """Language ("zh", "en", "" for none) -> the label shown (the first of that language)."""
        found: dict[str, str] = {}
        for lang, text, alias in self.names_of(iri):
            if not alias:
                found.setdefault(lang, text)
        return found

    def aliases(self, iri: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for lang, text, alias in self.names_of(iri):
            if alias:
                found.setdefault(lang, []).append(text)
        return found

    def has_label(self, iri: str) -> bool:
        return any(not alias for _, _, alias in self.names_of(iri))

    def types(self, iri: str) -> list[str]:
        return [row[0] for row in self.rows("SELECT type FROM types WHERE iri = ?", iri)]

    def types_of(self, iris: list[str]) -> dict[str, list[str]]:
        """The types of each of these IRIs, in one lookup."""
        found: dict[str, list[str]] = defaultdict(list)
        for iri, type_ in self.rows(f"SELECT iri, type {TYPES_OF}", json.dumps(iris)):
            found[iri].append(type_)
        return found

    def all_types(self) -> list[str]:
        return [row[0] for row in self.rows("SELECT DISTINCT type FROM types ORDER BY type")]

    @functools.cached_property
    def types_of_names(self) -> list[str]:
        """The types of the things search finds by name."""
        return [
            row[0]
            for row in self.rows(
                "SELECT DISTINCT type FROM types WHERE iri IN (SELECT iri FROM names) ORDER BY type"
            )
        ]

    def quote(self, iri: str) -> tuple[int, int, str] | None:
        rows = self.rows("SELECT start, end, exact FROM quotes WHERE iri = ?", iri)
        return rows[0] if rows else None

    def read_quote_around(self, iri: str, chars: int) -> tuple[int, int, str, str, str] | None:
        """A quote's start, end and words, and up to `chars` characters of the article before
        and after it, in one lookup."""
        rows = self.rows(
            "SELECT start, end, exact, substr(value, max(1, start - ?2 + 1), start - max(0,"
            " start - ?2)), substr(value, end + 1, ?2) FROM quotes, meta"
            " WHERE iri = ?1 AND key = 'text'",
            iri,
            chars,
        )
        return rows[0] if rows else None

    def statement(self, iri: str) -> tuple[str, str, str] | None:
        rows = self.rows("SELECT s, p, o FROM statements WHERE iri = ?", iri)
        return rows[0] if rows else None

    def statements_of(self, iri: str) -> list[tuple[str, tuple[str, str, str], str | None]]:
        """The reified statements with `iri` as subject or object: (statement, triple, quote)."""
        return [
            (row[0], (row[1], row[2], row[3]), row[4])
            for row in self.rows(
                "SELECT iri, s, p, o, quote FROM statements WHERE s = ?1 OR o = ?1 ORDER BY iri",
                iri,
            )
        ]

    @property
    def article(self) -> str:
        return self.meta("article")

    def whole_text(self) -> str:
        return self.meta("text")

    def members(self, cls: str, *, after: str = "", before: str = "", limit: int) -> list[str]:
        """Instances of a class (its subclasses' included) in IRI order: the first `limit`
        after `after`, or the last `limit` before `before` (keyset paging)."""
        if before:
            rows = self.rows(
                "SELECT iri FROM members WHERE class = ? AND iri < ? ORDER BY iri DESC LIMIT ?",
                cls,
                before,
                limit,
            )
            return [row[0] for row in reversed(rows)]
        rows = self.rows(
            "SELECT iri FROM members WHERE class = ? AND iri > ? ORDER BY iri LIMIT ?",
            cls,
            after,
            limit,
        )
        return [row[0] for row in rows]

    def member_count(self, cls: str, *, below: str | None = None) -> int:
        """How many instances the class has (those before `below`, if given)."""
        if below is None:
            rows = self.rows("SELECT size FROM class_sizes WHERE class = ?", cls)
            return rows[0][0] if rows else 0
        return self.rows("SELECT count(*) FROM members WHERE class = ? AND iri < ?", cls, below)[0][
            0
        ]

    def page_count(self) -> int:
        return self.last_number("pages", "n")

    def pages(self, first: int, limit: int) -> list[str]:
        """The sitemap's IRIs numbered `first` (from 1) onwards, at most `limit`."""
        rows = self.rows("SELECT iri FROM pages WHERE n >= ? ORDER BY n LIMIT ?", first, limit)
        return [row[0] for row in rows]

    def figures_in_order(self, *, after: int = 0, limit: int) -> list[tuple[int, str]]:
        """(position, observation) in the order of the article, after position `after`."""
        return self.rows(
            "SELECT position, iri FROM figures WHERE position > ? ORDER BY position LIMIT ?",
            after,
            limit,
        )

    def figure_count(self) -> int:
        return self.last_number("figures", "position")

    def last_number(self, table: str, key: str) -> int:
        """How many rows a table numbered 1, 2, ... has: its largest number, one lookup at the
        end of its key where count(*) reads every row (half a million figures at ten million
        triples). The build numbers them so, filling each table once."""
        return self.rows(f"SELECT coalesce(max({key}), 0) FROM {table}")[0][0]

    def figure_positions(self, iris: list[str]) -> dict[str, int]:
        marks = ",".join("?" * len(iris))
        return {
            iri: position
            for position, iri in self.rows(
                f"SELECT position, iri FROM figures WHERE iri IN ({marks})", *iris
            )
        }


def catalogue() -> Catalogue:
    """This app's page index."""
    return current_app.extensions["zzkg.views.catalogue"]


def init_app(app: Flask, reader) -> None:
    """The build's page index beside its store (<out>/store, <out>/index.sqlite; written there
    on first use if the build has none). On a remote engine there is none: it is written from
    the engine (through `reader`) on first use, into a temporary file removed at exit."""
    base = app.config["BASE"]
    if not app.config["SPARQL_ENDPOINT"]:
        path = Path(app.config["STORE_DIR"]).resolve().parent / pageindex.INDEX_FILE
    else:
        folder = Path(tempfile.mkdtemp(prefix="zzkg-index-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / pageindex.INDEX_FILE
    app.extensions["zzkg.views.catalogue"] = Catalogue(
        path, lambda: pageindex.write_from(path, reader.select, base=base)
    )
