"""Answer a query request: from the cache, or by a query worker within the deadline; log it."""

import hashlib
import logging
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask import request as http_request

from server.admission import Admission
from server.cache import AnswerCache, entry_size
from server.config import dataset_graphs
from server.errors import raise_named
from server.formats import Choice
from server.pool import WorkerPool
from server.remote import RemoteEndpoint
from server.remote_queries import RemoteQueries
from server.serialise import Body

log = logging.getLogger("zzkg.sparql")


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivered it."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    timeout: float
    choice: Choice


def answer(request: QueryRequest) -> tuple[Body, bool]:
    """The serialised answer and whether it may be cached, or the error the worker reported
    raised as its built-in type."""
    started = time.perf_counter()
    status, rows, source = "failed", 0, "worker"
    try:
        reply, source = cached_or_run(request)
        if "error" in reply:
            raise_named(reply["error"], reply["message"])
        status, rows = "ok", reply["body"].rows
        return reply["body"], bool(reply.get("cacheable"))
    except Exception as error:
        status = type(error).__name__
        raise
    finally:
        elapsed = (time.perf_counter() - started) * 1000
        log.info(
            "query %s status=%s rows=%d ms=%.1f from=%s",
            digest(request.query),
            status,
            rows,
            elapsed,
            source,
        )


def cached_or_run(request: QueryRequest) -> tuple[dict, str]:
    config = current_app.config
    cache: AnswerCache = current_app.extensions["zzkg.cache"]
    key = ("reply", request.query, request.default_graphs, request.named_graphs, request.choice)
    reply = cache.get(key)
    if reply is not None:
        return reply, "cache"
    pool: WorkerPool | RemoteQueries = current_app.extensions["zzkg.pool"]
    message = {
        "query": request.query,
        "default_graphs": request.default_graphs,
        "named_graphs": request.named_graphs,
        "choice": request.choice,
        "max_rows": config["MAX_ROWS"],
        "max_bytes": config["MAX_ANSWER_BYTES"],
    }
    admission: Admission = current_app.extensions["zzkg.admission"]
    with admission.slot(client_address()):
        reply = pool.run(message, timeout=request.timeout)
    if reply.get("cacheable"):
        cache.put(key, reply, entry_size(key, reply))
    return reply, pool.source


def client_address() -> str:
    """The client as the HTTP front saw it (behind a proxy, every client is the proxy)."""
    return http_request.remote_addr or "unknown"


def digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Give the app its query runner and its answer cache: the worker pool on the embedded store
    (workers start on first use), or the remote engine when SPARQL_ENDPOINT is set."""
    app.extensions["zzkg.cache"] = AnswerCache(max_bytes=app.config["CACHE_BYTES"])  # shared
    app.extensions["zzkg.admission"] = Admission(
        slots=app.config["QUERY_WORKERS"],
        queue_length=app.config["QUEUE_LENGTH"],
        wait=app.config["QUEUE_WAIT"],
        per_client=app.config["CLIENT_QUERIES"],
    )
    if app.config["SPARQL_ENDPOINT"]:
        app.extensions["zzkg.pool"] = RemoteQueries(
            remote_endpoint(app.config),
            allowlist=tuple(app.config["SERVICE_ALLOWLIST"]),
            max_nesting=app.config["MAX_NESTING"],
        )
        return
    settings = {
        "store_dir": str(app.config["STORE_DIR"]),
        "allowlist": list(app.config["SERVICE_ALLOWLIST"]),
        "max_nesting": app.config["MAX_NESTING"],
        "memory_mb": app.config["WORKER_MEMORY_MB"],
    }
    app.extensions["zzkg.pool"] = WorkerPool(settings, size=app.config["QUERY_WORKERS"])


def remote_endpoint(config) -> RemoteEndpoint:
    """The configured remote engine, its default graph the union of the build's graphs."""
    return RemoteEndpoint(
        config["SPARQL_ENDPOINT"],
        graphs=dataset_graphs(config["BASE"]),
        credential=config["SPARQL_CREDENTIAL"],
    )
