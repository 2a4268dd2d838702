"""/sparql on a remote engine: the same safety rules, then the query is sent on and its answer
read as a stream, cut at the row cap and re-serialised in the negotiated format.

It answers `run(message, timeout=)` with the replies a query worker gives (server/pool.py), so the
endpoint, the cache and /health do not know which backend they talk to.
"""

from __future__ import annotations

import functools
import io
import re
import time
from typing import IO, cast

import pyoxigraph as ox
import urllib3

from server import safety
from server.errors import NotAcceptable, RemoteUnavailable
from server.remote import ACCEPT, RemoteEndpoint, timed_out
from server.serialise import serialise

# the query form: its first keyword outside strings, IRIs and comments (not a prefix name)
FORM = re.compile(r"\b(select|ask|construct|describe)(?=[\s*?$({]|$)", re.IGNORECASE)
# what to ask the engine for, by query form (some engines answer a CONSTRUCT in a results
# format when that comes first in Accept)
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"


class DeadlineReader(io.RawIOBase):
    """The answer's body, read until the deadline (then RemoteTimeout, 504)."""

    def __init__(self, raw, deadline: float):
        self.raw = raw
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if time.monotonic() > self.deadline:
            raise timed_out()
        try:
            data = self.raw.read(len(buffer), decode_content=True)
        except urllib3.exceptions.ReadTimeoutError:
            raise timed_out() from None
        except (urllib3.exceptions.HTTPError, OSError):
            raise RemoteUnavailable("The SPARQL engine's answer broke off.") from None
        buffer[: len(data)] = data
        return len(data)


class RemoteQueries:
    """The query runner of the remote backend (no worker processes: the engine runs queries)."""

    source = "remote"

    def __init__(self, endpoint: RemoteEndpoint, *, allowlist: tuple[str, ...], max_nesting: int):
        self.endpoint = endpoint
        self.inspect = functools.lru_cache(maxsize=1024)(
            functools.partial(safety.inspect, allowlist=allowlist, max_nesting=max_nesting)
        )

    def run(self, request: dict, *, timeout: float) -> dict:
        """The reply for one query: {"body", "cacheable"} or {"error", "message", "cacheable"};
        RemoteUnavailable or RemoteTimeout when the engine fails or is late."""
        deadline = time.monotonic() + timeout
        try:
            query = safety.normalise_line_breaks(request["query"])
            verdict = self.inspect(query)
            if safety.is_update(query):
                raise safety.update_as_query()
        except (SyntaxError, PermissionError, RecursionError) as error:
            return {"error": type(error).__name__, "message": str(error), "cacheable": True}
        dataset = self.endpoint.dataset(
            request["default_graphs"], request["named_graphs"], own=verdict.has_dataset
        )
        try:
            response = self.endpoint.post(
                query, deadline=deadline, dataset=dataset, accept=accept_for(query), stream=True
            )
        except SyntaxError as error:
            return {"error": "SyntaxError", "message": str(error), "cacheable": False}
        try:
            result = parse_answer(response, deadline)
            body = serialise(
                result,
                request["choice"],
                max_rows=request["max_rows"],
                max_bytes=request["max_bytes"],
            )
        except NotAcceptable as error:
            return {"error": "NotAcceptable", "message": str(error), "cacheable": False}
        except (SyntaxError, ValueError):
            raise RemoteUnavailable("The SPARQL engine's answer could not be read.") from None
        finally:
            response.close()
        return {"body": body, "cacheable": verdict.cacheable}

    def probe(self, request: dict, *, timeout: float) -> dict:
        """/health's question: the engine has no queue here, so it is simply asked."""
        return self.run(request, timeout=timeout)

    def warm(self) -> None:
        """Nothing to start: connections open on first use."""

    def close(self) -> None:
        """Nothing to stop: idle connections close with the process."""


def accept_for(query: str) -> str:
    """The Accept header for the query's form; both families if it cannot be told."""
    match = FORM.search(safety.OPAQUE.sub(" ", safety.decode_escapes(query)))
    if match is None:
        return ACCEPT
    return RESULTS_ACCEPT if match.group(1).lower() in ("select", "ask") else GRAPH_ACCEPT


def parse_answer(response, deadline: float):
    """A pyoxigraph result (boolean, solutions or triples) read lazily from the response."""
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    stream = cast(IO[bytes], DeadlineReader(response.raw, deadline))  # a RawIOBase
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        return ox.parse_query_results(stream, format=results_format)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None or rdf_format.supports_datasets:
        raise RemoteUnavailable(f"The SPARQL engine answered in an unexpected format {media_type}.")
    return (quad.triple for quad in ox.parse(stream, format=rdf_format))
