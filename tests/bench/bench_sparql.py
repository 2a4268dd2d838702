"""Benchmark `zzkg serve` against `oxigraph serve-read-only` on the same store (not a test).

    pip install oxigraph==0.5.13          # the `oxigraph` command (not a project dependency)
    python tests/bench/bench_sparql.py [--real DIR] [--synthetic DIR] [--seconds 5]

--real is a build's store (built into a temporary directory if not given); --synthetic is the
generated store of about 1 million triples (gen_synthetic.py makes it there if it is missing). Both
servers run side by side, with the union default graph; each query of the mix is sent for --seconds
at concurrency 1 and 8 over keep-alive connections, to one server at a time. Printed: p50 and p99
latency (ms), throughput (requests/s), and zzkg/oxigraph throughput per query. zzkg runs with its
safety on (worker processes, deadlines, SERVICE checks, row cap) and its default cache; pass
--cache-mb 0 to measure it without the cache, or repeat it (--cache-mb 0 --cache-mb 16) to serve one
zzkg per cache size side by side, under the same load. Every request's text differs (a numbered
comment at its end), as research traffic does, so no cache can help; --same-text sends one text over
and over. After each store, the memory of each server's whole process tree is printed, process by
process: RSS, and PSS (shared pages split among the processes sharing them, so that its sum is the
memory the tree takes). --zzkg-root runs the zzkg server from another checkout (a commit before a
change); repeat it to serve several side by side in one run (before and after a change, under the
same load). --rounds N sends each query N times to every server in turn and keeps the median
throughput (and p50/p99 of all the rounds' requests together), so that other jobs on a shared
machine weigh on each server alike. --query-workers N (repeatable, like --cache-mb) serves one zzkg
per number of query workers. Each zzkg's memory line says whether its tree keeps to issue 14's
target: at most 250 MB of RSS summed (for default settings). --real-only skips the synthetic graph.
Each row also gives the CPU time each server's whole process tree spent per answered request (from
/proc: less swayed by the machine's other jobs than latency is), and the run ends with issue 14's
throughput targets (light queries >= 0.35x oxigraph, heavy >= 0.9x, at concurrency 1 and 8), met
or not, per zzkg server and graph.
"""

import argparse
import http.client
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from gen_synthetic import generate
from sparql_support import free_port

PREFIXES = (
    "PREFIX zz: <https://zzkg.example.org/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
JSON = "application/sparql-results+json"
TARGET_RSS_MB = 250  # issue 14: all server processes at default settings
TARGET_RATIO = {"light": 0.35, "heavy": 0.9}  # issue 14: zzkg/oxigraph throughput, c=1 and 8
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TURTLE = "text/turtle"


def query_mix(entity: str) -> list[tuple[str, str, str, str]]:
    """(name, weight class, query, Accept) for the store whose sample entity is given."""
    return [
        ("entity lookup", "light", f"SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }}", JSON),
        (
            "short join",
            "light",
            PREFIXES
            + f"SELECT ?o ?label WHERE {{ <{entity}> ?p ?o . ?o rdfs:label ?label }} LIMIT 20",
            JSON,
        ),
        (
            "aggregate",
            "heavy",
            "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)",
            JSON,
        ),
        (
            "text filter",
            "heavy",
            PREFIXES
            + 'SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "port")) } LIMIT 100',
            JSON,
        ),
        (
            "describe",
            "heavy",
            PREFIXES + "DESCRIBE ?s WHERE { ?s a ?type ; rdfs:label ?label } LIMIT 200",
            TURTLE,
        ),
    ]


def sample_entity(store_dir: Path) -> str:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    query = PREFIXES + "SELECT ?s WHERE { ?s rdfs:label ?l ; ?p ?o . ?o rdfs:label ?m } LIMIT 1"
    return next(iter(store.query(query, use_default_graph_as_union=True)))["s"].value


def start(command: list[str], port: int, cwd: Path = ROOT) -> subprocess.Popen:
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/sparql?query=" + quote("ASK {}"), headers={"Accept": JSON})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command[0]} did not start")


# one count for the whole run: no text is sent twice (warm-ups and rounds included), so no
# answer cache can help
NUMBERS = itertools.count()


def run_load(
    port: int, query: str, accept: str, *, concurrency: int, seconds: float, vary: bool = True
) -> dict:
    numbers = NUMBERS
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < stop_at:
            text = f"{query}\n# request {next(numbers)}" if vary else query
            path = "/sparql?query=" + quote(text)
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
                continue  # only answers count
            latencies[index].append(time.perf_counter() - started)

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = [x for per_client in latencies for x in per_client]
    return {"latencies": every, "rps": len(every) / elapsed, "errors": errors[0]}


