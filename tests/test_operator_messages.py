"""What an operator sees: Ctrl-C stops `zzkg serve` quietly, a busy port and a missing build are
one clear line each, a full disk says so, and staging left by a killed build is cleaned."""

import errno
import fcntl
import os
import signal
import socket
import subprocess
import time

import pytest
import requests
from sparql_support import ROOT, ZZKG, free_port

from kg import build as build_module
from kg.build import BuildError, build


def serve(store, port: int) -> subprocess.Popen:
    command = [*ZZKG, "serve", "--store", str(store), "--port", str(port), "--processes", "2"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )


def test_ctrl_c_stops_the_server_quietly(sparql_store):
    port = free_port()
    process = serve(sparql_store, port)
    try:
        for _ in range(300):
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        time.sleep(1)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    assert "SIGKILL" not in errors and "refused to gracefully stop" not in errors, errors


def test_a_busy_port_is_one_clear_line(sparql_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = serve(sparql_store, port)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 1
    lines = [line for line in errors.splitlines() if line.strip()]
    assert lines == [
        f"zzkg serve: 127.0.0.1:{port} is already in use; stop the other server or pass --port"
    ]


def test_publish_without_a_build_is_one_clear_line(tmp_path):
    done = subprocess.run(
        [*ZZKG, "publish", "--to", "http://127.0.0.1:9/query", "--build", str(tmp_path)],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no build in" in done.stderr and "zzkg build" in done.stderr
    assert "os error" not in done.stderr


def test_a_killed_builds_staging_is_cleaned_and_a_running_ones_kept(tmp_path):
    stale = tmp_path / ".staging-killed"
    (stale / "store").mkdir(parents=True)
    (stale / build_module.LOCK_FILE).touch()
    running = tmp_path / ".staging-running"
    running.mkdir()
    with open(running / build_module.LOCK_FILE, "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        build(tmp_path)
        assert not stale.exists()
        assert running.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".staging-running",
        "dumps",
        "index.sqlite",
        "store",
    ]


def test_a_full_disk_is_named(tmp_path, monkeypatch):
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "dumps/zzkg.nq"))

    monkeypatch.setattr(build_module, "write_dumps", no_space)
    with pytest.raises(BuildError, match=r"build failed: disk full at .*zzkg\.nq"):
        build(tmp_path)
    assert [path.name for path in tmp_path.iterdir()] == []


def test_an_allow_listed_iri_the_relay_cannot_serve_is_one_clear_line(sparql_store):
    command = [*ZZKG, "serve", "--store", str(sparql_store), "--port", str(free_port())]
    done = subprocess.run(
        [*command, "--allow-service", "ftp://files.example/sparql"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    expected = (
        "zzkg serve: --allow-service: cannot relay SERVICE <ftp://files.example/sparql>: "
        "only http(s) IRIs with a host"
    )
    assert done.stderr.strip().splitlines() == [expected]
