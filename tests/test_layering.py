"""The layers, read from the import graph (ast, every import statement, in functions too): kg
imports nothing from server or zzkg; server imports nothing from zzkg and only kg's public
modules (kg.PUBLIC_MODULES); only zzkg, the command, depends on both."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
ABOVE = {"kg": ("server", "zzkg"), "server": ("zzkg",)}  # the layers a package may not import


def imported(source: str) -> set[str]:
    """The absolute module names a module's source imports (`from kg import x` counts kg.x)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def package_of(name: str) -> str:
    return name.split(".")[0]


def breaches(package: str, source: str) -> list[str]:
    """The imports of a module of `package` that cross its layer."""
    return [name for name in sorted(imported(source)) if not allowed(package, name)]


def allowed(package: str, name: str) -> bool:
    top = package_of(name)
    if top in ABOVE[package]:
        return False
    return public(name) if (package, top) == ("server", "kg") else True


def public(name: str) -> bool:
    """kg itself, kg.x or a name inside it (kg.x.y), where kg.x is public."""
    return name == "kg" or any(name == m or name.startswith(m + ".") for m in kg.PUBLIC_MODULES)


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["kg", "server"])
def test_no_module_crosses_its_layer(package):
    crossing = {
        str(path.relative_to(ROOT)): breaches(package, path.read_text(encoding="utf-8"))
        for path in modules(package)
    }
    assert {path: names for path, names in crossing.items() if names} == {}


def test_the_public_modules_exist():
    for name in kg.PUBLIC_MODULES:
        assert (ROOT / (name.replace(".", "/") + ".py")).is_file(), name


def test_the_command_is_what_joins_them():
    source = (ROOT / "zzkg" / "cli.py").read_text(encoding="utf-8")
    assert {"kg", "server"} <= {package_of(name) for name in imported(source)}


@pytest.mark.parametrize(
    "package, source, crossing",
    [
        ("kg", "from server.cli import run_serve", ["server.cli", "server.cli.run_serve"]),
        ("kg", "def f():\n    import zzkg.cli\n", ["zzkg.cli"]),
        ("server", "from kg.build import build", ["kg.build", "kg.build.build"]),
        ("server", "from kg import mapping, vocab", ["kg.mapping"]),
        ("server", "from kg.vocab import ZZ\nimport kg.settings", []),
        ("server", "from zzkg import cli", ["zzkg", "zzkg.cli"]),
    ],
)
def test_a_crossing_import_is_caught(package, source, crossing):
    assert breaches(package, source) == crossing


# Within the server: the query path (backend, endpoint) knows nothing of the pages built on it.
BELOW_THE_PAGES = ("server/backend", "server/sparql")
THE_PAGES = ("server.views", "server.reconcile")


@pytest.mark.parametrize("folder", BELOW_THE_PAGES)
def test_the_query_path_imports_no_page(folder):
    found = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported(path.read_text(encoding="utf-8"))
            if any(name == page or name.startswith(page + ".") for page in THE_PAGES)
        )
        for path in sorted((ROOT / folder).rglob("*.py"))
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_the_query_worker_loads_neither_flask_nor_rdflib():
    """The worker runs in every sandboxed process: what it imports is memory paid per worker."""
    script = (
        "import sys, server.backend.worker; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'werkzeug', 'rdflib'}))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip() == "[]"
