"""Mending the article's broken layout, and locating quotes in both texts."""

import pytest

from kg.sources import ARTICLE_FILE, SOURCES_DIR
from kg.text import QuoteError, mend


@pytest.fixture(scope="module")
def article():
    return mend((SOURCES_DIR / ARTICLE_FILE).read_text(encoding="utf-8"))


BROKEN = [
    ("在2023", "年度"),
    ("郑州新能源汽车", "发展"),
    ("新开郑州至法", "国巴黎"),
    ("网上丝", "绸之路"),
    ("新增城镇就业13.1万人。成", "功获批"),
    ("跨省通办事项已达609", "项"),
    ("扎实推进,", "网格体系"),
    ("实现所", "有征迁"),
]


@pytest.mark.parametrize("before, after", BROKEN)
def test_broken_sentences_are_joined(article, before, after):
    assert before + after in article.text
    assert before + "\n" not in article.text


def test_headings_bylines_and_captions_stay_apart(article):
    paragraphs = article.text.split("\n\n")
    assert "创新郑州 “科里科气”惹人迷" in paragraphs
    assert "郑州东站附近的高铁公园" in paragraphs
    assert paragraphs[-2].endswith("李新华/图")


def test_offsets_map_back_to_the_raw_file(article):
    for i, char in enumerate(article.text):
        if char != "\n":
            assert article.raw[article.raw_offsets[i]] == char


def test_locate_gives_raw_span_across_a_break(article):
    span = article.locate("在2023年度")
    assert article.text[span.start : span.end] == "在2023年度"
    assert article.raw[span.raw_start : span.raw_end].replace("\n", "") == "在2023年度"


def test_repeated_quote_needs_occurrence(article):
    with pytest.raises(QuoteError, match="occurs 2 times"):
        article.locate("新增城镇就业13.1万人")
    first, second = (
        article.locate("新增城镇就业13.1万人", 1),
        article.locate("新增城镇就业13.1万人", 2),
    )
    assert first.start < second.start


def test_missing_quote_is_an_error(article):
    with pytest.raises(QuoteError, match="not found"):
        article.locate("上海")
