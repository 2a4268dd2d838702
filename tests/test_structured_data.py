"""schema.org JSON-LD embedded in pages: the home page's Dataset (name, description, licence,
creator, every dump as a distribution, temporal and spatial coverage) and each entity's and
observation's description, parsed with rdflib and checked against what the page says and what
the graph holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from urllib.parse import urlparse

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from views_support import BASE, ZZ, links, page, text, with_class

SCHEMA = Namespace("https://schema.org/")
DATASET = URIRef(BASE + "dataset")
ZHENGZHOU = URIRef(BASE + "id/place/zhengzhou")
NEV_OUTPUT = URIRef(BASE + "id/observation/nev-output-2024-jan-nov")


def embedded(root) -> Graph:
    """The page's one JSON-LD block, parsed by rdflib (its context is inline: no fetching)."""
    scripts = [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    document = json.loads(scripts[0].text)
    graph = Graph()
    graph.parse(data=json.dumps(document), format="json-ld")
    assert len(graph) > 3
    return graph


def in_lang(graph: Graph, subject, prop, lang: str) -> str:
    values = [o for o in graph.objects(subject, prop) if getattr(o, "language", None) == lang]
    assert len(values) == 1, (prop, list(graph.objects(subject, prop)))
    return str(values[0])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_dataset(client, built, store, lang):
    root = page(client.get("/", query_string={"lang": lang}))
    graph = embedded(root)
    assert (DATASET, RDF.type, SCHEMA.Dataset) in graph
    assert in_lang(graph, DATASET, SCHEMA.name, lang) == text(root.find(".//h1"))
    lead = text(with_class(root, "lead")[0])
    assert lead in {str(o) for o in graph.objects(DATASET, SCHEMA.description)}
    licence = next(a.get("href") for a in root.iter("a") if a.get("rel") == "license")
    assert graph.value(DATASET, SCHEMA.license) == URIRef(licence)
    creator = graph.value(DATASET, SCHEMA.creator)
    assert graph.value(creator, SCHEMA.name) is not None

    files = {}
    for dump in graph.objects(DATASET, SCHEMA.distribution):
        assert (dump, RDF.type, SCHEMA.DataDownload) in graph
        url = str(graph.value(dump, SCHEMA.contentUrl))
        files[PurePosixPath(urlparse(url).path).name] = (dump, urlparse(url).path)
    void = Graph().parse(built.dumps_dir / "void.ttl", format="turtle")
    listed = {
        str(o).rsplit("/", 1)[-1]
        for o in void.objects(DATASET, URIRef("http://www.w3.org/ns/dcat#distribution"))
    }
    assert set(files) == listed and {"observations.csv", "zzkg.ttl"} <= listed
    for name, (dump, path) in files.items():
        data = (built.dumps_dir / name).read_bytes()
        assert str(graph.value(dump, SCHEMA.sha256)) == hashlib.sha256(data).hexdigest()
        with client.get(path) as response:
            assert response.status_code == 200 and response.get_data() == data

    dates = store.query(
        """PREFIX zz: <https://zzkg.example.org/ontology#> PREFIX time: <http://www.w3.org/2006/time#>
        SELECT (MIN(?b) AS ?first) (MAX(?e) AS ?last) WHERE { ?f zz:period ?p .
        ?p time:hasBeginning/time:inXSDDate ?b ; time:hasEnd/time:inXSDDate ?e }""",
        use_default_graph_as_union=True,
    )
    row = next(dates)
    coverage = f"{row['first'].value}/{row['last'].value}"
    assert str(graph.value(DATASET, SCHEMA.temporalCoverage)) == coverage
    spatial = graph.value(DATASET, SCHEMA.spatialCoverage)
    assert spatial == ZHENGZHOU and (spatial, RDF.type, SCHEMA.Place) in graph
    assert URIRef("http://www.wikidata.org/entity/Q30340") in set(
        graph.objects(spatial, SCHEMA.sameAs)
    )


def test_entity_page(client):
    root = page(client.get("/id/place/zhengzhou", query_string={"lang": "zh"}))
    graph = embedded(root)
    assert (ZHENGZHOU, RDF.type, SCHEMA.City) in graph
    assert in_lang(graph, ZHENGZHOU, SCHEMA.name, "zh") == text(root.find(".//h1"))
    shown = {a.get("href") for a in with_class(root, "external", "a")}
    same = {str(o) for o in graph.objects(ZHENGZHOU, SCHEMA.sameAs) if isinstance(o, URIRef)}
    assert same and same <= shown
    assert str(graph.value(ZHENGZHOU, SCHEMA.url)).endswith("/id/place/zhengzhou")


def test_observation_page(client, store):
    root = page(client.get("/id/observation/nev-output-2024-jan-nov", query_string={"lang": "en"}))
    graph = embedded(root)
    assert (NEV_OUTPUT, RDF.type, SCHEMA.Observation) in graph
    assert in_lang(graph, NEV_OUTPUT, SCHEMA.name, "en") == text(root.find(".//h1"))
    facts = {
        row["p"].value: row["o"]
        for row in store.query(
            f"SELECT ?p ?o WHERE {{ <{NEV_OUTPUT}> ?p ?o }}", use_default_graph_as_union=True
        )
    }
    assert (
        graph.value(NEV_OUTPUT, SCHEMA.value).toPython()
        == Literal(
            facts[ZZ + "value"].value, datatype=URIRef(facts[ZZ + "value"].datatype.value)
        ).toPython()
    )
    about = graph.value(NEV_OUTPUT, SCHEMA.observationAbout)
    assert str(about) == facts[ZZ + "about"].value
    assert "/id/industry/new-energy-vehicles" in links(root)  # the page links what it is about
    assert str(graph.value(NEV_OUTPUT, SCHEMA.variableMeasured)) == facts[ZZ + "indicator"].value
    assert str(graph.value(NEV_OUTPUT, SCHEMA.observationPeriod)) == "2024-01-01/2024-11-30"
    assert str(graph.value(NEV_OUTPUT, SCHEMA.unitCode)) == facts[ZZ + "unit"].value


def test_pages_without_a_description_have_no_block(client):
    root = page(client.get("/downloads"))
    assert not [s for s in root.iter("script") if s.get("type") == "application/ld+json"]
