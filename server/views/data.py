"""All the views' reads of the graph: SPARQL strings in, plain Python values out.

The reader is the app's one backend (server/backend: the embedded store's query workers or a
remote SPARQL engine, with the same deadline and safety as /sparql); every other views module
reads through `select`, `construct` or the cached `catalogue()` and does not know which.
Bindings follow the SPARQL 1.1 JSON results format as pyoxigraph writes it: {"type":
"uri"|"literal"|"bnode", "value": str, "xml:lang"?: str, "datatype"?: str}, a plain string
without "datatype".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
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

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue.load(self)


@dataclass
class Catalogue:
    """What every page needs and never changes for one build: labels, types, quotes, the text."""

    labels: dict[str, dict[str, str]]
    aliases: dict[str, dict[str, list[str]]]
    types: dict[str, list[str]]
    quotes: dict[str, tuple[int, int, str]]
    article: str
    text: str
    statements: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    statement_quotes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, reader) -> Catalogue:
        """Read it through `reader.select`."""
        labels: dict[str, dict[str, str]] = {}
        aliases: dict[str, dict[str, list[str]]] = {}
        for row in reader.select(
            "SELECT ?s ?p ?l WHERE { VALUES ?p { rdfs:label skos:prefLabel skos:altLabel }"
            " ?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l)) }"
        ):
            iri, label = row["s"]["value"], row["l"]
            lang = label.get("xml:lang", "")[:2]
            if row["p"]["value"].endswith("altLabel"):
                aliases.setdefault(iri, {}).setdefault(lang, []).append(label["value"])
            else:
                labels.setdefault(iri, {}).setdefault(lang, label["value"])
        types: dict[str, list[str]] = {}
        for row in reader.select("SELECT ?s ?t WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) }"):
            types.setdefault(row["s"]["value"], []).append(row["t"]["value"])
        quotes = {
            row["q"]["value"]: (
                int(row["start"]["value"]),
                int(row["end"]["value"]),
                row["exact"]["value"],
            )
            for row in reader.select(
                "SELECT ?q ?start ?end ?exact WHERE { ?q a zz:Quote ; rdf:value ?exact ;"
                " oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }"
            )
        }
        article = reader.select(
            "SELECT ?a ?text WHERE { ?a a zz:Article ; schema:text ?text } LIMIT 1"
        )
        statements: dict[str, tuple[str, str, str]] = {}
        statement_quotes: dict[str, str] = {}
        for row in reader.select(
            "SELECT ?st ?s ?p ?o ?q WHERE { ?st a rdf:Statement ; rdf:subject ?s ;"
            " rdf:predicate ?p ; rdf:object ?o OPTIONAL { ?st zz:hasQuote ?q } }"
        ):
            iri = row["st"]["value"]
            statements[iri] = (row["s"]["value"], row["p"]["value"], row["o"]["value"])
            if "q" in row:
                statement_quotes.setdefault(iri, row["q"]["value"])
        return cls(
            statements=statements,
            statement_quotes=statement_quotes,
            labels=labels,
            aliases=aliases,
            types={iri: sorted(set(found)) for iri, found in types.items()},
            quotes=quotes,
            article=article[0]["a"]["value"] if article else "",
            text=article[0]["text"]["value"] if article else "",
        )


def reader():
    """This app's reader: select, construct and catalogue."""
    return current_app.extensions["zzkg.views.reader"]


def select(sparql: str) -> list[Row]:
    return reader().select(sparql)


def construct(sparql: str, media_type: str) -> bytes:
    return reader().construct(sparql, media_type)


def catalogue() -> Catalogue:
    return reader().catalogue


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
