"""Read a SPARQL 1.1 Protocol request: query, dataset, timeout and format, from GET or POST.

Parameters are decoded as strict UTF-8 (UnicodeDecodeError, a ValueError, becomes 400), so that
invalid bytes are refused rather than replaced.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Request
from werkzeug.exceptions import UnsupportedMediaType

from server.errors import TooLarge
from server.safety import update_refused

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


def read(request: Request, *, max_query_bytes: int) -> Parameters:
    """Parameters of a GET or POST request (PermissionError for updates, ValueError if malformed)."""
    pairs = decode_pairs(request.query_string)
    if request.method == "POST":
        pairs = post_pairs(request, pairs)
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


def post_pairs(request: Request, url_pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    mimetype = request.mimetype
    if mimetype == FORM:
        return decode_pairs(request.get_data(cache=False)) + url_pairs
    if mimetype == QUERY:
        query = request.get_data(cache=False).decode("utf-8")
        return [("query", query)] + url_pairs
    if mimetype == UPDATE:
        raise update_refused()
    raise UnsupportedMediaType(
        f"POST a query as {FORM} or {QUERY}, not {mimetype or 'a body without Content-Type'}."
    )


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
