"""The ontology (ontology/zzkg.ttl) and the SHACL shapes (ontology/shapes.ttl).

- the ontology declares exactly the terms listed in kg.vocab.ZZ, each with bilingual labels,
  a definition and rdfs:isDefinedBy, and aligns only to known standard vocabularies;
- every property shape in shapes.ttl carries a sh:message;
- the shapes accept a small valid graph and reject the typical mistakes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parents[1]
from kg.vocab import OA, ONTOLOGY_IRI, QB, SCHEMA, TIME, UNIT, ZZ

ONTOLOGY_FILE = ROOT / "ontology" / "zzkg.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
ZZNS = str(ZZ._NS)
ONTOLOGY = URIRef(ONTOLOGY_IRI)

# Namespaces an alignment (rdfs:subClassOf / rdfs:subPropertyOf) may point into.
STANDARD_NAMESPACES = (
    ZZNS,
    str(SCHEMA),
    str(PROV),
    "http://xmlns.com/foaf/0.1/",
    str(SKOS),
    str(QB),
    str(TIME),
    str(OA),
    "http://www.w3.org/ns/sosa/",
    "http://qudt.org/schema/qudt/",
    str(DCTERMS),
    str(RDF),
    str(RDFS),
    str(OWL),
    str(XSD),
)

# The kinds of declaration a zz: term may have.
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    SKOS.ConceptScheme,
}


def vocab_terms() -> set[URIRef]:
    names = [n for n in getattr(ZZ, "__annotations__", {}) if not n.startswith("_")]
    assert names, "kg.vocab.ZZ lists no terms"
    return {URIRef(ZZNS + n) for n in names}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def declared_terms(g: Graph) -> set[URIRef]:
    return {
        s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(ZZNS)
    }


# ---------------------------------------------------------------------------------------
# The ontology
# ---------------------------------------------------------------------------------------


def test_ontology_parses_and_has_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert (ONTOLOGY, OWL.versionIRI, URIRef(ONTOLOGY_IRI + "/0.1.0")) in ontology
    assert (ONTOLOGY, OWL.versionInfo, Literal("0.1.0")) in ontology
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = {o.language for o in ontology.objects(ONTOLOGY, prop)}
        assert {"zh", "en"} <= langs, prop
    assert (ONTOLOGY, DCTERMS.creator, Literal("zzkg contributors")) in ontology
    assert (
        ONTOLOGY,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in ontology
    assert (ONTOLOGY, DCTERMS.created, Literal("2026-11-28", datatype=XSD.date)) in ontology
    assert ontology.value(ONTOLOGY, DCTERMS.modified) is not None
    assert (ONTOLOGY, VANN.preferredNamespacePrefix, Literal("zz")) in ontology
    assert (ONTOLOGY, VANN.preferredNamespaceUri, Literal(ZZNS)) in ontology


def test_every_vocab_term_is_declared(ontology: Graph) -> None:
    missing = []
    for term in vocab_terms():
        types = set(ontology.objects(term, RDF.type))
        if not types & DECLARATION_TYPES:
            missing.append(term)
    assert not missing, f"terms in kg.vocab not declared in zzkg.ttl: {sorted(missing)}"


def test_ontology_declares_no_term_missing_from_vocab(ontology: Graph) -> None:
    extra = declared_terms(ontology) - vocab_terms()
    assert not extra, f"terms declared in zzkg.ttl but missing from kg.vocab: {sorted(extra)}"
    # No zz: IRI is used anywhere without being a known term either.
    used = {
        t
        for triple in ontology
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ZZNS)
    }
    assert used <= vocab_terms(), sorted(used - vocab_terms())


def test_every_term_is_documented(ontology: Graph) -> None:
    problems = []
    for term in sorted(vocab_terms()):
        labels = {o.language for o in ontology.objects(term, RDFS.label)}
        if not {"zh", "en"} <= labels:
            problems.append(f"{term}: rdfs:label @zh and @en")
        definitions = {o.language for o in ontology.objects(term, SKOS.definition)}
        if "en" not in definitions:
            problems.append(f"{term}: skos:definition @en")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in ontology:
            problems.append(f"{term}: rdfs:isDefinedBy")
    assert not problems, "\n".join(problems)


def test_concept_individuals_are_in_their_schemes(ontology: Graph) -> None:
    schemes = {
        ZZ.Qualifier: ZZ.QualifierScheme,
        ZZ.Status: ZZ.StatusScheme,
        ZZ.ClaimType: ZZ.ClaimTypeScheme,
    }
    for cls, scheme in schemes.items():
        members = set(ontology.subjects(RDF.type, cls))
        assert members, cls
        for m in members:
            assert (m, RDF.type, SKOS.Concept) in ontology, m
            assert (m, SKOS.inScheme, scheme) in ontology, m
            assert (m, SKOS.topConceptOf, scheme) in ontology, m
            langs = {o.language for o in ontology.objects(m, SKOS.prefLabel)}
            assert {"zh", "en"} <= langs, m
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert set(ontology.subjects(RDF.type, ZZ.Qualifier)) == {
        ZZ.Exact,
        ZZ.AtLeast,
        ZZ.MoreThan,
        ZZ.Nearly,
        ZZ.Reached,
        ZZ.TwoDigit,
    }
    assert set(ontology.subjects(RDF.type, ZZ.Status)) == {ZZ.Reported, ZZ.Estimated}


def test_alignments_point_to_standard_vocabularies(ontology: Graph) -> None:
    bad = []
    for prop in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        for s, o in ontology.subject_objects(prop):
            if isinstance(o, BNode) or not str(o).startswith(STANDARD_NAMESPACES):
                bad.append((s, prop, o))
    assert not bad, bad
    # Alignment is by subsumption, never by equivalence.
    assert not list(ontology.triples((None, OWL.equivalentClass, None)))
    assert not list(ontology.triples((None, OWL.equivalentProperty, None)))


def test_key_alignments(ontology: Graph) -> None:
    expected = [
        (ZZ.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (ZZ.Observation, RDFS.subClassOf, QB.Observation),
        (ZZ.Observation, RDFS.subClassOf, ZZ.Fact),
        (ZZ.Claim, RDFS.subClassOf, SCHEMA.Claim),
        (ZZ.Period, RDFS.subClassOf, TIME.ProperInterval),
        (ZZ.Quote, RDFS.subClassOf, OA.SpecificResource),
        (ZZ.Statement, RDFS.subClassOf, RDF.Statement),
        (ZZ.City, RDFS.subClassOf, ZZ.Place),
        (ZZ.Company, RDFS.subClassOf, ZZ.Institution),
        (ZZ.AirCargoRoute, RDFS.subClassOf, ZZ.TransportService),
        (ZZ.newStation, RDFS.subPropertyOf, ZZ.destination),
        (ZZ.hasQuote, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (ZZ.period, RDFS.subPropertyOf, TIME.hasTime),
    ]
    missing = [t for t in expected if t not in ontology]
    assert not missing, missing


def test_property_kinds(ontology: Graph) -> None:
    literal_valued = {
        ZZ.value,
        ZZ.measureWord,
        ZZ.valueAsWritten,
        ZZ.lowerBound,
        ZZ.upperBound,
        ZZ.lowerBoundInclusive,
        ZZ.upperBoundInclusive,
        ZZ.rank,
        ZZ.claimText,
        ZZ.rawStart,
        ZZ.rawEnd,
        ZZ.evidence,
    }
    for p in literal_valued:
        assert (p, RDF.type, OWL.DatatypeProperty) in ontology, p
    for p in (ZZ.about, ZZ.indicator, ZZ.unit, ZZ.qualifier, ZZ.hasQuote, ZZ.destination):
        assert (p, RDF.type, OWL.ObjectProperty) in ontology, p


def test_teu_is_a_qudt_unit(ontology: Graph) -> None:
    assert (ZZ.TEU, RDF.type, URIRef("http://qudt.org/schema/qudt/Unit")) in ontology


# ---------------------------------------------------------------------------------------
# The shapes
# ---------------------------------------------------------------------------------------


def test_shapes_parse_and_every_property_shape_has_a_message(shapes: Graph) -> None:
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) > 20
    missing = [ps for ps in property_shapes if shapes.value(ps, SH.message) is None]
    assert not missing, missing
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    for ns in node_shapes:
        assert shapes.value(ns, SH.message) is not None or (ns, SH.property, None) in shapes


def test_shapes_target_every_instance_class(shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    needed = {
        ZZ.Article,
        ZZ.Person,
        ZZ.City,
        ZZ.Industry,
        ZZ.Indicator,
        ZZ.Fact,
        ZZ.Observation,
        ZZ.Claim,
        ZZ.Period,
        ZZ.Quote,
        ZZ.Statement,
        ZZ.ComparisonGroup,
        ZZ.Company,
        ZZ.AirCargoRoute,
        ZZ.Photo,
        OA.TextQuoteSelector,
        OA.TextPositionSelector,
        TIME.Instant,
    }
    assert needed <= targeted, sorted(needed - targeted)


BASE = Namespace("https://zzkg.example.org/id/")


def bilingual(g: Graph, node: URIRef, zh: str, en: str, *, pref: bool = True) -> None:
    g.add((node, RDFS.label, Literal(zh, lang="zh")))
    g.add((node, RDFS.label, Literal(en, lang="en")))
    if pref:
        g.add((node, SKOS.prefLabel, Literal(zh, lang="zh")))
        g.add((node, SKOS.prefLabel, Literal(en, lang="en")))


def add_quote(g: Graph, slug: str, exact: str, start: int, end: int) -> URIRef:
    q = BASE[f"quote/{slug}"]
    tq = BASE[f"quote/{slug}/text"]
    tp = BASE[f"quote/{slug}/position"]
    g.add((q, RDF.type, ZZ.Quote))
    g.add((q, OA.hasSource, BASE["article"]))
    g.add((q, OA.hasSelector, tq))
    g.add((q, OA.hasSelector, tp))
    g.add((tq, RDF.type, OA.TextQuoteSelector))
    g.add((tq, OA.exact, Literal(exact)))
    g.add((tq, OA.prefix, Literal("。")))
    g.add((tp, RDF.type, OA.TextPositionSelector))
    g.add((tp, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((tp, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    g.add((tp, ZZ.rawStart, Literal(start + 2, datatype=XSD.nonNegativeInteger)))
    g.add((tp, ZZ.rawEnd, Literal(end + 2, datatype=XSD.nonNegativeInteger)))
    return q


OBS = BASE["fact/nev-output-2024-jan-nov"]


def valid_graph() -> Graph:
    g = Graph()
    article = BASE["article"]
    g.add((article, RDF.type, ZZ.Article))
    g.add((article, SCHEMA.headline, Literal("稳中有进韧性强 进中向好活力足", lang="zh")))
    g.add((article, SCHEMA.text, Literal("……今年1~11月,全市新能源汽车实际下线52.9万辆……")))
    g.add((article, ZZ.latestDateStated, Literal("2024-12-21", datatype=XSD.date)))
    author = BASE["person/wang-zhi"]
    g.add((article, SCHEMA.author, author))
    g.add((author, RDF.type, ZZ.Person))
    bilingual(g, author, "王治", "Wang Zhi")
    g.add((author, ZZ.hasQuote, add_quote(g, "byline", "记者 王治", 100, 105)))

    city = BASE["place/zhengzhou"]
    g.add((city, RDF.type, ZZ.City))
    bilingual(g, city, "郑州", "Zhengzhou")
    g.add((city, SKOS.altLabel, Literal("郑州市", lang="zh")))
    g.add((city, ZZ.hasQuote, add_quote(g, "zhengzhou", "郑州", 3, 5)))

    industry = BASE["industry/new-energy-vehicles"]
    g.add((industry, RDF.type, ZZ.Industry))
    bilingual(g, industry, "新能源汽车", "new energy vehicles")
    g.add((industry, SKOS.inScheme, BASE["industries"]))
    g.add((industry, ZZ.hasQuote, add_quote(g, "nev", "新能源汽车", 10, 15)))

    indicator = BASE["indicator/vehicles-produced"]
    g.add((indicator, RDF.type, ZZ.Indicator))
    bilingual(g, indicator, "整车下线量", "vehicles produced", pref=False)
    g.add((indicator, SKOS.definition, Literal("Vehicles rolled off the line.", lang="en")))

    period = BASE["period/2024-01--2024-11"]
    begin, end = BASE["instant/2024-01-01"], BASE["instant/2024-11-30"]
    g.add((period, RDF.type, ZZ.Period))
    bilingual(g, period, "2024年1~11月", "January to November 2024", pref=False)
    g.add((period, TIME.hasBeginning, begin))
    g.add((period, TIME.hasEnd, end))
    g.add((period, TIME.hasXSDDuration, Literal("P11M", datatype=XSD.duration)))
    for instant, day in ((begin, "2024-01-01"), (end, "2024-11-30")):
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, TIME.inXSDDate, Literal(day, datatype=XSD.date)))

    g.add((OBS, RDF.type, ZZ.Observation))
    bilingual(g, OBS, "郑州新能源汽车下线量", "Zhengzhou NEV output", pref=False)
    g.add((OBS, ZZ.about, industry))
    g.add((OBS, ZZ.indicator, indicator))
    g.add((OBS, ZZ.value, Literal(Decimal(529000), datatype=XSD.decimal)))
    g.add((OBS, ZZ.unit, UNIT.NUM))
    g.add((OBS, ZZ.measureWord, Literal("辆", lang="zh")))
    g.add((OBS, ZZ.valueAsWritten, Literal("52.9万辆", lang="zh")))
    g.add((OBS, ZZ.qualifier, ZZ.Exact))
    g.add((OBS, ZZ.status, ZZ.Reported))
    g.add((OBS, ZZ.period, period))
    g.add((OBS, ZZ.periodBasis, ZZ.Stated))
    g.add((OBS, ZZ.hasQuote, add_quote(g, "nev-output", "全市新能源汽车实际下线52.9万辆", 20, 36)))
    g.add((OBS, PROV.wasDerivedFrom, article))
    g.add((OBS, QB.dataSet, BASE["dataset"]))
    return g


@pytest.fixture(scope="module")
def run(ontology: Graph, shapes: Graph):
    def _run(data: Graph) -> tuple[bool, str]:
        conforms, _, text = validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="rdfs",
            allow_warnings=False,
        )
        return conforms, text

    return _run


def test_valid_observation_conforms(run) -> None:
    conforms, text = run(valid_graph())
    assert conforms, text


def test_missing_quote_is_rejected(run) -> None:
    g = valid_graph()
    g.remove((OBS, ZZ.hasQuote, None))
    conforms, text = run(g)
    assert not conforms
    assert "zz:hasQuote" in text


def test_entity_missing_mention_is_rejected(run) -> None:
    g = valid_graph()
    g.remove((BASE["place/zhengzhou"], ZZ.hasQuote, None))
    conforms, _ = run(g)
    assert not conforms


def test_two_zh_labels_are_rejected(run) -> None:
    g = valid_graph()
    g.add((OBS, RDFS.label, Literal("另一个标签", lang="zh")))
    conforms, text = run(g)
    assert not conforms
    assert "rdfs:label" in text


def test_entity_with_two_zh_labels_is_rejected(run) -> None:
    g = valid_graph()
    g.add((BASE["place/zhengzhou"], RDFS.label, Literal("郑州市", lang="zh")))
    conforms, _ = run(g)
    assert not conforms


def test_rank_without_rank_among_is_rejected(run) -> None:
    g = valid_graph()
    g.add((OBS, ZZ.rank, Literal(2, datatype=XSD.positiveInteger)))
    conforms, text = run(g)
    assert not conforms
    assert "zz:rankAmong" in text


def test_rank_with_rank_among_conforms(run) -> None:
    g = valid_graph()
    group = BASE["group/national-central-cities"]
    g.add((group, RDF.type, ZZ.ComparisonGroup))
    bilingual(g, group, "国家中心城市", "national central cities")
    g.add((group, ZZ.hasQuote, add_quote(g, "ncc", "国家中心城市", 40, 46)))
    g.add((OBS, ZZ.rank, Literal(2, datatype=XSD.positiveInteger)))
    g.add((OBS, ZZ.rankAmong, group))
    conforms, text = run(g)
    assert conforms, text


def test_start_not_before_end_is_rejected(run) -> None:
    g = valid_graph()
    tp = BASE["quote/nev-output/position"]
    g.set((tp, OA.start, Literal(36, datatype=XSD.nonNegativeInteger)))
    conforms, text = run(g)
    assert not conforms
    assert "oa:start" in text


def test_value_without_unit_is_rejected(run) -> None:
    g = valid_graph()
    g.remove((OBS, ZZ.unit, None))
    conforms, _ = run(g)
    assert not conforms


def test_observation_without_any_figure_is_rejected(run) -> None:
    g = valid_graph()
    g.remove((OBS, ZZ.value, None))
    g.remove((OBS, ZZ.unit, None))
    conforms, _ = run(g)
    assert not conforms


def test_bounds_only_observation_conforms(run) -> None:
    g = valid_graph()
    g.remove((OBS, ZZ.value, None))
    g.remove((OBS, ZZ.unit, None))
    g.set((OBS, ZZ.qualifier, ZZ.TwoDigit))
    g.add((OBS, ZZ.lowerBound, Literal(Decimal(10), datatype=XSD.decimal)))
    g.add((OBS, ZZ.lowerBoundInclusive, Literal(True)))
    g.add((OBS, ZZ.upperBound, Literal(Decimal(100), datatype=XSD.decimal)))
    g.add((OBS, ZZ.upperBoundInclusive, Literal(False)))
    conforms, text = run(g)
    assert conforms, text


def test_unknown_qualifier_is_rejected(run) -> None:
    g = valid_graph()
    g.set((OBS, ZZ.qualifier, ZZ.HistoricHigh))
    conforms, _ = run(g)
    assert not conforms


def test_period_without_instants_is_rejected(run) -> None:
    g = valid_graph()
    period = BASE["period/2024-01--2024-11"]
    g.remove((period, TIME.hasBeginning, None))
    g.remove((period, TIME.hasEnd, None))
    conforms, _ = run(g)
    assert not conforms


def test_claim(run) -> None:
    g = valid_graph()
    claim = BASE["fact/nev-historic-high"]
    g.add((claim, RDF.type, ZZ.Claim))
    g.add((claim, ZZ.about, BASE["industry/new-energy-vehicles"]))
    g.add((claim, ZZ.claimType, ZZ.HistoricHigh))
    g.add((claim, ZZ.claimText, Literal("新能源汽车产量创历史新高", lang="zh")))
    g.add((claim, ZZ.claimText, Literal("NEV output hit a record high", lang="en")))
    g.add((claim, ZZ.hasQuote, add_quote(g, "nev-high", "创历史新高", 50, 55)))
    conforms, text = run(g)
    assert conforms, text

    g.remove((claim, ZZ.claimText, Literal("NEV output hit a record high", lang="en")))
    conforms, _ = run(g)
    assert not conforms


def test_statement_needs_quote_or_evidence_and_source(run) -> None:
    g = valid_graph()
    st = BASE["link/zhengzhou-wikidata"]
    g.add((st, RDF.type, ZZ.Statement))
    g.add((st, RDF.subject, BASE["place/zhengzhou"]))
    g.add((st, RDF.predicate, OWL.sameAs))
    g.add((st, RDF.object, URIRef("http://www.wikidata.org/entity/Q30340")))
    g.add((st, ZZ.evidence, Literal("郑州市，河南省省会")))
    conforms, _ = run(g)
    assert not conforms  # evidence without a source

    g.add((st, DCTERMS.source, URIRef("https://www.wikidata.org/wiki/Q30340")))
    conforms, text = run(g)
    assert conforms, text