def summary(rounds: list[dict]) -> dict:
    """The rounds of one server: the median round's throughput, and p50/p99 of all the rounds'
    latencies together (a p99 from one short round is a handful of requests)."""
    every = sorted(x for measured in rounds for x in measured["latencies"])
    return {
        "p50": statistics.median(every) * 1000,
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] * 1000,
        "rps": statistics.median(measured["rps"] for measured in rounds),
        "cpu_us": statistics.median(measured["cpu_us"] for measured in rounds),
        "errors": sum(measured["errors"] for measured in rounds),
    }


@dataclass(frozen=True)
class Variant:
    """One zzkg server of the run: the checkout it is served from, its cache size and its number
    of query workers."""

    root: Path
    cache_mb: float | None  # None: the server's default
    query_workers: int | None = None  # None: the server's default

    @property
    def label(self) -> str:
        cache = "default cache" if self.cache_mb is None else f"cache {self.cache_mb:g} MB"
        if self.query_workers is not None:
            cache += f", {self.query_workers} query workers"
        return f"{self.root.name}, {cache}"

    def options(self) -> list[str]:
        return [
            *(() if self.cache_mb is None else ("--cache-mb", str(self.cache_mb))),
            *(() if self.query_workers is None else ("--query-workers", str(self.query_workers))),
        ]


def variants(args) -> list[Variant]:
    """Every checkout with every cache size and number of query workers asked for."""
    return [
        Variant(root, cache_mb, query_workers)
        for root in args.zzkg_root or [ROOT]
        for cache_mb in args.cache_mb or [None]
        for query_workers in args.query_workers or [None]
    ]


def start_zzkg(store_dir: Path, variant: Variant) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = start(
        [
            sys.executable,
            "-m",
            "zzkg",
            "serve",
            "--store",
            str(store_dir),
            "--port",
            str(port),
            *variant.options(),
            # the 8 clients share one address here; each stands for a client of its own
            "--client-queries",
            "8",
        ],
        port,
        cwd=variant.root,
    )
    return process, port


def median_run(server: tuple[int, int], query: str, accept: str, load: dict, args) -> dict:
    """One warm-up, then the round's measurement, with the CPU time the server's process tree
    (pid, port) spent per answered request."""
    pid, port = server
    run_load(port, query, accept, seconds=0.5, **load)
    before = cpu_seconds(pid)
    measured = run_load(port, query, accept, seconds=args.seconds, **load)
    answered = max(1, len(measured["latencies"]))
    return {**measured, "cpu_us": (cpu_seconds(pid) - before) / answered * 1e6}


def cpu_seconds(root: int) -> float:
    """User and system CPU time of a process tree so far (/proc/PID/stat, proc(5))."""
    total = 0
    for pid in process_tree(root):
        fields = stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15
    return total / CLOCK_TICKS


def stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command's name (proc(5): field 3 on), or [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def start_oxigraph(store_dir: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "oxigraph"), "serve-read-only"]
    options = ["--location", str(store_dir), "--bind", f"127.0.0.1:{port}"]
    return start([*command, *options, "--union-default-graph"], port), port


def bench_store(label: str, store_dir: Path, args) -> list[dict]:
    oxigraph, ox_port = start_oxigraph(store_dir)
    served = variants(args)
    zzkgs = [start_zzkg(store_dir, variant) for variant in served]
    servers = [("ox", (oxigraph.pid, ox_port))] + [
        (f"zz{i}", (process.pid, port)) for i, (process, port) in enumerate(zzkgs)
    ]
    rows = []
    try:
        for name, weight, query, accept in query_mix(sample_entity(store_dir)):
            for concurrency in (1, 8):
                row: dict = {"graph": label, "query": name, "class": weight, "c": concurrency}
                load = {"concurrency": concurrency, "vary": not args.same_text}
                rounds: dict[str, list[dict]] = {server: [] for server, _ in servers}
                for _ in range(args.rounds):
                    for server, address in servers:
                        rounds[server].append(median_run(address, query, accept, load, args))
                for server, measured in rounds.items():
                    row[server] = summary(measured)
                rows.append(row)
                for index, variant in enumerate(served):
                    print_row(row, f"zz{index}", variant)
        for (process, _), variant in zip(zzkgs, served, strict=True):
            print(
                f"{label}: zzkg ({variant.label}): {memory_line(process.pid)}; {verdict(process.pid)}"
            )
        print(
            f"{label}: oxigraph: {memory_line(oxigraph.pid)}; load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg()),
            flush=True,
        )
    finally:
        for process in (oxigraph, *(process for process, _ in zzkgs)):
            process.terminate()
            process.wait()
    return rows


