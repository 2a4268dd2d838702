"""Choosing a format: by the `format` parameter or by the Accept header (q-values), over the one
format registry (kg/formats.py).

SELECT and ASK answers use the results family, CONSTRUCT and DESCRIBE the graph family. The front
chooses one format per family before the query runs; the worker uses the one its result needs.
The choice for an Accept header is remembered (`choose_for_header`): clients send a handful of
distinct headers, so a /sparql request does not parse its Accept header again. Imported by the
query worker (it unpickles Choice), so werkzeug is imported only where Accept is parsed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.formats import GRAPH, HTML, RESULTS, Format, page_formats

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

__all__ = ["GRAPH", "HTML", "RESULTS", "Choice", "Format", "page_formats"]
RESULTS_BY_NAME = {fmt.name: fmt for fmt in RESULTS}
GRAPH_BY_NAME = {fmt.name: fmt for fmt in GRAPH}


@dataclass(frozen=True)
class Choice:
    """The format for each family; None where the client accepts none of that family."""

    results: Format | None
    graph: Format | None


def by_keyword(family: tuple[Format, ...], keyword: str) -> Format | None:
    keyword = keyword.strip().lower()
    for fmt in family:
        if keyword in (fmt.name, fmt.media_type, *fmt.keywords, *fmt.aliases):
            return fmt
    return None


def best(family: tuple[Format, ...], accept: MIMEAccept) -> Format | None:
    """The client's preferred format of the family; the family's first if Accept is absent."""
    if not accept:
        return family[0]
    candidates = [fmt.media_type for fmt in family]
    candidates += [alias for fmt in family for alias in fmt.aliases]
    match = accept.best_match(candidates)
    return None if match is None else by_keyword(family, match)


def choose(accept: MIMEAccept, keywords: tuple[str, ...]) -> Choice:
    """Formats for a query answer; an explicit `format` overrides Accept (ValueError if unknown).

    `format` may be repeated or hold a comma-separated list (SPARQLWrapper sends `format=tsv` and
    `format=text/tab-separated-values`); the first value it names a format for wins.
    """
    if not keywords:
        return Choice(best(RESULTS, accept), best(GRAPH, accept))
    for keyword in (part for value in keywords for part in value.split(",")):
        choice = Choice(by_keyword(RESULTS, keyword), by_keyword(GRAPH, keyword))
        if choice.results is not None or choice.graph is not None:
            return choice
    raise ValueError(f"Unknown format {keywords[0]!r}; use one of {', '.join(names())}.")


@functools.lru_cache(maxsize=256)
def choose_for_header(accept_header: str | None, keywords: tuple[str, ...]) -> Choice:
    """`choose` for a raw Accept header, remembered per header (and `format` values)."""
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    return choose(parse_accept_header(accept_header or "", MIMEAccept), keywords)


def choose_description(accept: MIMEAccept, keywords: tuple[str, ...]) -> Format | None:
    """Format of the service description: RDF (Turtle first) or the HTML page for browsers."""
    family = (*GRAPH, HTML)
    if keywords:
        return next(filter(None, (by_keyword(family, keyword) for keyword in keywords)), None)
    return best(family, accept)


def names() -> list[str]:
    return sorted({fmt.name for fmt in (*RESULTS, *GRAPH)} | {"json", "xml"})
