"""The figures (zz:Observation) as a reader reads them: the value with its sign and unit in
words, its bounds, period, qualifier, status, and the caveats that go beside it.

Every page that shows a figure (entity and observation pages, the all-figures table, charts,
article panels, search) takes its words from here, so a fall reads as a fall and an assumed
period as assumed wherever the figure appears. Figures are read when a page needs them (those
about an entity, of an indicator, or named), in the order of the article from the page index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from kg.sources import read_units
from server.views import common, data, queries, quotes
from server.views.catalogue import catalogue
from server.views.messages import MESSAGES
from server.views.queries import bind, bind_each

ZZ = data.PREFIXES["zz"]
UNIT = data.PREFIXES["unit"]
GROWTH_RATE = "growth-rate"  # the indicator growth rates are narrower than (kg/iris.py)
MINUS = "\u2212"
FALL_WORDS = ("下降", "减少")
EN_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
EN_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass
class Figure:
    """One observation, its terms as IRIs and its numbers as floats."""

    iri: str
    about: str = ""
    indicator: str = ""
    value: float | None = None
    unit: str = ""
    measure_word: str = ""
    written: str = ""
    period: str = ""
    qualifier: str = ""
    status: str = ""
    quote: str = ""
    rank: int | None = None
    rank_among: str = ""
    rank_written: str = ""
    growth_of: str = ""
    lower: float | None = None
    upper: float | None = None
    lower_inclusive: bool = True
    upper_inclusive: bool = True
    basis: str = ""
    comparison: str = ""
    period_note: dict[str, str] = field(default_factory=dict)
    about_basis: str = ""
    about_note: dict[str, str] = field(default_factory=dict)
    is_growth: bool = False

    @property
    def is_fall(self) -> bool:
        shown = self.value if self.value is not None else self.lower
        return shown is not None and shown < 0

    @property
    def is_estimate(self) -> bool:
        return self.status == ZZ + "Estimated"

    @property
    def period_assumed(self) -> bool:
        return self.basis == ZZ + "Inferred"

    @property
    def about_assumed(self) -> bool:
        return self.about_basis == ZZ + "Inferred"

    @property
    def bound(self) -> str:
        """ "exact", "lower" (at least, more than), "upper" (nearly), "range" (two-digit) or
        "rank" (a rank without a value)."""
        if self.value is None and self.rank is not None:
            return "rank"
        if self.lower is not None and self.upper is not None:
            return "range"
        if self.lower is not None:
            return "lower"
        if self.upper is not None:
            return "upper"
        return "exact"

    @property
    def chart_value(self) -> float | None:
        """The number a bar is drawn to: the value, else the bound."""
        if self.value is not None:
            return self.value
        if self.bound == "lower":
            return self.lower
        if self.bound == "upper":
            return self.upper
        return None


def number(value: dict) -> float:
    return float(value["value"])


def flag(value: dict) -> bool:
    return value["value"] == "true"


def text(value: dict) -> str:
    return value["value"]


# zz: property -> the Figure field it fills, and how (the first value of each property counts)
FIELDS = {
    "about": ("about", text),
    "indicator": ("indicator", text),
    "value": ("value", number),
    "unit": ("unit", text),
    "measureWord": ("measure_word", text),
    "valueAsWritten": ("written", text),
    "period": ("period", text),
    "qualifier": ("qualifier", text),
    "status": ("status", text),
    "hasQuote": ("quote", text),
    "rank": ("rank", lambda value: int(value["value"])),
    "rankAmong": ("rank_among", text),
    "rankAsWritten": ("rank_written", text),
    "growthOf": ("growth_of", text),
    "lowerBound": ("lower", number),
    "upperBound": ("upper", number),
    "lowerBoundInclusive": ("lower_inclusive", flag),
    "upperBoundInclusive": ("upper_inclusive", flag),
    "periodBasis": ("basis", text),
    "aboutBasis": ("about_basis", text),
    "comparisonBasis": ("comparison", text),
}
NOTES = {"periodNote": "period_note", "aboutNote": "about_note"}


def read_figures(where: str, **terms: str) -> list[Figure]:
    """The observations of a query of queries.py (bound to `terms`), in the order of the
    article (where their quote stands)."""
    return in_order(figures_of(data.select(bind(where, **terms))))


def read(iris: list[str]) -> list[Figure]:
    """The figures among these IRIs, in the order of the article."""
    if not iris:
        return []
    return in_order(figures_of(data.select(bind_each(queries.ALL_OBSERVATIONS, "obs", iris))))


def in_order(found: dict[str, Figure]) -> list[Figure]:
    positions = catalogue().figure_positions(list(found))
    return sorted(found.values(), key=lambda fig: (positions.get(fig.iri, 10**9), fig.iri))


def figures_of(rows: list[data.Row]) -> dict[str, Figure]:
    """Observation IRI -> its figure, from rows (?obs ?p ?o) of queries.OBSERVATIONS, and
    whether it is a growth rate."""
    found: dict[str, Figure] = {}
    filled: set[tuple[str, str]] = set()
    for row in rows:
        iri, prop, value = row["obs"]["value"], row["p"]["value"], row["o"]
        fig = found.setdefault(iri, Figure(iri=iri))
        name = prop[len(ZZ) :] if prop.startswith(ZZ) else ""
        if name in FIELDS and (iri, name) not in filled:
            filled.add((iri, name))
            field_name, read_value = FIELDS[name]
            setattr(fig, field_name, read_value(value))
        elif name in NOTES:
            getattr(fig, NOTES[name])[value.get("xml:lang", "")[:2]] = value["value"]
    growth = growth_indicators({fig.indicator for fig in found.values() if fig.indicator})
    for fig in found.values():
        fig.is_growth = fig.indicator in growth
    return found


def growth_indicators(indicators: set[str]) -> set[str]:
    """Those of the indicators that are growth rates (skos:broader the growth rate)."""
    if not indicators:
        return set()
    growth_rate = str(queries.minter().indicator(GROWTH_RATE))
    return {
        row["indicator"]["value"]
        for row in data.select(bind_each(queries.BROADER, "indicator", sorted(indicators)))
        if row["broader"]["value"] == growth_rate
    }


def all_figures() -> list[Figure]:
    """Every figure of this app's build (for the all-figures table), read on first use in each
    process."""
    found = current_app.extensions.get("zzkg.views.figures")
    if found is None:  # two threads may both read it once; the answers are the same
        found = current_app.extensions["zzkg.views.figures"] = read_figures(
            queries.ALL_OBSERVATIONS
        )
    return found


def about(iri: str) -> list[Figure]:
    return read_figures(queries.OBSERVATIONS_ABOUT, iri=iri)


def of_indicator(iri: str) -> list[Figure]:
    return read_figures(queries.OBSERVATIONS_OF_INDICATOR, iri=iri)


def first(count: int, keep) -> list[Figure]:
    """The first `count` figures of the article for which `keep(figure)` holds, read a few at a
    time in the article's order."""
    found: list[Figure] = []
    after = 0
    while len(found) < count:
        batch = catalogue().figures_in_order(after=after, limit=4 * count)
        if not batch:
            break
        after = batch[-1][0]
        found += [fig for fig in read([iri for _, iri in batch]) if keep(fig)]
    return found[:count]


