"""One build per server: `zzkg serve` pins the build it starts with, for every process.

Rebuilding into the directory being served used to leave a server serving two builds at once
(pages and cached answers from the old store, new query workers on the new one, a download
whose SHA-256 was on no page). Now, before any web process starts, the store is checkpointed
(pyoxigraph `Store.backup`: hard links where it can) and the dumps and the page index
hard-linked into a snapshot directory `.serving-*` beside the store, checked to be the same build (the dumps' VoID
description is the store's void graph). Every web process, every query worker (respawned ones
included) and /download read the snapshot, so the server serves one build, whole, until it is
restarted: a new build is served by restarting the server. The snapshot is removed when the
server stops; one left by a server that was killed (its lock held by nobody) by the next one.

The snapshot is taken in a forked child (server/forked.py): the serve process, parent of the web
processes for as long as they run, never loads pyoxigraph, the page index's rdflib prefixes or
the store's caches (25 MB of its RSS, forked into the web process too).
"""

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from server import forked

if TYPE_CHECKING:
    import pyoxigraph as ox

PREFIX = ".serving-"
LOCK_FILE = ".serving.lock"
ATTEMPTS = 5  # a build may land while the snapshot is taken: take it again


class BuildChanged(OSError):
    """The store and the dumps kept coming from different builds while they were pinned."""


@contextmanager
def pinned(store: Path, dumps: Path | None) -> Iterator[tuple[Path, Path | None]]:
    """The snapshot's store and dumps directories (None: no dumps to serve), for the block."""
    parent = store.resolve().parent
    remove_unused(parent)
    snapshot = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    lock = open(snapshot / LOCK_FILE, "wb")  # noqa: SIM115 (held while the server runs)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield forked.call(take, store, dumps, snapshot)
    finally:
        lock.close()
        shutil.rmtree(snapshot, ignore_errors=True)


def take(store: Path, dumps: Path | None, snapshot: Path) -> tuple[Path, Path | None]:
    import pyoxigraph as ox  # in the child pinned() forks, as the other imports below

    for _ in range(ATTEMPTS):
        for part in ("store", "dumps"):
            shutil.rmtree(snapshot / part, ignore_errors=True)
        # opened once: the snapshot is this state of the store, so its void graph is read here
        # too (each opening reads every table's index, 0.5 s at ten million triples)
        opened = ox.Store.read_only(str(store))
        opened.backup(str(snapshot / "store"))
        link_page_index(store, snapshot)
        if dumps is None or not dumps.is_dir():
            return snapshot / "store", None
        link_files(dumps, snapshot / "dumps")
        if same_build(opened, snapshot / "dumps"):
            return snapshot / "store", snapshot / "dumps"
        time.sleep(0.5)
    raise BuildChanged(f"{store} and {dumps} kept changing; is a build running into them?")


def link_page_index(store: Path, snapshot: Path) -> None:
    """The build's page index (beside its store) beside the snapshot's store, if it has one."""
    from kg.pageindex import INDEX_FILE  # brings rdflib (its prefixes)

    index = store.resolve().parent / INDEX_FILE
    (snapshot / INDEX_FILE).unlink(missing_ok=True)
    if index.is_file():
        try:
            os.link(index, snapshot / INDEX_FILE)
        except OSError:
            shutil.copy2(index, snapshot / INDEX_FILE)


def link_files(source: Path, target: Path) -> None:
    target.mkdir()
    for file in source.iterdir():
        if file.is_file():
            try:
                os.link(file, target / file.name)
            except OSError:
                shutil.copy2(file, target / file.name)


def same_build(opened: "ox.Store", dumps: Path) -> bool:
    """Whether the dumps' VoID description holds the literals (counts, sizes, SHA-256 sums) of
    the opened store's void graph: the build loads that file into that graph."""
    import pyoxigraph as ox

    void_file = dumps / "void.ttl"
    if not void_file.is_file():
        return True
    described = {
        quad.object.value
        for quad in ox.parse(path=str(void_file), format=ox.RdfFormat.TURTLE)
        if isinstance(quad.object, ox.Literal)
    }
    # the void graph's own quads, not a scan of the store's (3 s on a million triples)
    stored = {
        quad.object.value
        for graph in opened.named_graphs()
        if isinstance(graph, ox.NamedNode) and graph.value.endswith("/graph/void")
        for quad in opened.quads_for_pattern(None, None, None, graph)
        if isinstance(quad.object, ox.Literal)
    }
    return described == stored


def remove_unused(parent: Path) -> None:
    """Remove the snapshots of servers that are gone (nobody holds their lock)."""
    for old in parent.glob(PREFIX + "*"):
        try:
            with open(old / LOCK_FILE, "rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        except FileNotFoundError:
            if time.time() - old.stat().st_mtime < 60:
                continue
        shutil.rmtree(old, ignore_errors=True)
