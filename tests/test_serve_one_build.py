"""A server serves one build: a rebuild into the directory it serves changes neither its pages,
its answers (fresh query workers included) nor its downloads, which always match the checksums
its VoID description lists; its snapshot goes when it stops."""

import hashlib
import re

import html5lib
import requests
from sparql_support import LiveServer
from test_sparql_safety import signal_process

from kg.build import build

OTHER = "https://other.example/"
ASK_OTHER = f'ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{OTHER}")) }}'


def listed_checksums(server) -> set[str]:
    page = requests.get(server.url + "/downloads", timeout=60)
    document = html5lib.parse(page.text, namespaceHTMLElements=False)
    return set(re.findall(r"\b[0-9a-f]{64}\b", " ".join(document.itertext())))


def served_checksum(server, name: str) -> str:
    return hashlib.sha256(
        requests.get(server.url + f"/download/{name}", timeout=60).content
    ).hexdigest()


def other_base_seen(server) -> bool:
    """The answer of a query worker; a killed worker costs its next request a 502."""
    for _ in range(3):
        response = requests.get(server.endpoint, params={"query": ASK_OTHER}, timeout=60)
        if response.status_code != 502:
            break
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_a_rebuild_does_not_change_a_running_server(tmp_path):
    build(tmp_path)
    server = LiveServer.start(tmp_path / "store", "--cache-mb", "0")
    try:
        listed = listed_checksums(server)
        ttl = served_checksum(server, "zzkg.ttl")
        assert ttl in listed
        build(tmp_path, base=OTHER)  # into the directory being served
        assert hashlib.sha256((tmp_path / "dumps/zzkg.ttl").read_bytes()).hexdigest() not in listed
        for pid in server.query_worker_pids():
            signal_process(pid)  # the next queries start fresh workers
        assert other_base_seen(server) is False
        assert served_checksum(server, "zzkg.ttl") == ttl
        assert served_checksum(server, "zzkg.nq") in listed
        assert listed_checksums(server) == listed
        assert requests.get(server.url + "/id/place/zhengzhou", timeout=60).status_code == 200
    finally:
        server.stop()
    assert not list(tmp_path.glob(".serving-*"))
