"""Build speed at 1x and 10x the facts, and shape validation beside pyshacl's (not a test).

    python tests/bench/bench_build.py [--rounds 3]

Printed with the machine's load, each a median of --rounds runs: the real build's wall time
(`kg.build.build`); a build of 10x the facts: reading, checking and mapping the sources ten
times over, then validating, dumping and loading 10 copies of the facts (every IRI of the data
renamed per copy, the ontology kept once) as the build does (`kg.build.write_build`); and on
the real facts and on the 10 copies the shape validation as the build runs it (rudof, an RDFS
closure computed once: kg/validate.py) beside pyshacl's own RDFS inference (how the build
validated at first). Targets: the real build < 2 s; the 10x build < 5 s.
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

from rdflib import Graph, URIRef

from kg.build import (
    DEFAULT_BASE,
    Minter,
    build,
    check,
    collector_paused,
    graph_from_sources,
    load_sources,
    map_records,
    write_build,
)
from kg.resources import SOURCES_DIR
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
    # imported only now: pyshacl patches rdflib as it loads, which slowed the builds timed
    # before it (by a fifth at 10x); `zzkg build` never loads it
    from pyshacl import validate

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
    minter = Minter(DEFAULT_BASE)
    facts = map_records(check(load_sources()), minter)
    many = copies(facts, 10)
    with tempfile.TemporaryDirectory(prefix="zzkg-bench-build-") as work:
        seconds = median_s(lambda: build(Path(work) / "out"), args.rounds)
        verdict = "met" if seconds < 2 else "NOT met"
        print(f"real build: {seconds:.2f} s (target < 2 s: {verdict})")

        def build_10x() -> None:
            with collector_paused():
                for _ in range(10):
                    graph_from_sources(SOURCES_DIR, minter)
                write_build(many, Path(work) / "out-10x", minter)

        seconds = median_s(build_10x, args.rounds)
        verdict = "met" if seconds < 5 else "NOT met"
        print(f"10x build ({len(many)} facts triples): {seconds:.2f} s (target < 5 s: {verdict})")
    ontology, shapes = load_ontology()
    print(f"{'facts':>8} {'triples':>8} {'rudof s':>15} {'pyshacl rdfs s':>15} {'ratio':>6}")
    for count in (1, 10):  # validation as the build runs it, the collector paused as there
        data = facts if count == 1 else many
        with collector_paused():
            ours = median_s(lambda: check_shapes(data, ontology, shapes), args.rounds)  # noqa: B023
        theirs = median_s(lambda: pyshacl_rdfs(data, ontology, shapes), 1)  # noqa: B023
        print(f"{count:>7}x {len(data):>8} {ours:15.2f} {theirs:15.2f} {theirs / ours:5.1f}x")
    print_load()
    return 0


if __name__ == "__main__":
    sys.exit(main())
