"""Every setting of zzkg, declared once: its name, environment variable, flags, type, default and
help. The `zzkg` command's flags, the app's environment reading (server/config.py) and the
README's options tables are all derived from SETTINGS (`python -m kg.settings` prints the
tables; tests/test_settings_docs.py checks the README against them).

The table lives in kg, the layer both the build and the server stand on, so neither has to
import the other to read it. Adding a setting is one entry here, then the README's table.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.graphs import DEFAULT_BASE

PAGE_THREADS = 8  # per web process, beyond the query workers' share: pages, search, /health


def mebibytes(count: float) -> int:
    return int(count * 1024 * 1024)


def same(value: Any) -> Any:
    return value


class SettingError(ValueError):
    """An environment variable holds a value its setting cannot take."""


@dataclass(frozen=True)
class Setting:
    name: str  # the parsed argument's name (`args.<name>`)
    variable: str  # ZZKG_*
    flags: Mapping[str, str | None]  # command -> its flag; None: the variable only (a secret)
    type: Callable[[str], Any]  # reads one value from a flag or the variable
    default: Any
    help: str  # for --help and the README's table alike
    config: str | None = None  # the app's config key, if the app reads this setting
    to_config: Callable[[Any], Any] = same  # the value as the app keeps it
    many: bool = False  # a repeatable flag; the variable holds the values space-separated
    metavar: str | None = None
    shown_default: str | None = None  # the default in words, where its value does not say it
    former_flags: tuple[str, ...] = ()  # names it had before, still read
    former_variables: tuple[str, ...] = ()

    @property
    def variables(self) -> tuple[str, ...]:
        return (self.variable, *self.former_variables)

    def parse(self, text: str) -> Any:
        """The value of the variable's text; a malformed one raises SettingError."""
        try:
            return [self.type(part) for part in text.split()] if self.many else self.type(text)
        except ValueError:
            raise SettingError(
                f"{self.variable}={text!r}: not a valid {self.type.__name__}"
            ) from None

    def from_environment(self, environ: Mapping[str, str]) -> Any:
        """The variable's value (or a former name's), else the default."""
        for variable in self.variables:
            text = environ.get(variable, "").strip()
            if text:
                return self.parse(text)
        return list(self.default) if self.many else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "out",
        "ZZKG_OUT",
        {"build": "--out", "publish": "--build"},
        Path,
        Path("build"),
        "the build directory: `zzkg build` writes OUT/store and OUT/dumps, "
        "`zzkg publish` reads its dumps",
        metavar="DIR",
    ),
    Setting(
        "base",
        "ZZKG_BASE",
        {"build": "--base", "serve": "--base"},
        str,
        DEFAULT_BASE,
        "base IRI of the dataset's IRIs",
        config="BASE",
        metavar="IRI",
    ),
    Setting(
        "publish_credential",
        "ZZKG_PUBLISH_CREDENTIAL",
        {"publish": None},
        str,
        None,
        "`user:password` (HTTP Basic) of the engine `zzkg publish` loads into, if it needs one; "
        "a secret, so never a flag (every user of the machine sees a command line)",
    ),
    Setting("host", "ZZKG_HOST", {"serve": "--host"}, str, "127.0.0.1", "address to bind"),
    Setting("port", "ZZKG_PORT", {"serve": "--port"}, int, 8000, "port to listen on"),
    Setting(
        "store",
        "ZZKG_STORE",
        {"serve": "--store"},
        str,
        "build/store",
        "the store directory; built by `zzkg build` into its parent if missing",
        config="STORE_DIR",
        metavar="DIR",
    ),
    Setting("processes", "ZZKG_PROCESSES", {"serve": "--processes"}, int, 1, "web processes"),
    Setting(
        "query_workers",
        "ZZKG_QUERY_WORKERS",
        {"serve": "--query-workers"},
        int,
        2,  # 3 cost 36 MB more for 20% more heavy queries at c=8 on the real graph (README)
        "query workers for `/sparql` per web process (and one more for its pages); the app runs in `query-workers + queue-length + "
        f"{PAGE_THREADS}` threads, so pages, search and `/health` keep {PAGE_THREADS} of their own",
        config="QUERY_WORKERS",
        former_flags=("--threads",),
        former_variables=("ZZKG_THREADS",),
    ),
    Setting(
        "timeout",
        "ZZKG_QUERY_TIMEOUT",
        {"serve": "--timeout"},
        float,
        30.0,
        "seconds a query may run unless its request asks for less or more",
        config="QUERY_TIMEOUT",
    ),
    Setting(
        "max_timeout",
        "ZZKG_MAX_QUERY_TIMEOUT",
        {"serve": "--max-timeout"},
        float,
        120.0,
        "the longest deadline, in seconds, a request may ask for",
        config="MAX_QUERY_TIMEOUT",
    ),
    Setting(
        "max_rows",
        "ZZKG_MAX_ROWS",
        {"serve": "--max-rows"},
        int,
        100_000,
        "rows or triples per answer before it is cut",
        config="MAX_ROWS",
    ),
    Setting(
        "max_query_bytes",
        "ZZKG_MAX_QUERY_BYTES",
        {"serve": "--max-query-bytes"},
        int,
        64 * 1024,
        "the longest query accepted, in bytes",
        config="MAX_QUERY_BYTES",
    ),
    Setting(
        "max_nesting",
        "ZZKG_MAX_NESTING",
        {"serve": "--max-nesting"},
        int,
        128,
        "the deepest nesting accepted, as parsers nest: each bracket, and each link of a chain "
        "within one (`1+1+…`, `||`, `&&`, `UNION`, `OPTIONAL`, `MINUS`, `FILTER`, `BIND`, "
        "path steps, prefix operators)",
        config="MAX_NESTING",
    ),
    Setting(
        "allow_service",
        "ZZKG_SERVICE_ALLOWLIST",
        {"serve": "--allow-service"},
        str,
        (),
        "a SERVICE endpoint queries may call; the flag is repeatable, the variable space-separated",
        config="SERVICE_ALLOWLIST",
        to_config=tuple,
        many=True,
        metavar="IRI",
    ),
    Setting(
        "worker_memory_mb",
        "ZZKG_WORKER_MEMORY_MB",
        {"serve": "--worker-memory-mb"},
        int,
        4096,
        "MiB of address space per query worker (a query that needs more kills only its "
        "worker: 502); `0`: no cap",
        config="WORKER_MEMORY_MB",
    ),
    Setting(
        "cache_mb",
        "ZZKG_CACHE_MB",
        {"serve": "--cache-mb"},
        float,
        16.0,
        "MiB of answers kept per web process; `0` turns the cache off",
        config="CACHE_BYTES",
        to_config=mebibytes,
    ),
    Setting(
        "max_answer_mb",
        "ZZKG_MAX_ANSWER_MB",
        {"serve": "--max-answer-mb"},
        float,
        32.0,
        "MiB of the largest answer; longer ones are cut",
        config="MAX_ANSWER_BYTES",
        to_config=mebibytes,
    ),
    Setting(
        "queue_length",
        "ZZKG_QUEUE_LENGTH",
        {"serve": "--queue-length"},
        int,
        8,
        "queries per web process that may wait for a free query worker; more get 503 at once",
        config="QUEUE_LENGTH",
    ),
    Setting(
        "queue_wait",
        "ZZKG_QUEUE_WAIT",
        {"serve": "--queue-wait"},
        float,
        5.0,
        "seconds a query may wait for a free query worker before a 503",
        config="QUEUE_WAIT",
    ),
    Setting(
        "client_queries",
        "ZZKG_CLIENT_QUERIES",
        {"serve": "--client-queries"},
        int,
        2,
        "queries one client address may have running or waiting, per web process; more get 429",
        config="CLIENT_QUERIES",
    ),
    Setting(
        "public_url",
        "ZZKG_PUBLIC_URL",
        {"serve": "--public-url"},
        str,
        None,
        "the URL the site is reached at: the base of absolute links, redirects and the sitemap "
        "(the `Host` header is never used)",
        config="PUBLIC_URL",
        metavar="URL",
        shown_default="`http://HOST:PORT` as served",
    ),
    Setting(
        "sparql_endpoint",
        "ZZKG_SPARQL_ENDPOINT",
        {"serve": "--sparql-endpoint"},
        str,
        None,
        "a remote SPARQL engine's query URL, queried instead of the embedded store",
        config="SPARQL_ENDPOINT",
        metavar="URL",
        shown_default="none: the embedded store",
    ),
    Setting(
        "sparql_credential",
        "ZZKG_SPARQL_CREDENTIAL",
        {"serve": None},
        str,
        None,
        "the remote engine's read-only `user:password` (HTTP Basic), if it needs one; "
        "a secret, so never a flag (every user of the machine sees a command line)",
        config="SPARQL_CREDENTIAL",
    ),
    Setting(
        "dumps",
        "ZZKG_DUMPS",
        {"serve": "--dumps"},
        str,
        None,
        "the build's dumps folder, served by `/download`",
        config="DUMPS_DIR",
        metavar="DIR",
        shown_default="the `dumps/` folder beside the store; none with `--sparql-endpoint`",
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


def for_command(command: str) -> list[Setting]:
    return [setting for setting in SETTINGS if command in setting.flags]


def read(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """One setting's value from the environment, else its default."""
    return BY_NAME[name].from_environment(os.environ if environ is None else environ)


def add_arguments(parser: argparse.ArgumentParser, command: str, environ=None) -> None:
    """The command's flags, each defaulting to its variable, then to the table's default.
    A malformed variable is the parser's error, naming the variable."""
    environ = os.environ if environ is None else environ
    for setting in for_command(command):
        flag = setting.flags[command]
        if flag is None:
            continue
        try:
            default = setting.from_environment(environ)
        except SettingError as error:
            parser.error(str(error))
        parser.add_argument(
            flag,
            *setting.former_flags,
            dest=setting.name,
            type=setting.type,
            default=default,
            action="append" if setting.many else "store",
            metavar=setting.metavar,
            help=f"{setting.help} (default {default_words(setting)}; {setting.variable})",
        )


def app_defaults() -> dict[str, Any]:
    """The app's config: each setting it reads, at its default."""
    return {s.config: s.to_config(s.default) for s in SETTINGS if s.config}


def app_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app's config that ZZKG_* variables set; a malformed value raises SettingError."""
    environ = os.environ if environ is None else environ
    found = {}
    for setting in SETTINGS:
        if setting.config and any(environ.get(name, "").strip() for name in setting.variables):
            found[setting.config] = setting.to_config(setting.from_environment(environ))
    return found


def default_words(setting: Setting) -> str:
    if setting.shown_default:
        return setting.shown_default
    value = setting.default
    if value is None or value == ():
        return "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"`{value}`"


def flag_cell(setting: Setting) -> str:
    by_flag: dict[str, list[str]] = {}
    for command, flag in setting.flags.items():
        if flag:
            by_flag.setdefault(flag, []).append(command)
    if not by_flag:
        return "none: the variable only"
    cells = []
    for flag, commands in by_flag.items():
        cell = f"`{flag} {setting.metavar}`" if setting.metavar else f"`{flag}`"
        cells.append(cell + (f" ({', '.join(commands)})" if len(by_flag) > 1 else ""))
    return ", ".join(cells) + former(setting.former_flags)


def variable_cell(setting: Setting) -> str:
    return f"`{setting.variable}`" + former(setting.former_variables)


def former(names: tuple[str, ...]) -> str:
    return f" (or, as before, {', '.join(f'`{name}`' for name in names)})" if names else ""


TABLES = {"serve": ("serve",), "build": ("build", "publish")}  # README table -> its commands


def in_table(setting: Setting, table: str) -> bool:
    return any(command in setting.flags for command in TABLES[table])


def markdown_table(table: str) -> str:
    """The README's options table for `zzkg serve` ("serve") or build and publish ("build")."""
    lines = ["| flag | variable | default | what |", "| --- | --- | --- | --- |"]
    for setting in SETTINGS:
        if in_table(setting, table):
            help_text = setting.help.replace("|", "\\|")
            cells = (flag_cell(setting), variable_cell(setting), default_words(setting), help_text)
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    for table in argv or TABLES:
        print(markdown_table(table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
