"""The graph says what the article says and no more: periods to date, assumptions marked,
no over-claims, falls with their word, every clause accounted for. Each table row is one
claim a fact-checker made of the graph; a row fails if the problem comes back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_graph import PREFIXES, plain

from kg.clauses import clause_coverage, split_clauses, unaccounted
from kg.sources import load_sources

ID = "https://zzkg.example.org/id/"


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


def rows(store, query: str) -> list[dict]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: plain(row[n]) for n in names} for row in results]


# --- time ------------------------------------------------------------------------------------


def test_the_article_has_no_publication_date_only_its_latest_stated_day(store):
    assert not ask(store, "ASK { ?a a zz:Article ; schema:datePublished ?d }")
    (row,) = rows(store, "SELECT ?d WHERE { ?a a zz:Article ; zz:latestDateStated ?d }")
    assert row["d"] == "2024-12-21"


def test_no_fact_claims_a_day_after_the_latest_stated_day_but_the_full_year_estimate(store):
    late = rows(
        store,
        """SELECT ?fact ?status WHERE {
             ?article a zz:Article ; zz:latestDateStated ?asOf .
             ?fact zz:period/time:hasEnd/time:inXSDDate ?end FILTER(?end > ?asOf)
             OPTIONAL { ?fact zz:status ?status } }""",
    )
    assert late == [
        {
            "fact": ID + "observation/technology-contract-turnover-2024-estimate",
            "status": "https://zzkg.example.org/ontology#Estimated",
        }
    ]


def test_only_the_full_year_estimate_covers_the_calendar_year(store):
    found = rows(
        store,
        """SELECT ?fact ?written WHERE {
             ?fact zz:period <https://zzkg.example.org/id/period/2024> ;
                   zz:periodAsWritten ?written }""",
    )
    assert found == [
        {"fact": ID + "observation/technology-contract-turnover-2024-estimate", "written": "全年"}
    ]


def test_every_period_says_whether_it_is_stated_and_every_assumption_why(store):
    assert not ask(store, "ASK { ?f zz:period ?p FILTER NOT EXISTS { ?f zz:periodBasis ?b } }")
    for basis, note in (("periodBasis", "periodNote"), ("aboutBasis", "aboutNote")):
        missing = rows(
            store,
            f"""SELECT ?f (COUNT(DISTINCT lang(?n)) AS ?langs) WHERE {{
                  ?f zz:{basis} zz:Inferred OPTIONAL {{ ?f zz:{note} ?n }} }}
                GROUP BY ?f HAVING (COUNT(DISTINCT lang(?n)) < 2)""",
        )
        assert missing == [], basis


def test_a_stated_period_is_written_in_the_quote(store):
    unstated = rows(
        store,
        """SELECT ?f WHERE { ?f zz:periodBasis zz:Stated ; zz:hasQuote/rdf:value ?q .
             FILTER NOT EXISTS { ?f zz:periodAsWritten ?w FILTER(CONTAINS(?q, STR(?w))) } }""",
    )
    assert unstated == []


@pytest.mark.parametrize(
    "fact, period, basis",
    [
        ("observation/urban-jobs-created-2024", "period/2024-to-date", "Inferred"),  # 今年以来
        ("observation/high-tech-enterprises-cultivated-2024", "period/2024-to-date", "Inferred"),
        ("observation/above-scale-industry-two-digit-growth-13-months", "period/P13M--2024-11",
         "Inferred"),  # the run's end month is not stated
        ("observation/nev-output-2024-jan-nov", "period/2024-01--2024-11", "Stated"),
        ("observation/nev-output-growth-2024-jan-nov", "period/2024-01--2024-11", "Stated"),
        ("observation/good-air-quality-days-2024", "period/2024-01-01--2024-12-21", "Stated"),
        ("observation/national-sci-tech-second-prizes-2023", "period/2023", "Stated"),
        ("observation/technology-contract-turnover-2024-estimate", "period/2024", "Stated"),
    ],
)  # fmt: skip
def test_periods_as_the_text_supports_them(store, fact, period, basis):
    found = rows(store, f"SELECT ?p ?b WHERE {{ <{ID}{fact}> zz:period ?p ; zz:periodBasis ?b }}")
    assert found == [{"p": ID + period, "b": "https://zzkg.example.org/ontology#" + basis}]


def test_the_electronic_information_growth_has_no_period(store):
    # after 与此同时 ("meanwhile"), following a 1~11月 sentence: the period is not stated
    fact = f"<{ID}observation/electronic-information-value-added-growth-2024>"
    assert ask(store, f"ASK {{ {fact} zz:value 11.8 }}")
    assert not ask(store, f"ASK {{ {fact} zz:period ?p }}")


# --- over-claims -----------------------------------------------------------------------------

OVER_CLAIMS = {
    "a campus typed as a university": f"<{ID}institution/henan-university-zhengzhou-campus> a zz:University",
    "three-in-one relies on its parts": f"<{ID}programme/three-in-one-integration> zz:reliesOn ?x",
    "cargo routes said to be international": f"<{ID}indicator/new-air-cargo-routes> skos:definition ?d FILTER(CONTAINS(LCASE(?d), 'international') || CONTAINS(?d, '国际'))",
    "the resettlement claim about the voucher policy": f"<{ID}claim/resettlement-first-home-for-all> zz:about <{ID}policy/housing-voucher-resettlement>",
    "the three awards named": f"<{ID}award/national-sci-tech-awards> schema:description ?d",
    "the twin carriers named as the two universities": f"<{ID}programme/twin-aircraft-carriers> rdfs:label ?l FILTER(CONTAINS(?l, 'University'))",
    "the science city called a district": f"<{ID}place/zhongyuan-science-city> schema:description ?d",
    "the plenary's place": f"<{ID}event/municipal-plenary-12-7> zz:heldIn ?p",
    "a single day's peak read as a daily rate": f"<{ID}indicator/daily-all-cargo-flights> ?p ?l FILTER(isLiteral(?l) && (CONTAINS(?l, 'per day')))",
    "words about how the data was made": "?s ?p ?l FILTER(isLiteral(?l) && REGEX(STR(?l), 'project brief|curator|the brief', 'i'))",
    "a sub-part identified with the whole": f"VALUES ?s {{ <{ID}service/china-europe-railway-express-zhengzhou> <{ID}institution/henan-university-zhengzhou-campus> }} ?s owl:sameAs ?x",
}  # fmt: skip


@pytest.mark.parametrize("pattern", OVER_CLAIMS.values(), ids=OVER_CLAIMS.keys())
def test_over_claims_are_gone(store, pattern):
    assert not ask(store, f"ASK {{ {pattern} }}")


def test_the_campus_is_a_campus_of_the_university(store):
    campus = f"<{ID}institution/henan-university-zhengzhou-campus>"
    assert ask(
        store,
        f"ASK {{ {campus} a zz:Campus . <{ID}institution/henan-university> zz:hasPart {campus} }}",
    )


# --- falls and bounds ------------------------------------------------------------------------


def test_a_fall_is_negative_and_keeps_its_word(store):
    falls = rows(
        store,
        "SELECT ?w ?v WHERE { ?o zz:value ?v ; zz:valueAsWritten ?w FILTER(?v < 0) } ORDER BY ?v",
    )
    assert [(r["w"], r["v"]) for r in falls] == [("下降20%", -20), ("下降17.3%", Decimal("-17.3"))]


# --- what the article says and the graph lacked ----------------------------------------------

OMISSIONS = [
    "深入推进省科学院、中原科技城、国家技术转移郑州中心“三合一”融合发展",
    "郑州新能源汽车发展硕果累累",
    "带动全市汽车产量历史性突破百万大关",
    "正在吸引越来越多的国内外游客",
    "制度型开放不断深化",
    "“空中丝绸之路”越飞越广",
    "“陆上丝绸之路”越跑越快",
    "“海上丝绸之路”越来越通达",
    "“网上丝绸之路”越来越便捷",
    "深入开展群众身边不正之风和腐败问题集中整治",
    "深入推进营商环境综合改革",
    "全面推进美丽郑州建设",
    "持续加强生态保护治理",
    "城市环境品质显著提升",
    "网格体系更加完善",
    "政策“组合拳”成效显著",
    "创新房票安置方式",
    "有效应对多轮汛情旱情",
    "常态化推进扫黑除恶和社会治安整治",
    "总结的2024“成绩单”令人鼓舞",
]


@pytest.mark.parametrize("words", OMISSIONS)
def test_each_qualitative_statement_is_a_claim_with_its_quote(store, words):
    assert ask(
        store, f"ASK {{ ?c a zz:Claim ; zz:hasQuote/rdf:value ?q FILTER(CONTAINS(?q, {words!r})) }}"
    )


@pytest.mark.parametrize(
    "predicate, target, quote",
    [
        ("schema:homeLocation", "place/zhengzhou", "选择了落户郑州"),
        ("zz:workplace", "institution/henan-university-zhengzhou-campus", "就职于河南大学郑州校区"),
    ],
)
def test_xing_xiaodong_is_related_not_only_described(store, predicate, target, quote):
    assert ask(
        store,
        f"""ASK {{ <{ID}person/xing-xiaodong> {predicate} <{ID}{target}> .
              ?st rdf:subject <{ID}person/xing-xiaodong> ; rdf:predicate {predicate} ;
                  zz:hasQuote/rdf:value ?q FILTER(CONTAINS(?q, {quote!r})) }}""",
    )


def test_the_drive_claim_points_to_both_figures(store):
    found = rows(
        store,
        f"SELECT ?f WHERE {{ <{ID}claim/nev-output-drove-vehicle-output> zz:concerns ?f }} ORDER BY ?f",
    )
    assert [r["f"] for r in found] == [
        ID + "observation/nev-output-2024-jan-nov",
        ID + "observation/vehicle-output-2024-one-million",
    ]


def test_every_clause_of_the_article_is_accounted_for():
    assert unaccounted(clause_coverage(load_sources())) == []


def test_a_clause_without_a_claim_is_caught():
    sources = load_sources()
    sources.facts = [r for r in sources.facts if r["id"] != "urban-environment-improved"]
    missing = [c.text for c in unaccounted(clause_coverage(sources))]
    assert missing == ["城市环境品质显著提升"]


def test_clauses_split_at_chinese_and_ascii_punctuation():
    text = "甲乙,丙丁。“戊己”……庚辛;"
    assert [text[a:b] for a, b in split_clauses(text)] == ["甲乙", "丙丁", "戊己", "庚辛"]


# --- links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entity, predicate, target",
    [
        ("person/xi-jinping", "owl:sameAs", "http://www.wikidata.org/entity/Q15031"),
        ("place/zhengzhou", "owl:sameAs", "http://www.wikidata.org/entity/Q30340"),
        ("place/zhengzhou", "skos:closeMatch", "https://sws.geonames.org/1784658/"),
    ],
)
def test_links_with_evidence_and_the_right_strength(store, entity, predicate, target):
    assert ask(
        store,
        f"""ASK {{ <{ID}{entity}> {predicate} <{target}> .
              ?st rdf:subject <{ID}{entity}> ; rdf:object <{target}> ; zz:evidence ?e }}""",
    )


def test_the_populated_place_is_not_an_exact_match_of_the_prefecture_level_city(store):
    assert not ask(store, f"ASK {{ <{ID}place/zhengzhou> skos:exactMatch ?g }}")
