"""A remote SPARQL 1.1 endpoint over HTTP: one pooled `requests` session, deadlines, and its
failures turned into the package's own errors (RemoteUnavailable 502, RemoteTimeout 504, a query
the engine calls malformed SyntaxError 400), never its internal text beyond a parser message."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

from server.errors import RemoteTimeout, RemoteUnavailable

CONNECT_TIMEOUT = 5.0
POOL_SIZE = 4
MESSAGE_CHARS = 300
# what the remote may answer with: results (JSON first) or a graph (N-Triples first)
ACCEPT = (
    "application/sparql-results+json, application/n-triples, "
    "application/sparql-results+xml;q=0.9, text/turtle;q=0.8"
)


@dataclass
class RemoteEndpoint:
    """The query URL of a SPARQL engine and the dataset its default graph stands for.

    `graphs` are sent as both `default-graph-uri` and `named-graph-uri` whenever neither the
    query nor the request names a dataset: the default graph is then their union and `GRAPH ?g`
    still sees each, on any engine and with no engine setting.
    """

    url: str
    graphs: tuple[str, ...] = ()
    credential: str | None = None
    pool_size: int = POOL_SIZE
    _local: threading.local = field(default_factory=threading.local)

    def session(self) -> requests.Session:
        """One session per thread (a `requests.Session` is not documented as thread-safe), each
        keeping its connections to the engine alive."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=self.pool_size)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            if self.credential:
                user, _, password = self.credential.partition(":")
                session.auth = (user, password)
            self._local.session = session
        return session

    def dataset(
        self, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...], *, own: bool
    ) -> list[tuple[str, str]]:
        if default_graphs or named_graphs:
            pairs = [("default-graph-uri", iri) for iri in default_graphs]
            return pairs + [("named-graph-uri", iri) for iri in named_graphs]
        if own:
            return []
        return [
            (name, iri) for name in ("default-graph-uri", "named-graph-uri") for iri in self.graphs
        ]

    def post(
        self,
        query: str,
        *,
        deadline: float,
        dataset: list[tuple[str, str]],
        accept: str = ACCEPT,
        stream: bool = False,
    ) -> requests.Response:
        """POST the query (form-encoded); raise for a remote error, a failure or the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RemoteTimeout("The query did not finish within its deadline.")
        try:
            response = self.session().post(
                self.url,
                data=[("query", query), *dataset],
                headers={"Accept": accept},
                timeout=(min(CONNECT_TIMEOUT, remaining), remaining),
                stream=stream,
            )
        except requests.Timeout:
            raise timed_out() from None
        except requests.RequestException:
            raise RemoteUnavailable(
                "The SPARQL engine behind this endpoint cannot be reached; try again later."
            ) from None
        if response.status_code != 200:
            raise refused(response)
        return response


def timed_out() -> RemoteTimeout:
    return RemoteTimeout(
        "The SPARQL engine behind this endpoint did not answer within the deadline. "
        "Simplify the query, or pass a larger `timeout` (up to the server's maximum)."
    )


def refused(response: requests.Response) -> Exception:
    """The error a non-200 answer stands for; the engine's text only for a malformed query."""
    status = response.status_code
    text = (response.text.strip().splitlines() or [""])[0][:MESSAGE_CHARS] if status == 400 else ""
    response.close()
    if status == 400:
        return SyntaxError(f"Malformed query (the SPARQL engine says): {text}")
    if status == 504:
        return timed_out()
    return RemoteUnavailable(
        f"The SPARQL engine behind this endpoint answered {status}; the query was not answered."
    )
