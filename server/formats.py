"""The result formats, chosen by the `format` parameter or by the Accept header (q-values).

SELECT and ASK answers use the results family, CONSTRUCT and DESCRIBE the graph family. The front
chooses one format per family before the query runs; the worker uses the one its result needs.
"""

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, its media type, and media types that mean the same."""

    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/"):
            return self.media_type + "; charset=utf-8"
        return self.media_type


RESULTS = (
    Format("json", "application/sparql-results+json", ("application/json",), ("json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml",)),
    Format("csv", "text/csv", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", (), ("tsv",)),
)

GRAPH = (
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle"), ("ttl",)),
    Format("ntriples", "application/n-triples", ("text/plain",), ("nt",)),
    Format(
        "rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("xml", "rdf", "rdf+xml")
    ),
    Format("jsonld", "application/ld+json", ("application/json",), ("json", "json-ld")),
    Format("nquads", "application/n-quads", (), ("nq",)),
    Format("trig", "application/trig", (), ()),
    Format("n3", "text/n3", ("text/rdf+n3",), ()),
)

HTML = Format("html", "text/html")


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


def choose_description(accept: MIMEAccept, keywords: tuple[str, ...]) -> Format | None:
    """Format of the service description: RDF (Turtle first) or the HTML page for browsers."""
    family = (*GRAPH, HTML)
    if keywords:
        return next(filter(None, (by_keyword(family, keyword) for keyword in keywords)), None)
    return best(family, accept)


def names() -> list[str]:
    return sorted({fmt.name for fmt in (*RESULTS, *GRAPH)} | {"json", "xml"})
