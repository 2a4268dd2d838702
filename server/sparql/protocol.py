"""Read a SPARQL 1.1 Protocol request: query, dataset, timeout and format, from GET or POST.

Parameters are decoded as strict UTF-8 (UnicodeDecodeError, a ValueError, becomes 400), so that
invalid bytes are refused rather than replaced. Read from the WSGI environ (PEP 3333), so that
/sparql is answered without Flask's request machinery (server/sparql/endpoint.py).
"""

import io
from dataclasses import dataclass
from urllib.parse import parse_qsl

from server.errors import TooLarge, UnsupportedMediaType
from server.sparql.safety import update_refused

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Parameters:
    """What the request asked: the query (None: no query given) and its options."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    timeout: str | None
    formats: tuple[str, ...]


def read(environ: dict, *, max_query_bytes: int, max_body: int) -> Parameters:
    """Parameters of a GET or POST request (PermissionError for updates, ValueError if malformed)."""
    pairs = decode_pairs(environ.get("QUERY_STRING", "").encode("latin-1"))
    if environ["REQUEST_METHOD"] == "POST":
        pairs = post_pairs(environ, pairs, max_body)
    if "update" in (name for name, _ in pairs):
        raise update_refused()
    params = Parameters(
        query=single(pairs, "query"),
        default_graphs=every(pairs, "default-graph-uri"),
        named_graphs=every(pairs, "named-graph-uri"),
        timeout=single(pairs, "timeout"),
        formats=tuple(value for value in every(pairs, "format") if value.strip()),
    )
    if params.query is not None and not params.query.strip():
        raise ValueError("The query is empty.")
    if params.query is not None and len(params.query.encode()) > max_query_bytes:
        raise TooLarge(f"The query is longer than {max_query_bytes} bytes.")
    return params


def post_pairs(environ: dict, url_pairs: list[tuple[str, str]], max_body: int):
    mimetype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if mimetype == FORM:
        return decode_pairs(body(environ, max_body)) + url_pairs
    if mimetype == QUERY:
        query = body(environ, max_body).decode("utf-8")
        return [("query", query)] + url_pairs
    if mimetype == UPDATE:
        raise update_refused()
    raise UnsupportedMediaType(
        f"POST a query as {FORM} or {QUERY}, not {mimetype or 'a body without Content-Type'}."
    )


def body(environ: dict, max_body: int) -> bytes:
    """The request body, at most `max_body` bytes (TooLarge beyond). It is put back as the
    environ's input, so that the request can be read again (by the thread the event loop hands
    it to)."""
    declared = environ.get("CONTENT_LENGTH") or "0"
    length = int(declared) if declared.isdigit() else 0
    if length > max_body:
        raise TooLarge(f"The request body is longer than {max_body} bytes.")
    data = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(data)
    return data


def decode_pairs(raw: bytes) -> list[tuple[str, str]]:
    text = raw.decode("utf-8")
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")


def single(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in pairs if key == name]
    if len(values) > 1:
        raise ValueError(f"The parameter {name!r} is given {len(values)} times; give it once.")
    return values[0] if values else None


def every(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(value for key, value in pairs if key == name)


def timeout(value: str | None, *, default: float, maximum: float) -> float:
    """The query's deadline in seconds: the `timeout` parameter, capped at the maximum."""
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"timeout must be a number of seconds, not {value!r}.") from None
    if not seconds > 0:
        raise ValueError("timeout must be a positive number of seconds.")
    return min(seconds, maximum)
