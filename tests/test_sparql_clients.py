"""Real clients against the live server: SPARQLWrapper in every return format and rdflib's
SPARQLStore get the same answers as the store itself."""

from io import BytesIO

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from sparql_support import direct_graph, direct_rows, rows
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from test_sparql_protocol import CONSTRUCT, LABELS, assert_same_graph

TYPES = "SELECT DISTINCT ?type WHERE { ?s a ?type } ORDER BY ?type"
ASK = "ASK { ?s a ?type }"


def wrapper(server, query: str, return_format: str, method: str = GET, request: str = URLENCODED):
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request)
    return client.query().convert()


@pytest.mark.parametrize(
    "method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
)
@pytest.mark.parametrize("query", [LABELS, TYPES])
def test_sparqlwrapper_json(sparql_server, store, query, method, request_method):
    document = wrapper(sparql_server, query, JSON, method, request_method)
    answer = Result.parse(BytesIO(_json_bytes(document)), format="json")
    assert rows(answer) == direct_rows(store, query)


def _json_bytes(document: dict) -> bytes:
    import json

    return json.dumps(document).encode()


def test_sparqlwrapper_xml(sparql_server, store):
    document = wrapper(sparql_server, LABELS, XML)
    answer = Result.parse(BytesIO(document.toxml("utf-8")), format="xml")
    assert rows(answer) == direct_rows(store, LABELS, "xml")


@pytest.mark.parametrize("return_format, name", [(CSV, "csv"), (TSV, "tsv")])
def test_sparqlwrapper_csv_tsv(sparql_server, store, return_format, name):
    data = wrapper(sparql_server, LABELS, return_format)
    answer = Result.parse(BytesIO(data), format=name)
    assert rows(answer) == direct_rows(store, LABELS, name)


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_sparqlwrapper_ask(sparql_server, return_format):
    answer = wrapper(sparql_server, ASK, return_format)
    if return_format == JSON:
        assert answer["boolean"] is True
    else:
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(
    "return_format, rdflib_format",
    [(TURTLE, "turtle"), (N3, "n3"), (RDFXML, None), (JSONLD, None)],
)
def test_sparqlwrapper_construct(sparql_server, store, return_format, rdflib_format):
    answer = wrapper(sparql_server, CONSTRUCT, return_format)
    graph = (
        answer if isinstance(answer, Graph) else Graph().parse(data=answer, format=rdflib_format)
    )
    assert_same_graph(graph, direct_graph(store, CONSTRUCT))


@pytest.fixture(params=["json", "xml"])
def remote_graph(sparql_server, request):
    store = SPARQLStore(sparql_server.endpoint, returnFormat=request.param)
    graph = Graph(store=store)
    yield graph
    graph.close()


@pytest.mark.parametrize("query", [LABELS, TYPES, ASK])
def test_rdflib_sparqlstore_query(remote_graph, store, query):
    assert rows(remote_graph.query(query)) == direct_rows(store, query)


def test_rdflib_sparqlstore_construct(sparql_server, store):
    """rdflib asks for RDF/XML or SPARQL XML results with its default return format."""
    answer = Graph(store=SPARQLStore(sparql_server.endpoint)).query(CONSTRUCT)
    assert_same_graph(answer.graph, direct_graph(store, CONSTRUCT))


def test_rdflib_sparqlstore_triples(remote_graph, store):
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    (subject, _), *_ = sorted(direct_rows(store, LABELS))
    found = set(remote_graph.triples((subject, label, None)))
    expected = {(subject, label, row[1]) for row in direct_rows(store, LABELS) if row[0] == subject}
    assert found >= expected
    assert all(isinstance(triple[2], Literal) for triple in found)
