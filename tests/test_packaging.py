"""A wheel of the project carries what it needs: `pip install .` (not -e) builds and serves.

The wheel is installed without its dependencies into a fresh virtual environment whose path
also reaches this environment's site-packages for them, so the test needs no registry; the
build and the server run from a folder outside the checkout, so nothing can come from the tree.
"""

import os
import subprocess
import sys
import sysconfig
import time
import venv

import pytest
import requests
from sparql_support import free_port

from kg.resources import ONTOLOGY_DIR, QUERIES_DIR

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_data_folders_are_the_top_level_ones():
    assert ONTOLOGY_DIR.resolve() == (ONTOLOGY_DIR.parents[1] / "ontology").resolve()
    assert (ONTOLOGY_DIR / "zzkg.ttl").is_file() and any(QUERIES_DIR.glob("*.rq"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh environment with only the project's wheel installed in it."""
    where = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where / "dist"), ROOT],
        check=False, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (where / "dist").glob("zzkg-*.whl")
    env_dir = where / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with open(os.path.join(target, "dependencies.pth"), "w") as pth:
        pth.write(sysconfig.get_paths()["purelib"] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, str(wheel)],
        check=False, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return python, where


def run_outside(python, where, *args, **kwargs):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.Popen([str(python), "-m", "zzkg", *args], cwd=where, env=env, **kwargs)


PROBE = (
    "import kg.resources as r, kg; print(kg.__file__); "
    "print(sorted(p.name for p in r.ONTOLOGY_DIR.iterdir())); "
    "print(len(list(r.QUERIES_DIR.glob('*.rq'))))"
)


def test_the_wheel_holds_the_ontology_queries_and_sources(installed):
    python, _ = installed
    found = subprocess.run(
        [str(python), "-c", PROBE],
        capture_output=True, text=True, check=True, cwd="/",
    ).stdout.splitlines()  # fmt: skip
    assert not found[0].startswith(ROOT)
    assert "zzkg.ttl" in found[1] and "shapes.ttl" in found[1]
    assert int(found[2]) == len(list(QUERIES_DIR.glob("*.rq")))


def test_the_installed_wheel_builds_and_serves(installed):
    python, where = installed
    build = run_outside(python, where, "build", "--out", str(where / "out"))
    assert build.wait(timeout=300) == 0
    port = free_port()
    server = run_outside(
        python, where, "serve", "--store", str(where / "out" / "store"), "--port", str(port),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if requests.get(base + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        assert requests.get(base + "/ontology.ttl", timeout=10).status_code == 200
        queries = requests.get(base + "/api/queries", timeout=10).json()
        assert len(queries) == len(list(QUERIES_DIR.glob("*.rq")))
        answer = requests.get(
            base + "/sparql",
            params={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(timeout=30)
