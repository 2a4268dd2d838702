"""The endpoint's settings: defaults, and the ZZKG_* environment variables that override them."""

import os
from collections.abc import Callable

from kg.graphs import DEFAULT_BASE, GRAPH_NAMES

DEFAULTS = {
    "STORE_DIR": "build/store",
    "BASE": DEFAULT_BASE,
    "QUERY_TIMEOUT": 30.0,
    "MAX_QUERY_TIMEOUT": 120.0,
    "MAX_QUERY_BYTES": 64 * 1024,
    "MAX_NESTING": 128,
    "MAX_ROWS": 100_000,
    "SERVICE_ALLOWLIST": (),
    "QUERY_WORKERS": 3,
    "WORKER_MEMORY_MB": 4096,
    "CACHE_BYTES": 16 * 1024 * 1024,
    "MAX_ANSWER_BYTES": 32 * 1024 * 1024,
    "QUEUE_LENGTH": 8,
    "QUEUE_WAIT": 5.0,
    "CLIENT_QUERIES": 2,
    "PUBLIC_URL": None,
    "SPARQL_ENDPOINT": None,
    "SPARQL_CREDENTIAL": None,
    "DUMPS_DIR": None,
}

# environment variable -> (setting, converter)
ENVIRONMENT: dict[str, tuple[str, Callable[[str], object]]] = {
    "ZZKG_STORE": ("STORE_DIR", str),
    "ZZKG_BASE": ("BASE", str),
    "ZZKG_QUERY_TIMEOUT": ("QUERY_TIMEOUT", float),
    "ZZKG_MAX_QUERY_TIMEOUT": ("MAX_QUERY_TIMEOUT", float),
    "ZZKG_MAX_QUERY_BYTES": ("MAX_QUERY_BYTES", int),
    "ZZKG_MAX_NESTING": ("MAX_NESTING", int),
    "ZZKG_MAX_ROWS": ("MAX_ROWS", int),
    "ZZKG_SERVICE_ALLOWLIST": ("SERVICE_ALLOWLIST", lambda text: tuple(text.split())),
    "ZZKG_QUERY_WORKERS": ("QUERY_WORKERS", int),
    "ZZKG_WORKER_MEMORY_MB": ("WORKER_MEMORY_MB", int),
    "ZZKG_CACHE_MB": ("CACHE_BYTES", lambda text: mebibytes(float(text))),
    "ZZKG_MAX_ANSWER_MB": ("MAX_ANSWER_BYTES", lambda text: mebibytes(float(text))),
    "ZZKG_QUEUE_LENGTH": ("QUEUE_LENGTH", int),
    "ZZKG_QUEUE_WAIT": ("QUEUE_WAIT", float),
    "ZZKG_CLIENT_QUERIES": ("CLIENT_QUERIES", int),
    "ZZKG_PUBLIC_URL": ("PUBLIC_URL", str),
    "ZZKG_SPARQL_ENDPOINT": ("SPARQL_ENDPOINT", str),
    "ZZKG_SPARQL_CREDENTIAL": ("SPARQL_CREDENTIAL", str),
    "ZZKG_DUMPS": ("DUMPS_DIR", str),
}


def mebibytes(count: float) -> int:
    return int(count * 1024 * 1024)


def from_environment(environ=None) -> dict:
    """The settings that ZZKG_* variables set; a malformed number raises ValueError."""
    environ = os.environ if environ is None else environ
    settings = {}
    for variable, (name, convert) in ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            settings[name] = convert(environ[variable].strip())
    return settings


def dataset_graphs(base: str) -> tuple[str, ...]:
    """The graphs a build holds: the default graph is their union on either backend."""
    return tuple(f"{base}graph/{name}" for name in GRAPH_NAMES)


def request_body_limit(max_query_bytes: int) -> int:
    """Largest request body accepted: a form-encoded query may triple in size, plus parameters."""
    return 3 * max_query_bytes + 16 * 1024
