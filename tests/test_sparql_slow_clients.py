"""Slow clients cost a connection, not the site: while clients trickle headers, trickle bodies
and never read large answers, other clients' /health, queries and pages are answered at once;
late headers and bodies are cut off by their deadlines."""

import http.client
import io
import socket
import threading
import time
from urllib.parse import quote

import pytest
import requests
from sparql_support import LiveServer

from server import cli, front

CHEAP_DEADLINE = 3.0  # seconds: far below the 10 s header and body deadlines


@pytest.fixture(scope="module")
def server(sparql_store):
    live = LiveServer.start(sparql_store, "--max-rows", "100000", "--cache-mb", "0")
    yield live
    live.stop()


def address(server) -> tuple[str, int]:
    host, port = server.url.split("//")[1].split(":")
    return host, int(port)


class SlowClients:
    """Connections that send headers or bodies a line or a byte every 2 s, or never read."""

    def __init__(self, server, *, headers: int, bodies: int, readers: int):
        self.target = address(server)
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []
        jobs = [self.trickle_headers] * headers + [self.trickle_body] * bodies
        jobs += [self.never_read] * readers
        self.threads = [
            threading.Thread(target=job, args=(n,), daemon=True) for n, job in enumerate(jobs)
        ]
        for thread in self.threads:
            thread.start()

    def connect(self) -> socket.socket:
        sock = socket.create_connection(self.target, timeout=30)
        self.sockets.append(sock)
        return sock

    def trickle(self, sock: socket.socket, head: bytes, piece: bytes) -> None:
        try:
            sock.sendall(head)
            while not self.stop.wait(2):
                sock.sendall(piece)
        except OSError:
            pass

    def trickle_headers(self, n: int) -> None:
        self.trickle(self.connect(), b"GET /health HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n")

    def trickle_body(self, n: int) -> None:
        head = (
            b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 4000\r\n\r\n"
        )
        self.trickle(self.connect(), head, b" ")

    def never_read(self, n: int) -> None:
        sock = self.connect()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        query = quote(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {50000 + n}")
        request = f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: text/turtle\r\n\r\n"
        try:
            sock.sendall(request.encode())
        except OSError:
            pass
        self.stop.wait(30)

    def close(self) -> None:
        self.stop.set()
        for sock in self.sockets:
            sock.close()


def timed_get(url: str, **options) -> tuple[int, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=CHEAP_DEADLINE, **options)
    return response.status_code, time.monotonic() - started


def test_slow_clients_do_not_stop_the_site(server):
    slow = SlowClients(server, headers=8, bodies=16, readers=24)
    try:
        time.sleep(1.5)
        cheap = [
            (server.url + "/health", {}),
            (server.endpoint, {"params": {"query": "ASK { ?s ?p ?o }"}}),
            (server.url + "/id/place/zhengzhou", {}),
        ]
        answered = []
        until = time.monotonic() + 8
        while time.monotonic() < until:
            for url, options in cheap:
                answered.append(timed_get(url, **options))
            time.sleep(0.2)
    finally:
        slow.close()
    assert {status for status, _ in answered} == {200}
    assert max(seconds for _, seconds in answered) < CHEAP_DEADLINE


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (TimeoutError if it never)."""
    received = []
    try:
        while chunk := sock.recv(65536):
            received.append(chunk)
    except ConnectionResetError:
        pass
    return b"".join(received)


def parsed(answer: bytes) -> http.client.HTTPResponse:
    class Replay:
        def makefile(self, mode):
            return io.BytesIO(answer)

    response = http.client.HTTPResponse(Replay())  # type: ignore[arg-type]
    response.begin()
    return response


def test_a_request_whose_headers_never_end_is_cut_off(server):
    with socket.create_connection(address(server), timeout=30) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
        started = time.monotonic()
        answer = read_until_closed(sock)
    assert time.monotonic() - started < cli.HEADER_TIMEOUT_MS / 1000 + 3
    assert b"200 OK" not in answer


def test_a_body_that_never_ends_gets_408_and_close(server):
    with socket.create_connection(address(server), timeout=30) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        started = time.monotonic()
        answer = read_until_closed(sock)
    assert time.monotonic() - started < front.BODY_TIMEOUT + 3
    response = parsed(answer)
    assert response.status == 408
    assert response.getheader("Connection") == "close"
    assert "did not arrive" in response.read().decode()


def test_an_oversized_body_gets_413_and_close_and_the_client_goes_on(server):
    session = requests.Session()
    too_long = b"ASK {} #" + b"x" * 400_000
    response = session.post(
        server.endpoint,
        data=too_long,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.headers["Connection"] == "close"
    assert "longer than" in response.text
    assert session.get(server.url + "/health", timeout=30).status_code == 200
