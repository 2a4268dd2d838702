"""Helpers for the views tests: parse pages with html5lib (strictly), read RDF with rdflib."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import html5lib
from rdflib import Graph

BASE = "https://zzkg.example.org/"
ZZ = BASE + "ontology#"
HTML_TYPE = "text/html"
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
EXTENSIONS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


def page(response, *, status: int = 200) -> Element:
    """The response's HTML parsed strictly (a parse error fails the test), as an element tree."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == HTML_TYPE
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(response.get_data(as_text=True))


def text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def links(root: Element) -> list[str]:
    return [a.get("href") for a in root.iter("a") if a.get("href")]


def find_by_id(root: Element, ident: str) -> Element | None:
    return next((element for element in root.iter() if element.get("id") == ident), None)


def with_class(root: Element, name: str, tag: str | None = None) -> list[Element]:
    return [element for element in root.iter(tag) if name in (element.get("class") or "").split()]


def graph_of(response) -> Graph:
    """The response body parsed by rdflib in the format its Content-Type names."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    graph = Graph()
    graph.parse(data=response.get_data(), format=RDF_TYPES[response.mimetype])
    return graph


def link_header(response) -> dict[str, str]:
    """The HTTP Link header as {media type: target}."""
    found = {}
    for part in response.headers.get("Link", "").split(","):
        if not part.strip():
            continue
        target, *params = part.split(";")
        fields = dict(p.strip().split("=", 1) for p in params if "=" in p)
        found[fields.get("type", "").strip('"')] = target.strip().strip("<>")
    return found
