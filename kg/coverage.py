"""Which record accounts for each numeral of the article, so no figure is silently left out.

A numeral is covered when it lies inside a fact's value, period_text or rank_text (as found in
the fact's quote), inside an entity's Chinese label as found in its mention, or inside the text of
an exclusion (a year in a name, an idiom) that gives a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.numbers import numerals
from kg.sources import Record, Sources
from kg.text import QuoteError, find_all


@dataclass(frozen=True)
class Cover:
    start: int
    end: int
    kind: str  # "fact", "entity" or "exclusion"
    record: str  # the record's id, or the exclusion's text
    detail: str  # which field, or the exclusion's reason


@dataclass(frozen=True)
class Numeral:
    start: int
    end: int
    text: str
    cover: Cover | None


def covers(sources: Sources) -> list[Cover]:
    """Every span of the mended text that some record accounts for."""
    found: list[Cover] = []
    for record in sources.facts:
        for field in ("value", "period_text", "rank_text"):
            if record.get(field):
                found.extend(_inside(sources, record, "quote", str(record[field]), "fact", field))
    for record in sources.entities:
        found.extend(_inside(sources, record, "mention", record["label"]["zh"], "entity", "label"))
    text = sources.article.text
    for record in sources.exclusions:
        starts = find_all(text, record["text"])
        if not starts:
            raise record.fail(f"exclusion text not found in the article: {record['text']!r}")
        for start in starts:
            found.append(
                Cover(
                    start,
                    start + len(record["text"]),
                    "exclusion",
                    record["text"],
                    record["reason"],
                )
            )
    return found


def _inside(
    sources: Sources, record: Record, key: str, needle: str, kind: str, field: str
) -> list[Cover]:
    """Where ``needle`` stands inside the record's quote (none if it is not there)."""
    try:
        span = sources.article.locate(record[key], record.get("occurrence"))
    except QuoteError as error:
        raise record.fail(str(error)) from None
    quote = sources.article.text[span.start : span.end]
    record_id = record.get("id") or record.get("subject")
    return [
        Cover(span.start + i, span.start + i + len(needle), kind, record_id, field)
        for i in find_all(quote, needle)
    ]


def coverage(sources: Sources) -> list[Numeral]:
    """Each numeral of the mended article with the first record that covers it (facts first)."""
    found = covers(sources)
    rank = {"fact": 0, "entity": 1, "exclusion": 2}
    found.sort(key=lambda c: (rank[c.kind], c.start))
    result = []
    for start, end, text in numerals(sources.article.text):
        cover = next((c for c in found if c.start <= start and end <= c.end), None)
        result.append(Numeral(start, end, text, cover))
    return result


def uncovered(result: list[Numeral]) -> list[Numeral]:
    return [n for n in result if n.cover is None]


def report(result: list[Numeral], article_text: str) -> str:
    """A table, one numeral a line, then the totals."""
    lines = []
    for n in result:
        context = article_text[max(0, n.start - 8) : n.end + 8].replace("\n", " ")
        if n.cover:
            who = f"{n.cover.kind}: {n.cover.record} ({n.cover.detail})"
        else:
            who = "NOT COVERED"
        lines.append(f"{n.start:5d}  {n.text:<8}  {who}  «{context}»")
    counts = {
        kind: sum(1 for n in result if n.cover and n.cover.kind == kind)
        for kind in ("fact", "entity", "exclusion")
    }
    missing = len(uncovered(result))
    lines.append(
        f"{len(result)} numerals: {counts['fact']} by facts, {counts['entity']} by entity names, "
        f"{counts['exclusion']} excluded, {missing} not covered"
    )
    return "\n".join(lines)
