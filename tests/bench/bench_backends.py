"""Latency of `zzkg serve` on each backend: the embedded store and remote engines (not a test).

    python tests/bench/bench_backends.py [--build DIR] [--rounds 200]

--build is a build directory (built into a temporary directory if not given). It starts
`oxigraph serve` (the pip package `oxigraph`, a test dependency) on a loopback port, publishes the
build to it with `zzkg publish`, then runs `zzkg serve` twice on loopback ports, one process with
two threads each, answer caches off (`--cache-mb 0`): on the embedded store, and with
`--sparql-endpoint` on that engine; and, where Debian's `virtuoso-opensource` is installed, on
Virtuoso too (published by SPARQL Update). Each request is sent --rounds times, one at a time over a
keep-alive connection, after a warm-up request (which loads the per-process labels and search
index). Printed: p50 and p90 milliseconds per request and backend.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from remote_support import VIRTUOSO, OxigraphServer, VirtuosoServer
from sparql_support import LiveServer

from kg.build import build

ENTITY = "https://zzkg.example.org/id/place/zhengzhou"
REQUESTS = (
    ("entity page (html)", "/id/industry/new-energy-vehicles", {}, "text/html"),
    ("entity page, 25 observations", "/id/place/zhengzhou", {}, "text/html"),
    ("entity as Turtle", "/id/place/zhengzhou", {}, "text/turtle"),
    (
        "light query",
        "/sparql",
        {"query": f"SELECT ?p ?o WHERE {{ <{ENTITY}> ?p ?o }}"},
        "application/sparql-results+json",
    ),
    ("search", "/api/search", {"q": "中欧"}, "application/json"),
)


def measure(session: requests.Session, url: str, params: dict, accept: str, rounds: int):
    headers = {"Accept": accept, "Accept-Language": "zh"}
    session.get(url, params=params, headers=headers, timeout=60).raise_for_status()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = session.get(url, params=params, headers=headers, timeout=60)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path)
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = options.build or build(Path(scratch) / "build").out_dir
        engines, servers = {}, {}
        try:
            engines["oxigraph"] = OxigraphServer.start(Path(scratch) / "oxigraph")
            done = engines["oxigraph"].publish(out, "--graph-store", engines["oxigraph"].store_url)
            assert done.returncode == 0, done.stderr
            if VIRTUOSO is not None:
                (Path(scratch) / "virtuoso").mkdir()
                engines["virtuoso"] = VirtuosoServer.start(Path(scratch) / "virtuoso")
                done = engines["virtuoso"].publish(out)
                assert done.returncode == 0, done.stderr
            common = ("--cache-mb", "0")
            store = Path(out) / "store"
            servers["embedded"] = LiveServer.start(store, *common)
            for name, engine in engines.items():
                servers[name] = LiveServer.start(
                    store, *common, "--sparql-endpoint", engine.query_url
                )
            print(f"{'request':32} {'backend':9} {'p50 ms':>8} {'p90 ms':>8}")
            for name, path, params, accept in REQUESTS:
                for backend, server in servers.items():
                    with requests.Session() as session:
                        times = measure(session, server.url + path, params, accept, options.rounds)
                    p90 = times[int(len(times) * 0.9) - 1]
                    print(f"{name:32} {backend:9} {statistics.median(times):8.2f} {p90:8.2f}")
        finally:
            for server in [*servers.values(), *engines.values()]:
                server.stop()


if __name__ == "__main__":
    main()
