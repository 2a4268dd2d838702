"""The Host header is not trusted: redirects, the sitemap and the service description name the
configured public URL (by default the address served); every response carries the security
headers, with a Content-Security-Policy the query UI works under (tests/test_views_browser.py
runs YASGUI under it and finds no console error)."""

import html5lib
import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from sparql_support import LiveServer

from server import hygiene

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLIC = "https://data.example.org"


@pytest.fixture(scope="module")
def public(sparql_store):
    live = LiveServer.start(sparql_store, "--public-url", PUBLIC)
    yield live
    live.stop()


def sitemap_locations(server) -> list[str]:
    from xml.etree import ElementTree

    response = requests.get(server.url + "/sitemap.xml", headers=EVIL, timeout=60)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


@pytest.mark.parametrize("which, expected", [("embedded_server", None), ("public", PUBLIC)])
def test_a_forged_host_changes_no_url(request, which, expected):
    server = request.getfixturevalue(which)
    origin = expected or server.url
    redirect = requests.get(server.url + "/class", headers=EVIL, allow_redirects=False, timeout=60)
    assert redirect.status_code in (301, 308)
    assert redirect.headers["Location"] in ("/class/", origin + "/class/")
    locations = sitemap_locations(server)
    assert locations and all(location.startswith(origin + "/") for location in locations)
    description = requests.get(
        server.endpoint, headers={**EVIL, "Accept": "text/turtle"}, timeout=60
    )
    graph = Graph().parse(data=description.text, format="turtle")
    assert set(graph.objects(None, SD.endpoint)) == {URIRef(origin + "/sparql")}


def test_the_downloads_page_names_no_forged_host(embedded_server):
    page = requests.get(embedded_server.url + "/downloads", headers=EVIL, timeout=60)
    document = html5lib.parse(page.text, namespaceHTMLElements=False)
    links = [a.get("href") for a in document.iter("a") if a.get("href")]
    assert links and not any("evil.example" in link for link in links)


@pytest.mark.parametrize(
    "path", ["/", "/query", "/sparql?query=ASK%7B%7D", "/id/place/zhengzhou", "/nowhere"]
)
def test_every_response_has_the_security_headers(embedded_server, path):
    response = requests.get(embedded_server.url + path, timeout=60)
    for name, value in hygiene.SECURITY_HEADERS.items():
        assert response.headers[name] == value, (path, name)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'none'" and policy["script-src"] == "'self'"


def test_a_bad_public_url_is_refused():
    with pytest.raises(ValueError, match="public URL"):
        hygiene.PublicHost(None, "data.example.org")
