"""The floor of one process per query (a prototype for bench_floor.py, not the server).

    python tests/bench/floor_worker.py PORT STORE_DIR [PROCESSES]

Binds PORT, then forks PROCESSES children (default 2) that each leave the host's network as a
query worker does (server/backend/sandbox.py: the listening socket, made before, still accepts
from the host), open the store read-only and answer `GET /sparql?query=...` over keep-alive
HTTP/1.1 themselves: the safety check, the query, the serialisation with the row cap, all as the
query workers do them, in the process that read the request. No deadline, admission, cache,
log or content negotiation (SPARQL JSON, or Turtle for triples): what it measures is what a query costs when no
other process has to wake up for it.
"""

import functools
import os
import socket
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

import pyoxigraph as ox

from server.backend import sandbox
from server.formats import GRAPH_BY_NAME, RESULTS, Choice
from server.sparql import safety
from server.sparql.serialise import serialise

HEAD_END = b"\r\n\r\n"


def answer(store: ox.Store, inspect, target: str) -> bytes:
    text = safety.normalise_line_breaks(parse_qs(urlsplit(target).query)["query"][0])
    inspect(text)
    result = store.query(text, use_default_graph_as_union=True)
    choice = Choice(RESULTS[0], GRAPH_BY_NAME["turtle"])
    body = serialise(result, choice, max_rows=100_000, max_bytes=32 << 20)
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {body.format.content_type}\r\n"
    return (head + f"Content-Length: {len(body.data)}\r\n\r\n").encode("ascii") + body.data


def serve_connection(connection: socket.socket, store: ox.Store, inspect) -> None:
    pending = b""
    while True:
        while HEAD_END not in pending:
            chunk = connection.recv(65536)
            if not chunk:
                return
            pending += chunk
        head, pending = pending.split(HEAD_END, 1)
        target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
        connection.sendall(answer(store, inspect, target))


def child(listener: socket.socket, store_dir: str) -> None:
    sandbox.die_with_parent()
    sandbox.isolate_network(())
    store = ox.Store.read_only(store_dir)
    inspect = functools.partial(safety.inspect, allowlist=(), max_nesting=128)
    while True:
        connection, _ = listener.accept()
        with connection:
            serve_connection(connection, store, inspect)


def main(argv: list[str]) -> None:
    port, store_dir = int(argv[0]), argv[1]
    processes = int(argv[2]) if len(argv) > 2 else 2
    listener = socket.create_server(("127.0.0.1", port))
    for _ in range(processes):
        if os.fork() == 0:
            child(listener, store_dir)
    os.wait()


if __name__ == "__main__":
    main(sys.argv[1:])
