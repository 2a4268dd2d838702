"""SHACL validation of the facts graph against ontology/shapes.ttl: a violation fails the build.

The shapes are checked on the facts with their RDFS entailments (RDFS 1.1 Semantics rules rdfs2,
rdfs3, rdfs7 and rdfs9: domain, range, sub-property and sub-class), computed here in one pass
from the ontology's tables instead of by pyshacl's generic closure, which derived the same types
at many times the cost (and axiomatic triples no shape reads).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

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
    # The ontology is merged in by hand: pyshacl's ont_graph mixing clones node by node
    # recursively and takes minutes on a graph with this many links between IRIs.
    combined = Graph()
    for graph in (data, ontology):
        for triple in graph:
            combined.add(triple)
    for triple in rdfs_entailments(combined):
        combined.add(triple)
    conforms, report, _ = validate(
        combined, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if not conforms:
        raise ShapeError("the graph breaks its shapes:\n" + violations(report))


def rdfs_entailments(graph: Graph) -> Iterable[tuple]:
    """The triples rdfs2, rdfs3, rdfs7 and rdfs9 add to the graph, to their fixpoint."""
    supers = transitive(graph, RDFS.subPropertyOf)
    classes = transitive(graph, RDFS.subClassOf)
    domains = {p: set(graph.objects(p, RDFS.domain)) for p in graph.subjects(RDFS.domain, None)}
    ranges = {p: set(graph.objects(p, RDFS.range)) for p in graph.subjects(RDFS.range, None)}
    types: set = set()
    for s, p, o in graph:
        for q in (p, *supers.get(p, ())):
            if q != p:
                yield (s, q, o)
            types.update((s, c) for c in domains.get(q, ()))
            if not isinstance(o, Literal):
                types.update((o, c) for c in ranges.get(q, ()))
            if q == RDF.type:
                types.add((s, o))
    for node, kind in types:
        for c in (kind, *classes.get(kind, ())):
            yield (node, RDF.type, c)


def transitive(graph: Graph, link) -> dict:
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


def violations(report: Graph, limit: int = 20) -> str:
    """One line per violation: focus node, path, message."""
    lines = sorted(
        f"- {report.value(r, SH.focusNode)} {report.value(r, SH.resultPath) or ''}: "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more
