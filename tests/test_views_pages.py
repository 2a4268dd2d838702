"""Home, class, downloads, ontology, sitemap and query UI pages."""

import hashlib
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from views_support import BASE, find_by_id, links, page, text

from kg.vocab import ZZ
from server.views.catalogue import Catalogue, catalogue
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


def test_the_counts_read_from_the_page_index_are_the_graphs(views_app, built):
    """The number of figures (on the home page) and of sitemap pages, each read as the last
    number of its table, are those of the dump: every observation, and every IRI under /id/
    that is not a #part."""
    quads = Dataset().parse(Path(built.dumps_dir) / "zzkg.nq", format="nquads")
    observations = {s for s, _, _, _ in quads.quads((None, RDF.type, ZZ.Observation, None))}
    subjects = {str(s) for s, _, _, _ in quads.quads((None, None, None, None))}
    pages = {iri for iri in subjects if iri.startswith(BASE + "id/") and "#" not in iri}
    with views_app.test_request_context("/"):
        assert catalogue().figure_count() == len(observations)
        assert catalogue().page_count() == len(pages)
    button = views_app.test_client().get("/?lang=en")
    hrefs = {a.get("href"): text(a) for a in page(button).iter("a")}
    assert hrefs["/figures"].endswith(f"({len(observations)})")


def test_names_and_types_read_together_are_those_read_one_by_one(built):
    """A page showing many things reads their names and types in one lookup each: the same
    labels, aliases and types, in the same order, as reading each thing alone."""
    index = Path(built.out_dir) / "index.sqlite"
    alone, together = Catalogue(index), Catalogue(index)
    places, industries = (together.members(str(cls), limit=100) for cls in (ZZ.Place, ZZ.Industry))
    iris = places + industries + [BASE + "id/nothing-here"]
    together.remember_names(iris)
    types = together.types_of(iris)
    together.rows = None  # the names are all in the cache: any further read would fail
    for iri in iris:
        assert together.labels(iri) == alone.labels(iri)
        assert together.aliases(iri) == alone.aliases(iri)
        assert types.get(iri, []) == alone.types(iri)
    assert len(iris) > 10 and any(alone.aliases(iri) for iri in iris)


def test_a_class_page_lists_its_instances(client):
    root = page(client.get("/class/zz:Industry?lang=en"))
    assert "/id/industry/new-energy-vehicles" in links(root.find(".//ul[@class='instances']"))
    assert "Industry" in text(root.find(".//title"))


def test_a_class_page_includes_subclass_instances(client):
    root = page(client.get("/class/zz:Place"))
    assert "/id/place/zhengzhou" in links(root.find(".//ul[@class='instances']"))


def pager_link(root, rel: str) -> str | None:
    found = root.find(f".//nav[@class='pager']/a[@rel='{rel}']")
    return found.get("href") if found is not None else None


def test_class_pages_follow_one_another_by_keyset(client, built, monkeypatch):
    """Next and previous links page through every instance once, in IRI order, and say which
    page of how many each is."""
    from server.views import home

    monkeypatch.setattr(home, "PAGE_SIZE", 7)
    graph = Graph().parse(Path(built.dumps_dir) / "zzkg.nt")
    expected = sorted(str(s) for s in graph.subjects(RDF.type, ZZ.Observation))
    seen, pages, url = [], [], "/class/zz:Observation?lang=en"
    while url:
        root = page(client.get(url))
        seen += [a.get("href") for a in root.findall(".//ul[@class='instances']//a")]
        pages.append(text(root.find(".//nav[@class='pager']/span")))
        url = pager_link(root, "next")
    assert seen == [iri.replace(BASE, "/") for iri in expected]
    count = -(-len(expected) // 7)
    assert pages == [f"{n} / {count}" for n in range(1, count + 1)]
    back = page(client.get(pager_link(root, "prev")))
    assert text(back.find(".//nav[@class='pager']/span")) == f"{count - 1} / {count}"


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


def test_the_build_writes_the_page_index_beside_the_store(built):
    """index.sqlite beside store/ and dumps/, with the graph's labels and class members."""
    from rdflib import RDFS, SKOS

    index = Path(built.out_dir) / "index.sqlite"
    assert index.is_file() and index.parent == Path(built.store_dir).parent
    db = sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True)
    quads = Dataset().parse(Path(built.dumps_dir) / "zzkg.nq", format="nquads")
    void = void_graph(built)
    triples = [(s, p, o) for s, p, o, _ in quads.quads((None, None, None, None))] + list(void)
    expected = {
        (str(s), str(o))
        for s, p, o in triples
        if p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) and isinstance(s, URIRef)
    }
    assert set(db.execute("SELECT iri, text FROM labels")) == expected
    members = {row[0] for row in db.execute("SELECT iri FROM members WHERE class = ?", (ZZ.Place,))}
    assert {BASE + "id/place/zhengzhou", BASE + "id/place/china"} <= members  # City, Country
    db.close()


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client) -> list[list[str]]:
    """The URLs of each part of the sitemap index, part by part."""
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    index = ET.fromstring(response.get_data())
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = []
    for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS):
        part = client.get(loc.text.removeprefix("http://localhost"))
        assert part.status_code == 200 and part.mimetype == "application/xml"
        tree = ET.fromstring(part.get_data())
        parts.append([url.text for url in tree.findall("s:url/s:loc", SITEMAP_NS)])
    return parts


def test_the_sitemap_lists_every_entity_page(client, built):
    urls = [url for part in sitemap_urls(client) for url in part]
    assert "http://localhost/id/place/zhengzhou" in urls
    assert "http://localhost/article" in urls
    assert len(urls) == len(set(urls)) > 400
    assert not any("#" in url for url in urls)
    subjects = {
        str(s)
        for s in Graph().parse(Path(built.dumps_dir) / "zzkg.nt").subjects()
        if str(s).startswith(BASE + "id/") and "#" not in str(s)
    }
    assert {url.replace("http://localhost/", BASE) for url in urls} >= subjects


def test_the_sitemap_is_an_index_of_bounded_parts(client, monkeypatch):
    """Parts of at most SITEMAP_LIMIT URLs (50,000 in the sitemaps.org protocol), the same
    URLs as one part would list, each once; a part past the last is 404."""
    from server.views import downloads

    whole = sitemap_urls(client)
    assert len(whole) == 1
    monkeypatch.setattr(downloads, "SITEMAP_LIMIT", 100)
    parts = sitemap_urls(client)
    assert len(parts) == -(-len(whole[0]) // 100) > 1
    assert all(len(part) <= 100 for part in parts)
    assert [url for part in parts for url in part] == whole[0]
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


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
