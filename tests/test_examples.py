"""The example queries of queries/ as RDF (the SIB example-query convention): in the dumps, in the
store's examples graph (so a tool that asks the endpoint for sh:SPARQLExecutable finds them), and
at /api/queries.ttl; each says what its file says."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.sparql import prepareQuery
from views_support import BASE

from kg.examples import FORMS, body, header

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
QUERIES = sorted((Path(__file__).resolve().parents[1] / "queries").glob("*.rq"))
FIND_EXAMPLES = """PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX schema: <https://schema.org/>
SELECT ?query ?text ?target WHERE { ?query a sh:SPARQLExecutable ; schema:target ?target ;
  sh:select|sh:construct|sh:ask ?text }"""


@pytest.fixture(scope="module")
def dumped(built) -> Graph:
    return Graph().parse(built.dumps_dir / "queries.ttl", format="turtle")


def test_every_query_file_is_an_executable(dumped):
    assert len(QUERIES) >= 40
    for path in QUERIES:
        text = path.read_text(encoding="utf-8")
        iri = URIRef(f"{BASE}id/query/{path.stem}")
        # rdflib's full parse says the form (SelectQuery, ...) the build read from the prologue
        form = prepareQuery(text).algebra.name.removesuffix("Query").upper()
        executable, holds = FORMS[form]
        assert {SH.SPARQLExecutable, executable} <= set(dumped.objects(iri, RDF.type))
        assert str(dumped.value(iri, holds)) == body(text)
        fields = header(text)
        assert str(dumped.value(iri, RDFS.comment)) == fields["question"]
        titles = {label.language: str(label) for label in dumped.objects(iri, RDFS.label)}
        assert titles == {"zh": fields["title@zh"], "en": fields["title@en"]}
        assert dumped.value(iri, SCHEMA.target) == URIRef(BASE + "sparql")
    executables = set(dumped.subjects(RDF.type, SH.SPARQLExecutable))
    assert len(executables) == len(QUERIES)


def test_in_the_trig_dump_as_its_own_graph(built):
    dataset = Dataset()
    dataset.parse(built.dumps_dir / "zzkg.trig", format="trig")
    graph = dataset.graph(URIRef(BASE + "graph/examples"))
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == len(QUERIES)


def test_the_endpoint_has_them_and_they_run(client):
    found = client.post(
        "/sparql",
        data={"query": FIND_EXAMPLES},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert found.status_code == 200, found.get_data(as_text=True)
    rows = found.get_json()["results"]["bindings"]
    assert len(rows) == len(QUERIES)
    first = next(row for row in rows if row["query"]["value"].endswith("/01-air-silk-road-facts"))
    answer = client.post(
        "/sparql",
        data={"query": first["text"]["value"]},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200 and answer.get_json()["results"]["bindings"]


def test_route(client, dumped):
    response = client.get("/api/queries.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert isomorphic(Graph().parse(data=response.get_data(), format="turtle"), dumped)
