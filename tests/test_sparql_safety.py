"""Hostile queries: SERVICE and LOAD never connect out, deep nesting and endless queries get their
error, a dead worker costs one request; the server keeps answering throughout."""

import signal
import threading

import pyoxigraph as ox
import pytest
import requests
from sparql_support import Listener

from server.backend import Answer, Query
from server.backend.pool import WorkerPool
from server.errors import QueryTimeout, WorkerDied
from server.formats import RESULTS, Choice
from server.sparql import safety

ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n1 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)


def service_variants(url: str) -> dict[str, str]:
    prefix, local = url.rsplit("/", 1)
    escaped_keyword = "\\u0053ERVICE"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "lower case": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "prefixed name": f"PREFIX r: <{prefix}/> SELECT * WHERE {{ SERVICE r:{local} {{ ?s ?p ?o }} }}",
        "relative to BASE": f"BASE <{prefix}/> SELECT * WHERE {{ SERVICE <{local}> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "escaped keyword": f"SELECT * WHERE {{ {escaped_keyword} <{url}> {{ ?s ?p ?o }} }}",
        "escaped IRI": "SELECT * WHERE { SERVICE <"
        + url.replace("s", "\\u0073")
        + "> { ?s ?p ?o } }",
        "after comment": f"SELECT * WHERE {{ # }} SERVICE \n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "in subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "in OPTIONAL": f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "in GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "in CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    }


def load_variants(url: str) -> dict[str, dict]:
    load = f"LOAD <{url}>"
    return {
        "update GET": {"method": "GET", "params": {"update": load}},
        "update form": {"method": "POST", "data": {"update": load}},
        "update direct": {
            "method": "POST",
            "data": load.encode(),
            "headers": {"Content-Type": "application/sparql-update"},
        },
        "as query": {"method": "GET", "params": {"query": load}},
        "silent into graph": {
            "method": "POST",
            "data": {"query": f"LOAD SILENT <{url}> INTO GRAPH <urn:g>"},
        },
        "escaped": {"method": "GET", "params": {"query": "\\u004cOAD <" + url + ">"}},
    }


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def test_the_listener_sees_pyoxigraph_connect(listener):
    """Control: unguarded, pyoxigraph does connect for SERVICE SILENT."""
    query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    list(ox.Store().query(query))
    assert listener.connections


def test_no_service_variant_connects_out(sparql_server, listener):
    variants = service_variants(listener.url)
    for name, query in variants.items():
        for method in ("get", "post"):
            key = "params" if method == "get" else "data"
            response = getattr(requests, method)(
                sparql_server.endpoint, **{key: {"query": query}}, timeout=60
            )
            assert response.status_code == 403, (name, method, response.text)
            assert "SERVICE" in response.text
    assert requests.get(sparql_server.url + "/health", timeout=60).status_code == 200
    assert listener.connections == []


def test_no_load_variant_connects_out(sparql_server, listener):
    for name, request_args in load_variants(listener.url).items():
        response = requests.request(url=sparql_server.endpoint, timeout=60, **request_args)
        # an update operation is refused (403); an update sent as a query is malformed (400)
        expected = 403 if name.startswith("update") else 400
        assert response.status_code == expected, (name, response.text)
        assert "read-only" in response.text
    assert requests.get(sparql_server.url + "/health", timeout=60).status_code == 200
    assert listener.connections == []


def test_word_service_elsewhere_is_harmless(sparql_server):
    query = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?x) } # SERVICE'
    response = requests.get(sparql_server.endpoint, params={"query": query}, timeout=60)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


