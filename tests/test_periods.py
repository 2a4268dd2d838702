"""Period keys -> OWL-Time bounds."""

from datetime import date

import pytest

from kg.periods import parse_period


@pytest.mark.parametrize(
    "key, begin, end, duration",
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31), "P1Y"),
        ("2024-01/2024-11", date(2024, 1, 1), date(2024, 11, 30), "P11M"),
        ("2024-Q1/2024-Q3", date(2024, 1, 1), date(2024, 9, 30), "P9M"),
        ("2024-01-01/2024-12-21", date(2024, 1, 1), date(2024, 12, 21), None),
        ("../2024-12-21", None, date(2024, 12, 21), None),
        ("P13M/2024-11", date(2023, 11, 1), date(2024, 11, 30), "P13M"),
        ("P16M/2024-11", date(2023, 8, 1), date(2024, 11, 30), "P16M"),
        ("2024-02/2024-02", date(2024, 2, 1), date(2024, 2, 29), "P1M"),
    ],
)
def test_parse_period(key, begin, end, duration):
    period = parse_period(key)
    assert (period.begin, period.end, period.duration) == (begin, end, duration)
    assert period.label_zh and period.label_en


def test_labels_read_naturally():
    assert parse_period("2024-01/2024-11").label_zh == "2024年1~11月"
    assert parse_period("2024-Q1/2024-Q3").label_zh == "2024年前三季度"
    assert parse_period("../2024-12-21").label_zh == "截至2024年12月21日"


@pytest.mark.parametrize(
    "key", ["2024-11/2024-01", "2024-Q0/2024-Q3", "2024-13/2024-14", "last year", ""]
)
def test_bad_periods_are_refused(key):
    with pytest.raises(ValueError):
        parse_period(key)


def test_slugs_are_iri_safe():
    assert parse_period("2024-01/2024-11").slug == "2024-01--2024-11"
    assert parse_period("../2024-12-21").slug == "open--2024-12-21"


def test_to_date_runs_from_new_year_to_the_latest_stated_day():
    period = parse_period("2024-to-date", as_of=date(2024, 12, 21))
    assert (period.begin, period.end, period.duration) == (
        date(2024, 1, 1),
        date(2024, 12, 21),
        None,
    )
    assert period.slug == "2024-to-date"
    assert period.label_zh == "2024年初至12月21日"


@pytest.mark.parametrize("as_of", [None, date(2025, 1, 3)])
def test_to_date_needs_the_latest_stated_day_of_that_year(as_of):
    with pytest.raises(ValueError):
        parse_period("2024-to-date", as_of=as_of)
