"""A broken facts file gets a clear error that names the record, and loses nothing."""

import shutil

import pytest
import yaml
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.build import BuildError, build
from kg.sources import SOURCES_DIR


@pytest.fixture
def sources(tmp_path):
    """A private copy of kg/sources to break."""
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, copy)
    return copy


def edit(path, change):
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def first_observation(records):
    return next(r for r in records if "value" in r and "claim" not in r)


def test_quote_not_in_article_names_the_record(sources, tmp_path):
    edit(sources / "facts.yaml", lambda rs: first_observation(rs).update(quote="上海的GDP增长了"))
    with pytest.raises(BuildError, match=r"facts\.yaml record \d+ \(id: .+\): quote not found"):
        build(tmp_path / "out", sources_dir=sources)


def test_unknown_unit_names_the_record(sources, tmp_path):
    def change(records):
        fact = next(r for r in records if r.get("value") == "52.9万辆")
        fact["value"] = "52.9万"
        fact["unit"] = "艘"

    edit(sources / "facts.yaml", change)
    with pytest.raises(BuildError, match=r"facts\.yaml record \d+ .*unknown unit '艘'"):
        build(tmp_path / "out", sources_dir=sources)


def test_unknown_entity_names_the_record(sources, tmp_path):
    edit(sources / "facts.yaml", lambda rs: first_observation(rs).update(about="place/atlantis"))
    with pytest.raises(BuildError, match=r"unknown entity 'place/atlantis'"):
        build(tmp_path / "out", sources_dir=sources)


def test_value_must_stand_in_its_quote(sources, tmp_path):
    edit(sources / "facts.yaml", lambda rs: first_observation(rs).update(value="999万辆"))
    with pytest.raises(BuildError, match=r"value '999万辆' is not in the quote"):
        build(tmp_path / "out", sources_dir=sources)


def test_unknown_field_is_refused(sources, tmp_path):
    edit(sources / "facts.yaml", lambda rs: first_observation(rs).update(vaule="1"))
    with pytest.raises(BuildError, match=r"unknown field\(s\): vaule"):
        build(tmp_path / "out", sources_dir=sources)


def test_estimate_needs_the_word_in_the_quote(sources, tmp_path):
    def change(records):
        fact = next(
            r for r in records if "value" in r and "预计" not in r["quote"] and "claim" not in r
        )
        fact["estimated"] = True

    edit(sources / "facts.yaml", change)
    with pytest.raises(BuildError, match="预计"):
        build(tmp_path / "out", sources_dir=sources)


def test_broken_yaml_names_the_file_and_line(sources, tmp_path):
    path = sources / "facts.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"facts\.yaml line \d+: not valid YAML"):
        build(tmp_path / "out", sources_dir=sources)


def test_uncovered_numeral_fails_the_build(sources, tmp_path):
    edit(sources / "exclusions.yaml", lambda rs: rs.pop(0))
    with pytest.raises(BuildError, match="covered by no fact or exclusion"):
        build(tmp_path / "out", sources_dir=sources)


def test_failed_build_leaves_the_previous_store(sources, tmp_path):
    out = tmp_path / "out"
    good = build(out, sources_dir=sources)
    before = sorted(p.name for p in good.store_dir.iterdir())
    nq = (good.dumps_dir / "zzkg.nq").read_bytes()
    edit(sources / "facts.yaml", lambda rs: first_observation(rs).update(quote="不存在的句子"))
    with pytest.raises(BuildError):
        build(out, sources_dir=sources)
    assert sorted(p.name for p in good.store_dir.iterdir()) == before
    assert (good.dumps_dir / "zzkg.nq").read_bytes() == nq
    assert [p.name for p in out.iterdir() if p.name.startswith(".staging")] == []


def test_shape_violation_fails_the_build(sources, tmp_path):
    from kg.validate import ONTOLOGY_DIR

    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, ontology)
    stricter = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix zz: <https://zzkg.example.org/ontology#> .
<urn:test:every-observation-has-a-period> a sh:NodeShape ;
    sh:targetClass zz:Observation ;
    sh:property [ sh:path zz:period ; sh:minCount 1 ; sh:message "test: an observation without a period" ] .
