"""All the views' reads of the graph: SPARQL strings in, plain Python values out.

The reader is the app's one backend (server/backend: the embedded store's query workers or a
remote SPARQL engine, with the same deadline and safety as /sparql); every other views module
reads through `select` and `construct` (and the page index, catalogue.py) and does not know which.
Bindings follow the SPARQL 1.1 JSON results format as pyoxigraph writes it: {"type":
"uri"|"literal"|"bnode", "value": str, "xml:lang"?: str, "datatype"?: str}, a plain string
without "datatype".
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from kg.vocab import PREFIXES as VOCAB_PREFIXES
from server.backend import Backend, Row

# The prefixes pages write and read IRIs with: the one table of kg/vocab.py.
PREFIXES = VOCAB_PREFIXES
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

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


class Reader:
    """The views' reads through the backend, with the usual prefixes declared."""

    def __init__(self, backend: Backend):
        self.backend = backend

    def select(self, sparql: str) -> list[Row]:
        return self.backend.select(SPARQL_PREFIXES + sparql)

    def construct(self, sparql: str, media_type: str) -> bytes:
        return graph_bytes(self.backend.triples(SPARQL_PREFIXES + sparql), media_type)


def reader():
    """This app's reader: select and construct, through the backend."""
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
    """Give the app the reader the views read through."""
    app.extensions["zzkg.views.reader"] = reader
