"""Values as the article writes them (``超7000亿元``, ``13.1万人``, ``两位数``) made machine-readable.

A written value is: an optional qualifier word, a number (Arabic or Chinese), an optional
multiplier (万, 亿…), a measure word (人, 亿元's 元, %, 标箱…) and an optional trailing qualifier
(以上). The measure word is looked up in units.yaml by the caller; this module only splits and
scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

# Longest first, so 超过 wins over 超 and 达到 over 达.
LEADING_QUALIFIERS = {
    "超过": "MoreThan",
    "突破": "MoreThan",
    "超": "MoreThan",
    "近": "Nearly",
    "达到": "Reached",
    "增至": "Reached",
    "达": "Reached",
}
TRAILING_QUALIFIERS = {"以上": "AtLeast", "多": "MoreThan", "余": "MoreThan"}

MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
}

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千"
ARABIC = re.compile(r"\d+(?:\.\d+)?")
CHINESE = re.compile(f"[{CHINESE_DIGITS}]+")
# Every numeral of a text, built from the tables above so a new multiplier is declared once.
NUMERAL = re.compile(
    ARABIC.pattern
    + f"(?:{'|'.join(MULTIPLIERS)})?"
    + f"|[{CHINESE_DIGITS}{''.join(sorted(set(''.join(MULTIPLIERS)) - set(CHINESE_DIGITS)))}]+"
)
# "两位数增长": two-digit growth, 10 to under 100 percent.
TWO_DIGIT = "两位数"


@dataclass(frozen=True)
class WrittenValue:
    written: str
    number: Decimal | None  # after the multiplier; None for 两位数
    measure_word: str  # "" when the value has none
    qualifier: str  # a zz:Qualifier local name
    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = True


def parse_value(written: str) -> WrittenValue:
    """Split a value as written into number, measure word, qualifier and bounds.

    >>> parse_value("13.1万人").number
    Decimal('131000')
    """
    rest = written.strip()
    if not rest:
        raise ValueError("empty value")
    if rest.startswith(TWO_DIGIT):
        unit = rest[len(TWO_DIGIT) :] or "%"
        return WrittenValue(written, None, unit, "TwoDigit", Decimal(10), True, Decimal(100), False)
    qualifier, rest = _strip_leading(rest)
    trailing, rest = _strip_trailing(rest)
    if trailing:
        if qualifier != "Exact":
            raise ValueError(f"two qualifiers in {written!r}")
        qualifier = trailing
    number, rest = _take_number(rest, written)
    multiplier, measure_word = _take_multiplier(rest)
    return _with_bounds(WrittenValue(written, number * multiplier, measure_word, qualifier))


def _strip_leading(text: str) -> tuple[str, str]:
    for word, qualifier in LEADING_QUALIFIERS.items():
        if text.startswith(word):
            return qualifier, text[len(word) :]
    return "Exact", text


def _strip_trailing(text: str) -> tuple[str | None, str]:
    for word, qualifier in TRAILING_QUALIFIERS.items():
        if text.endswith(word):
            return qualifier, text[: -len(word)]
    return None, text


def _take_number(text: str, written: str) -> tuple[Decimal, str]:
    arabic = ARABIC.match(text)
    if arabic:
        return Decimal(arabic.group()), text[arabic.end() :]
    if text.startswith(tuple(m for m in MULTIPLIERS if m[0] in CHINESE_DIGITS)):
        return Decimal(1), text  # 百万 alone means one million
    chinese = CHINESE.match(text)
    if chinese:
        return chinese_number(chinese.group()), text[chinese.end() :]
    raise ValueError(f"no number in {written!r}")


def _take_multiplier(text: str) -> tuple[Decimal, str]:
    for word, factor in MULTIPLIERS.items():
        if text.startswith(word):
            return factor, text[len(word) :]
    return Decimal(1), text


def chinese_number(numeral: str) -> Decimal:
    """A Chinese numeral (十三, 两, 一百二十) as a Decimal, by cn2an."""
    return Decimal(int(cn2an.cn2an(numeral, "smart")))


def _with_bounds(value: WrittenValue) -> WrittenValue:
    """Turn the qualifier into machine-readable bounds around the stated number."""
    n = value.number
    bounds = {
        "AtLeast": {"lower": n, "lower_inclusive": True},
        "MoreThan": {"lower": n, "lower_inclusive": False},
        "Nearly": {"upper": n, "upper_inclusive": False},
    }.get(value.qualifier, {})
    return WrittenValue(**{**value.__dict__, **bounds})


def numerals(text: str) -> list[tuple[int, int, str]]:
    """Every numeral in ``text`` as (start, end, numeral): Arabic with its multiplier, or Chinese."""
    return [(m.start(), m.end(), m.group()) for m in NUMERAL.finditer(text)]
