"""`zzkg serve`'s options (flags, then ZZKG_* variables, then defaults) and its store check."""

import argparse
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from sparql_support import ROOT, LiveServer

import kg.build
from server import cli, create_app
from zzkg import cli as zzkg_cli


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_serve_arguments(parser)
    return parser.parse_args(argv)


def test_defaults(monkeypatch):
    for variable in ("ZZKG_HOST", "ZZKG_PORT", "ZZKG_STORE", "ZZKG_SERVICE_ALLOWLIST"):
        monkeypatch.delenv(variable, raising=False)
    args = parse()
    assert (args.host, args.port, args.store) == ("127.0.0.1", 8000, "build/store")
    assert args.timeout == 30 and args.allow_service == []
    options = cli.server_options(args)
    assert (options["address"], options["port"], options["workers"]) == ("127.0.0.1", 8000, 1)
    assert options["http1_settings"].header_read_timeout == cli.HEADER_TIMEOUT_MS


def test_environment_then_flags(monkeypatch):
    monkeypatch.setenv("ZZKG_PORT", "9001")
    monkeypatch.setenv("ZZKG_MAX_ROWS", "5")
    monkeypatch.setenv(
        "ZZKG_SERVICE_ALLOWLIST", "https://a.example/sparql https://b.example/sparql"
    )
    args = parse("--max-rows", "7", "--allow-service", "https://c.example/sparql")
    assert args.port == 9001 and args.max_rows == 7
    config = cli.app_config(args)
    assert config["SERVICE_ALLOWLIST"] == (
        "https://a.example/sparql",
        "https://b.example/sparql",
        "https://c.example/sparql",
    )


def test_app_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ZZKG_QUERY_TIMEOUT", "3.5")
    monkeypatch.setenv("ZZKG_SERVICE_ALLOWLIST", "https://a.example/sparql")
    app = create_app({"STORE_DIR": str(tmp_path)})
    assert app.config["QUERY_TIMEOUT"] == 3.5
    assert app.config["SERVICE_ALLOWLIST"] == ("https://a.example/sparql",)


def test_missing_store_is_built(monkeypatch, tmp_path):
    calls = tmp_path / "calls"  # the build runs in a forked child: it reports through a file

    def fake_build(out_dir, *, base):
        with calls.open("a") as record:
            record.write(f"{out_dir} {base} {os.getpid()}\n")
        (Path(out_dir) / "store").mkdir(parents=True)
        return SimpleNamespace(store_dir=Path(out_dir) / "store")

    monkeypatch.setattr(kg.build, "build", fake_build)  # imported by ensure_store's child
    store = tmp_path / "out" / "store"
    zzkg_cli.ensure_store(store, base="https://zzkg.example.org/")
    out_dir, base, pid = calls.read_text().split()
    assert (Path(out_dir), base) == (tmp_path / "out", "https://zzkg.example.org/")
    assert int(pid) != os.getpid()  # not in the serving process
    zzkg_cli.ensure_store(store, base="https://zzkg.example.org/")
    assert len(calls.read_text().splitlines()) == 1


def test_failed_build_exits_nonzero(monkeypatch, tmp_path, capsys):
    def failing_build(out_dir, *, base):
        raise ValueError("record x: quote not in the article")

    monkeypatch.setattr(kg.build, "build", failing_build)
    assert zzkg_cli.run_serve(parse("--store", str(tmp_path / "out" / "store"))) == 1
    assert "quote not in the article" in capsys.readouterr().err


def test_zzkg_serve_uses_these_options():
    args = zzkg_cli.make_parser().parse_args(["serve", "--port", "8123", "--store", "x/store"])
    assert args.run is zzkg_cli.run_serve
    assert args.port == 8123


@pytest.mark.parametrize("value", ["soon", ""])
def test_bad_environment_number_is_refused(monkeypatch, value):
    from server.config import from_environment

    if value:
        with pytest.raises(ValueError):
            from_environment({"ZZKG_MAX_ROWS": value})
    else:
        assert from_environment({"ZZKG_MAX_ROWS": value}) == {}


def test_zzkg_serve_builds_a_missing_store_then_serves_it(tmp_path):
    store = tmp_path / "build" / "store"
    server = LiveServer.start(store)
    try:
        assert store.is_dir()
        answer = requests.get(server.endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert answer.json()["boolean"] is True
    finally:
        server.stop()


def mapped_libraries(pid: int) -> set[str]:
    """The file names of the shared libraries a process has mapped."""
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {Path(line.split()[-1]).name for line in lines if ".so" in line}


def descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children] + [
        grandchild for child in children for grandchild in descendants(int(child))
    ]


def test_the_serve_process_holds_neither_the_store_nor_the_app(sparql_store):
    """`zzkg serve` stays running as its web process's parent (forked from it) for as long as the
    server runs: the store's checkpoint is taken in a child, and the app is imported by the web
    process, so what they need is not held twice."""
    script = (
        "import sys, zzkg.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'flask', 'werkzeug', 'rdflib', 'pyoxigraph', 'requests', 'pyshacl'}))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert imported.stdout.strip() == "[]"
    server = LiveServer.start(sparql_store, "--cache-mb", "0")
    try:
        library = next(name for name in mapped_libraries(server.process.pid) if "granian" in name)
        assert library  # the serve process runs granian, and maps libraries we can see
        below = [mapped_libraries(pid) for pid in descendants(server.process.pid)]
        assert any(any("pyoxigraph" in name for name in names) for names in below)
        assert not any("pyoxigraph" in name for name in mapped_libraries(server.process.pid))
        answer = requests.get(server.endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert answer.json()["boolean"] is True
    finally:
        server.stop()
