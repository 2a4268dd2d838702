"""The settings table (kg/settings.py) is what the command parses, what the app reads from the
environment and what the README's options tables say: every setting, and nothing else."""

import argparse
import re
from pathlib import Path

import pytest

from kg import settings
from kg.settings import SETTINGS, Setting
from zzkg.cli import make_parser

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = {"serve": "SPARQL endpoint", "build": "Building"}  # README table -> its section
REQUIRED = {"publish": ("--to", "http://engine.example/query")}
SAMPLE = {int: "7", float: "2.5", str: "https://sample.example/x", Path: "somewhere/else"}


def readme_rows(table: str) -> list[list[str]]:
    """The cells of each row of the options table in the table's README section."""
    text = README.read_text(encoding="utf-8")
    section = re.search(rf"^## {SECTIONS[table]}\n(.*?)(?=^## )", text, re.DOTALL | re.MULTILINE)
    assert section, SECTIONS[table]
    found = re.search(
        r"^\| flag \| variable \| default \| what \|\n\| --- .*\n((?:\|.*\n)+)",
        section.group(1),
        re.MULTILINE,
    )
    assert found, f"no options table in README section {SECTIONS[table]!r}"
    return [
        [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in found.group(1).splitlines()
    ]


def subparser(command: str) -> argparse.ArgumentParser:
    (commands,) = [a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return commands.choices[command]


def placements() -> list[tuple[Setting, str]]:
    return [
        (s, table) for table in settings.TABLES for s in SETTINGS if settings.in_table(s, table)
    ]


@pytest.mark.parametrize(
    "setting, table", placements(), ids=lambda value: getattr(value, "name", value)
)
def test_each_setting_has_its_row(setting, table):
    rows = [row for row in readme_rows(table) if row[1].startswith(f"`{setting.variable}`")]
    assert len(rows) == 1, f"{setting.variable}: {len(rows)} rows in the {table} table"
    flag_cell, variable_cell, default_cell, _ = rows[0]
    for flag in filter(None, setting.flags.values()):
        assert f"`{flag}" in flag_cell
    for former in (*setting.former_flags, *setting.former_variables):
        assert f"`{former}`" in flag_cell + variable_cell
    default = setting.default
    if setting.shown_default:
        shown = setting.shown_default
    elif default in (None, ()):
        shown = "none"
    else:
        shown = f"`{default:g}`" if isinstance(default, float) else f"`{default}`"
    assert default_cell == shown


@pytest.mark.parametrize("table", settings.TABLES)
def test_each_table_holds_its_settings_and_nothing_else(table):
    documented = [re.match(r"`(ZZKG_\w+)`", row[1]) for row in readme_rows(table)]
    assert all(documented), "a row of the options table names no ZZKG_ variable"
    expected = [s.variable for s, placed in placements() if placed == table]
    assert [match.group(1) for match in documented if match] == expected
    assert "\n".join("| " + " | ".join(row) + " |" for row in readme_rows(table)) in (
        settings.markdown_table(table)
    ), "the README's table differs from `python -m kg.settings`: paste its output"


def test_variables_and_flags_are_each_declared_once():
    variables = [name for s in SETTINGS for name in s.variables]
    assert len(variables) == len(set(variables))
    for command in ("build", "publish", "serve"):
        flags = [f for s in settings.for_command(command) for f in (s.flags[command],) if f]
        assert len(flags) == len(set(flags)), command


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_the_variable_sets_the_flag_default_and_the_app(setting, monkeypatch):
    text = " ".join([SAMPLE[setting.type]] * 2) if setting.many else SAMPLE[setting.type]
    value = setting.parse(text)
    for variable in setting.variables:
        for other in setting.variables:
            monkeypatch.delenv(other, raising=False)
        monkeypatch.setenv(variable, text)
        for command, flag in setting.flags.items():
            if flag:
                assert subparser(command).get_default(setting.name) == value, (command, variable)
        assert settings.read(setting.name) == value
        if setting.config:
            expected = setting.to_config(value)
            assert settings.app_environment()[setting.config] == expected


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_the_flag_beats_the_variable(setting, monkeypatch):
    monkeypatch.setenv(setting.variable, SAMPLE[setting.type])
    for command, flag in setting.flags.items():
        for spelling in (flag, *setting.former_flags) if flag else ():
            other = "9" if setting.type in (int, float) else "given"
            args = subparser(command).parse_args([*REQUIRED.get(command, ()), spelling, other])
            parsed = getattr(args, setting.name)
            given = setting.type(other)
            assert parsed == (
                [*setting.parse(SAMPLE[setting.type]), given] if setting.many else given
            )


def test_a_malformed_variable_names_itself(monkeypatch, capsys):
    monkeypatch.setenv("ZZKG_PORT", "eighty")
    with pytest.raises(SystemExit) as exit_:
        make_parser()
    assert exit_.value.code == 2
    assert "ZZKG_PORT='eighty': not a valid int" in capsys.readouterr().err
