"""The HTTP front between granian and the Flask app: slow clients cost a connection, not a thread.

granian's event loop reads each request's headers within a deadline (server/cli.py). This RSGI
app (granian's own interface, https://github.com/emmett-framework/granian/blob/master/docs/spec/RSGI.md:
the request's scope as attributes, its body read by awaiting the protocol, the whole answer
handed over in one call) then reads the whole body on the event loop, within BODY_TIMEOUT and up
to the app's MAX_CONTENT_LENGTH (408 or 413, with `Connection: close`, the rest unread), and only
then hands the request to a thread, which runs the WSGI app (PEP 3333) and collects its answer in
memory (answers are capped in bytes). The answer is written out by granian, so a client that
reads slowly, or never, holds no thread either. An app may offer an `answer_now(environ)`
coroutine (`extensions[DIRECT]`) for what it can answer on the event loop itself (a /sparql query
with an idle worker: no thread hop); it says None for what a thread must answer.

RSGI rather than ASGI: a request without a body (a GET) costs no awaitable from granian, and the
answer one call instead of two awaited sends; measured, that is most of the front's cost per
request (README, SPARQL endpoint).
"""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from granian.rsgi import ProtocolClosed, ProtocolError

from server import errors

BODY_TIMEOUT = 10.0  # seconds for a whole request body, once its headers have arrived
DIRECT = "zzkg.front.direct"
# the request headers that are not HTTP_* in a WSGI environ
UNPREFIXED = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


class Disconnected(Exception):
    """The client went away before its body arrived: nobody to answer."""


class Front:
    """The RSGI app granian serves: `wsgi_app` run in `threads` threads, bodies read first."""

    def __init__(self, wsgi_app, *, threads: int, max_body: int):
        self.wsgi_app = wsgi_app
        self.direct = getattr(wsgi_app, "extensions", {}).get(DIRECT)
        self.max_body = max_body
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="zzkg-app")

    async def __rsgi__(self, scope, protocol) -> None:
        if scope.proto != "http":
            return
        try:
            body = await self.body_of(scope, protocol)
        except Disconnected:
            return
        except (TimeoutError, errors.TooLarge) as error:
            if isinstance(error, TimeoutError):
                error = errors.BodyTimeout(
                    f"The request body did not arrive within {BODY_TIMEOUT:g} s."
                )
            status, headers, chunks = errors.raw_answer(error)
            respond(protocol, status, [*headers, ("connection", "close")], chunks)
            return
        environ = build_environ(scope, body)
        if self.direct is not None:
            answered = await self.direct.answer_now(environ)
            if answered is not None:
                respond(protocol, *answered)
                return
        loop = asyncio.get_running_loop()
        status, headers, chunks = await loop.run_in_executor(self.executor, self.run, environ)
        respond(protocol, status, headers, chunks)

    async def body_of(self, scope, protocol) -> bytes:
        """The request's body within BODY_TIMEOUT; a request that declares none (no length, not
        chunked: a GET) is not read at all, and no timer is set for it."""
        headers = scope.headers
        declared = headers.get("content-length")
        if declared is None and headers.get("transfer-encoding") is None:
            return b""
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise too_large(self.max_body)
        return await asyncio.wait_for(self.read_body(protocol), BODY_TIMEOUT)

    async def read_body(self, protocol) -> bytes:
        chunks, size = [], 0
        try:
            async for chunk in protocol:
                size += len(chunk)
                if size > self.max_body:
                    raise too_large(self.max_body)
                chunks.append(chunk)
        except (ProtocolClosed, ProtocolError):
            raise Disconnected from None
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
        return status, started["headers"], chunks


def too_large(limit: int) -> errors.TooLarge:
    return errors.TooLarge(f"The request body is longer than {limit} bytes.")


def respond(protocol, status: int, headers: list[tuple[str, str]], chunks: list[bytes]) -> None:
    """The whole answer in one call; a client gone by then is nobody to answer."""
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    try:
        protocol.response_bytes(status, headers, body)
    except (ProtocolClosed, ProtocolError):
        pass


def build_environ(scope, body: bytes) -> dict:
    """The WSGI environ of an RSGI HTTP request (PEP 3333: native strings hold latin-1 bytes;
    granian gives the path percent-decoded as UTF-8, so it is encoded back)."""
    server_host, server_port = host_and_port(scope.server)
    client_host, client_port = host_and_port(scope.client)
    environ = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode("utf-8", "surrogateescape").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server_host,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client_host,
        "REMOTE_PORT": client_port,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.headers.items():
        key = UNPREFIXED.get(name) or "HTTP_" + name.upper().replace("-", "_")
        joiner = "; " if key == "HTTP_COOKIE" else ","
        environ[key] = f"{environ[key]}{joiner}{value}" if key in environ else value
    environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def host_and_port(address: str) -> tuple[str, str]:
    """`host:port` (`[v6]:port`) as RSGI gives it, split."""
    host, _, port = address.rpartition(":")
    return host.strip("[]") or address, port or "0"
