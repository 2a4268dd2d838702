"""The article's text: mending its broken layout and finding quotes in it.

The source file breaks some sentences across blank lines (``在2023`` / ``年度``). Mending joins a
paragraph to the next when it plainly stops mid-sentence, and keeps, for every character of the
mended text, its offset in the raw file, so each quote can be traced to both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A paragraph that ends with one of these has finished its sentence.
SENTENCE_END = set("。！？!?…”’」』)）")
# Headings, bylines and captions are short or spaced out; a broken sentence is neither.
MIN_BROKEN_LENGTH = 20
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")


@dataclass(frozen=True)
class Span:
    """A located quote: offsets into the mended text and into the raw file (end exclusive)."""

    start: int
    end: int
    raw_start: int
    raw_end: int


class QuoteError(ValueError):
    """A quote that is not in the article, or is ambiguous there."""


@dataclass(frozen=True)
class Article:
    raw: str
    text: str
    raw_offsets: tuple[int, ...]  # raw_offsets[i] is the raw offset of text[i]

    def locate(self, quote: str, occurrence: int | None = None) -> Span:
        """Find ``quote`` in the mended text; ``occurrence`` (1-based) picks among repeats."""
        if not quote:
            raise QuoteError("empty quote")
        starts = find_all(self.text, quote)
        if not starts:
            raise QuoteError(f"quote not found in the article: {quote!r}")
        if occurrence is None:
            if len(starts) > 1:
                raise QuoteError(
                    f"quote occurs {len(starts)} times, add 'occurrence: N': {quote!r}"
                )
            occurrence = 1
        if not 1 <= occurrence <= len(starts):
            raise QuoteError(
                f"occurrence {occurrence} asked, quote occurs {len(starts)} times: {quote!r}"
            )
        start = starts[occurrence - 1]
        return self.span(start, start + len(quote))

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.raw_offsets[start], self.raw_offsets[end - 1] + 1)

    def context(self, span: Span, width: int = 12) -> tuple[str, str]:
        """The text just before and after a span (a TextQuoteSelector's prefix and suffix)."""
        return self.text[max(0, span.start - width) : span.start], self.text[
            span.end : span.end + width
        ]


def find_all(text: str, needle: str) -> list[int]:
    starts, i = [], text.find(needle)
    while i >= 0:
        starts.append(i)
        i = text.find(needle, i + 1)
    return starts


def paragraphs(raw: str) -> list[tuple[int, int]]:
    """(start, end) raw offsets of each non-empty paragraph, trailing spaces trimmed."""
    spans, pos = [], 0
    for match in PARAGRAPH_BREAK.finditer(raw):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(raw)))
    trimmed = []
    for start, end in spans:
        while start < end and raw[start].isspace():
            start += 1
        while end > start and raw[end - 1].isspace():
            end -= 1
        if end > start:
            trimmed.append((start, end))
    return trimmed


def is_broken(paragraph: str) -> bool:
    """True when a paragraph stops mid-sentence and its sentence goes on in the next one."""
    return (
        paragraph[-1] not in SENTENCE_END
        and " " not in paragraph
        and len(paragraph) > MIN_BROKEN_LENGTH
    )


def mend(raw: str) -> Article:
    """Join broken paragraphs; separate the others by a blank line, as the source does."""
    pieces: list[str] = []
    offsets: list[int] = []
    spans = paragraphs(raw)
    for index, (start, end) in enumerate(spans):
        pieces.append(raw[start:end])
        offsets.extend(range(start, end))
        last = index == len(spans) - 1
        if not last and not is_broken(raw[start:end]):
            pieces.append("\n\n")
            offsets.extend((end, end + 1))
    return Article(raw=raw, text="".join(pieces), raw_offsets=tuple(offsets))