def memory_line(root: int) -> str:
    """RSS and PSS of a process tree, whole and process by process. RSS counts the pages that
    forked processes share once in each of them; PSS splits each shared page among its sharers,
    so the PSS of a tree adds up to the memory it takes."""
    tree = process_tree(root)
    rss = [memory_mb(pid, "Rss") for pid in tree]
    pss = [memory_mb(pid, "Pss") for pid in tree]
    return (
        f"RSS {sum(rss):.0f} MB ({' + '.join(f'{mb:.0f}' for mb in rss)}), "
        f"PSS {sum(pss):.0f} MB ({' + '.join(f'{mb:.0f}' for mb in pss)})"
    )


def verdict(root: int) -> str:
    """Whether a process tree keeps to issue 14's memory target (RSS summed: the stricter
    reading; the target is for default settings, which the label says)."""
    rss = sum(memory_mb(pid, "Rss") for pid in process_tree(root))
    met = "met" if rss <= TARGET_RSS_MB else "NOT met"
    return f"target RSS <= {TARGET_RSS_MB} MB: {met} ({rss:.0f} MB)"


def process_tree(root: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        fields = stat_fields(int(entry.name)) if entry.name.isdigit() else []
        if fields:
            parents[int(entry.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sorted(tree)


def memory_mb(pid: int, field: str) -> float:
    """One field of /proc/PID/smaps_rollup (Rss, Pss), in MiB; 0 for a process gone since."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    for line in lines:
        name, _, value = line.partition(":")
        if name == field:
            return int(value.split()[0]) / 1024
    return 0.0


def print_row(row: dict, server: str, variant: Variant) -> None:
    zz, ox = row[server], row["ox"]
    print(
        f"| {variant.label} | {row['graph']} | {row['query']} ({row['class']}) | {row['c']} "
        f"| {zz['p50']:.2f} / {zz['p99']:.2f} | {zz['rps']:.0f} "
        f"| {ox['p50']:.2f} / {ox['p99']:.2f} | {ox['rps']:.0f} "
        f"| {zz['rps'] / ox['rps']:.2f} | {zz['cpu_us']:.0f} / {ox['cpu_us']:.0f} "
        f"| {zz['errors'] + ox['errors']} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="store of a real build (default: build one)")
    parser.add_argument("--synthetic", type=Path, help="directory of the synthetic graph")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--cache-mb",
        type=float,
        action="append",
        help="answer cache (default: the server's); repeatable, one zzkg server per size",
    )
    parser.add_argument(
        "--query-workers",
        type=int,
        action="append",
        help="query workers (default: the server's); repeatable, one zzkg server per number",
    )
    parser.add_argument("--same-text", action="store_true", help="repeat one text per query")
    parser.add_argument(
        "--zzkg-root", type=Path, action="append", help="checkout to serve from (repeatable)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="rounds per query (median kept)")
    parser.add_argument("--real-only", action="store_true", help="skip the synthetic graph")
    args = parser.parse_args()
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    work = Path(tempfile.mkdtemp(prefix="zzkg-bench-"))
    real = args.real
    if real is None:
        from kg.build import build

        real = build(work / "real").store_dir
    synthetic = (args.synthetic or work / "synthetic") / "store"
    if not args.real_only and not synthetic.exists():
        generate(synthetic.parent, triples=1_000_000)
    print(
        "| zzkg from | graph | query | concurrency | zzkg p50 / p99 ms | zzkg req/s "
        "| oxigraph p50 / p99 ms | oxigraph req/s | zzkg/oxigraph "
        "| CPU µs per request, zzkg / oxigraph | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = bench_store("real", Path(real), args)
    if not args.real_only:
        rows += bench_store("synthetic 1M", synthetic, args)
    for line in target_lines(rows, variants(args)):
        print(line)


def target_lines(rows: list[dict], served: list[Variant]) -> list[str]:
    """Issue 14's throughput targets per zzkg server, graph and weight class: the lowest
    zzkg/oxigraph ratio over the class's queries at concurrency 1 and 8, met or not."""
    lines = []
    for index, variant in enumerate(served):
        for graph in dict.fromkeys(row["graph"] for row in rows):
            for weight, target in TARGET_RATIO.items():
                ratios = [
                    row[f"zz{index}"]["rps"] / row["ox"]["rps"]
                    for row in rows
                    if row["graph"] == graph and row["class"] == weight
                ]
                met = "met" if min(ratios) >= target else "NOT met"
                lines.append(
                    f"{variant.label}, {graph}, {weight}: lowest ratio {min(ratios):.3f} "
                    f"(median {statistics.median(ratios):.3f}); target >= {target}: {met}"
                )
    return lines


if __name__ == "__main__":
    main()
