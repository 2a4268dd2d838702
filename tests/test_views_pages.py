"""Home, class, downloads, ontology, sitemap and query UI pages."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from views_support import BASE, find_by_id, links, page, text

from kg.vocab import ZZ
from server.views.queryui import read_query

VOID = Namespace("http://rdfs.org/ns/void#")
ROOT = Path(__file__).resolve().parent.parent


def void_graph(built) -> Graph:
    return Graph().parse(Path(built.dumps_dir) / "void.ttl")


def test_the_home_page_says_what_the_dataset_is_with_counts_from_void(client, built):
    root = page(client.get("/?lang=en"))
    assert text(root.find(".//h1")) == "Zhengzhou economy knowledge graph (2024)"
    void = void_graph(built)
    expected = {
        str(void.value(part, VOID["class"])): int(void.value(part, VOID.entities))
        for part in void.objects(URIRef(BASE + "dataset"), VOID.classPartition)
    }
    rows = root.find(".//table").find("tbody").findall("tr")
    shown = {
        row.find(".//a").get("href").split("/class/")[1]: int(text(row.findall("td")[1]))
        for row in rows
    }
    assert shown["zz:Observation"] == expected[BASE + "ontology#Observation"]
    assert len(shown) == len(expected)
    hrefs = links(root)
    for target in ("/article", "/query", "/downloads", "/ontology", "/class/zz:Indicator"):
        assert any(href.startswith(target) for href in hrefs), target


def test_a_class_page_lists_its_instances(client):
    root = page(client.get("/class/zz:Industry?lang=en"))
    assert "/id/industry/new-energy-vehicles" in links(root.find(".//ul[@class='instances']"))
    assert "Industry" in text(root.find(".//title"))


def test_a_class_page_includes_subclass_instances(client):
    root = page(client.get("/class/zz:Place"))
    assert "/id/place/zhengzhou" in links(root.find(".//ul[@class='instances']"))


def test_unknown_classes_are_404(client):
    page(client.get("/class/zz:Nothing", headers={"Accept": "text/html"}), status=404)
    page(client.get("/class/nope", headers={"Accept": "text/html"}), status=404)


def test_the_downloads_page_lists_sizes_and_checksums_that_match_the_files(client, built):
    root = page(client.get("/downloads"))
    rows = root.find(".//table").find("tbody").findall("tr")
    names = set()
    for row in rows:
        name = text(row.find(".//a"))
        names.add(name)
        data = (Path(built.dumps_dir) / name).read_bytes()
        assert row.find(".//data").get("value") == str(len(data))
        assert text(row.find(".//code[@class='sha']")) == hashlib.sha256(data).hexdigest()
        with client.get(row.find(".//a").get("href")) as response:
            assert response.status_code == 200 and response.get_data() == data
    assert {"zzkg.ttl", "zzkg.nt", "zzkg.nq", "zzkg.jsonld"} <= names


def test_only_listed_dumps_are_served(client):
    assert client.get("/download/void.ttl").status_code == 404
    assert client.get("/download/..%2Fstore").status_code == 404


def test_the_sitemap_lists_every_entity_page(client):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    tree = ET.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    assert "http://localhost/id/place/zhengzhou" in urls
    assert "http://localhost/article" in urls
    assert len(urls) == len(set(urls)) > 400
    assert not any("#" in url for url in urls)


def test_the_ontology_page_documents_every_term(client):
    root = page(client.get("/ontology?lang=en"))
    for name in [n for n in ZZ.__annotations__ if not n.startswith("_")]:
        term = find_by_id(root, name)
        assert term is not None, name
    article = find_by_id(root, "Article")
    assert "https://schema.org/NewsArticle" in links(article)
    assert "newspaper article" in text(article)


def test_the_query_ui_offers_every_example_by_title(client):
    root = page(client.get("/query?lang=en"))
    select = next(el for el in root.iter("select") if el.get("id") == "example")
    options = {opt.get("value"): text(opt) for opt in select.findall("option") if opt.get("value")}
    files = sorted((ROOT / "queries").glob("*.rq"))
    assert len(options) == len(files)
    for path in files:
        assert options[path.stem] == read_query(path)["title"]["en"]
    scripts = [el.get("src") for el in root.iter("script") if el.get("src")]
    assert "/static/yasgui/yasgui.min.js" in scripts
    with client.get("/static/yasgui/yasgui.min.js") as response:
        assert response.status_code == 200


def test_the_query_catalogue_api(client):
    catalogue = client.get("/api/queries").get_json()
    assert all({"name", "title", "question", "query"} <= set(item) for item in catalogue)


def test_query_headers_are_read(tmp_path):
    path = tmp_path / "01-x.rq"
    path.write_text("# title@zh: 标题\n# title@en: Title\n# question: Q?\nSELECT * {}\n")
    found = read_query(path)
    assert found["title"] == {"zh": "标题", "en": "Title"} and found["question"] == "Q?"
