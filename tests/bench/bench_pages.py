"""The web tier on a large graph: startup, memory and page times of `zzkg serve` (not a test).

    python tests/bench/bench_pages.py [--synthetic DIR] [--triples 1000000] [--rounds 30]
                                      [--before CHECKOUT] [--processes 2] [--synthetic-only]

--synthetic is a generated build of about --triples triples (gen_synthetic.py makes it there if it
is missing: the real graph plus synthetic entities and observations, and its page index). The
real graph is built into a temporary directory. On each, `zzkg serve` is started from this
checkout (and, with --before, from that checkout first: the code before a change, measured in the
same run on the same stores) and measured over HTTP (keep-alive, one client): the time from start to a healthy
/health; the first request of each kind on a fresh server; then p50 and p90 over --rounds
requests, each to a different entity, observation or search text (so no cache helps); the
class page /class/zz:Observation and the pages after it (following its "next" links); the
sitemap and, if it is an index, each of its parts; and the resident memory (RSS) of each web
process and of the query workers at the end. Printed: one table per graph (before and after
side by side with --before), the target beside each figure, and the machine's load average.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pyoxigraph as ox
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from gen_synthetic import generate
from sparql_support import free_port

from kg.build import build
from kg.vocab import PREFIXES

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SEARCHES = ["中欧", "郑州", "GDP", "13.1万", "新能源汽车", "航空港", "energy", "rail port", "汽"]
WORDS = ["郑州", "新能源", "汽车", "物流", "航空", "数据", "smart", "air", "logistics", "port"]
TARGETS = {  # figure -> (limit, unit)
    "startup to healthy": (3000, "ms"),
    "first page (/)": (50, "ms"),
    "entity page p50": (10, "ms"),
    "entity RDF (turtle) p50": (20, "ms"),
    "first search": (20, "ms"),
    "search p50": (20, "ms"),
    "class page p50": (50, "ms"),
    "sitemap part max": (1000, "ms"),
}


def timed(session: requests.Session, url: str, **headers) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = session.get(url, headers=headers, timeout=600)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return elapsed, response


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.9) - 1)]


def sample(store_dir: Path, where: str, count: int, seed: int = 3) -> list[str]:
    """`count` IRIs (paths under the base) of the pattern, chosen at random."""
    store = ox.Store.read_only(str(store_dir))
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    rows = store.query(
        prologue + f"SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x",
        use_default_graph_as_union=True,
    )
    found = [row["x"].value for row in rows]
    del store
    return random.Random(seed).sample(found, min(count, len(found)))


def serve_command(root: Path) -> list[str]:
    """`zzkg serve` as a module run: `-m zzkg serve`, or `-m server` in a checkout from before
    the command moved to zzkg/."""
    return ["-m", "zzkg", "serve"] if (root / "zzkg").is_dir() else ["-m", "server"]


def start_server(
    root: Path, store_dir: Path, processes: int
) -> tuple[subprocess.Popen, str, float]:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *serve_command(root), "--store", str(store_dir), "--port", str(port)]
        + ["--processes", str(processes)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 120:
        try:
            if requests.get(url + "/health", timeout=5).status_code == 200:
                return process, url, (time.perf_counter() - started) * 1000
        except requests.ConnectionError:
            pass
        time.sleep(0.02)
    process.kill()
    raise RuntimeError("the server did not become healthy")


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def rss_by_role(root: int) -> dict[str, list[float]]:
    """MB resident per process, grouped: the query workers, and the rest (the web processes)."""
    roles: dict[str, list[float]] = {"web process": [], "query worker": []}
    for pid in tree(root)[1:]:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except OSError:
            continue
        # server.backend.worker now, server.query_worker in a checkout from before
        is_worker = "backend.worker" in command or "query_worker" in command
        role = "query worker" if is_worker else "web process"
        roles[role].append(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)
    return roles


def next_link(page: str) -> str | None:
    root = html5lib.parse(page, namespaceHTMLElements=False)
    for anchor in root.iter("a"):
        if anchor.get("rel") == "next" or anchor.text in ("next", "下一页", "Next"):
            return anchor.get("href")
    return None


def measure(root: Path, store_dir: Path, *, rounds: int, processes: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    half = max(1, rounds // 2)
    entities = sample(store_dir, "?x a/rdfs:subClassOf* zz:Place", half)
    entities += sample(store_dir, "?x a zz:Industry", rounds - half)
    random.Random(1).shuffle(entities)
    observations = sample(store_dir, "?x a zz:Observation", rounds)
    process, url, figures["startup to healthy"] = start_server(root, store_dir, processes)
    base = "https://zzkg.example.org/"
    session = requests.Session()
    html = {"Accept": "text/html", "Accept-Language": "zh"}
    try:
        figures["first page (/)"] = timed(session, url + "/", **html)[0]
        figures["first entity page"] = timed(session, url + "/" + entities[0][len(base) :], **html)[
            0
        ]
        figures["first search"] = timed(session, url + "/search?q=" + "郑州航空", **html)[0]
        for name, iris, accept in (
            ("entity page", entities, "text/html"),
            ("observation page", observations, "text/html"),
            ("entity RDF (turtle)", entities, "text/turtle"),
        ):
            times = [
                timed(session, url + "/" + iri[len(base) :], Accept=accept)[0]
                for iri in iris[:rounds]
            ]
            figures[f"{name} p50"], figures[f"{name} p90"] = percentiles(times)
        rng = random.Random(5)
        texts = SEARCHES + [
            "".join(rng.sample(WORDS, 2)) for _ in range(max(0, rounds - len(SEARCHES)))
        ]
        times = [
            timed(session, f"{url}/search?q={requests.utils.quote(text)}", **html)[0]
            for text in texts[:rounds]
        ]
        figures["search p50"], figures["search p90"] = percentiles(times)
        times, page = [], "/class/zz:Observation"
        for _ in range(min(rounds, 10)):
            elapsed, response = timed(session, url + page, **html)
            times.append(elapsed)
            found = next_link(response.text)
            if found is None:
                break
            page = found if found.startswith("/") else "/class/" + found
        figures["class page p50"], figures["class page max"] = (
            percentiles(times) if times else (0, 0)
        )
        elapsed, response = timed(session, url + "/sitemap.xml")
        figures["sitemap.xml"] = elapsed
        document = ET.fromstring(response.content)
        parts = (
            [loc.text for loc in document.iter(SITEMAP + "loc")]
            if document.tag.endswith("sitemapindex")
            else []
        )
        part_times = [timed(session, part)[0] for part in parts if part]
        figures["sitemap parts"] = len(part_times)
        figures["sitemap part max"] = max(part_times) if part_times else elapsed
        roles = rss_by_role(process.pid)
        figures["web process RSS max (MB)"] = max(roles["web process"], default=0)
        figures["query worker RSS max (MB)"] = max(roles["query worker"], default=0)
    finally:
        process.terminate()
        process.wait()
    return figures


def print_table(label: str, runs: dict[str, dict[str, float]]) -> None:
    """One row per figure, one column per run ("before", "after"), and the target."""
    print(f"\n{label}; load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    names = list(runs)
    print("| figure | " + " | ".join(names) + " | target |")
    print("|---" * (len(names) + 2) + "|")
    last = runs[names[-1]]
    for name in last:
        target = ""
        if name in TARGETS:
            limit, unit = TARGETS[name]
            target = f"< {limit} {unit}: {'met' if last[name] < limit else 'NOT MET'}"
        values = " | ".join(f"{runs[run].get(name, float('nan')):.1f}" for run in names)
        print(f"| {name} | {values} | {target} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=Path, default=ROOT / "build" / "synthetic-1m")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--before", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--synthetic-only", action="store_true", help="skip the real graph")
    args = parser.parse_args()
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)
    if not (args.synthetic / "store").exists():
        generate(args.synthetic, triples=args.triples)
    roots = {"before": args.before, "after": ROOT} if args.before else {"after": ROOT}
    options = {"rounds": args.rounds, "processes": args.processes}
    with tempfile.TemporaryDirectory() as scratch:
        stores = {f"synthetic graph ({args.synthetic.name})": args.synthetic / "store"}
        if not args.synthetic_only:
            stores = {"real graph": build(Path(scratch) / "real").store_dir, **stores}
        for label, store in stores.items():
            runs = {name: measure(root, store, **options) for name, root in roots.items()}
            print_table(label, runs)


if __name__ == "__main__":
    main()