# --- words ------------------------------------------------------------------------------------


def unit_words() -> dict[str, str]:
    """Measure word (量词) -> its English words, from the build's own units table."""
    table = current_app.extensions.get("zzkg.views.units")
    if table is None:
        table = {word: spec["en"] for word, spec in read_units().items()}
        current_app.extensions["zzkg.views.units"] = table
    return table


def plain_number(value: float) -> str:
    """1234567.0 -> "1,234,567"; 11.80 -> "11.8"; signs as a minus sign."""
    magnitude = abs(value)
    text = f"{int(magnitude):,}" if magnitude.is_integer() else f"{magnitude:,.4f}".rstrip("0")
    return (MINUS if value < 0 else "") + text.rstrip(".")


def en_amount(value: float, fig: Figure) -> str:
    """A number with its unit in English words: "529,000 vehicles", "80 billion yuan", "−17.3%"."""
    if fig.unit == UNIT + "PERCENT":
        return plain_number(value) + "%"
    for scale, word in EN_SCALES:
        if abs(value) >= scale:
            value_text = f"{plain_number(value / scale)} {word}"
            break
    else:
        value_text = plain_number(value)
    unit = unit_words().get(fig.measure_word, fig.measure_word)
    if value == 1 and unit.endswith("s") and " " not in unit:
        unit = unit[:-1]  # 1 item, 1 school
    return f"{value_text} {unit}".strip()


def unit_text(fig: Figure, lang: str) -> str:
    """The unit in words: "vehicles (辆)" in English, "辆（个数）" in Chinese; QUDT's name after."""
    qudt = common.label(fig.unit, lang) if fig.unit else ""
    word = fig.measure_word
    if lang == "zh":
        return f"{word}（{qudt}）" if word and qudt and word != qudt else word or qudt
    english = unit_words().get(word, "")
    if english and english != qudt:
        return f"{english} ({word}; {qudt})"
    return f"{qudt} ({word})" if word and word != qudt else qudt


