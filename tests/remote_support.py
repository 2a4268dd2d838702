"""Real SPARQL engines on free loopback ports for the remote backend's tests, each started once
per session and the build published to it by `zzkg publish`: `oxigraph serve` (the pip package
`oxigraph`), and Debian's Virtuoso where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sparql_support import ROOT, ZZKG, free_port

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
# exec the command with PR_SET_PDEATHSIG set (it survives exec): Linux ends the server when the
# test session's process dies, even if the session is killed before its fixtures finish
DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys; ctypes.CDLL(None).prctl(1, signal.SIGTERM); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


@dataclass
class OxigraphServer:
    """`oxigraph serve` as a child process: its query, update and graph store URLs."""

    process: subprocess.Popen
    url: str

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    @property
    def store_url(self) -> str:
        return self.url + "/store"

    @classmethod
    def start(cls, location: Path) -> OxigraphServer:
        port = free_port()
        command = [sys.executable, "-c", DIE_WITH_PARENT, OXIGRAPH, "serve"]
        command += ["--location", str(location), "--bind", f"127.0.0.1:{port}"]
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        server = cls(process, f"http://127.0.0.1:{port}")
        server.wait_until_ready()
        return server

    def wait_until_ready(self, attempts: int = 200) -> None:
        for _ in range(attempts):
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}")
            try:
                requests.get(self.query_url, params={"query": "ASK {}"}, timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start")

    def publish(self, build_dir: Path, *options: str) -> subprocess.CompletedProcess:
        """Run the real `zzkg publish` against this server."""
        command = [*ZZKG, "publish", "--to", self.query_url, "--update", self.update_url]
        command += ["--build", str(build_dir), *options]
        return subprocess.run(
            command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


VIRTUOSO_INI_DIR = Path("/etc/virtuoso-opensource-7")
VIRTUOSO = shutil.which("virtuoso-t") if VIRTUOSO_INI_DIR.is_dir() else None
ISQL = shutil.which("isql-vt") or shutil.which("isql")
# Debian's own configuration, with the database in the test's directory and loopback ports
VIRTUOSO_INI = VIRTUOSO_INI_DIR / "virtuoso.ini"
VIRTUOSO_DB = "/var/lib/virtuoso-opensource-7/db"


def virtuoso_ini(location: Path, sql_port: int, http_port: int) -> str:
    text = VIRTUOSO_INI.read_text(encoding="utf-8").replace(VIRTUOSO_DB, str(location))
    text = re.sub(r"(?m)^ServerPort\s*=\s*1111\b", f"ServerPort = 127.0.0.1:{sql_port}", text)
    text = re.sub(r"(?m)^ServerPort\s*=\s*8890\b", f"ServerPort = 127.0.0.1:{http_port}", text)
    return text


@dataclass
class VirtuosoServer:
    """Debian's `virtuoso-opensource` (`virtuoso-t`) as a child process, its /sparql endpoint
    open to SPARQL Update for the session (granted through `isql`)."""

    process: subprocess.Popen
    url: str
    sql_port: int

    @property
    def query_url(self) -> str:
        return self.url + "/sparql"

    @classmethod
    def start(cls, location: Path) -> VirtuosoServer:
        sql_port, http_port = free_port(), free_port()
        ini = location / "virtuoso.ini"
        ini.write_text(virtuoso_ini(location, sql_port, http_port), encoding="utf-8")
        command = [sys.executable, "-c", DIE_WITH_PARENT, str(VIRTUOSO), "+foreground"]
        command += ["+configfile", str(ini)]
        process = subprocess.Popen(
            command, cwd=location, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        server = cls(process, f"http://127.0.0.1:{http_port}", sql_port)
        server.wait_until_ready()
        grant = 'GRANT SPARQL_UPDATE TO "SPARQL";'
        subprocess.run(
            [str(ISQL), f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return server

    def wait_until_ready(self, attempts: int = 600) -> None:
        for _ in range(attempts):
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}")
            try:
                answer = requests.get(self.query_url, params={"query": "ASK {}"}, timeout=5)
                if answer.status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("virtuoso-t did not start")

    def publish(self, build_dir: Path, *options: str) -> subprocess.CompletedProcess:
        """`zzkg publish` by SPARQL Update to /sparql (Virtuoso's graph store needs digest auth)."""
        command = [*ZZKG, "publish", "--to", self.query_url, "--build", str(build_dir), *options]
        return subprocess.run(
            command, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300
        )

    def stop(self) -> None:
        stop(self.process)
