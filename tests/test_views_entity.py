"""Entity pages: labels in both languages, types, links, observations with their quotes, relations
grouped and paged, charts, and the 404 page."""

import pytest
from views_support import BASE, find_by_id, link_header, links, page, text, with_class

NEV = "/id/industry/new-energy-vehicles"
ZHENGZHOU = "/id/place/zhengzhou"


def test_the_page_names_the_entity_in_the_language_asked(client):
    root = page(client.get(NEV + "?lang=en"))
    assert text(root.find(".//h1")) == "new energy vehicles"
    assert text(with_class(root, "other-name")[0]) == "新能源汽车"
    assert root.get("lang") == "en"
    assert "new energy vehicles" in text(root.find(".//title"))
    root = page(client.get(NEV + "?lang=zh"))
    assert text(root.find(".//h1")) == "新能源汽车"


def test_the_language_defaults_from_accept_language(client):
    root = page(client.get(NEV, headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert text(root.find(".//h1")) == "new energy vehicles"
    root = page(client.get(NEV, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}))
    assert text(root.find(".//h1")) == "新能源汽车"


def test_a_language_switch_links_to_the_other_language(client):
    root = page(client.get(NEV + "?lang=zh"))
    switch = with_class(root, "lang", "a")[0]
    assert switch.get("hreflang") == "en" and "lang=en" in switch.get("href")


def test_types_and_external_links_are_links(client):
    root = page(client.get(ZHENGZHOU + "?lang=en"))
    hrefs = links(root)
    assert "/ontology#City" in hrefs
    assert "http://www.wikidata.org/entity/Q30340" in hrefs
    assert "https://sws.geonames.org/1784658/" in hrefs


def observation_rows(root):
    table = with_class(root, "observations", "table")[0]
    return table.find("tbody").findall("tr")


def test_every_observation_shows_value_period_qualifier_and_its_quote(client):
    root = page(client.get(NEV + "?lang=en"))
    rows = observation_rows(root)
    assert len(rows) == 2
    (row,) = [r for r in rows if text(r.findall("td")[0]) == "vehicles produced"]
    cells = [text(cell) for cell in row.findall("td")]
    indicator, value, period, qualifier, written, quote = cells
    assert indicator == "vehicles produced"
    assert value == "529,000 vehicles"
    assert period == "January–November 2024"
    assert qualifier == "exact"
    assert written == "52.9万辆"
    assert text(row.find(".//mark")) == "52.9万辆"
    assert "今年1~11月,全市新能源汽车实际下线" in quote
    assert "/article?lang=en#q-1109-1134" in links(row)


def test_qualifiers_and_estimates_are_shown(client):
    root = page(client.get(ZHENGZHOU + "?lang=en"))
    by_written = {
        text(row.findall("td")[4]): text(row.findall("td")[3]) for row in observation_rows(root)
    }
    assert by_written["800家以上"] == "at least"
    assert by_written["突破800亿元"].startswith("more than")
    assert by_written["突破800亿元"].endswith("estimated")


def test_relations_are_grouped_by_property_with_counts(client):
    root = page(client.get(NEV + "?lang=en"))
    outgoing = find_by_id(root, "outgoing")
    broader = find_by_id(outgoing, "out:http://www.w3.org/2004/02/skos/core#broader")
    assert text(broader.find("th")) == "broader"  # words, not skos:broader, and no "(1)"
    assert "/id/industry/automotive" in links(broader)


def test_long_lists_are_paged(client):
    article = "/id/article/zhengzhou-2024-economy"
    root = page(client.get(article + "?lang=en"))
    key = "in:http://www.w3.org/ns/prov#wasDerivedFrom"
    group = find_by_id(root, key)
    count = int(text(with_class(group, "count", "span")[0]).strip("()"))
    assert count > 25
    assert len(group.find(".//ul").findall("li")) == 25
    next_link = next(href for href in links(group) if "page=2" in href)
    second = page(client.get(next_link))
    rest = find_by_id(second, key).find(".//ul").findall("li")
    assert 0 < len(rest) <= 25
    first_items = {text(li) for li in group.find(".//ul").findall("li")}
    assert first_items.isdisjoint({text(li) for li in rest})


def test_comparable_figures_are_charted_as_svg(client):
    root = page(client.get(ZHENGZHOU + "?lang=en"))
    charts = root.findall(".//figure")
    assert charts
    bars = charts[0].findall(".//{http://www.w3.org/2000/svg}rect")
    assert len(bars) >= 2
    growth = page(client.get("/id/indicator/growth-rate?lang=en"))
    assert growth.find(".//h1") is not None


def test_an_indicator_page_lists_all_its_observations(client):
    root = page(client.get("/id/indicator/vehicles-produced?lang=en"))
    table = find_by_id(root, "indicator-observations")
    rows = table.find(".//tbody").findall("tr")
    assert len(rows) >= 1
    assert any("/id/industry/new-energy-vehicles" in links(row) for row in rows)


def test_a_quote_page_shows_the_quote_in_context(client, built):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(built.store_dir))
    (row,) = store.query(
        "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?prefix ?exact ?suffix WHERE { GRAPH ?g {"
        f" <{BASE}id/quote/1109-1134#text> oa:prefix ?prefix ; oa:exact ?exact ; oa:suffix ?suffix }} }}"
    )
    root = page(client.get("/id/quote/1109-1134?lang=en"))
    assert text(root.find(".//h1")) == f"“{row['exact'].value}”"
    assert "1109-1134" not in text(root.find(".//title"))
    assert text(with_class(root, "exact", "dd")[0]) == row["exact"].value
    assert text(with_class(root, "prefix", "dd")[0]).endswith(row["prefix"].value)
    assert text(with_class(root, "suffix", "dd")[0]).startswith(row["suffix"].value)
    assert "1109–1134" in text(find_by_id(root, "position"))
    assert "/article?lang=en#q-1109-1134" in links(find_by_id(root, "position"))
    assert find_by_id(root, "text") is not None  # the #text selector's anchor


