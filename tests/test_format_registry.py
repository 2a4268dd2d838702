"""Adding a format is one entry of kg/formats.py: it is then served by /sparql, offered as every
page's RDF twin and written as a dump, with nothing else changed.

Each case runs a build and a server whose registry is changed as an edit of kg/formats.py would
change it, before anything reads it (a `sitecustomize` module, which every process of the build
and the server, query workers included, imports first): without N3 at all, and with N3 marked for
the pages and the dumps as well as for /sparql.
"""

import os
import subprocess
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from sparql_support import ROOT, ZZKG, LiveServer, free_port

CONSTRUCT = "CONSTRUCT WHERE { ?s a ?type } LIMIT 5"
PAGE = "/id/place/zhengzhou"
REGISTRY_EDITS = {
    "without N3": "registry.GRAPH = tuple(f for f in registry.GRAPH if f.name != 'n3')",
    "N3 everywhere": (
        "registry.GRAPH = tuple(dataclasses.replace(f, page_rank=5, "
        "dump='the facts graph as N3') if f.name == 'n3' else f for f in registry.GRAPH)"
    ),
}


@pytest.fixture(scope="module", params=sorted(REGISTRY_EDITS))
def edited(request, tmp_path_factory):
    """(case, build directory, live server) with the registry edited for the case."""
    work = tmp_path_factory.mktemp("registry")
    (work / "sitecustomize.py").write_text(
        "import dataclasses\nimport kg.formats as registry\n"
        + textwrap.dedent(REGISTRY_EDITS[request.param])
        + "\n"
    )
    env = {**os.environ, "PYTHONPATH": str(work)}
    out = work / "build"
    subprocess.run([*ZZKG, "build", "--out", str(out)], cwd=ROOT, env=env, check=True)
    port = free_port()
    command = [*ZZKG, "serve", "--store", str(out / "store"), "--port", str(port)]
    command += ["--processes", "1", "--threads", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    server = LiveServer(process, f"http://127.0.0.1:{port}")
    server.wait_until_healthy()
    yield request.param, out, server
    server.stop()


def alternates(link_header: str) -> dict[str, str]:
    """type -> URL of each rel="alternate" in a Link header."""
    found = {}
    for part in link_header.split(","):
        url, *params = part.split(";")
        values = dict(p.strip().split("=", 1) for p in params if "=" in p)
        if values.get("rel", "").strip('"') == "alternate":
            found[values["type"].strip('"')] = url.strip().strip("<>")
    return found


def test_sparql_serves_the_format_of_the_registry(edited):
    case, _, server = edited
    response = requests.get(
        server.endpoint, params={"query": CONSTRUCT}, headers={"Accept": "text/n3"}, timeout=60
    )
    if case == "without N3":
        assert response.status_code == 406
        return
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "text/n3"
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N3))
    assert len(triples) == int(response.headers["X-SPARQL-Rows"]) == 5


def test_pages_offer_the_format_of_the_registry(edited):
    case, _, server = edited
    page = requests.get(server.url + PAGE, headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200
    offered = alternates(page.headers["Link"])
    twin = requests.get(server.url + PAGE + ".n3", timeout=60)
    if case == "without N3":
        assert "text/n3" not in offered and twin.status_code == 404
        return
    assert offered["text/n3"].endswith(PAGE + ".n3")
    assert twin.status_code == 200
    turtle = requests.get(server.url + PAGE + ".ttl", timeout=60)
    as_n3 = set(ox.parse(twin.content, format=ox.RdfFormat.N3))
    assert as_n3 == set(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))


def test_dumps_hold_the_format_of_the_registry(edited):
    case, out, server = edited
    dump = Path(out) / "dumps" / "zzkg.n3"
    listed = requests.get(server.url + "/download/zzkg.n3", timeout=60)
    if case == "without N3":
        assert not dump.exists() and listed.status_code == 404
        return
    facts = set(ox.parse(path=str(out / "dumps" / "zzkg.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert set(ox.parse(path=str(dump), format=ox.RdfFormat.N3)) == facts
    assert listed.status_code == 200 and listed.content == dump.read_bytes()