def zh_written(fig: Figure) -> str:
    """The figure as the article writes it, with its fall word (下降) if the text puts it
    before the figure rather than in it."""
    written = fig.written
    if fig.is_fall and written and not written.startswith(FALL_WORDS):
        return "下降" + written
    return written


def rank_text(fig: Figure, lang: str) -> str:
    among = common.label(fig.rank_among, lang) if fig.rank_among else ""
    if lang == "zh":
        return f"在{among}中排名{fig.rank_written or f'第{fig.rank}'}"
    ordinal = EN_ORDINALS.get(fig.rank or 0, f"{fig.rank}th")
    return f"ranked {ordinal}" + (f" among {among}" if among else "")


def value_text(fig: Figure, lang: str, *, fall_word: bool = True) -> str:
    """The figure in words, bound and sign included: "at least 800 establishments", "下降17.3%",
    "−17.3% (a fall)" (without "(a fall)" if not `fall_word`)."""
    if fig.bound == "rank":
        return rank_text(fig, lang)
    if lang == "zh":
        return zh_written(fig) or (plain_number(fig.value) if fig.value is not None else "")
    if fig.bound == "range":
        low, high = en_amount(fig.lower or 0, fig), en_amount(fig.upper or 0, fig)
        return f"{common.label(fig.qualifier, 'en')} ({low} to under {high})"
    amount = fig.chart_value
    if amount is None:
        return fig.written
    text = en_amount(amount, fig)
    if fig.bound in ("lower", "upper"):
        text = f"{common.label(fig.qualifier, 'en')} {text}"
    if fall_word and fig.is_fall and fig.unit == UNIT + "PERCENT":
        text += " (a fall)"
    return text


BOUND_SIGNS = {
    ZZ + "AtLeast": "≥ ",
    ZZ + "MoreThan": "> ",
    ZZ + "Nearly": "< ",
}


def short_text(fig: Figure, lang: str) -> str:
    """The figure in few characters, for a chart: "下降17.3%", "≥ 800 establishments"."""
    if lang == "zh" or fig.chart_value is None:
        return value_text(fig, lang)
    return BOUND_SIGNS.get(fig.qualifier, "") + en_amount(fig.chart_value, fig)


def period_text(fig: Figure, lang: str) -> str:
    if not fig.period:
        return MESSAGES["no_period"][lang]
    return common.label(fig.period, lang)


def status_text(fig: Figure, lang: str) -> str:
    return common.label(fig.status, lang) if fig.status else ""


def sentence(fig: Figure, lang: str) -> str:
    """One sentence that says the figure: value with unit in words, period, status (its
    caveats go beside it, see `caveats`)."""
    parts = [value_text(fig, lang, fall_word=False), period_text(fig, lang), status_text(fig, lang)]
    if lang == "en" and fig.written and fig.bound != "rank":
        fall = ", a fall" if fig.is_fall and fig.unit == UNIT + "PERCENT" else ""
        parts[0] += f" ({zh_written(fig)}{fall})"
    return ("，" if lang == "zh" else ", ").join(part for part in parts if part)


@dataclass(frozen=True)
class Caveat:
    kind: str  # "assumed", "assumed-subject", "estimate", "no-period"
    text: str
    note: str = ""


def caveats(fig_or_claim, lang: str) -> list[Caveat]:
    """What a reader must know beside the figure: an assumed period (and why), an estimate, or
    no period at all. Claims have the same period fields."""
    found = []
    if getattr(fig_or_claim, "period_assumed", False):
        note = common.pick(fig_or_claim.period_note, lang) or ""
        found.append(Caveat("assumed", MESSAGES["assumed"][lang], note))
    if getattr(fig_or_claim, "about_assumed", False):
        note = common.pick(fig_or_claim.about_note, lang) or ""
        found.append(Caveat("assumed-subject", MESSAGES["subject_assumed"][lang], note))
    if getattr(fig_or_claim, "is_estimate", False):
        found.append(Caveat("estimate", common.label(ZZ + "Estimated", lang)))
    if not fig_or_claim.period:
        found.append(Caveat("no-period", MESSAGES["no_period"][lang]))
    return found


def quote_of(fig: Figure) -> quotes.QuoteInContext | None:
    return quotes.in_context(fig.quote, fig.written) if fig.quote else None


def template_globals() -> dict:
    lang = common.choose_lang()
    return {
        "fig_value": lambda fig: value_text(fig, lang),
        "fig_sentence": lambda fig: sentence(fig, lang),
        "fig_period": lambda fig: period_text(fig, lang),
        "fig_unit": lambda fig: unit_text(fig, lang),
        "caveats": lambda item: caveats(item, lang),
        "pick": lambda texts: common.pick(texts, lang),
        "quote_of": quote_of,
    }


def init_app(app) -> None:
    app.context_processor(template_globals)
