"""The reconciliation service, driven as OpenRefine 3.x drives it: against a live `zzkg serve`
(the call sequence: manifest with and without JSONP, form-encoded `queries=`, suggest, preview,
property proposals, form-encoded `extend=`), and through the Flask test client on every backend
(names from the article, types, properties, errors, the 1.0 draft's JSON routes). Every answer is
validated against the JSON schemas of tests/schemas/reconciliation/."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

import html5lib
import pyoxigraph as ox
import pytest
import requests
from reconcile_support import ZZ, entity, unwrap_jsonp, validate
from sparql_support import LiveServer

from kg import pageindex
from server.views.catalogue import Catalogue

ZHENGZHOU_UNIVERSITY = entity("institution/zhengzhou-university")
BYD = entity("company/byd")
RAILWAY_EXPRESS = entity("service/china-europe-railway-express-zhengzhou")
ZHENGZHOU = entity("place/zhengzhou")
PORT = entity("place/zhengzhou-port")
OPENREFINE_HEADERS = {"User-Agent": "OpenRefine/3.8.7", "Accept": "*/*"}


@pytest.fixture(scope="module")
def live(built):
    server = LiveServer.start(built.store_dir)
    try:
        yield server
    finally:
        server.stop()


def reconcile(client, queries: dict) -> dict:
    response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    answer = response.get_json()
    validate(answer, "0.2", "result-batch")
    assert set(answer) == set(queries)
    return answer


def top(client, text: str, **fields) -> list[dict]:
    return reconcile(client, {"q0": {"query": text, **fields}})["q0"]["result"]


# --- OpenRefine's call sequence against a live server --------------------------------------------


def test_openrefine_sequence_on_a_live_server(live, store):
    session = requests.Session()
    session.headers.update(OPENREFINE_HEADERS)
    endpoint = live.url + "/reconcile"

    # 1. Adding the service: the manifest, by JSONP (older OpenRefine) and plain GET.
    plain = session.get(endpoint, timeout=30)
    assert plain.status_code == 200 and plain.headers["Content-Type"].startswith("application/json")
    manifest = plain.json()
    validate(manifest, "0.2", "manifest")
    jsonp = session.get(endpoint, params={"callback": "jsonp1712345"}, timeout=30)
    assert jsonp.headers["Content-Type"].startswith("application/javascript")
    callback, wrapped = unwrap_jsonp(jsonp.text)
    assert callback == "jsonp1712345" and wrapped == manifest
    assert plain.headers["Access-Control-Allow-Origin"] == "*"
    default_types = {item["id"] for item in manifest["defaultTypes"]}
    assert {ZZ + "Company", ZZ + "University", ZZ + "City"} <= default_types

    # 2. Choosing a type: the type suggest service named by the manifest.
    type_service = manifest["suggest"]["type"]
    types = session.get(
        type_service["service_url"] + type_service["service_path"], params={"prefix": "Univ"}
    ).json()
    validate(types, "0.2", "suggest-response")
    assert types["result"][0]["id"] == ZZ + "University"

    # 3. Reconciling a column, in batches as OpenRefine sends them (form-encoded queries=).
    batch = {
        "q0": {"query": "郑州大学", "type": ZZ + "University", "type_strict": "should", "limit": 3},
        "q1": {"query": "BYD", "type": ZZ + "Company", "type_strict": "should", "limit": 3},
        "q2": {"query": "中欧班列", "limit": 3},
    }
    response = session.post(endpoint, data={"queries": json.dumps(batch, ensure_ascii=False)})
    assert response.status_code == 200
    results = response.json()
    validate(results, "0.2", "result-batch")
    matched = {key: results[key]["result"][0] for key in batch}
    assert matched["q0"]["id"] == ZHENGZHOU_UNIVERSITY and matched["q0"]["match"] is True
    assert matched["q1"]["id"] == BYD and matched["q1"]["match"] is True
    assert matched["q2"]["id"] == RAILWAY_EXPRESS and matched["q2"]["match"] is True

    # 4. The candidate's preview (the iframe) and view (the link) from the manifest's templates.
    preview = session.get(manifest["preview"]["url"].replace("{{id}}", quote(BYD, safe="")))
    assert preview.status_code == 200 and preview.headers["Content-Type"].startswith("text/html")
    card = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(preview.text)
    assert "".join(card.find(".//h1").itertext()).strip() in {"BYD", "比亚迪"}
    view = session.get(
        manifest["view"]["url"].replace("{{id}}", quote(BYD, safe="")), allow_redirects=False
    )
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/company/byd")
    assert session.get(live.url + view.headers["Location"]).status_code == 200

    # 5. Add columns from reconciled values: property proposals, then extend=.
    proposal = manifest["extend"]["propose_properties"]
    proposed = session.get(
        proposal["service_url"] + proposal["service_path"],
        params={"type": ZZ + "ChinaEuropeRailService", "limit": 30},
    ).json()
    validate(proposed, "0.2", "property-proposal")
    pids = {item["id"] for item in proposed["properties"]}
    wanted = ["obs:indicator", "obs:value", "obs:unit", "obs:period", "obs:qualifier", "obs:quote"]
    assert set(wanted) <= pids
    extended = session.post(
        endpoint,
        data={
            "extend": json.dumps(
                {"ids": [RAILWAY_EXPRESS, BYD], "properties": [{"id": pid} for pid in wanted]}
            )
        },
    ).json()
    validate(extended, "0.2", "extension-response")
    assert [item["id"] for item in extended["meta"]] == wanted
    rows = extended["rows"][RAILWAY_EXPRESS]
    expected = graph_observations(store, RAILWAY_EXPRESS)
    assert [value["id"] for value in rows["obs:quote"]] == [obs["quote"] for obs in expected]
    assert [value.get("float") for value in rows["obs:value"]] == [obs["value"] for obs in expected]
    assert [value["id"] for value in rows["obs:indicator"]] == [
        obs["indicator"] for obs in expected
    ]
    assert len({len(column) for column in rows.values()}) == 1  # aligned, one per observation
    assert all(values == [] for values in extended["rows"][BYD].values())  # no figures about BYD


def graph_observations(store: ox.Store, about: str) -> list[dict]:
    solutions = store.query(
        f"""PREFIX zz: <{ZZ}>
        SELECT ?obs ?value ?indicator ?quote WHERE {{ ?obs a zz:Observation ; zz:about <{about}> ;
        zz:indicator ?indicator ; zz:hasQuote ?quote OPTIONAL {{ ?obs zz:value ?value }} }}
        ORDER BY ?obs""",
        use_default_graph_as_union=True,
    )
    assert solutions
    return [
        {
            "value": float(row["value"].value) if row["value"] is not None else None,
            "indicator": row["indicator"].value,
            "quote": row["quote"].value,
        }
        for row in solutions
    ]


# --- names from the article, on every backend ----------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("郑州大学", ZHENGZHOU_UNIVERSITY),
        ("比亚迪", BYD),
        ("中欧班列", RAILWAY_EXPRESS),
        ("Zhengzhou University", ZHENGZHOU_UNIVERSITY),
        ("BYD", BYD),
        ("China-Europe Railway Express", RAILWAY_EXPRESS),
        ("  zhengzhou UNIVERSITY ", ZHENGZHOU_UNIVERSITY),  # case and spaces folded
        ("ＢＹＤ", BYD),  # full-width letters folded (NFKC)
    ],
)
def test_exact_names_match_unambiguously(client, name, expected):
    candidates = top(client, name)
    assert candidates[0]["id"] == expected
    assert candidates[0]["match"] is True and candidates[0]["score"] == 100
    assert [c["id"] for c in candidates if c["match"]] == [expected]
    assert all(c["score"] < 100 for c in candidates[1:])


def test_names_in_the_query_language(client):
    assert top(client, "BYD")[0]["name"] == "BYD"
    assert top(client, "比亚迪")[0]["name"] == "比亚迪"


@pytest.mark.parametrize("name", ["阿里巴巴", "Alibaba", "Peking University"])
def test_names_the_article_does_not_have_find_nothing_that_matches(client, name):
    assert not any(candidate["match"] for candidate in top(client, name))


def test_a_longer_name_is_a_candidate_but_not_a_match(client):
    candidates = top(client, "比亚迪汽车")
    assert candidates[0]["id"] == BYD
    assert candidates[0]["match"] is False and candidates[0]["score"] < 50


def with_name(index: Path, copy: Path, iri: str, text: str, lang: str) -> Path:
    """A copy of the page index with one more alias in its names (and their search tables)."""
    shutil.copyfile(index, copy)
    db = sqlite3.connect(copy)
    with db:
        (number,) = db.execute("SELECT max(id) + 1 FROM names").fetchone()
        row = pageindex.name_row(number, iri, text, lang, 1, "entity")
        db.execute(f"INSERT INTO names VALUES ({', '.join('?' * len(row))})", row)
        db.executemany(
            "INSERT INTO grams VALUES (?, ?)", ((g, number) for g in pageindex.ngrams(text))
        )
        for table in ("substring_search", "word_search"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    db.close()
    return copy


def test_a_name_shared_by_two_entities_matches_neither(views_app, client, tmp_path, monkeypatch):
    """The article has no namesakes, so one is added to a copy of the real index for this test."""
    real = views_app.extensions["zzkg.views.catalogue"]
    with views_app.test_request_context("/"):
        real.db()  # the remote backends write theirs on first use
    twin = with_name(
        real.path, tmp_path / "index.sqlite", entity("company/xfusion"), "比亚迪", "zh"
    )
    monkeypatch.setitem(views_app.extensions, "zzkg.views.catalogue", Catalogue(twin))
    candidates = top(client, "比亚迪")
    assert {c["id"] for c in candidates[:2]} == {BYD, entity("company/xfusion")}
    assert not any(c["match"] for c in candidates)


def test_type_restricts_candidates_with_subclasses(client):
    assert top(client, "郑州大学", type=ZZ + "Institution")[0]["match"] is True
    assert top(client, "郑州大学", type="zz:University")[0]["id"] == ZHENGZHOU_UNIVERSITY
    assert all(ZHENGZHOU != c["id"] for c in top(client, "郑州", type=ZZ + "Company"))
    companies = top(client, "郑州大学", type=ZZ + "Company")
    assert not any(c["id"] == ZHENGZHOU_UNIVERSITY for c in companies)


def test_limit(client):
    assert len(top(client, "郑州", limit=2)) == 2
    assert len(top(client, "郑州")) > 2


def test_properties_weigh_the_score_and_the_match(client):
    located = {"pid": "zz:locatedIn", "v": "郑州"}
    right = top(client, "郑州口岸", properties=[located])[0]
    assert right["id"] == PORT and right["match"] is True and right["score"] == 100
    by_id = top(client, "郑州口岸", properties=[{"pid": ZZ + "locatedIn", "v": {"id": ZHENGZHOU}}])
    assert by_id[0]["match"] is True
    wrong = top(client, "郑州口岸", properties=[{"pid": "zz:locatedIn", "v": "Paris"}])[0]
    assert wrong["id"] == PORT and wrong["match"] is False and wrong["score"] == 50
    features = {f["id"]: f["value"] for f in wrong["features"]}
    assert features[f"p:{ZZ}locatedIn"] is False and features["name_exact"] is True


def test_an_entity_iri_as_query_finds_that_entity(client):
    found = top(client, BYD)[0]
    assert found["id"] == BYD and found["match"] is True


def test_queries_by_get(client):
    response = client.get(
        "/reconcile", query_string={"queries": json.dumps({"a": {"query": "BYD"}})}
    )
    validate(response.get_json(), "0.2", "result-batch")
    assert response.get_json()["a"]["result"][0]["id"] == BYD


# --- suggest, preview, extension ------------------------------------------------------------------


def suggest(client, kind: str, prefix: str, version: str = "") -> list[dict]:
    response = client.get(f"/reconcile{version}/suggest/{kind}", query_string={"prefix": prefix})
    assert response.status_code == 200
    validate(response.get_json(), "0.2", "suggest-response")
    return response.get_json()["result"]


def test_suggest_entities_by_prefix(client):
    assert suggest(client, "entity", "中欧")[0]["id"] == RAILWAY_EXPRESS
    first = suggest(client, "entity", "BY")[0]
    assert first["id"] == BYD and {"id": ZZ + "Company", "name": "Company"} in first["notable"]
    assert suggest(client, "entity", "郑州大")[0]["id"] == ZHENGZHOU_UNIVERSITY
    assert suggest(client, "entity", "中欧", "/v1")[0]["id"] == RAILWAY_EXPRESS


def test_suggest_paging(client):
    first = client.get("/reconcile/suggest/entity", query_string={"prefix": "郑州", "limit": 50})
    everything = [item["id"] for item in first.get_json()["result"]]
    assert len(everything) > 12
    response = client.get("/reconcile/suggest/entity", query_string={"prefix": "郑州", "cursor": 2})
    assert [item["id"] for item in response.get_json()["result"]] == everything[2:12]


def test_suggest_types_and_properties(client):
    assert suggest(client, "type", "高校")[0]["id"] == ZZ + "University"
    assert suggest(client, "type", "Comp")[0]["id"] == ZZ + "Company"
    assert suggest(client, "property", "locat")[0]["id"] == ZZ + "locatedIn"
    assert "obs:value" in {item["id"] for item in suggest(client, "property", "value")}


def test_preview_card(client):
    response = client.get("/reconcile/preview", query_string={"id": RAILWAY_EXPRESS, "lang": "en"})
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(
        response.get_data(as_text=True)
    )
    assert "".join(root.find(".//h1").itertext()).strip() == "China-Europe Railway Express"
    rows = root.findall(".//table[@class='observations']/tr") or root.findall(
        ".//table[@class='observations']/tbody/tr"
    )
    assert 1 <= len(rows) <= 5
    assert client.get("/reconcile/preview", query_string={"id": BYD + "x"}).status_code == 404


def test_extension_of_graph_properties(client):
    response = client.post(
        "/reconcile",
        data={
            "extend": json.dumps(
                {"ids": [PORT], "properties": [{"id": "zz:locatedIn"}, {"id": "rdfs:label"}]}
            )
        },
    )
    answer = response.get_json()
    validate(answer, "0.2", "extension-response")
    assert answer["rows"][PORT]["zz:locatedIn"] == [{"id": ZHENGZHOU, "name": "郑州"}]
    labels = {value["str"] for value in answer["rows"][PORT]["rdfs:label"]}
    assert labels == {"郑州口岸", "Zhengzhou port of entry"}


def test_extension_observation_columns_line_up(client, store):
    columns = [f"obs:{name}" for name in ("observation", "value", "period", "period_start")]
    response = client.post(
        "/reconcile",
        data={
            "extend": json.dumps({"ids": [ZHENGZHOU], "properties": [{"id": c} for c in columns]})
        },
    )
    answer = response.get_json()
    validate(answer, "0.2", "extension-response")
    row = answer["rows"][ZHENGZHOU]
    observations = [value["id"] for value in row["obs:observation"]]
    count = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?o a <{ZZ}Observation> ; <{ZZ}about> <{ZHENGZHOU}> }}",
        use_default_graph_as_union=True,
    )
    assert len(observations) == int(next(count)["n"].value) == len(set(observations))
    for period, start in zip(row["obs:period"], row["obs:period_start"], strict=True):
        assert ("id" in period) == ("date" in start)


# --- the 1.0 draft's JSON routes -------------------------------------------------------------------


def test_draft_manifest_match_and_extend(client):
    manifest = client.get("/reconcile/v1").get_json()
    validate(manifest, "1.0-draft", "manifest")
    assert client.get("/reconcile/v1/").get_json() == manifest  # the endpoint with a slash
    queries = {
        "queries": [
            {"conditions": [{"matchType": "name", "v": "比亚迪"}]},
            {
                "conditions": [
                    {"matchType": "name", "v": "郑州口岸"},
                    {"matchType": "property", "pid": "zz:locatedIn", "v": "Zhengzhou"},
                ],
                "type": ZZ + "Place",
                "limit": 2,
                "lang": "en",
            },
            {"conditions": [{"matchType": "name", "v": "阿里巴巴"}]},
        ]
    }
    response = client.post("/reconcile/v1/match", json=queries)
    results = response.get_json()
    validate(results, "1.0-draft", "result-batch")
    first, second, third = (result["candidates"] for result in results["results"])
    assert first[0]["id"] == BYD and first[0]["match"] is True
    assert second[0]["id"] == PORT and second[0]["name"] == "Zhengzhou port of entry"
    assert second[0]["match"] is True and len(second) <= 2
    assert not any(candidate["match"] for candidate in third)
    extended = client.post(
        "/reconcile/v1/extend",
        json={"ids": [RAILWAY_EXPRESS], "properties": [{"id": "obs:value"}, {"id": "obs:unit"}]},
    ).get_json()
    validate(extended, "1.0-draft", "extension-response")
    assert extended["rows"][0]["id"] == RAILWAY_EXPRESS
    assert [p["id"] for p in extended["rows"][0]["properties"]] == ["obs:value", "obs:unit"]
    proposed = client.get("/reconcile/v1/extend/propose", query_string={"type": "zz:Company"})
    validate(proposed.get_json(), "0.2", "property-proposal")


# --- bad input: a clear 400 / 413, never a traceback ------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        {"queries": "{not json"},
        {"queries": "[]"},
        {"queries": json.dumps({"q0": "BYD"})},
        {"queries": json.dumps({"q0": {"query": ""}})},
        {"queries": json.dumps({"q0": {"query": "BYD", "limit": -1}})},
        {"queries": json.dumps({"q0": {"query": "BYD", "properties": [{"v": "x"}]}})},
        {"extend": json.dumps({"ids": "x", "properties": []})},
        {"extend": json.dumps({"ids": [], "properties": [{"name": "x"}]})},
    ],
)
def test_bad_requests_are_400_with_a_message(client, form):
    response = client.post("/reconcile", data=form)
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "Traceback" not in response.get_data(as_text=True)


def test_too_large_a_batch_is_413(client):
    queries = {f"q{i}": {"query": "BYD"} for i in range(501)}
    assert client.post("/reconcile", data={"queries": json.dumps(queries)}).status_code == 413


def test_a_callback_that_is_not_an_identifier_is_refused(client):
    response = client.get("/reconcile", query_string={"callback": "alert(1)//"})
    assert response.status_code == 400 and response.mimetype == "text/plain"


def test_draft_match_needs_json(client):
    response = client.post("/reconcile/v1/match", data={"queries": "{}"})
    assert response.status_code == 400
