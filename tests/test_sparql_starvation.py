"""A dozen slow queries cannot starve the site: pages, search and /health are answered at once,
a query that cannot get a worker soon gets 503 with Retry-After within the queue's wait, and one
client cannot hold more than its share of the workers (429)."""

import http.client
import json
import threading
import time
from urllib.parse import quote, urlencode

import pytest
import requests
from sparql_support import LiveServer
from test_sparql_safety import ENDLESS

QUEUE_WAIT = 2.0
OPTIONS = ("--threads", "2", "--queue-length", "4", "--queue-wait", str(QUEUE_WAIT))
OPTIONS += ("--client-queries", "2", "--cache-mb", "0")


@pytest.fixture(scope="module")
def server(sparql_store):
    live = LiveServer.start(sparql_store, *OPTIONS)
    yield live
    live.stop()


def query_from(server, source: str, query: str, timeout: float) -> tuple[int, dict, float]:
    """GET a query from a loopback source address of its own (a client of its own)."""
    host, port = server.url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(source, 0))
    started = time.monotonic()
    try:
        path = "/sparql?" + urlencode({"query": query, "timeout": str(timeout)})
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, time.monotonic() - started
    finally:
        connection.close()


def slow_queries(server, count: int, seconds: float, results: list) -> list[threading.Thread]:
    def one(n: int) -> None:
        query = f"{ENDLESS} # client {n}"
        results.append(query_from(server, f"127.0.0.{n + 2}", query, seconds))

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_slow_queries_do_not_starve_pages_search_and_health(server):
    outcomes: list = []
    threads = slow_queries(server, 12, 8, outcomes)
    time.sleep(1.0)
    cheap = [
        server.url + "/health",
        server.url + "/id/place/zhengzhou",
        server.url + "/api/search?q=" + quote("中欧"),
        server.url + "/",
    ]
    timings = []
    for _ in range(5):
        for url in cheap:
            started = time.monotonic()
            response = requests.get(url, timeout=10)
            timings.append((url, response.status_code, time.monotonic() - started))
    search = requests.get(cheap[2], timeout=10).json()
    assert search["results"], search
    ask = query_from(server, "127.0.0.1", "ASK { ?s ?p ?o }", 5)
    for thread in threads:
        thread.join(30)
    assert all(status == 200 for _, status, _ in timings), timings
    assert max(seconds for _, _, seconds in timings) < 2.0, timings
    # the ASK is answered, or refused within the queue's wait
    assert ask[0] == 200 or (ask[0] == 503 and "retry-after" in ask[1]), ask
    assert ask[2] < QUEUE_WAIT + 1.5, ask
    # of the 12 slow queries, 2 ran, at most 4 waited; the rest were refused quickly
    refused = [outcome for outcome in outcomes if outcome[0] == 503 and "retry-after" in outcome[1]]
    assert len(refused) >= 6, outcomes
    assert all(seconds < QUEUE_WAIT + 1.5 for _, _, seconds in refused), refused


def test_one_client_cannot_take_every_worker(server):
    outcomes: list = []

    def one(n: int) -> None:
        outcomes.append(query_from(server, "127.0.0.99", f"{ENDLESS} # same client {n}", 3))

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    for thread in threads:
        thread.join(30)
    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == [429, 503, 503], outcomes
    (limited,) = [outcome for outcome in outcomes if outcome[0] == 429]
    assert limited[1]["retry-after"] == "1" and limited[2] < 1.5
    assert json.loads(requests.get(server.endpoint, params={"query": "ASK {}"}, timeout=30).text)
