"""The all-figures table (/figures) and its CSV and JSON forms, against the graph itself; and
the figures as every page states them: signed falls, bounds, caveats beside the figure."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from views_support import BASE, ZZ, find_by_id, links, page, text, with_class

PREFIXES = f"PREFIX zz: <{ZZ}> "


def graph_figures(store, where: str = "") -> dict[str, float | None]:
    """Observation IRI -> its zz:value (None if it has none), straight from the store."""
    rows = store.query(
        PREFIXES + "SELECT ?obs ?value WHERE { GRAPH ?g { ?obs a zz:Observation "
        f"OPTIONAL {{ ?obs zz:value ?value }} {where} }} }}"
    )
    return {row["obs"].value: float(row["value"].value) if row["value"] else None for row in rows}


def csv_rows(client, query: str = "") -> list[dict]:
    response = client.get("/figures.csv" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_table_csv_and_json_hold_every_observation_of_the_graph(client, store):
    expected = graph_figures(store)
    root = page(client.get("/figures?lang=en"))
    shown = [row.get("data-iri") for row in root.find(".//table").find("tbody").findall("tr")]
    assert sorted(shown) == sorted(expected)
    rows = csv_rows(client)
    assert {row["iri"]: float(row["value"]) if row["value"] else None for row in rows} == expected
    body = client.get("/figures.json").get_json()
    assert body["count"] == len(expected)
    assert {row["iri"]: row["value"] for row in body["rows"]} == expected


@pytest.mark.parametrize(
    ("facet", "key", "where"),
    [
        ("entity", "place/zhengzhou", f"?obs zz:about <{BASE}id/place/zhengzhou>"),
        ("qualifier", "zz:Exact", "?obs zz:qualifier zz:Exact"),
        ("status", "zz:Estimated", "?obs zz:status zz:Estimated"),
        ("period", "none", "FILTER NOT EXISTS { ?obs zz:period ?p }"),
    ],
)
def test_a_filtered_view_and_its_downloads_hold_the_same_rows(client, store, facet, key, where):
    expected = graph_figures(store, where)
    assert expected
    root = page(client.get(f"/figures?lang=en&{facet}={key}"))
    rows = root.find(".//table").find("tbody").findall("tr")
    assert sorted(row.get("data-iri") for row in rows) == sorted(expected)
    assert text(find_by_id(root, "row-count")) == str(len(expected))
    for name in ("as-csv", "as-json"):
        link = find_by_id(root, name).get("href")
        assert parse_qs(urlsplit(link).query)[facet] == [key]
    csv_link = find_by_id(root, "as-csv").get("href")
    assert sorted(row["iri"] for row in csv_rows(client, "?" + urlsplit(csv_link).query)) == sorted(
        expected
    )
    json_link = find_by_id(root, "as-json").get("href")
    body = client.get(json_link).get_json()
    assert sorted(row["iri"] for row in body["rows"]) == sorted(expected)


def test_facet_counts_are_the_counts_of_the_rows_shown(client, store):
    root = page(client.get("/figures?lang=en&entity=place/zhengzhou"))
    status = find_by_id(root, "facet-status")
    counts = {
        li.find("a").get("data-key"): int(text(li.find("span")))
        for li in status.iter("li")
        if li.find("a") is not None and li.find("a").get("data-key")
    }
    expected = {}
    for name in ("Reported", "Estimated"):
        where = f"?obs zz:about <{BASE}id/place/zhengzhou> ; zz:status zz:{name}"
        expected["zz:" + name] = len(graph_figures(store, where))
    assert counts == expected


def test_the_table_sorts_by_value(client):
    rows = csv_rows(client, "?sort=value&entity=place/zhengzhou")
    values = [float(row["value"]) for row in rows if row["value"]]
    assert values == sorted(values) and values[0] < 0
    down = csv_rows(client, "?sort=value&desc=1&entity=place/zhengzhou")
    assert [float(row["value"]) for row in down if row["value"]] == sorted(values, reverse=True)


def test_falls_show_their_sign_everywhere(client, store):
    falls = graph_figures(store, "?obs zz:value ?v FILTER(?v < 0)")
    assert len(falls) >= 2
    for lang, sign in (("en", "\u2212"), ("zh", "下降")):
        table = page(client.get(f"/figures?lang={lang}"))
        city = page(client.get(f"/id/place/zhengzhou?lang={lang}"))
        for iri in falls:
            row = next(r for r in table.iter("tr") if r.get("data-iri") == iri)
            assert text(with_class(row, "figure")[0]).startswith(sign), (lang, iri)
            obs = page(client.get(iri[len(BASE) - 1 :] + f"?lang={lang}"))
            assert sign in text(with_class(obs, "figure-sentence")[0])
        bars = [text(t) for t in with_class(city, "bar-value")]
        assert bars and all(value.startswith(sign) for value in bars if "17.3" in value)
        assert any("17.3" in value for value in bars)


def test_the_home_page_leads_to_the_figures(client):
    root = page(client.get("/?lang=en"))
    assert "/figures" in links(find_by_id(root, "start-figures"))
    assert "/article" in links(find_by_id(root, "start-article"))


def assumed(store, kind: str) -> dict[str, str]:
    """Fact IRI -> what it is about, for the facts whose period the build assumed."""
    rows = store.query(
        PREFIXES + f"SELECT ?f ?about WHERE {{ GRAPH ?g {{ ?f a zz:{kind} ; "
        "zz:periodBasis zz:Inferred ; zz:periodNote ?note OPTIONAL { ?f zz:about ?about } } }"
    )
    return {row["f"].value: row["about"].value if row["about"] else "" for row in rows}


def marks(element) -> list[str]:
    return [text(mark) for mark in with_class(element, "caveat-assumed")]


@pytest.mark.parametrize(("lang", "word"), [("zh", "时期推定"), ("en", "period assumed")])
def test_an_assumed_period_is_shown_as_assumed_wherever_the_figure_is(client, store, lang, word):
    figures_assumed = assumed(store, "Observation")
    assert len(figures_assumed) >= 10
    table = page(client.get(f"/figures?lang={lang}"))
    rows = {row.get("data-iri"): row for row in table.iter("tr") if row.get("data-iri")}
    for iri in figures_assumed:
        assert marks(rows[iri]) == [word], iri
        own = page(client.get(iri[len(BASE) - 1 :] + f"?lang={lang}"))
        assert word in marks(with_class(own, "figure-sentence")[0])
        assert with_class(own, "caveat-note"), iri  # the reason, in words
    stated = [iri for iri in rows if iri not in figures_assumed]
    assert stated and all(not marks(rows[iri]) for iri in stated)
    article = page(client.get(f"/article?lang={lang}"))
    for iri in figures_assumed:
        (item,) = [li for li in article.iter("li") if iri[len(BASE) - 1 :] in links(li)][:1]
        assert word in marks(item), iri


def test_an_assumed_period_of_a_claim_is_shown_on_its_page(client, store):
    claims = assumed(store, "Claim")
    assert claims
    article = page(client.get("/article?lang=zh"))
    for iri in claims:
        items = [li for li in article.iter("li") if iri[len(BASE) - 1 :] in links(li)]
        assert items and all("时期推定" in marks(li) for li in items), iri
    for iri, about in list(claims.items())[:10]:
        own = page(client.get(iri[len(BASE) - 1 :] + "?lang=zh"))
        assert "时期推定" in marks(with_class(own, "claim-sentence")[0])
        if about:
            listing = page(client.get(about[len(BASE) - 1 :] + "?lang=zh"))
            item = next(
                li
                for li in find_by_id(listing, "claims").iter("li")
                if iri[len(BASE) - 1 :] in links(li)
            )
            assert "时期推定" in marks(item)
