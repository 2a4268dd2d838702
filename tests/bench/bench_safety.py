"""The cost of the safety check on each research query (not a test).

    python tests/bench/bench_safety.py [--rounds 161]

For each query in queries/: the median of --rounds timings (each the mean of a short batch of
calls), and the fastest, of `safety.inspect` as /sparql runs it (decided on tokens, with the
server's default nesting cap), beside one rdflib parse of the same text (what the check cost
when it parsed every query with "from" or "service" in it). Each round times every query in
turn, so that on a shared machine a burst of the neighbours' work falls on a round of every
query alike, not on all the rounds of one. Printed in microseconds, with the machine's load;
the target is < 50 µs (median) for every query.
"""

import argparse
import functools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from rdflib.plugins.sparql.parser import parseQuery

from kg.settings import BY_NAME
from server.sparql import safety

TARGET_US = 50.0
ALLOWLIST = ("https://query.wikidata.org/sparql",)  # so that 37-wikidata-enrichment.rq is read
MAX_NESTING = BY_NAME["max_nesting"].default
BATCH = 5


def batch_us(call, batch: int) -> float:
    started = time.perf_counter()
    for _ in range(batch):
        call()
    return (time.perf_counter() - started) / batch * 1e6


def print_load() -> None:
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=161)
    args = parser.parse_args()
    print_load()
    paths = sorted((ROOT / "queries").glob("*.rq"))
    queries = [path.read_text(encoding="utf-8") for path in paths]
    checks = [
        functools.partial(safety.inspect, query, allowlist=ALLOWLIST, max_nesting=MAX_NESTING)
        for query in queries
    ]
    for check in checks:
        check()
    timings: list[list[float]] = [[] for _ in checks]
    for _ in range(args.rounds):
        for check, timed in zip(checks, timings):
            timed.append(batch_us(check, BATCH))
    print(f"{'query':42} {'median µs':>10} {'fastest µs':>11} {'rdflib parse µs':>16} ratio")
    medians = [statistics.median(timed) for timed in timings]
    for path, query, median, timed in zip(paths, queries, medians, timings):
        parse = statistics.median(
            batch_us(functools.partial(parseQuery, query), 2) for _ in range(3)
        )
        print(
            f"{path.name:42} {median:10.1f} {min(timed):11.1f} {parse:16.0f} {parse / median:6.0f}x"
        )
    worst = max(medians)
    print(f"median check {statistics.median(medians):.1f} µs")
    verdict = "met" if worst < TARGET_US else "NOT met"
    print(f"slowest check {worst:.1f} µs; target < {TARGET_US:.0f} µs: {verdict}")
    print_load()
    return 0


if __name__ == "__main__":
    sys.exit(main())