@pytest.mark.parametrize("opening, closing", [("{", "}"), ("(", ")"), ("[", "]"), ("!", "")])
def test_deep_nesting_is_refused_and_server_survives(sparql_server, opening, closing):
    depth = 5_000
    if opening == "{":
        query = "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    elif opening == "(":
        query = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
    elif opening == "[":
        query = "SELECT * WHERE { ?s ?p " + "[ ?p " * depth + "1" + " ]" * depth + " }"
    else:
        query = "SELECT * WHERE { FILTER(" + "!" * 10 * depth + "true) }"
    response = requests.post(
        sparql_server.endpoint,
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert response.status_code == 400
    assert "nested" in response.text
    assert requests.get(sparql_server.endpoint, params={"query": "ASK {}"}, timeout=60).json()[
        "boolean"
    ]


def test_endless_query_gets_503_and_server_survives(embedded_server):
    response = requests.get(
        embedded_server.endpoint, params={"query": ENDLESS, "timeout": "1"}, timeout=60
    )
    assert response.status_code == 503
    assert "did not finish" in response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    follow_up = requests.get(
        embedded_server.endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=60
    )
    assert follow_up.json()["boolean"] is True


def test_killed_worker_costs_one_request(embedded_server):
    answers = {}

    def slow_request():
        answers["slow"] = requests.get(
            embedded_server.endpoint,
            params={"query": ENDLESS + " # kill", "timeout": "20"},
            timeout=60,
        )

    thread = threading.Thread(target=slow_request)
    thread.start()
    busy = wait_for_busy_worker(embedded_server)
    for pid in busy:
        signal_process(pid)
    thread.join()
    assert 500 <= answers["slow"].status_code < 600
    assert "worker" in answers["slow"].text
    follow_up = requests.get(
        embedded_server.endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=60
    )
    assert follow_up.json()["boolean"] is True


def wait_for_busy_worker(server, attempts: int = 200) -> list[int]:
    """Query workers using CPU (the one running the endless query), found through /proc."""
    import time

    first = {pid: cpu_ticks(pid) for pid in server.query_worker_pids()}
    for _ in range(attempts):
        time.sleep(0.05)
        busy = [pid for pid, ticks in first.items() if cpu_ticks(pid) > ticks + 5]
        if busy:
            return busy
    raise AssertionError("no query worker started the query")


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def signal_process(pid: int) -> None:
    import os

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# the pool itself, without HTTP


def probe(text: str) -> Query:
    return Query(text, Choice(RESULTS[0], None), max_rows=10, max_bytes=1 << 20)


@pytest.fixture
def pool(sparql_store):
    settings = {
        "store_dir": str(sparql_store),
        "allowlist": [],
        "max_nesting": 64,
        "memory_mb": 1024,
    }
    workers = WorkerPool(settings, size=1)
    yield workers
    workers.close()


def test_pool_replaces_a_worker_past_its_deadline(pool):
    with pytest.raises(QueryTimeout):
        pool.run(probe(ENDLESS), timeout=0.5)
    assert isinstance(pool.run(probe("ASK {}"), timeout=30), Answer)


def test_pool_replaces_a_worker_that_died_idle(pool):
    pool.warm()
    (worker,) = pool.workers
    pid = worker.pid
    signal_process(pid)
    worker.process.wait(timeout=10)
    assert isinstance(pool.run(probe("ASK {}"), timeout=30), Answer)
    assert pool.pids() != [pid]


def test_pool_workers_reply_on_a_wide_pipe(pool):
    import fcntl

    from server.backend import ipc

    pool.warm()
    (worker,) = pool.workers
    assert fcntl.fcntl(worker.replies.fileno(), fcntl.F_GETPIPE_SZ) == ipc.WIDE_PIPE


def test_pool_reports_a_worker_that_died_mid_query(pool):
    pool.warm()
    (pid,) = pool.pids()
    # the worker's start-up CPU counts too: wait for ticks spent on the query itself, or the
    # kill can land before the query is lent and the pool rightly runs it on a fresh worker
    idle = cpu_ticks(pid)
    outcome = {}

    def endless():
        try:
            pool.run(probe(ENDLESS), timeout=30)
        except WorkerDied as error:
            outcome["error"] = error

    thread = threading.Thread(target=endless)
    thread.start()
    for _ in range(400):
        if cpu_ticks(pid) >= idle + 5:
            break
        thread.join(0.05)
    signal_process(pid)
    thread.join()
    assert isinstance(outcome.get("error"), WorkerDied)
    assert isinstance(pool.run(probe("ASK {}"), timeout=30), Answer)


def test_pool_survives_a_query_that_outgrows_its_memory(pool):
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28))
    query = f'SELECT (STRLEN(?s28) AS ?n) WHERE {{ BIND("abcdefgh" AS ?s0) {binds} }}'
    with pytest.raises(WorkerDied):
        pool.run(probe(query), timeout=30)
    assert isinstance(pool.run(probe("ASK {}"), timeout=30), Answer)


