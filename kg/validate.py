"""SHACL validation of the facts graph against ontology/shapes.ttl: a violation fails the build.

The shapes are checked on the facts with their RDFS entailments (RDFS 1.1 Semantics rules rdfs2,
rdfs3, rdfs7 and rdfs9: domain, range, sub-property and sub-class), computed here in one pass
from the ontology's tables instead of by a generic closure, which derived the same types at many
times the cost (and axiomatic triples no shape reads). The engine is rudof's (pyrudof, Rust):
pyshacl, which the build used before, took 6.9 s on 10x the facts, rudof 1.9 s, and both find
the same violations (tests/test_build_errors.py compares them on broken copies of the graph).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyrudof
from rdflib import Graph, Literal
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, RDFS

from kg.resources import ONTOLOGY_DIR


class ShapeError(ValueError):
    """The data breaks the shapes; the message lists each violation."""


def load_ontology(directory: Path = ONTOLOGY_DIR) -> tuple[Graph, Graph]:
    """The ontology graph and the shapes graph."""
    return (
        Graph().parse(directory / "zzkg.ttl", format="turtle"),
        Graph().parse(directory / "shapes.ttl", format="turtle"),
    )


def check_shapes(data: Graph, ontology: Graph, shapes: Graph) -> None:
    """Raise ShapeError listing the violations, if there are any."""
    raise_if_any(violations(prepared(data, ontology, shapes)))


def raise_if_any(found: list[Violation]) -> None:
    if found:
        raise ShapeError("the graph breaks its shapes:\n" + listing(found))


@dataclass(frozen=True)
class ShapeInput:
    """What the engine reads, as N-Triples: the data with its entailments, and the shapes."""

    data: str
    shapes: str


def prepared(
    data: Graph, ontology: Graph, shapes: Graph, *, data_ntriples: str | None = None
) -> ShapeInput:
    """The facts (given as N-Triples if the caller has them), the ontology and their
    entailments, and the shapes, written for the engine."""
    entailed = rdfs_entailments(ReadOnlyGraphAggregate([data, ontology]))
    # N-Triples, graph by graph (a repeated triple is one triple): no merged copy in rdflib
    text = (data_ntriples or data.serialize(format="nt")) + ontology.serialize(format="nt")
    return ShapeInput(text + ntriples(entailed), shapes.serialize(format="nt"))


def violations(given: ShapeInput) -> list[Violation]:
    """Each violation of the shapes. rudof reads and validates without Python's lock, so the
    build writes its dumps meanwhile in another thread (kg/build.py)."""
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    strict = pyrudof.ReaderMode.Strict  # a term the engine cannot read fails, never drops
    engine.read_data(given.data, format=pyrudof.RDFFormat.NTriples, reader_mode=strict)
    engine.read_shacl(given.shapes, format=pyrudof.ShaclFormat.NTriples, reader_mode=strict)
    return sorted(
        Violation(str(e.focus_node), str(e.path or ""), str(e.constraint_component), e.message)
        for e in engine.validate_shacl()
        if str(e.severity) == "Violation"  # warnings and infos, if a shape has them, pass
    )


def ntriples(triples: Iterable[tuple]) -> str:
    """N-Triples lines; literals through rdflib's writer (n3() may write a long string in
    Turtle's triple quotes), IRIs and blank nodes as n3() writes them, which is N-Triples."""
    lines, literals = [], Graph()
    for s, p, o in triples:
        if isinstance(o, Literal):
            literals.add((s, p, o))
        else:
            lines.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
    return "".join(lines) + literals.serialize(format="nt")


def rdfs_entailments(graph: Graph | ReadOnlyGraphAggregate) -> Iterable[tuple]:
    """The triples rdfs2, rdfs3, rdfs7 and rdfs9 add to the graph, to their fixpoint."""
    supers = transitive(graph, RDFS.subPropertyOf)
    classes = transitive(graph, RDFS.subClassOf)
    domains = {p: set(graph.objects(p, RDFS.domain)) for p in graph.subjects(RDFS.domain, None)}
    ranges = {p: set(graph.objects(p, RDFS.range)) for p in graph.subjects(RDFS.range, None)}
    plans: dict = {}  # predicate -> what each of its triples entails, worked out once
    types: set = set()
    for s, p, o in graph:
        plan = plans.get(p)
        if plan is None:
            plan = plans[p] = entailment_plan(p, supers, domains, ranges)
        also, subject_classes, object_classes, typing = plan
        if typing:
            types.add((s, o))
        for q in also:
            yield (s, q, o)
        for c in subject_classes:
            types.add((s, c))
        if object_classes and not isinstance(o, Literal):
            for c in object_classes:
                types.add((o, c))
    for node, kind in types:
        for c in (kind, *classes.get(kind, ())):
            yield (node, RDF.type, c)


def entailment_plan(p, supers: dict, domains: dict, ranges: dict) -> tuple[tuple, set, set, bool]:
    """For a triple (s, p, o): the super-properties it also holds with (rdfs7), the classes of
    s (rdfs2) and of o unless a literal (rdfs3), and whether it types s as o (for rdfs9)."""
    also = tuple(supers.get(p, set()) - {p})
    subject_classes: set = set()
    object_classes: set = set()
    for q in (p, *also):
        subject_classes |= domains.get(q, set())
        object_classes |= ranges.get(q, set())
    return also, subject_classes, object_classes, RDF.type in (p, *also)


def transitive(graph: Graph | ReadOnlyGraphAggregate, link) -> dict:
    """Each node's strict ancestors along the link (sub-property or sub-class)."""
    parents: dict = {}
    for child, parent in graph.subject_objects(link):
        parents.setdefault(child, set()).add(parent)
    ancestors = {}
    for node, direct in parents.items():
        seen, stack = set(), list(direct)
        while stack:
            step = stack.pop()
            if step not in seen:
                seen.add(step)
                stack.extend(parents.get(step, ()))
        ancestors[node] = seen - {node}
    return ancestors


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    component: str  # the SHACL constraint component's IRI
    message: str


def listing(found: list[Violation], limit: int = 20) -> str:
    """One line per violation: focus node, path, message."""
    lines = [f"- {v.focus} {v.path}: {v.message}" for v in found]
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more
