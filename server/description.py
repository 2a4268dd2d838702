"""The SPARQL 1.1 Service Description of the endpoint (sd: vocabulary), in any RDF format."""

import json

import pyoxigraph as ox
from flask import current_app
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from server import serialise
from server.config import dataset_graphs
from server.formats import GRAPH, RESULTS, Choice, Format

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "rdfxml": "xml",
    "jsonld": "json-ld",
    "nquads": "nquads",
    "trig": "trig",
    "n3": "n3",
}
# the oxigraph format of each keyword, whose .iri names it in the service description
OX_FORMATS: dict[str, ox.QueryResultsFormat | ox.RdfFormat] = {
    **serialise.RESULTS_FORMATS,
    **serialise.GRAPH_FORMATS,
}


def describe(endpoint: str, *, base: str, graph_names: list[str], federated: bool) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if federated:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in (*RESULTS, *GRAPH):
        graph.add((service, SD.resultFormat, URIRef(format_iri(fmt))))
    add_dataset(graph, service, base=base, graph_names=graph_names)
    return graph


def format_iri(fmt: Format) -> str:
    """The format's IRI under http://www.w3.org/ns/formats/ (pyoxigraph's, except JSON-LD)."""
    if fmt.name == "jsonld":
        return "http://www.w3.org/ns/formats/JSON-LD"
    return OX_FORMATS[fmt.name].iri


def add_dataset(graph: Graph, service: URIRef, *, base: str, graph_names: list[str]) -> None:
    dataset, default_graph, void_dataset = BNode(), BNode(), URIRef(base + "dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, void_dataset))
    graph.add((void_dataset, VOID.sparqlEndpoint, service))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, RDFS.comment, Literal("The union of all named graphs.", lang="en")))
    for name in graph_names:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))


def serialised(endpoint: str, fmt: Format) -> bytes:
    """The description in one format, kept per endpoint URL and format."""
    cache = current_app.extensions.setdefault("zzkg.descriptions", {})
    key = (endpoint, fmt.name)
    if key not in cache:
        graph = describe(
            endpoint,
            base=current_app.config["BASE"],
            graph_names=graph_names(),
            federated=bool(current_app.config["SERVICE_ALLOWLIST"]),
        )
        cache[key] = written(graph, fmt)
    return cache[key]


def written(graph: Graph, fmt: Format) -> bytes:
    """The description in a graph format by rdflib; in a dataset format (N-Quads, TriG), as the
    default graph, by pyoxigraph (rdflib writes those only from a dataset)."""
    ox_format = OX_FORMATS[fmt.name]
    if isinstance(ox_format, ox.RdfFormat) and ox_format.supports_datasets:
        triples = graph.serialize(format="nt", encoding="utf-8")
        quads = list(ox.parse(triples, format=ox.RdfFormat.N_TRIPLES))
        data = ox.serialize(quads, format=ox_format)
        assert data is not None
        return data
    return graph.serialize(format=RDFLIB_FORMATS[fmt.name], encoding="utf-8")


def graph_names() -> list[str]:
    """The store's named graphs, asked of a query worker; on a remote engine, the build's graphs
    (the dataset every request that names none is given)."""
    if current_app.config["SPARQL_ENDPOINT"]:
        return list(dataset_graphs(current_app.config["BASE"]))
    pool = current_app.extensions["zzkg.pool"]  # a WorkerPool or a RemoteQueries
    request = {
        "query": GRAPH_NAMES,
        "default_graphs": (),
        "named_graphs": (),
        "choice": Choice(RESULTS[0], None),
        "max_rows": 10_000,
        "max_bytes": 1 << 20,
    }
    reply = pool.run(request, timeout=current_app.config["QUERY_TIMEOUT"])
    if "body" not in reply:
        raise OSError("cannot list the store's graphs")
    document = json.loads(reply["body"].data)
    return [row["g"]["value"] for row in document["results"]["bindings"]]
