"""Answer a query request: from the cache, or by the backend within the deadline; log it."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from server.backend import Answer, Backend, Query, unwrap
from server.formats import Choice
from server.sparql.admission import Admission
from server.sparql.cache import AnswerCache, entry_size
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


class Engine:
    """The endpoint's way to the backend: the answer cache, then an admission slot, then the
    backend; every query logged with its digest, status, rows, time and where it came from."""

    def __init__(self, backend: Backend, cache: AnswerCache, admission: Admission, config):
        self.backend = backend
        self.cache = cache
        self.admission = admission
        self.max_rows = config["MAX_ROWS"]
        self.max_bytes = config["MAX_ANSWER_BYTES"]

    def answer(self, request: QueryRequest, client: str) -> tuple[Body, bool]:
        """The serialised answer and whether it may be cached, or the backend's error raised."""
        started = time.perf_counter()
        status, rows, source = "failed", 0, self.backend.source
        try:
            answer, source = self.cached_or_run(request, client)
            status, rows = "ok", answer.body.rows
            return answer.body, answer.cacheable
        except Exception as error:
            status = type(error).__name__
            raise
        finally:
            log.info(
                "query %s status=%s rows=%d ms=%.1f from=%s",
                digest(request.query),
                status,
                rows,
                (time.perf_counter() - started) * 1000,
                source,
            )

    def cached_or_run(self, request: QueryRequest, client: str):
        key = (request.query, request.default_graphs, request.named_graphs, request.choice)
        reply = self.cache.get(key)
        if reply is not None:
            return unwrap(reply), "cache"
        query = Query(
            request.query,
            request.choice,
            max_rows=self.max_rows,
            max_bytes=self.max_bytes,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
        )
        with self.admission.slot(client):
            reply = self.backend.run(query, timeout=request.timeout)
        if reply.cacheable and self.cache.max_bytes:
            held = reply.body.data if isinstance(reply, Answer) else str(reply.error)
            size = entry_size(request.query, *request.default_graphs, *request.named_graphs, held)
            self.cache.put(key, reply, size)
        return unwrap(reply), self.backend.source


def digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:12]
