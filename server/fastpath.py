"""Repeated GET queries answered before Flask: the lean path for the commonest request.

A 200 answer that the view marks cacheable (header X-Zzkg-Cacheable, removed here) is kept with
its final headers, keyed by path, raw query string and Accept header, and sent again as it is for
the same GET. Only a build's read-only store is served, so an answer stays right for the life of
the process.
"""

import hashlib
import logging
import time
from urllib.parse import parse_qsl

from server.cache import AnswerCache, entry_size

log = logging.getLogger("zzkg.sparql")
MARK = "X-Zzkg-Cacheable"


class CachedAnswers:
    """WSGI middleware: serve kept answers, keep new cacheable ones."""

    def __init__(self, app, *, cache: AnswerCache):
        self.app = app
        self.cache = cache  # the app's one answer cache, shared with server/engine.py

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        started = time.perf_counter()
        key = (
            "http",
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
            environ.get("HTTP_ACCEPT"),
        )
        kept = self.cache.get(key)
        if kept is not None:
            headers, body, rows = kept
            start_response("200 OK", headers)
            log_query(key[2], rows, started)
            return [body]
        return self.forward(key, environ, start_response)

    def forward(self, key: tuple, environ, start_response):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["rows"] = next((value for name, value in headers if name == MARK), None)
            seen["headers"] = [(name, value) for name, value in headers if name != MARK]
            return start_response(status, seen["headers"], exc_info)

        answer = self.app(environ, capture)
        if seen.get("rows") is None:
            return answer
        try:
            body = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        value = (seen["headers"], body, int(seen["rows"]))
        self.cache.put(key, value, entry_size(key, value))
        return [body]


def log_query(query_string: str, rows: int, started: float) -> None:
    query = next((value for name, value in parse_qsl(query_string) if name == "query"), "")
    log.info(
        "query %s status=ok rows=%d ms=%.1f from=http-cache",
        hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()[:12],
        rows,
        (time.perf_counter() - started) * 1000,
    )
