"""The endpoint against the W3C SPARQL 1.1 Protocol test manifest (protocol/manifest.ttl), each
case named after its manifest entry, every answer parsed; plus content negotiation, CORS, HEAD,
and truncation."""

import pytest
import requests
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from sparql_support import (
    TEST_MAX_ROWS,
    count,
    direct,
    direct_graph,
    direct_rows,
    quirk,
    results,
)

from kg.iris import GRAPH_NAMES

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT DISTINCT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 50"
)
CONSTRUCT = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label } ORDER BY ?s LIMIT 40"
)


@pytest.fixture(scope="module")
def graphs(built):
    base = built.base
    return {name: f"{base}graph/{name}" for name in GRAPH_NAMES}


def get(server, **params):
    headers = params.pop("headers", {})
    return requests.get(server.endpoint, params=params, headers=headers, timeout=60)


def union_count(store) -> int:
    return int(next(iter(direct(store, COUNT)))["n"].value)


def graph_count(store, *names) -> int:
    from pyoxigraph import NamedNode

    answer = store.query(COUNT, default_graph=[NamedNode(name) for name in names])
    return int(next(iter(answer))["n"].value)


# protocol/manifest.ttl: successful queries


def test_query_get(sparql_server, store):
    response = get(sparql_server, query=COUNT)
    assert response.status_code == 200
    assert count(response) == union_count(store) > 0


def test_query_post_form(sparql_server, store):
    response = requests.post(sparql_server.endpoint, data={"query": LABELS}, timeout=60)
    assert response.status_code == 200
    assert results(response) == direct_rows(store, LABELS)


def test_query_post_direct(sparql_server, store):
    response = requests.post(
        sparql_server.endpoint,
        data=LABELS.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert response.status_code == 200
    assert results(response) == direct_rows(store, LABELS)


def test_query_dataset_default_graphs_get(sparql_server, store, graphs):
    response = get(sparql_server, query=COUNT, **{"default-graph-uri": graphs["ontology"]})
    assert count(response) == graph_count(store, graphs["ontology"]) > 0


def test_query_dataset_default_graphs_post(sparql_server, store, graphs):
    form = [("query", COUNT), ("default-graph-uri", graphs["ontology"])]
    form.append(("default-graph-uri", graphs["void"]))
    response = requests.post(sparql_server.endpoint, data=form, timeout=60)
    assert count(response) == graph_count(store, graphs["ontology"], graphs["void"])


@pytest.mark.parametrize("method", ["get", "post"])
def test_query_dataset_named_graphs(sparql_server, graphs, method):
    params = {"query": GRAPHS, "named-graph-uri": graphs["void"]}
    response = getattr(requests, method)(
        sparql_server.endpoint, **{"params" if method == "get" else "data": params}, timeout=60
    )
    assert results(response) == {(URIRef(graphs["void"]),)}
    empty_default = get(sparql_server, query=COUNT, **{"named-graph-uri": graphs["void"]})
    assert count(empty_default) == 0


def test_query_dataset_full(sparql_server, store, graphs):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o GRAPH ?g { ?a ?b ?c } }"
    response = get(
        sparql_server,
        query=query,
        **{"default-graph-uri": graphs["ontology"], "named-graph-uri": graphs["void"]},
    )
    from pyoxigraph import NamedNode

    expected = store.query(
        query,
        default_graph=[NamedNode(graphs["ontology"])],
        named_graphs=[NamedNode(graphs["void"])],
    )
    assert count(response) == int(next(iter(expected))["n"].value) > 0


def test_query_multiple_dataset(sparql_server, store, graphs, request):
    """The protocol's dataset overrides the query's FROM."""
    quirk(request, "virtuoso", "Virtuoso adds the protocol's dataset to the query's FROM")
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graphs['kg']}> WHERE {{ ?s ?p ?o }}"
    response = get(sparql_server, query=query, **{"default-graph-uri": graphs["ontology"]})
    assert count(response) == graph_count(store, graphs["ontology"])


def test_query_own_dataset_replaces_the_union(sparql_server, store, graphs):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graphs['ontology']}> WHERE {{ ?s ?p ?o }}"
    assert count(get(sparql_server, query=query)) == graph_count(store, graphs["ontology"])
    named_only = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graphs['void']}> WHERE {{ ?s ?p ?o }}"
    assert count(get(sparql_server, query=named_only)) == 0


def test_default_graph_is_the_union(sparql_server, store, graphs):
    every = graph_count(store, *graphs.values())
    assert count(get(sparql_server, query=COUNT)) == every


