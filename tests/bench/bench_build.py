"""Build speed, and shape validation at 1x and 10x the facts (not a test).

    python tests/bench/bench_build.py [--rounds 3]

Printed with the machine's load, each a median of --rounds runs: the real build's wall time
(`kg.build.build`), and on the real facts and on 10 copies of them (every IRI of the data renamed
per copy, the ontology kept once) the shape validation as the build runs it (an RDFS closure
computed once, kg/validate.py) beside pyshacl's own RDFS inference (how the build validated
before). Targets: the real build < 2 s; validation at 10x within the 10x build's 5 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from pyshacl import validate
from rdflib import Graph, URIRef

from kg.build import DEFAULT_BASE, Minter, build, check, load_sources, map_records
from kg.validate import check_shapes, load_ontology


def median_s(call, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def copies(facts: Graph, count: int) -> Graph:
    """The facts `count` times over, the data's IRIs renamed per copy."""

    def rename(term, number: int):
        if isinstance(term, URIRef) and term.startswith(DEFAULT_BASE + "id/"):
            return URIRef(f"{term}-copy{number}")
        return term

    many = Graph()
    for number in range(count):
        for s, p, o in facts:
            many.add((rename(s, number), p, rename(o, number)))
    return many


def pyshacl_rdfs(data: Graph, ontology: Graph, shapes: Graph) -> None:
    combined = Graph()
    for graph in (data, ontology):
        for triple in graph:
            combined.add(triple)
    conforms, _, _ = validate(combined, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    assert conforms


def print_load() -> None:
    print("load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print_load()
    with tempfile.TemporaryDirectory(prefix="zzkg-bench-build-") as work:
        seconds = median_s(lambda: build(Path(work) / "out"), args.rounds)
    verdict = "met" if seconds < 2 else "NOT met"
    print(f"real build: {seconds:.2f} s (target < 2 s: {verdict})")
    facts = map_records(check(load_sources()), Minter(DEFAULT_BASE))
    ontology, shapes = load_ontology()
    print(f"{'facts':>8} {'triples':>8} {'closure once s':>15} {'pyshacl rdfs s':>15} {'ratio':>6}")
    for count in (1, 10):
        data = facts if count == 1 else copies(facts, count)
        ours = median_s(lambda: check_shapes(data, ontology, shapes), args.rounds)  # noqa: B023
        theirs = median_s(lambda: pyshacl_rdfs(data, ontology, shapes), 1)  # noqa: B023
        print(f"{count:>7}x {len(data):>8} {ours:15.2f} {theirs:15.2f} {theirs / ours:5.1f}x")
    print_load()
    return 0


if __name__ == "__main__":
    sys.exit(main())
