"""Latency of the reconciliation service for a batch of 100 queries, as OpenRefine sends them
(not a test).

    python tests/bench/bench_reconcile.py [--store DIR] [--rounds 200] [--size 100]

--store is a build's store (built into a temporary directory if not given). A `zzkg serve`
(gunicorn, 1 process, 2 threads) is started on a free loopback port; each round POSTs one
form-encoded `queries=` batch of --size queries: the graph's own labels and aliases in Chinese
and English, some with a type or a property condition, prefixes of them, and names the article
does not have. After 5 warm-up batches (the search index and the reconciliation schema are built
on first use), printed: p50 and p99 milliseconds per batch over --rounds batches, and the p50
per query. The server is stopped at the end.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import requests

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build

ZZ = "https://zzkg.example.org/ontology#"
ABSENT = ["阿里巴巴", "Alibaba", "北京大学", "Peking University", "上海港", "Tesla", "长江", "华为"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def names(store_dir: Path) -> list[tuple[str, str | None]]:
    """(name, one of its types) for every label and alias of an entity in the store."""
    store = ox.Store.read_only(str(store_dir))
    rows = store.query(
        """SELECT ?name (SAMPLE(?type) AS ?t) WHERE {
          ?s ?p ?name ; a ?type FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>,
          <http://www.w3.org/2004/02/skos/core#altLabel>))
          FILTER(STRSTARTS(STR(?s), "https://zzkg.example.org/id/")
            && !CONTAINS(STR(?s), "/observation/") && !CONTAINS(STR(?s), "/claim/")
            && !CONTAINS(STR(?s), "/quote/") && !CONTAINS(STR(?s), "/statement/")
            && STRSTARTS(STR(?type), "https://zzkg.example.org/ontology#"))
        } GROUP BY ?name ORDER BY ?name""",
        use_default_graph_as_union=True,
    )
    return [(row["name"].value, row["t"].value) for row in rows]


def batch(known: list[tuple[str, str | None]], size: int, rng: random.Random) -> dict:
    queries = {}
    for number in range(size):
        kind = number % 10
        if kind == 9:
            query = {"query": rng.choice(ABSENT)}
        else:
            name, type_iri = rng.choice(known)
            query = {"query": name[: max(2, len(name) - 2)] if kind == 8 else name, "limit": 5}
            if kind in (1, 2):
                query["type"] = type_iri
            if kind == 3:
                query["properties"] = [{"pid": "zz:locatedIn", "v": "郑州"}]
        queries[f"q{number}"] = query
    return queries


def start(store_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "zzkg", "serve", "--store", str(store_dir)]
    command += ["--port", str(port), "--processes", "1", "--threads", "2"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/health", timeout=5).status_code == 200:
                return process, url
        except requests.ConnectionError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--size", type=int, default=100)
    options = parser.parse_args()
    rng = random.Random(13)
    with tempfile.TemporaryDirectory() as scratch:
        store = options.store or build(Path(scratch)).store_dir
        known = names(store)
        process, url = start(store)
        try:
            session = requests.Session()
            batches = [batch(known, options.size, rng) for _ in range(options.rounds + 5)]
            times = []
            matched = 0
            for number, queries in enumerate(batches):
                form = {"queries": json.dumps(queries, ensure_ascii=False)}
                started = time.perf_counter()
                response = session.post(url + "/reconcile", data=form, timeout=60)
                answer = response.json()
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200 and len(answer) == len(queries)
                if number >= 5:
                    times.append(elapsed)
                    matched += sum(
                        1 for r in answer.values() if r["result"] and r["result"][0]["match"]
                    )
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
    times.sort()
    p99 = times[max(0, int(len(times) * 0.99) - 1)]
    p50 = statistics.median(times)
    print(f"names in the graph: {len(known)}; batches: {len(times)} of {options.size} queries")
    print(f"batch of {options.size}: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"per query (p50 / {options.size}): {p50 / options.size:.2f} ms")
    print(f"queries matched: {matched / len(times):.1f} per batch")


if __name__ == "__main__":
    main()