# protocol/manifest.ttl: content types


@pytest.mark.parametrize(
    "accept, fmt",
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
def test_query_content_type_select(sparql_server, store, accept, fmt):
    by_accept = get(sparql_server, query=LABELS, headers={"Accept": accept})
    by_param = get(sparql_server, query=LABELS, format=fmt)
    for response in (by_accept, by_param):
        assert response.headers["Content-Type"].split(";")[0] == accept
        assert results(response) == direct_rows(store, LABELS, fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_query_content_type_ask(sparql_server, fmt):
    response = get(sparql_server, query="ASK { ?s ?p ?o }", format=fmt)
    assert results(response) == {True}
    assert results(get(sparql_server, query="ASK { <urn:x:none> ?p ?o }", format=fmt)) == {False}


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("text/n3", "n3"),
    ],
)
def test_query_content_type_construct(sparql_server, store, accept, rdflib_format):
    response = get(sparql_server, query=CONSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert_same_graph(graph, direct_graph(store, CONSTRUCT))


@pytest.mark.parametrize(
    "accept, rdflib_format", [("application/n-quads", "nquads"), ("application/trig", "trig")]
)
def test_query_content_type_construct_as_dataset(sparql_server, store, accept, rdflib_format):
    response = get(sparql_server, query=CONSTRUCT, headers={"Accept": accept})
    dataset = Dataset().parse(data=response.content, format=rdflib_format)
    assert_same_graph(dataset.default_graph, direct_graph(store, CONSTRUCT))


def test_query_content_type_describe(sparql_server, store, request):
    quirk(request, "virtuoso", "Virtuoso's DESCRIBE also gives the triples pointing to it")
    (subject,) = next(iter(direct(store, "SELECT ?s WHERE { ?s a ?t } ORDER BY ?s LIMIT 1")))
    query = f"DESCRIBE <{subject.value}>"
    response = get(sparql_server, query=query)
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(graph) > 0
    assert_same_graph(graph, direct_graph(store, query))


def assert_same_graph(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        only_got = set(to_isomorphic(got)) - set(to_isomorphic(expected))
        only_expected = set(to_isomorphic(expected)) - set(to_isomorphic(got))
        pytest.fail(f"graphs differ\nonly in answer: {only_got}\nonly in store: {only_expected}")


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/sparql-results+xml;q=0.5, text/csv;q=0.9", "text/csv"),
        ("text/*;q=0.3, application/sparql-results+xml", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_negotiation_with_q_values(sparql_server, accept, expected):
    response = get(sparql_server, query=LABELS, headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


def test_construct_default_is_turtle(sparql_server):
    response = get(sparql_server, query=CONSTRUCT, headers={"Accept": "*/*"})
    assert response.headers["Content-Type"].startswith("text/turtle")


def test_nothing_acceptable_is_406(sparql_server):
    assert get(sparql_server, query=LABELS, headers={"Accept": "text/turtle"}).status_code == 406
    only_results = {"Accept": "application/sparql-results+json"}
    assert get(sparql_server, query=CONSTRUCT, headers=only_results).status_code == 406
    assert get(sparql_server, query=LABELS, format="trig").status_code == 406


def test_unknown_format_is_400(sparql_server):
    assert get(sparql_server, query=LABELS, format="docx").status_code == 400


# protocol/manifest.ttl: bad requests


def assert_plain_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.text
    assert text.strip()
    assert "Traceback" not in text and "/work/" not in text and ".py" not in text
    return text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_bad_query_method(sparql_server, method):
    response = requests.request(method, sparql_server.endpoint, params={"query": COUNT}, timeout=60)
    assert_plain_error(response, 405)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_bad_multiple_queries(sparql_server):
    response = requests.get(
        sparql_server.endpoint, params=[("query", COUNT), ("query", COUNT)], timeout=60
    )
    assert "query" in assert_plain_error(response, 400)


def test_bad_query_wrong_media_type(sparql_server):
    response = requests.post(
        sparql_server.endpoint, data=COUNT, headers={"Content-Type": "text/plain"}, timeout=60
    )
    assert_plain_error(response, 415)


@pytest.mark.parametrize("body", [b"query=ASK%7B%7D", b"ASK {}"])
def test_bad_query_missing_type(sparql_server, body):
    """bad_query_missing_form_type and bad_query_missing_direct_type."""
    response = requests.post(sparql_server.endpoint, data=body, timeout=60)
    assert_plain_error(response, 415)


def test_bad_query_non_utf8(sparql_server):
    response = requests.post(
        sparql_server.endpoint,
        data=COUNT.encode("utf-16"),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert_plain_error(response, 400)


@pytest.mark.parametrize(
    "url_suffix, body, content_type",
    [
        ("?query=ASK%7B%22%FF%22%7D", None, None),
        ("", b"query=ASK%7B%22%FF%22%7D", "application/x-www-form-urlencoded"),
        ("", b'ASK {"\xff"}', "application/sparql-query"),
    ],
)
def test_invalid_utf8_is_400_not_500(sparql_server, url_suffix, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    method = "POST" if body is not None else "GET"
    response = requests.request(
        method, sparql_server.endpoint + url_suffix, data=body, headers=headers, timeout=60
    )
    assert_plain_error(response, 400)


def test_bad_query_syntax(sparql_server):
    text = assert_plain_error(get(sparql_server, query="SELECT * WHERE { ?s ?p "), 400)
    assert "1:" in text or "line" in text


def test_post_without_query_is_400(sparql_server):
    response = requests.post(sparql_server.endpoint, data={"format": "json"}, timeout=60)
    assert_plain_error(response, 400)


def test_too_large_is_413(sparql_server):
    filler = "# " + "x" * 70_000 + "\n"
    response = requests.post(
        sparql_server.endpoint,
        data=(filler + COUNT).encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert_plain_error(response, 413)


def test_huge_body_is_413(sparql_server):
    response = requests.post(
        sparql_server.endpoint,
        data=b"query=" + b"x" * 1_000_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=60,
    )
    assert response.status_code == 413


INSERT = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"


@pytest.mark.parametrize(
    "request_args, status",
    [
        ({"method": "GET", "params": {"update": INSERT}}, 403),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 403),
        (
            {
                "method": "POST",
                "data": b"DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            403,
        ),
        # an update where a query belongs is a malformed query
        ({"method": "GET", "params": {"query": INSERT}}, 400),
        ({"method": "POST", "data": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 400),
        (
            {
                "method": "POST",
                "data": INSERT.encode(),
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
        ),
    ],
    ids=[
        "bad_update_get",
        "update_post_form",
        "update_post_direct",
        "update_as_query_get",
        "update_as_query_post",
        "update_as_sparql_query",
    ],
)
def test_updates_are_refused(sparql_server, store, request_args, status):
    before = union_count(store)
    response = requests.request(url=sparql_server.endpoint, timeout=60, **request_args)
    assert "read-only" in assert_plain_error(response, status)
    assert union_count(store) == before


@pytest.mark.parametrize("query", ["", "   ", "\n"])
def test_an_empty_query_is_malformed(sparql_server, query):
    response = requests.get(sparql_server.endpoint, params={"query": query}, timeout=60)
    assert "empty" in assert_plain_error(response, 400)


# HEAD, CORS, truncation


def test_head(sparql_server):
    response = requests.head(sparql_server.endpoint, params={"query": LABELS}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/sparql-results+json"
    assert response.content == b""
    assert requests.head(sparql_server.endpoint, timeout=60).status_code == 200


@pytest.mark.parametrize("query", [LABELS, "SELECT * WHERE {"])
def test_cors_on_answers_and_errors(sparql_server, query):
    response = get(sparql_server, query=query, headers={"Origin": "https://example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_preflight(sparql_server):
    headers = {
        "Origin": "https://example.net",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    response = requests.options(sparql_server.endpoint, headers=headers, timeout=60)
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


def test_truncated_answer_is_signalled(sparql_server, store):
    assert union_count(store) > TEST_MAX_ROWS
    response = get(sparql_server, query="SELECT * WHERE { ?s ?p ?o }")
    assert response.headers["X-SPARQL-Truncated"] == "true"
    assert response.headers["X-SPARQL-Max-Rows"] == str(TEST_MAX_ROWS)
    assert len(response.json()["results"]["bindings"]) == TEST_MAX_ROWS
    construct = get(sparql_server, query="CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert construct.headers["X-SPARQL-Truncated"] == "true"
    assert len(Graph().parse(data=construct.content, format="nt")) <= TEST_MAX_ROWS
    complete = get(sparql_server, query=LABELS)
    assert "X-SPARQL-Truncated" not in complete.headers


def test_timeout_parameter_must_be_a_number(sparql_server):
    assert_plain_error(get(sparql_server, query=COUNT, timeout="soon"), 400)
