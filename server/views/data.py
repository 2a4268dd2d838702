"""All the views' reads of the graph: SPARQL strings in, plain Python values out.

The reader is the embedded store (`StoreReader`: opened read-only once per process, lazily, so
that a forking server opens it in each worker after the fork) or a remote SPARQL engine
(`remote_reader.RemoteReader`); every other views module reads through `select` and `construct`
(and the page index, catalogue.py) and does not know which.
Bindings follow the SPARQL 1.1 JSON results format: {"type": "uri"|"literal"|"bnode",
"value": str, "xml:lang"?: str, "datatype"?: str}.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from kg.vocab import PREFIXES as VOCAB_PREFIXES

# The prefixes pages write and read IRIs with: the one table of kg/vocab.py.
PREFIXES = VOCAB_PREFIXES
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

Binding = dict[str, str]
Row = dict[str, Binding]


def to_binding(term) -> Binding:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    else:
        binding["datatype"] = term.datatype.value
    return binding


RDF_TYPE = PREFIXES["rdf"] + "type"


def grouped(triples) -> list:
    """Triples ordered by subject (rdf:type first, then by predicate), so that a serialiser
    writes each subject's triples as one block."""

    def key(triple):
        predicate = triple.predicate.value
        return (str(triple.subject), predicate != RDF_TYPE, predicate, str(triple.object))

    return sorted(triples, key=key)


def graph_bytes(triples, media_type: str) -> bytes:
    """Triples in an RDF format, with the usual prefixes where the format has them; each
    subject's triples together."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format {media_type}")
    triples = grouped(triples)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        body = ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    else:
        body = ox.serialize(triples, format=fmt)
    return body or b""


def n_triples_as(data: bytes, media_type: str) -> bytes:
    """An N-Triples document (a remote engine's answer) in an RDF format, as `graph_bytes`."""
    triples = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return graph_bytes(triples, media_type)


@dataclass
class StoreReader:
    """A read-only pyoxigraph store, opened on first use in each process."""

    store_dir: Path
    _store: ox.Store | None = None
    _pid: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> ox.Store:
        with self._lock:
            if self._store is None or self._pid != os.getpid():
                if not (self.store_dir / "CURRENT").exists():
                    raise OSError("the store is missing")
                self._store = ox.Store.read_only(str(self.store_dir))
                self._pid = os.getpid()
            return self._store

    def select(self, sparql: str) -> list[Row]:
        solutions = self.store().query(SPARQL_PREFIXES + sparql, use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("select() takes a SELECT query")
        names = [variable.value for variable in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = to_binding(term)
            rows.append(row)
        return rows

    def construct(self, sparql: str, media_type: str) -> bytes:
        triples = self.store().query(SPARQL_PREFIXES + sparql, use_default_graph_as_union=True)
        if not isinstance(triples, ox.QueryTriples):
            raise TypeError("construct() takes a CONSTRUCT or DESCRIBE query")
        return graph_bytes(triples, media_type)


def reader():
    """This app's reader: a StoreReader or a RemoteReader, both with select and construct."""
    return current_app.extensions["zzkg.views.reader"]


def select(sparql: str) -> list[Row]:
    return reader().select(sparql)


def construct(sparql: str, media_type: str) -> bytes:
    return reader().construct(sparql, media_type)


def dumps_dir() -> Path | None:
    """The build's dumps: DUMPS_DIR if set; on the embedded store, those written beside it by
    the same build (<out>/store, <out>/dumps); on a remote engine without DUMPS_DIR, none."""
    config = current_app.config
    if config["DUMPS_DIR"]:
        return Path(config["DUMPS_DIR"]).resolve()
    if config["SPARQL_ENDPOINT"]:
        return None
    return Path(config["STORE_DIR"]).resolve().parent / "dumps"


def init_app(app: Flask, reader) -> None:
    """Give the app the reader the views read through (a StoreReader or a RemoteReader)."""
    app.extensions["zzkg.views.reader"] = reader