# the checks themselves


@pytest.mark.parametrize(
    "name, query", sorted(service_variants("http://127.0.0.1:9/sparql").items())
)
def test_inspect_refuses_every_service_variant(name, query):
    with pytest.raises(PermissionError):
        safety.inspect(query, allowlist=(), max_nesting=64)


def test_inspect_allows_listed_services_only():
    url = "http://127.0.0.1:9/sparql"
    allowed = safety.inspect(
        f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", allowlist=(url,), max_nesting=64
    )
    assert allowed.has_dataset is False
    with pytest.raises(PermissionError):
        safety.inspect("SELECT * { SERVICE ?v { ?s ?p ?o } }", allowlist=(url,), max_nesting=64)


@pytest.mark.parametrize(
    "query, has_dataset",
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ('SELECT * WHERE { ?s ?p "from" }', False),
        ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <urn:g> WHERE { ?s ?p ?o }", True),
        ("SELECT * \\u0046ROM <urn:g> WHERE { ?s ?p ?o }", True),
    ],
)
def test_inspect_finds_the_query_dataset(query, has_dataset):
    assert safety.inspect(query, allowlist=(), max_nesting=64).has_dataset is has_dataset


def test_nesting_depth_ignores_strings_iris_and_comments():
    query = 'SELECT * { ?s <urn:x((((> "((((" . # [[[[\n ?s ?p """{{{""" }'
    assert safety.nesting_depth(query) == 1
    assert safety.nesting_depth("{" * 5 + "(" * 3 + ")" * 3 + "}" * 5) == 8


@pytest.mark.parametrize("operator", ["!", "- ", "^"])
def test_prefix_operator_runs_count_as_nesting(operator):
    """pyoxigraph segfaults on FILTER(!!!!…true) some thousands deep."""
    # the FILTER link, its bracket, then 5000 operators each nesting the rest
    assert safety.nesting_depth("FILTER(" + operator * 5000 + "true)") == 5002
    # the FILTER link and its bracket, then `!=`, `-`, `&&`, `^`, `^`, `=` in one chain
    assert safety.nesting_depth('FILTER(?a != -1 && "x"^^<urn:t> = ?b) ?s ^<urn:p> ?o') == 8


def test_non_deterministic_queries_are_not_cached():
    assert not safety.inspect("SELECT (RAND() AS ?r) {}", allowlist=(), max_nesting=64).cacheable
    assert safety.inspect("SELECT ?brand {}", allowlist=(), max_nesting=64).cacheable


def chain(kind: str, count: int) -> str:
    """A query whose structure is deep without any bracket nesting."""
    if kind == "plus":
        return "SELECT * WHERE { FILTER(" + "+".join(["1"] * count) + " > 0) }"
    if kind == "or":
        return "SELECT * WHERE { FILTER(" + "||".join(["0"] * count) + "||1) }"
    if kind == "and":
        return "SELECT * WHERE { FILTER(" + "&&".join(["1"] * count) + ") }"
    if kind == "union":
        return "SELECT * WHERE { " + " UNION ".join(["{}"] * count) + " }"
    if kind == "optional":
        return "SELECT * WHERE { " + " ".join(["OPTIONAL {}"] * count) + " }"
    return "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * count) + " ?o }"


CHAINS = ("plus", "or", "and", "union", "optional", "path")
CHAIN_LENGTHS = {"plus": 20_000, "or": 15_000, "and": 15_000, "union": 7_000}


