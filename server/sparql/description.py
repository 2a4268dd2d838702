"""The SPARQL 1.1 Service Description of the endpoint (sd: vocabulary), in any RDF format of
the registry, written by pyoxigraph."""

from __future__ import annotations

import pyoxigraph as ox
from flask import current_app

from server.config import dataset_graphs
from server.formats import GRAPH, RESULTS, Format

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PREFIXES = {"sd": SD, "void": VOID, "rdfs": RDFS}
GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(endpoint: str, *, base: str, graph_names: list[str], federated: bool) -> list:
    """The description's triples."""
    service = ox.NamedNode(endpoint)
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
    ]
    if federated:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for fmt in (*RESULTS, *GRAPH):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(fmt.iri)))
    return triples + dataset(service, base=base, graph_names=graph_names)


def dataset(service: ox.NamedNode, *, base: str, graph_names: list[str]) -> list:
    described, default_graph = ox.BlankNode(), ox.BlankNode()
    void_dataset = ox.NamedNode(base + "dataset")
    comment = ox.Literal("The union of all named graphs.", language="en")
    triples = [
        ox.Triple(service, sd("defaultDataset"), described),
        ox.Triple(described, RDF_TYPE, sd("Dataset")),
        ox.Triple(described, ox.NamedNode(RDFS + "seeAlso"), void_dataset),
        ox.Triple(void_dataset, ox.NamedNode(VOID + "sparqlEndpoint"), service),
        ox.Triple(described, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(RDFS + "comment"), comment),
    ]
    for name in graph_names:
        named = ox.BlankNode()
        triples.append(ox.Triple(described, sd("namedGraph"), named))
        triples.append(ox.Triple(named, RDF_TYPE, sd("NamedGraph")))
        triples.append(ox.Triple(named, sd("name"), ox.NamedNode(name)))
    return triples


def serialised(endpoint: str, fmt: Format) -> bytes:
    """The description in one format, kept per endpoint URL and format."""
    cache = current_app.extensions.setdefault("zzkg.descriptions", {})
    key = (endpoint, fmt.name)
    if key not in cache:
        triples = describe(
            endpoint,
            base=current_app.config["BASE"],
            graph_names=graph_names(),
            federated=bool(current_app.config["SERVICE_ALLOWLIST"]),
        )
        cache[key] = written(triples, fmt)
    return cache[key]


def written(triples: list, fmt: Format) -> bytes:
    """The description in a graph format; in a dataset format, as its default graph."""
    if fmt.supports_datasets:
        triples = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    data = ox.serialize(triples, format=fmt.rdf, prefixes=PREFIXES)
    assert data is not None
    return data


def graph_names() -> list[str]:
    """The store's named graphs, as the backend reads them; on a remote engine, the build's
    graphs (the dataset every request that names none is given)."""
    if current_app.config["SPARQL_ENDPOINT"]:
        return list(dataset_graphs(current_app.config["BASE"]))
    rows = current_app.extensions["zzkg.backend"].select(GRAPH_NAMES)
    return [row["g"]["value"] for row in rows]
