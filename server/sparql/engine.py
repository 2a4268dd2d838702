"""Answer a query request: from the cache, or by the backend within the deadline; log it."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Self

from kg.formats import named
from server.backend import Answer, Backend, Query, Refusal, Reply, unwrap
from server.formats import Choice
from server.sparql.admission import Admission
from server.sparql.cache import AnswerCache
from server.sparql.serialise import Body

log = logging.getLogger("zzkg.sparql")


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol delivered it."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    timeout: float
    choice: Choice

    @cached_property
    def cache_key(self) -> bytes:
        """key_of(self), worked out once for the cache's lookup and its keeping."""
        return key_of(self)


class Engine:
    """The endpoint's way to the backend: the answer cache, then an admission slot, then the
    backend; every query logged with its digest, status, rows, time and where it came from.

    `answer` waits (in a thread) for a slot and a worker; `answer_now` waits for a slot on the
    event loop when the backend runs queries there (the embedded workers), and says None when a
    thread must do it (a remote engine, a worker to start)."""

    def __init__(self, backend: Backend, cache: AnswerCache, admission: Admission, config):
        self.backend = backend
        self.cache = cache
        self.admission = admission
        self.max_rows = config["MAX_ROWS"]
        self.max_bytes = config["MAX_ANSWER_BYTES"]

    def answer(self, request: QueryRequest, client: str) -> tuple[Body, bool]:
        """The serialised answer and whether it may be cached, or the backend's error raised."""
        started = time.perf_counter()
        with Logged(request, started, self.backend.source) as logged:
            reply = self.cached(request)
            if reply is None:
                with self.admission.slot(client):
                    reply = self.backend.run(self.query(request), timeout=request.timeout)
                self.keep(request, reply)
            else:
                logged.source = "cache"
            return logged.answered(unwrap(reply))

    async def answer_now(self, request: QueryRequest, client: str) -> tuple[Body, bool] | None:
        """`answer` without a thread, or None if a thread must answer."""
        started = time.perf_counter()
        reply = self.cached(request)
        if reply is None:
            with failures_logged(request, started, self.backend.source):
                if not self.admission.take_now(client):
                    if not self.backend.runs_on_loop:
                        return None
                    await self.admission.wait_on_loop(client)
                try:
                    reply = await self.backend.run_idle(
                        self.query(request), timeout=request.timeout
                    )
                finally:
                    self.admission.release(client)
            if reply is None:
                return None
            self.keep(request, reply)
            source = self.backend.source
        else:
            source = "cache"
        with Logged(request, started, source) as logged:
            return logged.answered(unwrap(reply))

    def cached(self, request: QueryRequest) -> Reply | None:
        return unpacked(self.cache.get(request.cache_key))

    def query(self, request: QueryRequest) -> Query:
        return Query(
            request.query,
            request.choice,
            max_rows=self.max_rows,
            max_bytes=self.max_bytes,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
        )

    def keep(self, request: QueryRequest, reply: Reply) -> None:
        if reply.cacheable and self.cache.max_bytes:
            self.cache.put(request.cache_key, packed(reply))


# Cache answers are kept as tuples of strings, bytes and numbers only, which Python's
# garbage collector stops tracking: a full cache of objects (tens of thousands of answers, each a
# few dataclasses) made every full collection walk them all, tens of milliseconds with the GIL
# held, and that was the cache's cost in p99. A refusal is kept as its exception pickled (as it
# crossed the worker's pipe) and raised as a new exception each time: raising the one kept would
# chain each raise's traceback, and its frames, onto it.


def key_of(request: QueryRequest) -> bytes:
    """The SHA-256 digest of what makes the answer: the query, the dataset and the formats (a
    digest, not the query text: 65 bytes per entry however long the query)."""
    choice = request.choice
    formats = [None if fmt is None else fmt.name for fmt in (choice.results, choice.graph)]
    request_id = [request.query, request.default_graphs, request.named_graphs, formats]
    return hashlib.sha256(json.dumps(request_id).encode("ascii")).digest()


def packed(reply: Reply) -> tuple:
    if isinstance(reply, Answer):
        body = reply.body
        return (body.data, body.format.name, body.rows, body.truncated)
    return (pickle.dumps(reply.error, protocol=pickle.HIGHEST_PROTOCOL),)


def unpacked(entry: tuple | None) -> Reply | None:
    if entry is None:
        return None
    if len(entry) == 1:
        return Refusal(pickle.loads(entry[0]), cacheable=True)
    data, name, rows, truncated = entry
    return Answer(Body(data, named(name), rows, truncated), cacheable=True)


class Logged:
    """Logs one query when its block ends: ok with its rows, or the error's type."""

    def __init__(self, request: QueryRequest, started: float, source: str):
        self.request, self.started, self.source = request, started, source
        self.rows = -1

    def answered(self, answer: Answer) -> tuple[Body, bool]:
        self.rows = answer.body.rows
        return answer.body, answer.cacheable

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        status = "ok" if error is None else kind.__name__
        log_query(self.request, status, max(self.rows, 0), self.started, self.source)


@contextmanager
def failures_logged(request: QueryRequest, started: float, source: str) -> Iterator[None]:
    """Log the query if the block fails (its answer is logged by whoever makes it)."""
    try:
        yield
    except Exception as error:
        log_query(request, type(error).__name__, 0, started, source)
        raise


def log_query(request: QueryRequest, status: str, rows: int, started: float, source: str):
    log.info(
        "query %s status=%s rows=%d ms=%.1f from=%s",
        digest(request.query),
        status,
        rows,
        (time.perf_counter() - started) * 1000,
        source,
    )


def digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:12]
