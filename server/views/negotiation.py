"""Content negotiation for pages and their RDF twins: Accept or an explicit file extension."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request

from server.errors import NotAcceptable
from server.formats import page_formats


@dataclass(frozen=True)
class RdfFormat:
    name: str
    media_type: str
    extension: str


HTML = "text/html"
# the pages' RDF twins: the registry's page formats (kg/formats.py), in its order
RDF_FORMATS = tuple(RdfFormat(fmt.label, fmt.media_type, fmt.extension) for fmt in page_formats())
BY_EXTENSION = {fmt.extension: fmt for fmt in RDF_FORMATS}
BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in RDF_FORMATS}


def split_extension(path: str) -> tuple[str, RdfFormat | None]:
    """`place/x.ttl` -> (`place/x`, Turtle); a path without a known extension is unchanged."""
    stem, dot, extension = path.rpartition(".")
    if dot and extension in BY_EXTENSION:
        return stem, BY_EXTENSION[extension]
    return path, None


def choose() -> RdfFormat | None:
    """The RDF format the client prefers, or None for the HTML page; NotAcceptable if neither."""
    if not request.accept_mimetypes:
        return None
    return best_of([HTML, "application/xhtml+xml", *BY_MEDIA_TYPE])


def choose_rdf() -> RdfFormat:
    """The RDF format the client prefers (Turtle if it does not say); NotAcceptable if none."""
    if not request.accept_mimetypes:
        return RDF_FORMATS[0]
    found = best_of(list(BY_MEDIA_TYPE))
    assert found is not None
    return found


def best_of(offered: list[str]) -> RdfFormat | None:
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise NotAcceptable(
            "Available as " + ", ".join(offered) + "; add one of them to the Accept header."
        )
    return BY_MEDIA_TYPE.get(best)


def link_header(page_url: str, *, formats=RDF_FORMATS) -> str:
    """An HTTP Link header to every RDF form of the page at `page_url` (no extension)."""
    return ", ".join(
        f'<{page_url}.{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"' for fmt in formats
    )


def rdf_response(body: bytes, fmt: RdfFormat) -> Response:
    charset = "; charset=utf-8" if fmt.media_type != "application/rdf+xml" else ""
    response = Response(body, 200, content_type=fmt.media_type + charset)
    response.headers["Vary"] = "Accept"
    return response


def html_response(page: str, *, links: str | None = None, status: int = 200) -> Response:
    response = Response(page, status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    if links:
        response.headers["Link"] = links
    return response
