"""The cost of the safety check on each research query (not a test).

    python tests/bench/bench_safety.py [--rounds 161]

For each query in queries/: the median of --rounds timings (each the mean of a short batch of
calls, so that on a shared machine a batch the scheduler interrupts is an outlier, not the
figure), and the fastest, of `safety.inspect` as /sparql runs it (decided on tokens, with the
server's default nesting cap), beside one rdflib parse of the same text (what the check cost
when it parsed every query with "from" or "service" in it). Printed in microseconds, with the
machine's load; the target is < 50 µs (median) for every query.
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


def timings_us(call, rounds: int, batch: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(batch):
            call()
        timings.append((time.perf_counter() - started) / batch * 1e6)
    return timings


def print_load() -> None:
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=161)
    args = parser.parse_args()
    print_load()
    print(f"{'query':42} {'median µs':>10} {'fastest µs':>11} {'rdflib parse µs':>16} ratio")
    medians = []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        query = path.read_text(encoding="utf-8")
        check = functools.partial(
            safety.inspect, query, allowlist=ALLOWLIST, max_nesting=MAX_NESTING
        )
        check()
        timings = timings_us(check, args.rounds, BATCH)
        tokens = statistics.median(timings)
        parse = statistics.median(
            timings_us(functools.partial(parseQuery, query), max(3, args.rounds // 32), 2)
        )
        medians.append(tokens)
        fastest, ratio = min(timings), parse / tokens
        print(f"{path.name:42} {tokens:10.1f} {fastest:11.1f} {parse:16.0f} {ratio:6.0f}x")
    worst = max(medians)
    print(f"median check {statistics.median(medians):.1f} µs")
    verdict = "met" if worst < TARGET_US else "NOT met"
    print(f"slowest check {worst:.1f} µs; target < {TARGET_US:.0f} µs: {verdict}")
    print_load()
    return 0


if __name__ == "__main__":
    sys.exit(main())
