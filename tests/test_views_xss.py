"""XSS probes: markup in the data, in the query string, in the path and in example queries is
shown as text, never run; plus a graph with no VoID description still renders."""

import json

import pyoxigraph as ox
import pytest
from views_support import page, text

from server import create_app

EVIL = "<script>alert(1)</script>"
TRIG = """
@prefix zz: <https://zzkg.example.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix id: <https://zzkg.example.org/id/> .
<https://zzkg.example.org/graph/kg> {
  id:place\\/evil a zz:Place ;
      rdfs:label "<script>alert(1)</script>"@en , "<img src=x onerror=alert(1)>"@zh ;
      schema:description "\\"><script>alert(2)</script>"@en ;
      owl:sameAs <javascript:alert(1)> ;
      zz:hasQuote <https://zzkg.example.org/id/quote/0-10> .
  <https://zzkg.example.org/id/article/a> a zz:Article ;
      rdfs:label "<b>headline</b>"@en ;
      schema:text "<script>x</script> and more\\n\\nsecond <i>paragraph</i>" .
  <https://zzkg.example.org/id/quote/0-10> a zz:Quote ; rdf:value "<script>x<"@zh ;
      oa:hasSelector <https://zzkg.example.org/id/quote/0-10#position> .
  <https://zzkg.example.org/id/quote/0-10#position> oa:start 0 ; oa:end 10 .
  <https://zzkg.example.org/id/observation/evil> a zz:Observation ;
      zz:about id:place\\/evil ; zz:indicator <https://zzkg.example.org/id/indicator/evil> ;
      zz:value 1 ; zz:unit unit:NUM ; zz:valueAsWritten "<script>x<"@zh ;
      zz:hasQuote <https://zzkg.example.org/id/quote/0-10> .
  <https://zzkg.example.org/id/indicator/evil> a zz:Indicator ;
      rdfs:label "</td><script>alert(3)</script>"@en .
}
"""


@pytest.fixture(scope="module")
def evil_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    store = ox.Store(str(folder / "store"))
    store.load(TRIG.encode(), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    queries = folder / "queries"
    queries.mkdir()
    (queries / "01-evil.rq").write_text(
        f"# title@zh: {EVIL}\n# title@en: </script>{EVIL}\nSELECT * WHERE {{ ?s ?p '</script>' }}\n"
    )
    app = create_app(
        {"STORE_DIR": str(folder / "store"), "QUERY_WORKERS": 1, "QUERIES_DIR": str(queries)}
    )
    yield app.test_client()
    app.extensions["zzkg.pool"].close()


def scripts(root):
    """Every script element must be one of ours: a local file, the JSON config or the page's
    schema.org JSON-LD, whose text is JSON data (the markup in it escaped, never closing it)."""
    for script in root.iter("script"):
        src = script.get("src")
        kind = script.get("type")
        assert (src and src.startswith("/static/")) or kind in (
            "application/json",
            "application/ld+json",
        ), text(script)
        if kind == "application/ld+json":
            assert json.loads(script.text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markup_in_labels_and_descriptions_is_text(evil_client, lang):
    root = page(evil_client.get(f"/id/place/evil?lang={lang}"))
    scripts(root)
    assert text(root.find(".//h1")) in (EVIL, "<img src=x onerror=alert(1)>")
    assert root.find(".//img") is None
    assert not any(a.get("href", "").startswith("javascript:") for a in root.iter("a"))
    assert "<script>alert(2)</script>" in text(root.find(".//main"))
    assert "</td><script>alert(3)</script>" in text(root.find(".//table"))
    ld = next(s for s in root.iter("script") if s.get("type") == "application/ld+json")
    assert EVIL in {name["@value"] for name in json.loads(ld.text)["name"]}


def test_markup_in_the_article_text_is_text(evil_client):
    root = page(evil_client.get("/article"))
    scripts(root)
    assert root.find(".//i") is None
    assert "<script>x</script> and more" in text(root.find(".//main"))


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/id/place/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/id/place/evil?lang=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        "/?lang=%3Cscript%3E",
        "/class/zz:Place?page=%3Cscript%3E",
        "/id/place/evil?group=%3Cscript%3E&page=2",
    ],
)
def test_markup_in_requests_is_text(evil_client, path):
    response = evil_client.get(path, headers={"Accept": "text/html"})
    root = page(response, status=response.status_code)
    scripts(root)


def test_search_results_carry_markup_as_data(evil_client):
    results = evil_client.get("/api/search?q=script&lang=en").get_json()["results"]
    (place,) = [result for result in results if result["url"] == "/id/place/evil"]
    assert place["label"] == EVIL
    assert any(result["figure"] == "1 (<script>x<), no period given" for result in results)
    root = page(evil_client.get("/search?q=script&lang=en"))
    scripts(root)
    assert EVIL in text(root.find(".//ol"))


def test_example_queries_cannot_break_out_of_the_page(evil_client):
    root = page(evil_client.get("/query?lang=en"))
    scripts(root)
    option = next(opt for opt in root.iter("option") if opt.get("value") == "01-evil")
    assert text(option) == "</script>" + EVIL


def test_a_graph_without_void_still_renders_home_and_downloads(evil_client):
    page(evil_client.get("/"))
    page(evil_client.get("/downloads"))
