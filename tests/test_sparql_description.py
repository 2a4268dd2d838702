"""The service description (W3C service-description/manifest.ttl), the HTML page for browsers,
and /health."""

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def graphs(built):
    return {name: f"{built.base}graph/{name}" for name in ("kg", "ontology", "void")}


# service-description/manifest.ttl


def description(sparql_server, accept: str | None = "text/turtle", rdflib_format="turtle") -> Graph:
    headers = {"Accept": accept} if accept else {}
    response = requests.get(sparql_server.endpoint, headers=headers, timeout=60)
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=rdflib_format)


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_service_description_returns_rdf(sparql_server, accept, rdflib_format):
    graph = description(sparql_server, accept, rdflib_format)
    assert (URIRef(sparql_server.endpoint), RDF.type, SD.Service) in graph


def test_service_description_has_endpoint_triple(sparql_server):
    graph = description(sparql_server)
    service = URIRef(sparql_server.endpoint)
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph


def test_service_description_conforms(sparql_server, graphs, built):
    graph = description(sparql_server)
    service = URIRef(sparql_server.endpoint)
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    dataset = graph.value(service, SD.defaultDataset)
    names = {graph.value(node, SD.name) for node in graph.objects(dataset, SD.namedGraph)}
    assert URIRef(graphs["kg"]) in names
    void_dataset = URIRef(built.base + "dataset")
    assert (void_dataset, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), service) in graph


def test_browsers_get_the_query_page(sparql_server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = requests.get(sparql_server.endpoint, headers={"Accept": accept}, timeout=60)
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<form method="get"' in response.text
    assert 'rel="alternate"' in response.headers["Link"]


def test_health(sparql_server):
    response = requests.get(sparql_server.url + "/health", timeout=60)
    assert response.status_code == 200


@pytest.mark.parametrize("keyword, rdflib_format", [("nquads", "nquads"), ("trig", "trig")])
def test_service_description_in_dataset_formats(sparql_server, keyword, rdflib_format):
    """The /query page links `?format=nquads`: the description is the default graph."""
    from rdflib import Dataset

    response = requests.get(sparql_server.endpoint, params={"format": keyword}, timeout=60)
    assert response.status_code == 200, response.text
    dataset = Dataset()
    dataset.parse(data=response.content, format=rdflib_format)
    service = URIRef(sparql_server.endpoint)
    assert (service, RDF.type, SD.Service) in dataset.default_graph
