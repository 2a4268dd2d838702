"""The built store answers research questions with the article's own figures."""

import subprocess
import sys
from decimal import Decimal

import pyoxigraph
import pytest

from kg.coverage import coverage, uncovered
from kg.sources import load_sources

PREFIXES = """
PREFIX zz: <https://zzkg.example.org/ontology#>
PREFIX ind: <https://zzkg.example.org/id/indicator/>
PREFIX place: <https://zzkg.example.org/id/place/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX unit: <http://qudt.org/vocab/unit/>
"""


def select(store, query):
    """Rows of a SELECT as dicts of plain Python values (str, Decimal, int)."""
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: plain(row[n]) for n in names} for row in results]


def plain(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt == "decimal":
            return Decimal(term.value)
        if dt in ("integer", "positiveInteger", "nonNegativeInteger"):
            return int(term.value)
        return term.value
    return term.value


def test_new_urban_jobs_are_131000_people(store):
    rows = select(
        store,
        """
        SELECT ?value ?unit ?written ?begin ?end WHERE {
          ?o zz:indicator ind:urban-jobs-created ; zz:value ?value ; zz:unit ?unit ;
             zz:valueAsWritten ?written ; zz:period/time:hasBeginning/time:inXSDDate ?begin ;
             zz:period/time:hasEnd/time:inXSDDate ?end }""",
    )
    assert rows == [
        {
            "value": Decimal(131000),
            "unit": "http://qudt.org/vocab/unit/NUM",
            "written": "13.1万人",
            "begin": "2024-01-01",
            "end": "2024-12-21",  # 今年以来: to the latest day the article states
        }
    ]


def test_industries_growing_faster_than_ten_percent(store):
    rows = select(
        store,
        """
        SELECT ?industry ?rate WHERE {
          ?o zz:about ?industry ; zz:indicator/skos:broader ind:growth-rate ; zz:value ?rate .
          ?industry a zz:Industry .
          FILTER(?rate > 10) } ORDER BY DESC(?rate)""",
    )
    assert [(r["industry"].rsplit("/", 1)[-1], r["rate"]) for r in rows] == [
        ("new-energy-vehicles", Decimal("112.9")),
        ("electronic-information", Decimal("11.8")),
    ]


def test_growth_rate_points_to_the_quantity_that_grew(store):
    rows = select(
        store,
        """
        SELECT ?rate ?amount WHERE {
          ?g zz:growthOf ?o ; zz:value ?rate . ?o zz:valueAsWritten "3363班次标准列"@zh ; zz:value ?amount }""",
    )
    assert rows == [{"rate": Decimal("18.2"), "amount": Decimal(3363)}]


def test_gdp_growth_ranks_second_among_national_central_cities(store):
    rows = select(
        store,
        """
        SELECT ?rank ?group ?end WHERE {
          ?o zz:indicator ind:gdp-growth-rate ; zz:rank ?rank ; zz:rankAmong ?group ;
             zz:period/time:hasEnd/time:inXSDDate ?end }""",
    )
    assert rows == [
        {
            "rank": 2,
            "group": "https://zzkg.example.org/id/group/national-central-cities",
            "end": "2024-09-30",
        }
    ]


def test_estimates_and_bounds_are_machine_readable(store):
    rows = select(
        store,
        """
        SELECT ?written ?lower ?inclusive WHERE {
          ?o zz:status zz:Estimated ; zz:valueAsWritten ?written ; zz:qualifier zz:MoreThan ;
             zz:lowerBound ?lower ; zz:lowerBoundInclusive ?inclusive }""",
    )
    assert rows == [{"written": "突破800亿元", "lower": Decimal(80000000000), "inclusive": "false"}]


def test_nearly_is_an_exclusive_upper_bound(store):
    rows = select(
        store,
        """
        SELECT ?upper ?inclusive WHERE { ?o zz:valueAsWritten "近90架次"@zh ; zz:qualifier zz:Nearly ;
          zz:upperBound ?upper ; zz:upperBoundInclusive ?inclusive }""",
    )
    assert rows == [{"upper": Decimal(90), "inclusive": "false"}]


def test_falls_are_negative_changes(store):
    rows = select(
        store,
        """
        SELECT ?value WHERE { ?o zz:indicator/skos:broader ind:growth-rate ; zz:value ?value
          FILTER(?value < 0) } ORDER BY ?value""",
    )
    assert [r["value"] for r in rows] == [Decimal(-20), Decimal("-17.3")]


def test_every_quote_offset_matches_the_article(store, built):
    text = load_sources().article.text
    rows = select(
        store,
        """
        SELECT ?exact ?start ?end WHERE { ?q a zz:Quote ; oa:hasSelector ?s, ?p .
          ?s oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""",
    )
    assert len(rows) > 100
    for row in rows:
        assert text[row["start"] : row["end"]] == row["exact"]


def test_every_fact_has_a_quote(store):
    rows = select(
        store,
        """
        SELECT (COUNT(?f) AS ?n) WHERE { { ?f a zz:Observation } UNION { ?f a zz:Claim }
          FILTER NOT EXISTS { ?f zz:hasQuote ?q } }""",
    )
    assert rows == [{"n": 0}]


def test_china_europe_railway_gained_phnom_penh(store):
    rows = select(
        store,
        """
        SELECT ?label WHERE { ?service zz:newStation ?station . ?station rdfs:label ?label
          FILTER(lang(?label) = "en") }""",
    )
    assert [r["label"] for r in rows] == ["Phnom Penh"]


def test_external_links_carry_evidence(store):
    rows = select(
        store,
        """
        SELECT ?target (COUNT(?evidence) AS ?n) WHERE {
          place:zhengzhou owl:sameAs|skos:exactMatch|skos:closeMatch ?target .
          ?st rdf:subject place:zhengzhou ; rdf:object ?target ; zz:evidence ?evidence }
        GROUP BY ?target ORDER BY ?target""",
    )
    assert [r["target"] for r in rows] == [
        "http://www.wikidata.org/entity/Q30340",
        "https://sws.geonames.org/1784658/",
    ]
    assert all(r["n"] >= 1 for r in rows)


def test_void_counts_match_the_store(store, built):
    rows = select(
        store,
        """
        SELECT ?triples WHERE { GRAPH <https://zzkg.example.org/graph/void> {
          <https://zzkg.example.org/dataset> void:subset ?g . ?g void:triples ?triples
          FILTER(?g = <https://zzkg.example.org/graph/kg>) } }""",
    )
    counted = select(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://zzkg.example.org/graph/kg> { ?s ?p ?o } }",
    )
    assert rows[0]["triples"] == counted[0]["n"] == built.triples


def test_coverage_is_complete():
    numerals = coverage(load_sources())
    assert len(numerals) > 100
    assert uncovered(numerals) == []


def test_two_builds_give_byte_identical_dumps(built, tmp_path):
    """A second build, in another process with another hash seed, writes the same bytes."""
    out = tmp_path / "again"
    code = f"from kg.build import build; build({str(out)!r})"
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}
    )
    for dump in sorted(built.dumps_dir.iterdir()):
        assert (out / "dumps" / dump.name).read_bytes() == dump.read_bytes(), dump.name


