"""A query worker: a child process that opens the store read-only and answers one query at a time.

Run as `python -m server.backend.worker SETTINGS_JSON`. It reads `Query` messages from stdin and
writes an `Answer` or a `Refusal` (server/backend/__init__.py) to the stdout it was given; its own
stdout goes to stderr so nothing stray reaches the pipe. It dies with its parent, and it runs in a
network namespace of its own (server/backend/sandbox.py): no query can connect anywhere, and if
that wall cannot be built the worker does not start. A crash (pyoxigraph segfaults on very deep
queries) or a kill only costs the web process this worker, which it replaces.

It loads pyoxigraph and the safety check, nothing of the web app (no Flask, no rdflib): each
worker is a small process.
"""

import functools
import json
import logging
import os
import resource
import sys
from typing import Any

import pyoxigraph as ox

from server.backend import Answer, Query, Refusal, Reply, ipc, reply_to_wire, sandbox
from server.errors import AnswerTooLarge, EngineFailed, NotAcceptable, ServiceUnreachable
from server.sparql import safety
from server.sparql.parse_errors import readable
from server.sparql.serialise import serialise

log = logging.getLogger("zzkg.worker")
# /sparql's workers yield the CPU to the web processes and to the pages' worker: pages, search
# and /health stay quick while every query worker runs a heavy query
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
    os.nice(settings.get("niceness", QUERY_NICENESS))
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
            request = Query.from_wire(ipc.receive(0))  # type: ignore[arg-type]
        except EOFError:
            return 0
        ipc.send(channel, reply_to_wire(answer(store, request, inspect)))


def limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: a query that outgrows it fails its allocation and the
    worker dies (502, replaced) instead of the machine running out of memory. 0: no cap."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def answer(store: ox.Store, request: Query, inspect) -> Reply:
    """Run one query; a failure is sent back as the exception the web process raises."""
    verdict = None
    try:
        text = safety.normalise_line_breaks(request.text)
        verdict = inspect(text)
        result = run(store, request, text, has_dataset=verdict.has_dataset)
        body = serialise(
            result, request.choice, max_rows=request.max_rows, max_bytes=request.max_bytes
        )
    except (SyntaxError, PermissionError, RecursionError, NotAcceptable, ValueError) as error:
        return Refusal(error.with_traceback(None), cacheable=True)
    except (MemoryError, RuntimeError) as error:
        # pyoxigraph: a value too large to serialise, an unbound SERVICE endpoint; the worker
        # itself is fine and stays
        log.warning("query failed in the engine: %s", type(error).__name__)
        failure = AnswerTooLarge() if isinstance(error, MemoryError) else EngineFailed()
        return Refusal(failure, cacheable=False)
    except OSError as error:
        if verdict is not None and verdict.calls_service:
            message = "A SERVICE endpoint of the query could not be reached, or failed."
            return Refusal(ServiceUnreachable(message), cacheable=False)
        log.error("store error: %s", error)
        return Refusal(OSError("store error"), cacheable=False)
    return Answer(body, cacheable=verdict.cacheable)


def run(store: ox.Store, request: Query, text: str, *, has_dataset: bool):
    """Query with the protocol's dataset if given, else the query's own, else the union graph."""
    options: dict[str, Any] = {}
    if request.default_graphs or request.named_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in request.default_graphs]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in request.named_graphs]
    elif not has_dataset:
        options["use_default_graph_as_union"] = True
    try:
        return store.query(text, **options)
    except SyntaxError as error:
        raise SyntaxError(f"Malformed query: {readable(str(error), text)}") from None


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sys.exit(main(sys.argv[1:]))
