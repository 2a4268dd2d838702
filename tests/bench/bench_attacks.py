"""The HTTP front under attack, old (gunicorn gthread) and new (granian + server/front.py) side by
side, on the same app and store (not a test):

    python tests/bench/bench_attacks.py [--store DIR] [--seconds 10]

Each front serves the app with 2 web processes of 4 query workers (the defaults; the old
front's gunicorn options are those `zzkg serve` used before), the answer cache off. Printed:

- cheap-request latency (p50, p99, worst, failures) of /health, an entity page and a search
  sent one after another, and meanwhile of an ASK query, while 16 slow queries (8-way cross products, timeout=10, each from a
  loopback address of its own) and 24 slow clients (8 trickling headers, 8 trickling bodies,
  8 never reading a large answer) run; a request that fails or passes 10 s counts as 10 s;
- light-query throughput (`SELECT ?p ?o WHERE { <entity> ?p ?o }`) at concurrency 8 over
  keep-alive connections, with nothing else running.
gunicorn comes with the test extras (`pip install -e '.[test]'`).
"""

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sparql_support import free_port

ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)
ENTITY = "https://zzkg.example.org/id/place/zhengzhou"
LIGHT = f"SELECT ?p ?o WHERE {{ <{ENTITY}> ?p ?o }}"
CHEAP = ["/health", "/id/place/zhengzhou", "/api/search?" + urlencode({"q": "中欧"})]
ASK = "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})
ASKER = "127.0.0.200"  # a client of its own, not sharing the attackers' per-client limit
CAP = 10.0
# the former front: `zzkg serve`'s gunicorn settings before granian
OLD_FRONT = """
import json, sys
from gunicorn.app.base import BaseApplication
from server import create_app

class Old(BaseApplication):
    def load_config(self):
        for name, value in dict(bind=sys.argv[1], workers=2, threads=4, worker_class="gthread",
                                timeout=150, graceful_timeout=5, keepalive=5,
                                limit_request_line=8190, loglevel="warning").items():
            self.cfg.set(name, value)
    def load(self):
        return create_app(json.loads(sys.argv[2]))

Old().run()
"""


def start(front: str, store: Path, port: int) -> subprocess.Popen:
    if front == "new":
        command = [sys.executable, "-m", "zzkg", "serve", "--store", str(store)]
        command += ["--port", str(port), "--cache-mb", "0", "--max-rows", "100000"]
    else:
        settings = f'{{"STORE_DIR": "{store}", "CACHE_BYTES": 0, "MAX_ROWS": 100000}}'
        command = [sys.executable, "-c", OLD_FRONT, f"127.0.0.1:{port}", settings]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the {front} front did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def get(port: int, path: str, *, source: str = "127.0.0.1", timeout: float = CAP) -> int:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


class Attack:
    """16 slow queries and 24 slow clients, until stopped."""

    def __init__(self, port: int):
        self.port = port
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        jobs = [self.slow_query] * 16 + [self.trickle_headers] * 8
        jobs += [self.trickle_body] * 8 + [self.never_read] * 8
        for n, job in enumerate(jobs):
            threading.Thread(target=job, args=(n,), daemon=True).start()

    def slow_query(self, n: int) -> None:
        while not self.stopped.is_set():
            path = "/sparql?" + urlencode({"query": f"{ENDLESS} # {n}", "timeout": "10"})
            try:
                get(self.port, path, source=f"127.0.0.{n + 2}", timeout=30)
            except OSError:
                time.sleep(0.5)

    def connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        self.sockets.append(sock)
        return sock

    def trickle(self, head: bytes, piece: bytes) -> None:
        while not self.stopped.is_set():
            try:
                sock = self.connect()
                sock.sendall(head)
                while not self.stopped.wait(3):
                    sock.sendall(piece)
            except OSError:
                time.sleep(0.5)

    def trickle_headers(self, n: int) -> None:
        self.trickle(b"GET /health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n")

    def trickle_body(self, n: int) -> None:
        head = (
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 4000\r\n\r\n"
        )
        self.trickle(head, b" ")

    def never_read(self, n: int) -> None:
        query = quote(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {50000 + n}")
        request = f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\r\n"
        while not self.stopped.is_set():
            try:
                sock = self.connect()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.sendall(request.encode())
                self.stopped.wait(60)
            except OSError:
                time.sleep(0.5)

    def stop(self) -> None:
        self.stopped.set()
        for sock in self.sockets:
            sock.close()


def timed(port: int, path: str, source: str = "127.0.0.1") -> tuple[int, float]:
    started = time.monotonic()
    try:
        status = get(port, path, source=source)
    except OSError:
        status = 0
    return status, time.monotonic() - started


def cheap_under_attack(port: int, seconds: float) -> dict:
    attack = Attack(port)
    time.sleep(3)
    latencies, failures, asks = [], 0, []
    until = time.monotonic() + seconds

    def ask_meanwhile() -> None:
        while time.monotonic() < until:
            asks.append(timed(port, ASK, ASKER))

    asking = threading.Thread(target=ask_meanwhile)
    asking.start()
    try:
        while time.monotonic() < until:
            for path in CHEAP:
                status, elapsed = timed(port, path)
                failures += status != 200
                latencies.append(elapsed if status == 200 else CAP)
        asking.join()
    finally:
        attack.stop()
    return {"latencies": latencies, "failures": failures, "asks": asks}


def light_throughput(port: int, seconds: float, concurrency: int = 8) -> int:
    done = [0] * concurrency
    until = time.monotonic() + seconds
    path = "/sparql?" + urlencode({"query": LIGHT})

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < until:
            connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            response.read()
            done[index] += response.status == 200

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench(front: str, store: Path, seconds: float) -> dict:
    port = free_port()
    process = start(front, store, port)
    try:
        done = light_throughput(port, seconds)
        under = cheap_under_attack(port, seconds)
    finally:
        stop(process)
    latencies = under["latencies"]
    ask_seconds = [elapsed for _, elapsed in under["asks"]]
    return {
        "asks": len(under["asks"]),
        "answered": sum(status == 200 for status, _ in under["asks"]),
        "refused": sum(status == 503 for status, _ in under["asks"]),
        "other": sum(status not in (200, 503) for status, _ in under["asks"]),
        "ask_p99": percentile(ask_seconds, 0.99) * 1000,
        "front": front,
        "p50": statistics.median(latencies) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "worst": max(latencies) * 1000,
        "cheap": len(latencies),
        "failed": under["failures"],
        "done": done,
        "throughput": done / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a build's store (built here if not given)")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store
        if store is None:
            from kg.build import build

            store = Path(build(Path(scratch) / "build").store_dir)
        rows = [bench(front, store.resolve(), args.seconds) for front in ("old", "new")]
    print("cheap requests (/health, entity page, search) under attack; a failure counts 10 s")
    print(
        "front | p50 ms | p99 ms | worst ms | sent | failed || ASK sent | 200 | 503 | other | p99 ms"
    )
    for row in rows:
        print(
            f"{row['front']:5} | {row['p50']:6.1f} | {row['p99']:6.1f} | {row['worst']:8.0f} | "
            f"{row['cheap']:4d} | {row['failed']:6d} || {row['asks']:8d} | {row['answered']:3d} | "
            f"{row['refused']:3d} | {row['other']:5d} | {row['ask_p99']:6.0f}"
        )
    print("light query at concurrency 8, nothing else running")
    for row in rows:
        print(
            f"{row['front']:5} | {row['throughput']:.1f} requests/s ({row['done']} in {args.seconds:g} s)"
        )


if __name__ == "__main__":
    main()
