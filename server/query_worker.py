"""A query worker: a child process that opens the store read-only and answers one query at a time.

Run as `python -m server.query_worker SETTINGS_JSON`. It reads requests from stdin and writes
answers to the stdout it was given; its own stdout goes to stderr so nothing stray reaches the
pipe. It dies with its parent, and it runs in a network namespace of its own (server/sandbox.py):
no query can connect anywhere, and if that wall cannot be built the worker does not start. A crash (pyoxigraph segfaults on very deep queries) or a kill
only costs the web process this worker, which it replaces.
"""

import functools
import json
import logging
import os
import resource
import sys
from typing import Any

import pyoxigraph as ox

from server import ipc, safety, sandbox
from server.errors import NotAcceptable
from server.serialise import serialise

log = logging.getLogger("zzkg.worker")
# queries yield the CPU to the web processes: pages, search and /health stay quick while every
# worker runs a heavy query
QUERY_NICENESS = 10


def main(argv: list[str]) -> int:
    settings = json.loads(argv[0])
    channel = os.dup(1)
    os.dup2(2, 1)
    sandbox.die_with_parent()
    try:
        sandbox.isolate_network(settings["allowlist"])
    except sandbox.SandboxError as error:
        log.error("refusing to start: %s", error)
        ipc.send(channel, {"ready": False, "reason": "sandbox"})
        return 1
    os.nice(QUERY_NICENESS)
    limit_memory(settings.get("memory_mb", 0))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 200 * settings["max_nesting"] + 2000))
    try:
        store = ox.Store.read_only(settings["store_dir"])
    except OSError as error:
        log.error("cannot open the store: %s", error)
        ipc.send(channel, {"ready": False})
        return 1
    ipc.send(channel, {"ready": True, "pid": os.getpid()})
    inspect = functools.lru_cache(maxsize=1024)(
        functools.partial(
            safety.inspect,
            allowlist=tuple(settings["allowlist"]),
            max_nesting=settings["max_nesting"],
        )
    )
    while True:
        try:
            request = ipc.receive(0)
        except EOFError:
            return 0
        assert isinstance(request, dict)
        ipc.send(channel, answer(store, request, inspect))


def limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: a query that outgrows it fails its allocation and the
    worker dies (502, replaced) instead of the machine running out of memory. 0: no cap."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def answer(store: ox.Store, request: dict, inspect) -> dict:
    """Run one request; the reply names the error type instead of raising."""
    verdict = None
    try:
        query = safety.normalise_line_breaks(request["query"])
        verdict = inspect(query)
        result = run(store, {**request, "query": query}, has_dataset=verdict.has_dataset)
        body = serialise(
            result, request["choice"], max_rows=request["max_rows"], max_bytes=request["max_bytes"]
        )
    except (SyntaxError, PermissionError, RecursionError, NotAcceptable, ValueError) as error:
        return {"error": type(error).__name__, "message": str(error), "cacheable": True}
    except (MemoryError, RuntimeError) as error:
        # pyoxigraph: a value too large to serialise, an unbound SERVICE endpoint; the worker
        # itself is fine and stays
        log.warning("query failed in the engine: %s", type(error).__name__)
        return {"error": type(error).__name__, "message": "", "cacheable": False}
    except OSError as error:
        if verdict is not None and verdict.calls_service:
            message = "A SERVICE endpoint of the query could not be reached, or failed."
            return {"error": "ServiceUnreachable", "message": message, "cacheable": False}
        log.error("store error: %s", error)
        return {"error": "OSError", "message": "store error", "cacheable": False}
    return {"body": body, "cacheable": verdict.cacheable}


def run(store: ox.Store, request: dict, *, has_dataset: bool):
    """Query with the protocol's dataset if given, else the query's own, else the union graph."""
    options: dict[str, Any] = {}
    if request["default_graphs"] or request["named_graphs"]:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request["default_graphs"]]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request["named_graphs"]]
    elif not has_dataset:
        options["use_default_graph_as_union"] = True
    try:
        return store.query(request["query"], **options)
    except SyntaxError as error:
        if safety.is_update(request["query"]):
            raise safety.update_as_query() from None
        raise SyntaxError(f"Malformed query: {error}") from None


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sys.exit(main(sys.argv[1:]))
