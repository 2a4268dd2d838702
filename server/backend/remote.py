"""/sparql on a remote engine: the same safety rules, then the query is sent on and its answer
read as a stream, cut at the row cap and re-serialised in the negotiated format.

It is a Backend (server/backend/__init__.py): the endpoint, the cache, /health and the pages do
not know which backend they talk to.
"""

from __future__ import annotations

import functools
import io
import time
from typing import IO, cast

import pyoxigraph as ox
import urllib3

from server.backend import Answer, Backend, Query, Refusal, Reply, unwrap
from server.backend.embedded import PROBE, PROBE_TIMEOUT
from server.backend.http import ACCEPT, RemoteEndpoint, timed_out
from server.errors import NotAcceptable, RemoteTimeout, RemoteUnavailable
from server.sparql import safety
from server.sparql.serialise import serialise

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


class RemoteBackend(Backend):
    """The remote engine runs the queries (no worker processes); pages and /sparql alike."""

    source = "remote"

    def __init__(
        self,
        endpoint: RemoteEndpoint,
        *,
        allowlist: tuple[str, ...],
        max_nesting: int,
        timeout: float,
    ):
        super().__init__(timeout=timeout)
        self.endpoint = endpoint
        self.inspect = functools.lru_cache(maxsize=1024)(
            functools.partial(safety.inspect, allowlist=allowlist, max_nesting=max_nesting)
        )

    def run(self, query: Query, *, timeout: float) -> Reply:
        """The reply for one query; RemoteUnavailable or RemoteTimeout when the engine fails or
        is late."""
        deadline = time.monotonic() + timeout
        try:
            text = safety.normalise_line_breaks(query.text)
            verdict = self.inspect(text)
        except (SyntaxError, PermissionError, RecursionError) as error:
            return Refusal(error.with_traceback(None), cacheable=True)
        dataset = self.endpoint.dataset(
            query.default_graphs, query.named_graphs, own=verdict.has_dataset
        )
        try:
            response = self.endpoint.post(
                text,
                deadline=deadline,
                dataset=dataset,
                accept=accept_for(verdict.form),
                stream=True,
            )
        except SyntaxError as error:
            return Refusal(error.with_traceback(None), cacheable=False)
        try:
            result = parse_answer(response, deadline)
            body = serialise(
                result, query.choice, max_rows=query.max_rows, max_bytes=query.max_bytes
            )
        except NotAcceptable as error:
            return Refusal(error.with_traceback(None), cacheable=False)
        except (SyntaxError, ValueError):
            raise RemoteUnavailable("The SPARQL engine's answer could not be read.") from None
        finally:
            response.close()
        return Answer(body, cacheable=verdict.cacheable)

    def read(self, query: Query, *, timeout: float) -> Reply:
        return self.run(query, timeout=timeout)

    def probe(self) -> bool:
        """/health's question: the engine has no queue here, so it is simply asked."""
        try:
            unwrap(self.run(PROBE, timeout=PROBE_TIMEOUT))
        except (RemoteUnavailable, RemoteTimeout):
            raise OSError("store not readable") from None
        return True


def accept_for(form: str) -> str:
    """The Accept header for the query's form (as the safety check read it); both families if
    it cannot be told."""
    if form in ("select", "ask"):
        return RESULTS_ACCEPT
    if form in ("construct", "describe"):
        return GRAPH_ACCEPT
    return ACCEPT


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
