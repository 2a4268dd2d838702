"""The example queries of queries/ as RDF, as the SIB Swiss Institute of Bioinformatics'
example-query convention has them (https://github.com/sib-swiss/sparql-examples): each query a
sh:SPARQLExecutable and sh:SPARQLSelectExecutable (or Construct, Ask) with its text in
sh:select (sh:construct, ...), its titles as rdfs:label, its question as rdfs:comment and the
endpoint it runs on as schema:target. They go into their own graph, {base}graph/examples, so
tools that read query examples from an endpoint find them there."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.iris import Minter
from kg.resources import QUERIES_DIR
from kg.vocab import SCHEMA

HEADER_KEYS = ("title@zh", "title@en", "question", "answer")
# a query form -> (the SHACL executable class, the property of its text)
FORMS = {
    "SELECT": (SH.SPARQLSelectExecutable, SH.select),
    "CONSTRUCT": (SH.SPARQLConstructExecutable, SH.construct),
    "ASK": (SH.SPARQLAskExecutable, SH.ask),
}
# SPARQL 1.1's Prologue (grammar rules 4-6: BASE <iri>, PREFIX pname: <iri>), with the space and
# comments around it, then the form's keyword: the form read without parsing the whole query
# (rdflib's parser took 0.9 s for the 42 files, half the build). The suite runs every query.
PROLOGUE_THEN_FORM = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*([A-Z]+)\b", re.IGNORECASE
)


def header(text: str) -> dict[str, str]:
    """The `# key: value` lines at the top of a query file."""
    fields = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, colon, value = line[1:].partition(":")
        if colon and key.strip() in HEADER_KEYS:
            fields[key.strip()] = value.strip()
    return fields


def body(text: str) -> str:
    """The query without its header comments."""
    lines = text.splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"


def examples_graph(minter: Minter, queries_dir: Path = QUERIES_DIR) -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("schema", SCHEMA)
    endpoint = URIRef(minter.base + "sparql")
    for path in sorted(queries_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        read = PROLOGUE_THEN_FORM.match(text)
        form = read.group(1).upper() if read else ""
        if form not in FORMS:
            raise ValueError(f"{path.name}: not a query form the examples convention has")
        executable, holds = FORMS[form]
        iri = minter.entity(f"query/{path.stem}")
        fields = header(text)
        graph.add((iri, RDF.type, SH.SPARQLExecutable))
        graph.add((iri, RDF.type, executable))
        graph.add((iri, holds, Literal(body(text))))
        graph.add((iri, SCHEMA.target, endpoint))
        for lang in ("zh", "en"):
            if fields.get(f"title@{lang}"):
                graph.add((iri, RDFS.label, Literal(fields[f"title@{lang}"], lang=lang)))
        if fields.get("question"):
            graph.add((iri, RDFS.comment, Literal(fields["question"], lang="en")))
        if fields.get("answer"):
            graph.add((iri, SCHEMA.description, Literal(fields["answer"], lang="en")))
    return graph
