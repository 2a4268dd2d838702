"""The views' reads on a remote SPARQL engine: the same `select` and `construct` as
the embedded StoreReader, over HTTP, with the bindings written as the embedded reader writes them."""

from __future__ import annotations

import time

from server.remote import RemoteEndpoint
from server.views.data import SPARQL_PREFIXES, Row, n_triples_as

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteReader:
    """Queries sent to the remote engine, its default graph the union of the build's graphs."""

    def __init__(self, endpoint: RemoteEndpoint, *, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, sparql: str, accept: str):
        return self.endpoint.post(
            SPARQL_PREFIXES + sparql,
            deadline=time.monotonic() + self.timeout,
            dataset=self.endpoint.dataset((), (), own=False),
            accept=accept,
        )

    def select(self, sparql: str) -> list[Row]:
        document = self._post(sparql, RESULTS_JSON).json()
        return [
            {name: normalised(term) for name, term in row.items()}
            for row in document["results"]["bindings"]
        ]

    def construct(self, sparql: str, media_type: str) -> bytes:
        return n_triples_as(self._post(sparql, N_TRIPLES).content, media_type)


def normalised(term: dict) -> dict[str, str]:
    """A JSON results term as the embedded reader gives it: every plain literal typed."""
    if term["type"] in ("literal", "typed-literal"):
        value = {"type": "literal", "value": term["value"]}
        if "xml:lang" in term:
            value["xml:lang"] = term["xml:lang"]
        else:
            value["datatype"] = term.get("datatype", XSD_STRING)
        return value
    return {"type": term["type"], "value": term["value"]}
