"""What one process per query would reach: a prototype against oxigraph and zzkg (not a test).

    pip install oxigraph==0.5.13          # the `oxigraph` command (not a project dependency)
    python tests/bench/bench_floor.py [--real DIR] [--seconds 2] [--rounds 3]

zzkg answers a query in three processes that wake in turn (the HTTP front's, the query
worker's, the front's again); oxigraph in one. floor_worker.py answers it in one process that
has left the network as a query worker does, with the worker's safety check, query and
serialisation, but nothing else of the server (no deadline, admission, cache, log or
negotiation), one connection per process (8 processes). This runs bench_sparql.py's query mix
on the real graph against all three in turn, each request a different text, and prints, per
query and concurrency, the throughput of each over oxigraph's and the CPU time per request of
each server's process tree.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_sparql import (
    Variant,
    median_run,
    query_mix,
    sample_entity,
    start,
    start_oxigraph,
    start_zzkg,
    summary,
)
from sparql_support import free_port

FLOOR_PROCESSES = 8  # one per connection at concurrency 8


def servers(store_dir: Path) -> list[tuple[str, object, int]]:
    """(name, process, port) of oxigraph, the floor prototype and zzkg at default settings."""
    oxigraph, ox_port = start_oxigraph(store_dir)
    floor_port = free_port()
    floor = start(
        [
            sys.executable,
            str(HERE / "floor_worker.py"),
            str(floor_port),
            str(store_dir),
            str(FLOOR_PROCESSES),
        ],
        floor_port,
    )
    zzkg, zz_port = start_zzkg(store_dir, Variant(HERE.parent.parent, None, None))
    return [("oxigraph", oxigraph, ox_port), ("floor", floor, floor_port), ("zzkg", zzkg, zz_port)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="store of a real build (default: build one)")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    store_dir = args.real
    if store_dir is None:
        from kg.build import build

        store_dir = build(Path(tempfile.mkdtemp(prefix="zzkg-floor-")) / "real").store_dir
    running = servers(Path(store_dir))
    print(
        "| query | c | floor/oxigraph | zzkg/oxigraph | CPU µs per request: oxigraph / floor / zzkg |"
    )
    print("| --- | --- | --- | --- | --- |")
    try:
        for name, _, query, accept in query_mix(sample_entity(Path(store_dir))):
            for concurrency in (1, 8):
                load = {"concurrency": concurrency, "vary": True}
                rounds: dict[str, list[dict]] = {server: [] for server, _, _ in running}
                for _ in range(args.rounds):
                    for server, process, port in running:
                        measured = median_run((process.pid, port), query, accept, load, args)
                        rounds[server].append(measured)
                got = {server: summary(measured) for server, measured in rounds.items()}
                base = got["oxigraph"]["rps"]
                print(
                    f"| {name} | {concurrency} | {got['floor']['rps'] / base:.2f} "
                    f"| {got['zzkg']['rps'] / base:.2f} | "
                    + " / ".join(f"{got[server]['cpu_us']:.0f}" for server in got)
                    + " |",
                    flush=True,
                )
    finally:
        for _, process, _ in running:
            process.terminate()
            process.wait()
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
