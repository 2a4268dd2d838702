"""SHACL validation of the facts graph against ontology/shapes.ttl: a violation fails the build."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

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
    conforms, report, _ = validate(
        combined, shacl_graph=shapes, inference="rdfs", allow_warnings=True
    )
    if not conforms:
        raise ShapeError("the graph breaks its shapes:\n" + violations(report))


def violations(report: Graph, limit: int = 20) -> str:
    """One line per violation: focus node, path, message."""
    lines = sorted(
        f"- {report.value(r, SH.focusNode)} {report.value(r, SH.resultPath) or ''}: "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity, SH.Violation)
    )
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more