def test_pages_name_quotes_by_their_words_and_statements_by_their_sentence(client):
    root = page(client.get("/id/route/zhengzhou-paris-air-cargo?lang=en"))
    said = find_by_id(root, "statements")
    assert "Zhengzhou–Paris air cargo route — destination — Paris" in text(said)
    assert "新开郑州至法国巴黎" in text(said.find(".//blockquote"))
    assert "rdf:subject" not in text(root.find(".//main"))
    assert "1460-1469" not in text(root.find(".//main"))
    title = text(root.find(".//title"))
    statement = page(
        client.get(
            "/id/statement/route.zhengzhou-paris-air-cargo--destination--place.paris?lang=en"
        )
    )
    assert text(statement.find(".//h1")) == "Zhengzhou–Paris air cargo route — destination — Paris"
    assert "/id/place/paris" in links(with_class(statement, "statement-sentence")[0])
    assert title


def test_pages_link_their_rdf_forms(client):
    response = client.get(NEV)
    root = page(response)
    alternates = {
        element.get("type"): element.get("href")
        for element in root.iter("link")
        if element.get("rel") == "alternate"
    }
    assert alternates == {
        "text/turtle": NEV + ".ttl",
        "application/ld+json": NEV + ".jsonld",
        "application/n-triples": NEV + ".nt",
        "application/rdf+xml": NEV + ".rdf",
    }
    assert link_header(response) == alternates


@pytest.mark.parametrize("path", ["/id/place/atlantis", "/id/nothing", "/id/place/zhengzhou/x"])
def test_unknown_iris_get_a_404_page(client, path):
    root = page(client.get(path, headers={"Accept": "text/html"}), status=404)
    assert "404" in text(root.find(".//h1"))
    assert path in text(root.find(".//main"))


def test_unknown_iris_get_a_plain_404_for_machines(client):
    response = client.get("/id/place/atlantis", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_every_entity_in_the_graph_has_a_page(client, built):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(built.store_dir))
    subjects = {
        row["s"].value
        for row in store.query(
            f'SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{BASE}id/")'
            ' && !CONTAINS(STR(?s), "#")) }'
        )
    }
    kinds = {}
    for iri in sorted(subjects):
        kinds.setdefault(iri[len(BASE) :].split("/")[1], iri)
    for iri in kinds.values():
        root = page(client.get("/" + iri[len(BASE) :] + "?lang=en"))
        assert text(root.find(".//h1"))


def test_relations_link_to_the_quote_that_states_them(client):
    root = page(client.get("/id/route/zhengzhou-paris-air-cargo?lang=en"))
    group = find_by_id(root, "out:https://zzkg.example.org/ontology#destination")
    assert "/id/place/paris" in links(group)
    assert any(href.startswith("/article#q-") for href in links(group))


def test_an_observation_page_marks_its_figure_in_its_quote(client):
    root = page(client.get("/id/observation/nev-output-2024-jan-nov?lang=en"))
    assert [text(mark) for mark in root.iter("mark")] == ["52.9万辆"]


@pytest.mark.parametrize(("lang", "unit"), [("en", "vehicles (辆; number)"), ("zh", "辆（个数）")])
def test_an_observation_page_names_its_unit_in_words(client, lang, unit):
    root = page(client.get(f"/id/observation/nev-output-2024-jan-nov?lang={lang}"))
    assert text(with_class(root, "unit", "dd")[0]) == unit
    assert "unit:NUM" not in text(root.find(".//main"))


@pytest.mark.parametrize(
    "path, prop",
    [
        ("place/zhengzhou", "https://schema.org/description"),
        ("indicator/growth-rate", "http://www.w3.org/2004/02/skos/core#definition"),
        ("observation/nev-output-2024-jan-nov", "https://zzkg.example.org/ontology#valueAsWritten"),
    ],
)
def test_texts_read_from_the_statements_are_those_read_alone(client, monkeypatch, path, prop):
    """An entity page takes its description, definition and written figure from the outgoing
    statements it has read (no round trip of their own), unless those were cut at the cap: then
    it reads them alone. Either way, the same texts."""
    from server.views import describe

    iri = BASE + "id/" + path
    with client.application.app_context():
        alone = describe.texts(iri, prop)
        rows = describe.triples_of(iri, incoming=False)
        from_rows = describe.texts(iri, prop, rows)
        # rows cut at the cap before reaching `prop`: the texts must be read alone
        others = [row for row in rows if row["p"]["value"] != prop]
        monkeypatch.setattr(describe, "MAX_STATEMENTS", len(others))
        when_cut = describe.texts(iri, prop, others)
    assert alone and alone == from_rows == when_cut