@pytest.mark.parametrize(
    "name, fmt", [("zzkg.ttl", "turtle"), ("zzkg.nt", "nt"), ("zzkg.jsonld", "json-ld")]
)
def test_facts_dumps_hold_the_same_graph(built, name, fmt):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    reference = Graph().parse(built.dumps_dir / "zzkg.nt", format="nt")
    assert len(reference) == built.triples
    assert isomorphic(Graph().parse(built.dumps_dir / name, format=fmt), reference)


def test_void_lists_every_dump_with_size_and_checksum(built):
    import hashlib

    from rdflib import Graph, URIRef

    void = Graph().parse(built.dumps_dir / "void.ttl")
    for dump in built.dumps:
        iri = URIRef(f"https://zzkg.example.org/download/{dump.name}")
        data = (built.dumps_dir / dump.name).read_bytes()
        assert int(void.value(iri, URIRef("http://www.w3.org/ns/dcat#byteSize"))) == len(data)
        checksum = void.value(iri, URIRef("http://spdx.org/rdf/terms#checksum"))
        value = void.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))
        assert str(value) == hashlib.sha256(data).hexdigest()


def test_base_iri_is_configurable(tmp_path):
    from kg.build import build

    report = build(tmp_path / "other", base="http://data.example.net/zz/")
    text = (report.dumps_dir / "zzkg.nt").read_text(encoding="utf-8")
    assert "<http://data.example.net/zz/id/industry/new-energy-vehicles>" in text
    assert "https://zzkg.example.org/id/" not in text
