"""The embedded Oxigraph store: bulk-loaded from the dumps into a fresh directory."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph


def load_store(directory: Path, nquads: Path, *extra: tuple[Path, str]) -> int:
    """Bulk-load N-Quads (and Turtle files into named graphs) into a new store; return its size."""
    store = pyoxigraph.Store(str(directory))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    for path, graph in extra:
        store.bulk_load(
            path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(graph)
        )
    store.optimize()
    size = len(store)
    del store  # closes the database before the directory is moved into place
    return size


def open_read_only(directory: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(directory))
