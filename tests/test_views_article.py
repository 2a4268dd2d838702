"""The article view: the mended text in full, every quote marked and linked, a panel per paragraph."""

import pytest
from views_support import BASE, find_by_id, links, page, text, with_class


@pytest.fixture(scope="module")
def article(views_app):
    return page(views_app.test_client().get("/article?lang=en"))


def quotes(store):
    rows = store.query(
        "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX zz: <https://zzkg.example.org/ontology#>"
        " SELECT ?s ?e ?exact WHERE { GRAPH ?g { ?q a zz:Quote ; oa:hasSelector ?p, ?t ."
        " ?p oa:start ?s ; oa:end ?e . ?t oa:exact ?exact } }"
    )
    return [(int(row["s"].value), int(row["e"].value), row["exact"].value) for row in rows]


def mended_text(store):
    rows = store.query(
        "PREFIX schema: <https://schema.org/> SELECT ?t WHERE { GRAPH ?g { ?a schema:text ?t } }"
    )
    return next(iter(rows))["t"].value


def test_the_paragraphs_hold_the_mended_text_exactly(article, store):
    paragraphs = with_class(article, "text")
    text_of_page = [text(p) for p in paragraphs]
    lines = [line for line in mended_text(store).split("\n") if line.strip()]
    assert text_of_page == [line.strip() for line in lines]


def test_every_quote_has_an_anchor_at_its_place(article, store):
    text_ = mended_text(store)
    for start, end, exact in quotes(store):
        assert text_[start:end] == exact
        anchor = find_by_id(article, f"q-{start}-{end}")
        assert anchor is not None, (start, end, exact)


def test_every_quoted_character_is_marked(article, store):
    marked = "".join(text(mark) for mark in article.iter("mark"))
    for _, _, exact in quotes(store):
        assert exact[:4] in marked


def test_marks_link_to_what_the_graph_holds(article):
    targets = [a.get("href") for a in with_class(article, "q", "a")]
    assert "/id/observation/nev-output-2024-jan-nov" in targets
    assert all(target.startswith("/id/") for target in targets)


SECTION_HEADINGS = [
    "创新郑州 “科里科气”惹人迷",
    "活力郑州 生机勃勃动力足",
    "开放郑州 张开双臂欢迎您",
    "环境郑州 这座城市“颜值”高",
    "平安郑州 共建和谐大家庭",
]


def test_section_headings_are_headings_without_a_panel(article):
    headings = with_class(article, "section-heading")
    assert [text(h) for h in headings] == SECTION_HEADINGS
    assert {h.tag for h in headings} == {"h2"}
    for section in with_class(article, "heading", "section"):
        assert not with_class(section, "panel")


def test_a_panel_lists_the_facts_of_each_paragraph(article):
    panels = with_class(article, "panel", "aside")
    with_facts = [s for s in with_class(article, "para", "section") if with_class(s, "panel")]
    assert len(panels) == len(with_facts) >= 15
    assert not any("No facts recorded" in text(panel) for panel in panels)
    observations = [links(panel) for panel in panels]
    assert any("/id/observation/nev-output-2024-jan-nov" in found for found in observations)
    assert any("/id/industry/new-energy-vehicles" in found for found in observations)
    for panel in panels:
        for href in links(panel):
            assert href.startswith(("/id/", "#q-")), href


def test_the_article_page_links_its_entity_rdf(views_app):
    response = views_app.test_client().get("/article")
    assert "/id/article/zhengzhou-2024-economy.ttl" in response.headers["Link"]
    assert BASE  # the article's IRI is under the base


@pytest.mark.parametrize("path", ["/article?lang=en", "/id/article/zhengzhou-2024-economy?lang=en"])
def test_the_article_and_its_page_carry_a_citation_block(views_app, store, path):
    import json

    root = page(views_app.test_client().get(path))
    cite = find_by_id(root, "cite")
    assert text(with_class(cite, "byline")[0]) == "记者 王治 翟宝宽/文 · 李新华/图"
    latest = next(
        iter(
            store.query(
                "PREFIX zz: <https://zzkg.example.org/ontology#>"
                " SELECT ?d WHERE { GRAPH ?g { ?a zz:latestDateStated ?d } }"
            )
        )
    )["d"].value
    assert cite.find(".//time").get("datetime") == latest == "2024-12-21"
    assert "gives no date" in text(with_class(cite, "article-date")[0])
    version = next(
        iter(
            store.query(
                "PREFIX owl: <http://www.w3.org/2002/07/owl#>"
                f" SELECT ?v WHERE {{ GRAPH ?g {{ <{BASE}dataset> owl:versionInfo ?v }} }}"
            )
        )
    )["v"].value
    (item,) = json.loads(text(with_class(cite, "cite-csl")[0]))
    assert item["type"] == "dataset" and item["URL"] == BASE + "dataset"
    assert item["version"] == version
    bibtex = text(with_class(cite, "cite-bibtex")[0])
    assert bibtex.startswith("@misc{zzkg,") and f"version = {{{version}}}" in bibtex
    assert BASE + "dataset" in text(with_class(cite, "cite-text")[0])
