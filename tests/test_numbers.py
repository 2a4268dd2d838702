"""Values as written -> number, measure word, qualifier and bounds."""

from decimal import Decimal

import pytest

from kg.numbers import chinese_number, numerals, parse_value

D = Decimal


@pytest.mark.parametrize(
    "written, number, word, qualifier",
    [
        ("13.1万人", D(131000), "人", "Exact"),
        ("800亿元", D("8.0e10"), "元", "Exact"),
        ("突破800亿元", D("8.0e10"), "元", "MoreThan"),
        ("超7000亿元", D("7.0e11"), "元", "MoreThan"),
        ("800家以上", D(800), "家", "AtLeast"),
        ("近90架次", D(90), "架次", "Nearly"),
        ("近20亿元", D("2e9"), "元", "Nearly"),
        ("达95.8%", D("95.8"), "%", "Reached"),
        ("增至18家", D(18), "家", "Reached"),
        ("4.25万个", D(42500), "个", "Exact"),
        ("112.9%", D("112.9"), "%", "Exact"),
        ("50%以上", D(50), "%", "AtLeast"),
        ("超6万标箱", D(60000), "标箱", "MoreThan"),
        ("突破80万吨", D(800000), "吨", "MoreThan"),
        ("突破百万", D(1000000), "", "MoreThan"),
        ("超300万", D(3000000), "", "MoreThan"),
        ("444.3万件", D(4443000), "件", "Exact"),
        ("十三届", D(13), "届", "Exact"),
    ],
)
def test_parse_value(written, number, word, qualifier):
    value = parse_value(written)
    assert (value.number, value.measure_word, value.qualifier) == (number, word, qualifier)
    assert value.written == written


@pytest.mark.parametrize(
    "written, lower, lower_incl, upper, upper_incl",
    [
        ("800家以上", D(800), True, None, True),
        ("超7000亿元", D("7e11"), False, None, True),
        ("近90架次", None, True, D(90), False),
        ("两位数", D(10), True, D(100), False),
        ("52.9万辆", None, True, None, True),
    ],
)
def test_bounds(written, lower, lower_incl, upper, upper_incl):
    value = parse_value(written)
    assert (value.lower, value.lower_inclusive, value.upper, value.upper_inclusive) == (
        lower,
        lower_incl,
        upper,
        upper_incl,
    )


def test_two_digit_growth_has_no_point_value():
    value = parse_value("两位数")
    assert value.number is None and value.qualifier == "TwoDigit" and value.measure_word == "%"


@pytest.mark.parametrize("written", ["", "亿元", "以上", "超过"])
def test_values_without_a_number_are_refused(written):
    with pytest.raises(ValueError):
        parse_value(written)


def test_two_qualifiers_are_refused():
    with pytest.raises(ValueError, match="two qualifiers"):
        parse_value("超800家以上")


@pytest.mark.parametrize("numeral, value", [("十三", 13), ("两", 2), ("一百二十", 120), ("二", 2)])
def test_chinese_numerals(numeral, value):
    assert chinese_number(numeral) == value


def test_numerals_finds_arabic_with_multiplier_and_chinese():
    found = [text for _, _, text in numerals("新增13.1万人、第十三届、1~11月、百万大关")]
    assert found == ["13.1万", "十三", "1", "11", "百万"]
