"""Every error the endpoint answers, mapped to HTTP in one place, as plain text.

Inside the package errors are built-in exception types (as pyoxigraph raises them); a query
worker sends the exception itself across its pipe (server/backend), and it is raised here again.
The query worker imports this module for those types, so Flask is imported only by the
functions that answer with it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask, Response
    from werkzeug.exceptions import HTTPException

log = logging.getLogger("zzkg.sparql")


class QueryTimeout(TimeoutError):
    """The query ran past its deadline; its worker was killed."""


class WorkerDied(ChildProcessError):
    """The query worker stopped before answering (crash or kill); it is replaced."""


class NotAcceptable(LookupError):
    """No format the client accepts can carry this kind of result."""


class TooLarge(OverflowError):
    """The query text is longer than the configured maximum."""


class AnswerTooLarge(MemoryError):
    """The answer could not be written within memory (pyoxigraph: one value of 16 MiB or more in
    CSV, TSV or XML)."""


class EngineFailed(RuntimeError):
    """The query engine gave up on a query it had accepted; the worker is kept."""


class SandboxRefused(ConnectionRefusedError):
    """The query workers could not be cut off from the network, so they do not run queries."""


class ServiceUnreachable(ConnectionError):
    """An allow-listed SERVICE endpoint of the query could not be reached or failed."""


class BodyTimeout(TimeoutError):
    """The client did not send its request body in time (server/front.py)."""


class UnsupportedMediaType(TypeError):
    """A POST body in a media type the endpoint does not read."""


class ServerBusy(Exception):
    """No query worker became free in time, or too many queries already wait (503)."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class TooManyQueries(ServerBusy):
    """One client has as many queries running or waiting as it may (429)."""


class RemoteUnavailable(ConnectionError):
    """The remote SPARQL engine could not be reached or answered with an error of its own."""


class RemoteTimeout(TimeoutError):
    """The remote SPARQL engine did not answer within the deadline."""


# exception type -> HTTP status, most specific first
STATUS = (
    (UnicodeDecodeError, 400),
    (BodyTimeout, 408),
    (TooManyQueries, 429),
    (ServerBusy, 503),
    (QueryTimeout, 503),
    (RemoteTimeout, 504),
    (WorkerDied, 502),
    (RemoteUnavailable, 502),
    (ServiceUnreachable, 502),
    (NotAcceptable, 406),
    (TooLarge, 413),
    (UnsupportedMediaType, 415),
    (AnswerTooLarge, 413),
    (EngineFailed, 500),
    (SyntaxError, 400),
    (RecursionError, 400),
    (PermissionError, 403),
    (ValueError, 400),
    (ConnectionRefusedError, 503),
    (OSError, 503),
)


def status_of(error: BaseException) -> int:
    for error_type, status in STATUS:
        if isinstance(error, error_type):
            return status
    return 500


def message_of(error: BaseException, status: int) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "The request is not valid UTF-8."
    if isinstance(error, EngineFailed):
        return "The query engine could not evaluate this query; the query was not answered."
    if isinstance(error, AnswerTooLarge):
        return (
            "The answer holds a value too large to write in this format; "
            "ask for SPARQL JSON, or select a shorter value (SUBSTR)."
        )
    if isinstance(error, SandboxRefused):
        return str(error)
    if status == 500:
        return "Internal server error; the query was not answered."
    if type(error) is OSError:
        return "The store is not available; try again later."
    return str(error) or error.__class__.__name__


def plain_text(message: str, status: int) -> Response:
    from flask import Response

    return Response(message.rstrip("\n") + "\n", status, mimetype="text/plain")


def raw_answer(error: BaseException) -> tuple[int, list[tuple[str, str]], list[bytes]]:
    """The same plain-text answer, as the HTTP front writes it before Flask sees the request."""
    status = status_of(error)
    body = (message_of(error, status).rstrip("\n") + "\n").encode()
    headers = [
        ("content-type", "text/plain; charset=utf-8"),
        ("access-control-allow-origin", "*"),
    ]
    return status, headers, [body]


def handle_http_exception(error: HTTPException) -> Response:
    response = plain_text(f"{error.code} {error.name}: {error.description}", error.code or 500)
    if error.code == 405:
        response.headers["Allow"] = ", ".join(getattr(error, "valid_methods", None) or ())
    return response


def answer_of(error: Exception) -> tuple[int, str, dict[str, str]]:
    """Status, plain-text message and extra headers of an error's answer (a 500 is logged)."""
    status = status_of(error)
    if status == 500:
        log.error("unhandled error", exc_info=error)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, ServerBusy) else {}
    return status, message_of(error, status).rstrip("\n") + "\n", headers


def handle_error(error: Exception) -> Response:
    status, message, headers = answer_of(error)
    response = plain_text(message, status)
    response.headers.update(headers)
    return response


def init_app(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException

    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_error)
