"""Search: Chinese substrings, English in any case, aliases; ranked, typed, linked; JSON API."""

import pytest
from views_support import links, page, text, with_class

from kg import pageindex
from server.views import search
from server.views.catalogue import Catalogue, catalogue
from server.views.search import Index, ngrams

RAILWAY = "/id/service/china-europe-railway-express-zhengzhou"


def api(client, query, **params):
    response = client.get("/api/search", query_string={"q": query, **params})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()["results"]


def test_a_chinese_substring_finds_the_entity(client):
    results = api(client, "中欧")
    assert results[0]["url"] == RAILWAY
    assert results[0]["labels"]["zh"] == "中欧班列"


@pytest.mark.parametrize("query", ["zhengzhou", "ZHENGZHOU", "ZhengZhou"])
def test_english_is_case_insensitive(client, query):
    assert api(client, query, lang="en")[0]["url"] == "/id/place/zhengzhou"


def test_aliases_are_searched(client):
    assert "/id/industry/new-energy-vehicles" in [r["url"] for r in api(client, "nevs")]


def test_results_are_typed_and_in_the_language_asked(client):
    result = api(client, "中欧班列", lang="en")[0]
    assert result["label"] == "China-Europe Railway Express"
    assert result["types"][0]["iri"].endswith("#ChinaEuropeRailService")


def test_exact_matches_rank_before_longer_names(client):
    urls = [r["url"] for r in api(client, "郑州")]
    assert urls[0] == "/id/place/zhengzhou"
    assert len(urls) > 5


def test_limit_and_empty_queries(client):
    assert len(api(client, "郑州", limit=3)) == 3
    assert api(client, "") == []
    assert api(client, "   ") == []
    assert api(client, "qqqqxyz") == []


def test_the_search_page_lists_linked_results(client):
    root = page(client.get("/search", query_string={"q": "中欧", "lang": "zh"}))
    results = root.find(".//ol")
    assert RAILWAY in links(results)
    assert "中欧" in text(root.find(".//title"))


def test_the_search_box_is_an_accessible_combobox(client):
    root = page(client.get("/"))
    box = next(el for el in root.iter("input") if el.get("id") == "search-q")
    assert box.get("role") == "combobox"
    assert box.get("data-api") == "/api/search"
    assert next(el for el in root.iter("label") if el.get("for") == "search-q") is not None


def test_ngrams_cover_characters_and_bigrams():
    assert ngrams("中欧班列") == {"中", "欧", "班", "列", "中欧", "欧班", "班列"}
    assert ngrams("Ab c") == {"a", "b", "c", "ab", "bc"}


def test_the_index_ranks_exact_then_prefix_then_substring(tmp_path):
    names = [
        (f"x:{i}", label, "zh", 0, "entity") for i, label in enumerate(["欧洲", "中欧班列", "中欧"])
    ]
    hits = Index(Catalogue(pageindex.write_names(tmp_path / "index.sqlite", names))).search("中欧")
    assert [hit.matched for hit in hits] == ["中欧", "中欧班列"]


def test_on_the_real_graph_every_name_sharing_a_gram_is_scored(views_app):
    """Each of search's lookups reads at most CANDIDATES_PER_LOOKUP names. Every name any
    lookup finds has the query's characters, so while no character or bigram is in that many
    names (the real graph), no lookup is cut short: every name sharing a gram with the query is
    scored, as when the index was a dict of every name in memory."""
    with views_app.test_request_context("/"):
        rows = catalogue().rows("SELECT count(*) AS n FROM grams GROUP BY gram ORDER BY n DESC")
    assert 100 < rows[0][0] < search.CANDIDATES_PER_LOOKUP


class EveryName(Index):
    """Search scoring every name of the index: what the bounded lookups must find."""

    def candidates(self, folded, wanted, query_words, limit):
        rows = self.catalogue.rows(f"SELECT {search.NAME_COLUMNS} FROM names")
        return [
            search.Name(*row[1:4], bool(row[4]), *row[5:8], tuple(row[8].split())) for row in rows
        ]


def queries_from_names(texts: list[str]) -> list[str]:
    """Queries a reader types, from the graph's own names: whole names, their beginnings of one
    to five characters, pieces from their middle, their first words."""
    found = set()
    for name in texts:
        found |= {name, name[:1], name[:2], name[:3], name[:5], name[2:6]}
        found |= set(pageindex.words(name)[:1])
    return sorted(query for query in found if query.strip())


def test_on_the_real_graph_the_lookups_find_every_name_that_scores(views_app):
    """For queries made from the graph's names, the ranked hits (order, scores, the name that
    matched) are those of scoring every name of the index: at 50 results, and at 3, where the
    names containing a query often fill them and those sharing only bigrams are not read."""
    with views_app.test_request_context("/"):
        texts = [row[0] for row in catalogue().rows("SELECT text FROM names ORDER BY id")]
        queries = queries_from_names(texts[::10])
        bounded, everything = Index(catalogue()), EveryName(catalogue())
        for query in queries:
            for limit in (search.MAX_RESULTS, 3):
                expected = everything.search(query, limit=limit)
                assert bounded.search(query, limit=limit) == expected, (query, limit)
    assert len(queries) > 300


def test_the_prefix_lookup_reads_the_shortest_names_that_begin_with_the_query(views_app):
    """Cut to a few rows, the lookup of names beginning with the query (one, two or more
    characters) reads the first of them by number, shortest first, and no other."""
    with views_app.test_request_context("/"):
        names = catalogue().rows("SELECT id, folded FROM names ORDER BY id")
        for query in ["郑", "郑州", "郑州东", "郑州数据", "中欧班列", "n", "ne", "new air", "2024"]:
            where, args = search.begins_with(query, 5)
            found = [row[0] for row in catalogue().rows(f"SELECT id {where}", *args)]
            expected = [number for number, folded in names if folded.startswith(query)][:5]
            assert found == expected and found, query


URBAN_JOBS = "/id/observation/urban-jobs-created-2024"
TECH_CONTRACTS = "/id/observation/technology-contract-turnover-2024-estimate"


@pytest.mark.parametrize(
    ("query", "target"),
    [("城镇就业", URBAN_JOBS), ("13.1万", URBAN_JOBS), ("800亿", TECH_CONTRACTS)],
)
def test_figures_are_found_by_their_words_value_and_quote(client, query, target):
    results = api(client, query, lang="zh")
    assert results[0]["url"] == target
    assert results[0]["kind"] == "figure"
    assert results[0]["figure"].startswith(("13.1万人", "突破800亿元"))


def test_english_words_match_whole_words_only(client):
    urls = [r["url"] for r in api(client, "airport", lang="en")]
    assert not any("telecom" in url or "fraud" in url for url in urls)


def test_gdp_leads_with_the_gdp_figures(client):
    results = api(client, "GDP", lang="en")
    assert results[0]["kind"] == "figure" and "gdp" in results[0]["url"]


def test_a_figure_hit_on_the_search_page_shows_the_figure(client):
    root = page(client.get("/search?q=13.1万&lang=zh"))
    first = root.find(".//ol").find("li")
    assert first.get("data-kind") == "figure"
    assert text(with_class(first, "figure")[0]).startswith("13.1万人")
    assert text(with_class(first, "kind")[0]) == "数字"
