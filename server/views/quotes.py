"""Quotes in their context: the words around a quote, and the figure inside it marked."""

from __future__ import annotations

from dataclasses import dataclass

from server.views.catalogue import catalogue

CONTEXT_CHARS = 30


@dataclass(frozen=True)
class QuoteInContext:
    iri: str
    start: int
    end: int
    before: str
    parts: tuple[tuple[str, bool], ...]  # (text, is_the_figure)
    after: str

    @property
    def anchor(self) -> str:
        return anchor(self.start, self.end)


def anchor(start: int, end: int) -> str:
    return f"q-{start}-{end}"


def split_on(text: str, figure: str | None) -> tuple[tuple[str, bool], ...]:
    """`text` cut around the last occurrence of `figure` (figures close a clause), marked True."""
    if not figure or figure not in text:
        return ((text, False),)
    at = text.rfind(figure)
    pieces = ((text[:at], False), (figure, True), (text[at + len(figure) :], False))
    return tuple(piece for piece in pieces if piece[0])


def in_context(quote_iri: str, figure: str | None = None) -> QuoteInContext | None:
    found = catalogue().quote_around(quote_iri, CONTEXT_CHARS)
    if found is None:
        return None
    start, end, exact, before, after = found
    before, after = before.split("\n")[-1], after.split("\n")[0]
    return QuoteInContext(quote_iri, start, end, before, split_on(exact, figure), after)
