"""``zzkg publish``: load a build's graphs into a remote SPARQL engine, replacing the old ones whole.

Each graph of the build (`dumps/zzkg.nq`, and `dumps/void.ttl` for the void graph) is uploaded
into a fresh staging graph (`{graph}-staging-{token}`): by the SPARQL 1.1 Graph Store Protocol
when a graph store URL is given, else by SPARQL Update `INSERT DATA` in batches. Its triple count
is checked on the remote side; only when every staging graph is complete does one update request
`MOVE` them all over the published graphs, and the counts are checked again. Triples with blank
nodes all travel in the first batch, since a blank node label only holds within one request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import requests

REQUEST_TIMEOUT = (10.0, 600.0)
BATCH = 1000
N_TRIPLES = "application/n-triples"


class PublishError(ValueError):
    """The remote engine refused or failed a step; the published graphs are left as they were."""


@dataclass
class Remote:
    """A SPARQL engine's query and update endpoints and, if it has one, its graph store."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    credential: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        if self.credential:
            user, _, password = self.credential.partition(":")
            self.session.auth = (user, password)

    def send(self, method: str, url: str, **options) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=REQUEST_TIMEOUT, **options)
        except requests.RequestException as error:
            raise PublishError(f"{method} {url}: {error}") from None
        if response.status_code >= 300:
            raise PublishError(f"{method} {url}: {response.status_code} {response.text[:300]}")
        return response

    def update(self, text: str) -> None:
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        self.send("POST", self.update_url, data=text.encode(), headers=headers)

    def count(self, graph: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        headers = {"Accept": "application/sparql-results+json"}
        answer = self.send("POST", self.query_url, data={"query": query}, headers=headers).json()
        return int(answer["results"]["bindings"][0]["n"]["value"])

    def upload(self, graph: str, batches: list[list[str]]) -> None:
        """Add the batches of N-Triples lines to the (empty) graph."""
        for number, lines in enumerate(batches):
            if self.graph_store_url:
                method = "PUT" if number == 0 else "POST"
                body = "".join(line + "\n" for line in lines).encode()
                headers = {"Content-Type": N_TRIPLES}
                url = self.graph_store_url
                self.send(method, url, params={"graph": graph}, data=body, headers=headers)
            else:
                triples = "\n".join(lines)
                self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}\n}} }}")


def build_graphs(build_dir: Path) -> dict[str, list[str]]:
    """Each graph of the build as its sorted, distinct N-Triples lines."""
    dumps = build_dir / "dumps"
    missing = [name for name in ("zzkg.nq", "void.ttl") if not (dumps / name).is_file()]
    if missing:
        raise PublishError(
            f"no build in {build_dir}: {dumps / missing[0]} is missing; run `zzkg build` first "
            "or pass --build DIR"
        )
    grouped: dict[str, list] = {}
    for quad in ox.parse(path=str(dumps / "zzkg.nq"), format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            grouped.setdefault(quad.graph_name.value, []).append(quad.triple)
    kg = next((iri for iri in grouped if iri.endswith("/graph/kg")), None)
    if kg is None:
        raise PublishError(f"{dumps / 'zzkg.nq'} holds no graph named …/graph/kg")
    void = ox.parse(path=str(dumps / "void.ttl"), format=ox.RdfFormat.TURTLE)
    grouped[kg.removesuffix("kg") + "void"] = [quad.triple for quad in void]
    return {graph: lines_of(triples) for graph, triples in grouped.items()}


def lines_of(triples: list) -> list[str]:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return sorted(set(data.decode("utf-8").splitlines()) - {""})


def batches_of(lines: list[str], size: int) -> list[list[str]]:
    """Lines with blank nodes first, together; then the rest, `size` at a time."""
    blank = [line for line in lines if "_:" in line]
    rest = [line for line in lines if "_:" not in line]
    chunks = [rest[start : start + size] for start in range(0, len(rest), size)]
    return [blank + (chunks[0] if chunks else []), *chunks[1:]] if blank else chunks


def publish(
    build_dir: Path, remote: Remote, *, batch: int = BATCH, say: Callable[[str], None] = print
) -> dict[str, int]:
    """Upload, check, swap in and check again; the triple count of each graph on the remote."""
    graphs = build_graphs(build_dir)
    token = secrets.token_hex(6)
    staging = {graph: f"{graph}-staging-{token}" for graph in graphs}
    way = "Graph Store Protocol" if remote.graph_store_url else "SPARQL Update"
    try:
        for graph, lines in graphs.items():
            say(f"uploading {graph}: {len(lines)} triples by {way} into {staging[graph]}")
            remote.upload(staging[graph], batches_of(lines, batch))
            check(remote, staging[graph], len(lines))
        say("replacing the published graphs in one update request")
        remote.update(" ;\n".join(f"MOVE <{staging[g]}> TO <{g}>" for g in graphs))
    except PublishError:
        for name in staging.values():
            try:
                remote.update(f"DROP SILENT GRAPH <{name}>")
            except PublishError:
                say(f"could not drop {name}; drop it by hand")
        raise
    counts = {}
    for graph, lines in graphs.items():
        counts[graph] = check(remote, graph, len(lines))
        say(f"verified on {remote.query_url}: {graph} {counts[graph]} triples")
    return counts


def check(remote: Remote, graph: str, expected: int) -> int:
    found = remote.count(graph)
    if found != expected:
        raise PublishError(f"{graph} holds {found} triples on the remote, not {expected}")
    return found
