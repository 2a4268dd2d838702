"""The HTTP front between granian and the Flask app: slow clients cost a connection, not a thread.

granian's event loop reads each request's headers within a deadline (server/cli.py). This ASGI
app (ASGI 3.0, https://asgi.readthedocs.io/en/latest/specs/www.html) then reads the whole body
on the event loop, within BODY_TIMEOUT and up to the app's MAX_CONTENT_LENGTH (408 or 413, with
`Connection: close`, the rest unread), and only then hands the request to a thread, which runs
the WSGI app (PEP 3333) and collects its answer in memory (answers are capped in bytes). The
answer is written out on the event loop, so a client that reads slowly, or never, holds no
thread either. An app may offer an `answer_now(environ)` coroutine (`extensions[DIRECT]`) for
what it can answer on the event loop itself (a /sparql query with an idle worker: no thread
hop); it says None for what a thread must answer.
"""

import asyncio
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_to_bytes

from server import errors

BODY_TIMEOUT = 10.0  # seconds for a whole request body, once its headers have arrived
DIRECT = "zzkg.front.direct"


class Disconnected(Exception):
    """The client went away before its body arrived: nobody to answer."""


class Front:
    """The ASGI app granian serves: `wsgi_app` run in `threads` threads, bodies read first."""

    def __init__(self, wsgi_app, *, threads: int, max_body: int):
        self.wsgi_app = wsgi_app
        self.direct = getattr(wsgi_app, "extensions", {}).get(DIRECT)
        self.max_body = max_body
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="zzkg-app")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        try:
            body = await self.body_of(scope, receive)
        except Disconnected:
            return
        except (TimeoutError, errors.TooLarge) as error:
            if isinstance(error, TimeoutError):
                error = errors.BodyTimeout(
                    f"The request body did not arrive within {BODY_TIMEOUT:g} s."
                )
            await respond(send, *errors.raw_answer(error), close=True)
            return
        environ = build_environ(scope, body)
        if self.direct is not None:
            answered = await self.direct.answer_now(environ)
            if answered is not None:
                status, headers, chunks = answered
                await respond(send, status, encoded(headers), chunks)
                return
        loop = asyncio.get_running_loop()
        status, headers, chunks = await loop.run_in_executor(self.executor, self.run, environ)
        await respond(send, status, headers, chunks)

    async def body_of(self, scope, receive) -> bytes:
        """The request's body within BODY_TIMEOUT; a request that declares none (no length, not
        chunked: a GET) has its one empty message at once, and no timer is set for it."""
        if header(scope, b"content-length") is None and header(scope, b"transfer-encoding") is None:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Disconnected
            if not message.get("body") and not message.get("more_body"):
                return b""
            return await asyncio.wait_for(self.read_body(scope, receive, message), BODY_TIMEOUT)
        return await asyncio.wait_for(self.read_body(scope, receive), BODY_TIMEOUT)

    async def read_body(self, scope, receive, first=None) -> bytes:
        declared = header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise too_large(self.max_body)
        chunks, size = [], 0
        while True:
            message, first = first or await receive(), None
            if message["type"] == "http.disconnect":
                raise Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise too_large(self.max_body)
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)

    def run(self, environ: dict) -> tuple[int, list, list[bytes]]:
        """Call the WSGI app in this thread and collect its whole answer."""
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers
            return lambda data: chunks.append(data)

        chunks: list[bytes] = []
        answer = self.wsgi_app(environ, start_response)
        try:
            chunks.extend(chunk for chunk in answer if chunk)
        finally:
            getattr(answer, "close", lambda: None)()
        status = int(started["status"].split(" ", 1)[0])
        return status, encoded(started["headers"]), chunks


def encoded(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def too_large(limit: int) -> errors.TooLarge:
    return errors.TooLarge(f"The request body is longer than {limit} bytes.")


def header(scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def respond(send, status: int, headers: list, chunks: list[bytes], *, close=False) -> None:
    if close:
        headers = [*headers, (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    for chunk in chunks[:-1]:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": chunks[-1] if chunks else b""})


def build_environ(scope, body: bytes) -> dict:
    """The WSGI environ of an ASGI HTTP request (PEP 3333: native strings hold latin-1 bytes)."""
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    path = unquote_to_bytes(raw_path.split(b"?", 1)[0]).decode("latin-1")
    root = scope.get("root_path", "")
    server_host, server_port = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path[len(root) :] if root and path.startswith(root) else path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server_host),
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope["headers"]:
        key = name.decode("latin-1").upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        text = value.decode("latin-1")
        joiner = "; " if key == "HTTP_COOKIE" else ","
        environ[key] = f"{environ[key]}{joiner}{text}" if key in environ else text
    environ["CONTENT_LENGTH"] = str(len(body))
    return environ
