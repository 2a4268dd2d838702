"""The README's "SPARQL endpoint" section names every route, format, option and signal."""

import argparse
import re
from pathlib import Path

import pytest

from kg import settings
from server import cli, formats

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## SPARQL endpoint\n(.*?)(?=^## )", text, re.DOTALL | re.MULTILINE)
    assert match, "README has no '## SPARQL endpoint' section"
    return match.group(1)


def serve_flags() -> list[str]:
    parser = argparse.ArgumentParser()
    cli.add_serve_arguments(parser)
    return [
        flag
        for action in parser._actions
        for flag in action.option_strings
        if flag != "-h" and flag != "--help"
    ]


def test_every_format_has_a_curl_line(section):
    curl_lines = [line for line in section.splitlines() if line.startswith("curl")]
    for fmt in (*formats.RESULTS, *formats.GRAPH):
        assert any(f"Accept: {fmt.media_type}" in line for line in curl_lines), fmt.media_type
        assert f"`{fmt.name}`" in section


def test_every_option_and_variable_is_documented(section):
    for flag in serve_flags():
        assert f"`{flag}" in section, flag
    for setting in settings.for_command("serve"):
        assert setting.variable in section, setting.variable


def test_routes_statuses_and_signals_are_documented(section):
    for text in ("/sparql", "/health", "X-SPARQL-Truncated", "X-SPARQL-Max-Rows", "X-SPARQL-Rows"):
        assert text in section, text
    documented = {
        code
        for first_cell in re.findall(r"^\| ([^|]+) \|", section, re.MULTILINE)
        for code in re.findall(r"\b([1-5]\d\d)\b", first_cell)
    }  # the status codes in the first column of a table, not any number in the prose
    for status in ("400", "403", "405", "406", "408", "413", "415", "429", "502", "503", "504"):
        assert status in documented, status
