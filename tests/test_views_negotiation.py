"""Content negotiation: every entity kind in every RDF format, by Accept and by extension; the
ontology and the VoID description too."""

import pytest
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from views_support import BASE, EXTENSIONS, RDF_TYPES, graph_of, page

ZZ = Namespace(BASE + "ontology#")
ENTITIES = [
    "industry/new-energy-vehicles",
    "place/zhengzhou",
    "observation/nev-output-2024-jan-nov",
    "claim/air-freight-historic-high",
    "indicator/vehicles-produced",
    "period/2024-01--2024-11",
    "quote/1109-1134",
    "statement/article.zhengzhou-2024-economy--schema.author--person.wang-zhi",
]


@pytest.mark.parametrize("media_type", list(RDF_TYPES))
@pytest.mark.parametrize("path", ENTITIES)
def test_accept_gets_the_description(client, path, media_type):
    response = client.get(f"/id/{path}", headers={"Accept": media_type})
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = graph_of(response)
    assert (URIRef(BASE + "id/" + path), None, None) in graph


@pytest.mark.parametrize("extension", list(EXTENSIONS))
@pytest.mark.parametrize("path", ENTITIES)
def test_an_extension_gets_the_same_graph_as_accept(client, path, extension):
    by_extension = client.get(f"/id/{path}.{extension}", headers={"Accept": "text/html"})
    assert by_extension.mimetype == EXTENSIONS[extension]
    by_accept = client.get(f"/id/{path}", headers={"Accept": EXTENSIONS[extension]})
    assert isomorphic(graph_of(by_extension), graph_of(by_accept))


@pytest.mark.parametrize(
    "accept",
    ["text/html", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "*/*", ""],
)
def test_browsers_and_unspecific_clients_get_the_page(client, accept):
    headers = {"Accept": accept} if accept else {}
    page(client.get("/id/place/zhengzhou", headers=headers))


def test_q_values_decide(client):
    accept = "text/html;q=0.5, text/turtle;q=0.9, application/ld+json;q=0.1"
    assert client.get("/id/place/zhengzhou", headers={"Accept": accept}).mimetype == "text/turtle"


def test_an_unacceptable_type_is_406(client):
    response = client.get("/id/place/zhengzhou", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_the_description_holds_labels_of_linked_things_and_the_observations(client):
    iri = URIRef(BASE + "id/industry/new-energy-vehicles")
    graph = graph_of(client.get("/id/industry/new-energy-vehicles.ttl"))
    broader = URIRef(BASE + "id/industry/automotive")
    assert (iri, URIRef("http://www.w3.org/2004/02/skos/core#broader"), broader) in graph
    assert (broader, RDFS.label, None) in graph
    observation = URIRef(BASE + "id/observation/nev-output-2024-jan-nov")
    assert (observation, ZZ.about, iri) in graph
    assert (observation, ZZ.valueAsWritten, Literal("52.9万辆", lang="zh")) in graph


def test_a_quote_description_includes_its_selectors(client):
    graph = graph_of(client.get("/id/quote/1109-1134.ttl"))
    position = URIRef(BASE + "id/quote/1109-1134#position")
    assert (position, URIRef("http://www.w3.org/ns/oa#start"), None) in graph


def test_every_description_holds_all_its_hash_resources(client, built):
    """Each resource's RDF has every triple of its #parts (all of the graph's `<iri#...>`
    subjects, found from the resource's own triples, not by a scan of every subject). Literals
    compared by their text: Oxigraph keeps xsd:nonNegativeInteger values as xsd:integer."""
    from rdflib import Graph

    dump = Graph().parse(built.dumps_dir / "zzkg.nt")
    parts: dict[str, set] = {}
    for s, p, o in dump:
        if isinstance(s, URIRef) and str(s).startswith(BASE + "id/") and "#" in str(s):
            parts.setdefault(str(s).split("#")[0], set()).add((s, p, str(o)))
    assert len(parts) > 100
    for iri, triples in sorted(parts.items()):
        graph = graph_of(client.get(iri.replace(BASE, "/") + ".nt"))
        assert triples <= {(s, p, str(o)) for s, p, o in graph}, iri


def test_the_rdf_links_back_to_the_page(client):
    response = client.get("/id/place/zhengzhou.nt")
    assert '</id/place/zhengzhou>; rel="alternate"; type="text/html"' in response.headers["Link"]


def test_an_unknown_iri_with_an_extension_is_404(client):
    assert client.get("/id/place/atlantis.ttl").status_code == 404


@pytest.mark.parametrize("media_type", list(RDF_TYPES))
def test_the_ontology_resolves_to_rdf(client, media_type):
    graph = graph_of(client.get("/ontology", headers={"Accept": media_type}))
    assert (ZZ.Observation, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph


def test_the_ontology_resolves_to_its_documentation(client):
    root = page(client.get("/ontology", headers={"Accept": "text/html"}))
    assert root.find(".//h1") is not None


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset"])
@pytest.mark.parametrize("media_type", list(RDF_TYPES))
def test_the_void_description_negotiates(client, path, media_type):
    graph = graph_of(client.get(path, headers={"Accept": media_type}))
    void = Namespace("http://rdfs.org/ns/void#")
    assert (URIRef(BASE + "dataset"), RDF.type, void.Dataset) in graph


def test_the_void_description_defaults_to_turtle(client):
    response = client.get("/.well-known/void")
    assert response.mimetype == "text/turtle"


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_a_browser_asking_for_the_void_description_gets_the_dataset_page(client):
    response = client.get("/.well-known/void", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    root = page(client.get(response.headers["Location"], headers={"Accept": BROWSER_ACCEPT}))
    assert root.find(".//h1") is not None


def test_turtle_pages_write_each_subject_once(client):
    body = client.get("/id/industry/new-energy-vehicles.ttl").get_data(as_text=True)
    subjects = [
        line.split(" ", 1)[0] for line in body.splitlines() if line and line[0] not in "@\t "
    ]
    assert len(subjects) == len(set(subjects)) > 3