"""
    with open(ontology / "shapes.ttl", "a", encoding="utf-8") as shapes:
        shapes.write(stricter)
    with pytest.raises(
        BuildError, match="breaks its shapes(.|\n)*test: an observation without a period"
    ):
        build(tmp_path / "out", sources_dir=sources, ontology_dir=ontology)


def by_id(records, fact_id):
    return next(r for r in records if r.get("id") == fact_id)


@pytest.mark.parametrize(
    "fact_id, change, message",
    [
        # a reported figure may not claim the whole year the article had not seen end
        ("urban-jobs-created-2024", {"period": "2024", "period_inferred": None},
         r"ends after 2024-12-21, the latest day the article states"),
        # a period neither written in the quote nor given a reason
        ("urban-jobs-created-2024", {"period_inferred": None}, r"does not state the period"),
        ("urban-jobs-created-2024", {"period_inferred": "because"},
         r"'because' is not a reason in inferences\.yaml"),
    ],
)  # fmt: skip
def test_periods_say_only_what_the_article_supports(sources, tmp_path, fact_id, change, message):
    def apply(records):
        record = by_id(records, fact_id)
        for key, value in change.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value

    edit(sources / "facts.yaml", apply)
    with pytest.raises(BuildError, match=message):
        build(tmp_path / "out", sources_dir=sources)


def test_a_clause_without_a_claim_fails_the_build(sources, tmp_path):
    edit(sources / "facts.yaml", lambda rs: rs.remove(by_id(rs, "grid-system-improved")))
    with pytest.raises(BuildError, match=r"1 clause\(s\).*\n.*网格体系更加完善"):
        build(tmp_path / "out", sources_dir=sources)


# The build's SHACL engine (rudof) against pyshacl, the engine it replaced, on broken copies of
# the real graph: for every shape's property on one node of its target class, its values taken
# away, a stray value added, or a value replaced by one of the wrong kind. Both engines see the
# same graph (the facts, the ontology and their entailments) and must find the same violations.
def shape_targets(shapes):
    """(class, property) for each property shape of a node shape with a target class."""
    pairs = []
    for shape, cls in shapes.subject_objects(SH.targetClass):
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef):
                pairs.append((cls, path))
    return sorted(set(pairs))


def take_away(graph, node, path):
    graph.remove((node, path, None))


def add_stray(graph, node, path):
    graph.add((node, path, Literal("stray", lang="fr")))
    graph.add((node, path, URIRef("urn:test:stray")))


def replace_kind(graph, node, path):
    for value in list(graph.objects(node, path)):
        graph.remove((node, path, value))
        wrong = URIRef("urn:test:wrong") if isinstance(value, Literal) else Literal("wrong")
        graph.add((node, path, wrong))


@pytest.fixture(scope="module")
def real_graph():
    from kg.build import Minter, check, load_sources, map_records
    from kg.validate import load_ontology

    return map_records(check(load_sources()), Minter()), *load_ontology()


def pyshacl_violations(data, ontology, shapes):
    from pyshacl import validate

    from kg.validate import rdfs_entailments

    combined = Graph()
    for graph in (data, ontology):
        for triple in graph:
            combined.add(triple)
    for triple in list(rdfs_entailments(combined)):
        combined.add(triple)
    _, report, _ = validate(combined, shacl_graph=shapes, inference="none", allow_warnings=True)
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath) or ""),
         str(report.value(r, SH.sourceConstraintComponent)))
        for r in report.objects(None, SH.result)  # the results, not their sh:detail
        if report.value(r, SH.resultSeverity) == SH.Violation
    }  # fmt: skip


@pytest.mark.parametrize("mutate", [take_away, add_stray, replace_kind])
def test_the_build_finds_every_violation_pyshacl_finds(real_graph, mutate):
    from kg.validate import prepared, violations

    facts, ontology, shapes = real_graph
    broken = Graph()
    for triple in facts:
        broken.add(triple)
    mutated = 0
    for cls, path in shape_targets(shapes):
        nodes = sorted(n for n in facts.subjects(RDF.type, cls) if (n, path, None) in facts)
        if nodes:
            mutate(broken, nodes[0], path)
            mutated += 1
    assert mutated > 20  # most property shapes had a node to break
    expected = pyshacl_violations(broken, ontology, shapes)
    found = {(v.focus, v.path, v.component) for v in violations(prepared(broken, ontology, shapes))}
    assert len(expected) > 10
    assert found == expected
