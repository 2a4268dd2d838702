"""Periods as the facts file writes them (``2024-01/2024-11``, ``../2024-12-21``) as date bounds.

Each becomes an OWL-Time interval whose beginning and end are ``xsd:date`` instants; an open
start (a cumulative figure "as of" a date) has an end only, and a run of months (``P13M/2024-11``)
carries its duration as well.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

MONTHS_EN = [calendar.month_name[m] for m in range(13)]


@dataclass(frozen=True)
class Period:
    key: str  # as written in the facts file; also the IRI slug
    begin: date | None
    end: date | None
    duration: str | None  # xsd:duration, e.g. P13M
    label_zh: str
    label_en: str

    @property
    def slug(self) -> str:
        return self.key.replace("/", "--").replace("..", "open")


def parse_period(key: str, *, as_of: date | None = None) -> Period:
    """Parse one period key; a ValueError names what is wrong.

    ``YYYY-to-date`` is the year from 1 January up to ``as_of``, the latest day the article
    states (it carries no date of its own): what 今年以来 ("since the start of this year") covers.
    """
    key = str(key).strip()
    to_date = re.fullmatch(r"(\d{4})-to-date", key)
    if to_date:
        return _to_date(key, int(to_date.group(1)), as_of)
    for pattern, make in _FORMS:
        match = re.fullmatch(pattern, key)
        if match:
            period = make(key, *match.groups())
            if period.begin and period.end and period.begin > period.end:
                raise ValueError(f"period {key!r} ends before it begins")
            return period
    raise ValueError(
        f"unknown period {key!r}: use YYYY, YYYY-MM/YYYY-MM, YYYY-Qn/YYYY-Qn, "
        "YYYY-MM-DD/YYYY-MM-DD, ../YYYY-MM-DD, PnM/YYYY-MM or YYYY-to-date"
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(key: str, y: str) -> Period:
    year = int(y)
    return Period(key, date(year, 1, 1), date(year, 12, 31), "P1Y", f"{year}年", str(year))


def _to_date(key: str, year: int, as_of: date | None) -> Period:
    if as_of is None:
        raise ValueError(f"period {key!r} needs the article's latest stated date (as_of)")
    if as_of.year != year:
        raise ValueError(f"period {key!r}: the article's latest stated date is in {as_of.year}")
    zh = f"{year}年初至{as_of.month}月{as_of.day}日"
    en = f"{year} to date (1 January – {as_of.day} {MONTHS_EN[as_of.month]})"
    return Period(key, date(year, 1, 1), as_of, None, zh, en)


def _months(key: str, y1: str, m1: str, y2: str, m2: str) -> Period:
    a, b = (int(y1), int(m1)), (int(y2), int(m2))
    if not (1 <= a[1] <= 12 and 1 <= b[1] <= 12):
        raise ValueError(f"period {key!r}: months run from 01 to 12")
    zh = f"{a[0]}年{a[1]}~{b[1]}月" if a[0] == b[0] else f"{a[0]}年{a[1]}月~{b[0]}年{b[1]}月"
    en = f"{MONTHS_EN[a[1]]}–{MONTHS_EN[b[1]]} {b[0]}"
    if a[0] != b[0]:
        en = f"{MONTHS_EN[a[1]]} {a[0]} – {MONTHS_EN[b[1]]} {b[0]}"
    months = (b[0] - a[0]) * 12 + b[1] - a[1] + 1
    return Period(key, date(*a, 1), _month_end(*b), f"P{months}M", zh, en)


def _quarters(key: str, y1: str, q1: str, y2: str, q2: str) -> Period:
    a, b = (int(y1), int(q1)), (int(y2), int(q2))
    if not (1 <= a[1] <= 4 and 1 <= b[1] <= 4):
        raise ValueError(f"period {key!r}: quarters run from Q1 to Q4")
    begin, end = date(a[0], 3 * a[1] - 2, 1), _month_end(b[0], 3 * b[1])
    quarters = (b[0] - a[0]) * 4 + b[1] - a[1] + 1
    zh = (
        f"{b[0]}年前三季度"
        if (a[1], b[1]) == (1, 3) and a[0] == b[0]
        else f"{a[0]}年第{a[1]}~{b[1]}季度"
    )
    en = f"Q{a[1]}–Q{b[1]} {b[0]}"
    return Period(key, begin, end, f"P{3 * quarters}M", zh, en)


def _days(key: str, d1: str, d2: str) -> Period:
    a, b = date.fromisoformat(d1), date.fromisoformat(d2)
    zh = f"{a.year}年{a.month}月{a.day}日~{b.month}月{b.day}日"
    en = f"{a.isoformat()} to {b.isoformat()}"
    return Period(key, a, b, None, zh, en)


def _as_of(key: str, d: str) -> Period:
    end = date.fromisoformat(d)
    return Period(
        key,
        None,
        end,
        None,
        f"截至{end.year}年{end.month}月{end.day}日",
        f"as of {end.isoformat()}",
    )


def _run_of_months(key: str, n: str, y: str, m: str) -> Period:
    count, year, month = int(n), int(y), int(m)
    if not (1 <= month <= 12 and count >= 1):
        raise ValueError(f"period {key!r}: needs at least one month, ending in a month 01 to 12")
    first = year * 12 + month - 1 - (count - 1)
    begin = date(first // 12, first % 12 + 1, 1)
    zh = f"截至{year}年{month}月的连续{count}个月"
    en = f"{count} consecutive months to {MONTHS_EN[month]} {year}"
    return Period(key, begin, _month_end(year, month), f"P{count}M", zh, en)


_FORMS: list[tuple[str, Callable[..., Period]]] = [
    (r"(\d{4})", _year),
    (r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", _months),
    (r"(\d{4})-Q(\d)/(\d{4})-Q(\d)", _quarters),
    (r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", _days),
    (r"\.\./(\d{4}-\d{2}-\d{2})", _as_of),
    (r"P(\d+)M/(\d{4})-(\d{2})", _run_of_months),
]
