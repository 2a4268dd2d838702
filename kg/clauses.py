"""Which record accounts for each clause of the article, so no statement is silently left out.

The numeral check (kg/coverage.py) catches a figure without a fact; this one catches a
qualitative statement without a claim. The mended text is cut into clauses at Chinese and ASCII
punctuation; a clause is accounted for when the quotes of facts and relations (and the article's
own headline and date quotes) cover at least half of its characters, or when it lies inside an
exclusion, which says why it states no fact (framing, a person's words, a section heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.sources import Record, Sources
from kg.text import QuoteError, find_all

CLAUSE_BREAK = re.compile(r"[，,。；;！!？?：:\n]|……")
HAN = re.compile(r"[\u4e00-\u9fff]")
SHARE_NEEDED = 0.5  # of a clause's characters, covered by quotes


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    covered_by: str | None  # "fact", "relation", "article", "exclusion: <reason>", or None


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text`` that hold at least one Chinese character."""
    spans, start = [], 0
    for match in CLAUSE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if HAN.search(text[a:b])]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in ' “”"‘’…':
        start += 1
    while end > start and text[end - 1] in ' “”"‘’…':
        end -= 1
    return start, end


def clause_coverage(sources: Sources) -> list[Clause]:
    """Every clause of the mended article with what accounts for it."""
    text = sources.article.text
    quoted = _quoted(sources)
    excluded = _excluded(sources)
    result = []
    for start, end in split_clauses(text):
        by = _covering(quoted, start, end) or next(
            (f"exclusion: {why}" for a, b, why in excluded if a <= start and end <= b), None
        )
        result.append(Clause(start, end, text[start:end], by))
    return result


def _covering(quoted: dict[str, list[bool]], start: int, end: int) -> str | None:
    for kind, mask in quoted.items():
        if sum(mask[start:end]) >= SHARE_NEEDED * (end - start):
            return kind
    return None


def _quoted(sources: Sources) -> dict[str, list[bool]]:
    """Per kind of record, which characters of the text some quote of that kind covers."""
    size = len(sources.article.text)
    kinds = {
        "fact": [(r, "quote") for r in sources.facts],
        "relation": [(r, "quote") for r in sources.relations],
        "article": [
            (Record(sources.meta, "article.yaml"), key)
            for key in ("headline_quote", "latest_date_quote")
            if sources.meta.get(key)
        ],
    }
    masks = {}
    for kind, fields in kinds.items():
        mask = [False] * size
        for record, key in fields:
            try:
                span = sources.article.locate(record[key], record.get("occurrence"))
            except QuoteError as error:
                raise record.fail(str(error)) from None
            mask[span.start : span.end] = [True] * (span.end - span.start)
        masks[kind] = mask
    return masks


def _excluded(sources: Sources) -> list[tuple[int, int, str]]:
    text = sources.article.text
    return [
        (start, start + len(record["text"]), " ".join(str(record["reason"]).split()))
        for record in sources.exclusions
        for start in find_all(text, record["text"])
    ]


def unaccounted(result: list[Clause]) -> list[Clause]:
    return [c for c in result if c.covered_by is None]


def clause_report(result: list[Clause]) -> str:
    """A table, one clause a line, then the totals."""
    lines = [f"{c.start:5d}  {c.covered_by or 'NOT COVERED'}  «{c.text}»" for c in result]
    counts: dict[str, int] = {}
    for c in result:
        kind = (c.covered_by or "not covered").split(":")[0]
        counts[kind] = counts.get(kind, 0) + 1
    lines.append(
        f"{len(result)} clauses: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    )
    return "\n".join(lines)