@pytest.mark.parametrize("kind", CHAINS)
def test_long_chains_are_refused_and_server_survives(sparql_server, kind):
    query = chain(kind, CHAIN_LENGTHS.get(kind, 5_000))
    response = requests.post(
        sparql_server.endpoint,
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert response.status_code == 400, response.text
    assert "nested" in response.text
    assert requests.get(sparql_server.url + "/health", timeout=60).status_code == 200


@pytest.mark.parametrize("kind", CHAINS)
def test_short_chains_run(embedded_server, kind):
    response = requests.post(embedded_server.endpoint, data={"query": chain(kind, 40)}, timeout=60)
    assert response.status_code == 200, response.text
    assert "results" in response.json()


def test_chain_depth_counts_links_not_names():
    assert safety.nesting_depth("FILTER(" + "+".join(["1"] * 300) + ")") == 1 + 1 + 299
    assert safety.nesting_depth(" UNION ".join(["{}"] * 50)) == 50
    names = "SELECT * { ?s zz:new-energy-vehicles ?o . ?s ?p 1.5e-3 }"
    assert safety.nesting_depth(names) == 1


# the tokens the checks are decided on


@pytest.mark.parametrize(
    "name, query", sorted(service_variants("http://127.0.0.1:9/sparql").items())
)
def test_tokens_find_service_in_every_variant(name, query):
    tokens = safety.Tokens.of(safety.decode_escapes(query))
    assert tokens.services == 1  # each variant has one clause (the comment's word is none)
    assert "service" in tokens.words


@pytest.mark.parametrize(
    "name, request_args", sorted(load_variants("http://127.0.0.1:9/sparql").items())
)
def test_tokens_find_load_in_every_variant(name, request_args):
    given = request_args.get("params") or request_args.get("data")
    text = given.decode() if isinstance(given, bytes) else next(iter(given.values()))
    assert safety.update_verb(text) == "load"


@pytest.mark.parametrize(
    "update, keyword",
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "insert"),
        ("delete where { ?s ?p ?o }", "delete"),
        ("\\u0044ROP ALL", "drop"),
        ("CLEAR DEFAULT", "clear"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "with"),
        ("PREFIX x: <urn:x#> COPY DEFAULT TO x:g", "copy"),
    ],
)
def test_tokens_find_update_keywords(update, keyword):
    assert safety.update_verb(update) == keyword


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service <urn:p> "SERVICE <http://127.0.0.1:9/>" }',
        "SELECT * WHERE { ?s zz:service ?o ; zz:self-service ?q } # SERVICE <http://x/>",
        "SELECT * WHERE { ?s <http://127.0.0.1:9/service#from> ?o }",
        "SELECT * WHERE { ?s ?p '''from\nSERVICE <http://x/> {}''' }",
        "PREFIX service: <urn:s#> SELECT * WHERE { ?s service: ?o . ?s prov:wasDerivedFrom ?f }",
        "SELECT ?from WHERE { ?from ?p ?o }",
    ],
)
def test_words_in_names_strings_iris_and_comments_are_no_keywords(query):
    tokens = safety.Tokens.of(query)
    assert tokens.services == 0
    assert not {"service", "from"} & tokens.words
    verdict = safety.inspect(query, allowlist=(), max_nesting=64)
    assert (verdict.has_dataset, verdict.calls_service) == (False, False)


def test_allowed_service_is_read_through_prefix_and_base():
    url = "http://127.0.0.1:9/sparql"
    for query in (
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX r: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
        "BASE <http://127.0.0.1:9/a/> SELECT * WHERE { ?s ?p ?o .SERVICE <../sparql> {} }",
    ):
        verdict = safety.inspect(query, allowlist=(url,), max_nesting=64)
        assert verdict.calls_service, query


def test_a_service_keyword_without_a_readable_target_is_refused():
    url = "http://127.0.0.1:9/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{}} ?o 1SERVICE <http://127.0.0.1:1/> {{}} }}"
    with pytest.raises(PermissionError):
        safety.inspect(query, allowlist=(url,), max_nesting=64)
