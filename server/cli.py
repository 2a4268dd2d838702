"""`zzkg serve`: build the store if it is missing, then serve it with gunicorn (gthread workers).

kg/cli.py calls add_serve_arguments() and run_serve(); `python -m server` does the same alone.
"""

import argparse
import logging
import os
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from server import create_app
from server.config import DEFAULT_BASE, DEFAULTS

log = logging.getLogger("zzkg.serve")


def env(name: str, default):
    return os.environ.get(name, "").strip() or default


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The serve options; each defaults to its ZZKG_* environment variable, then to a constant."""
    add = parser.add_argument
    add("--host", default=env("ZZKG_HOST", "127.0.0.1"), help="address to bind (ZZKG_HOST)")
    add("--port", type=int, default=int(env("ZZKG_PORT", 8000)), help="port (ZZKG_PORT)")
    add(
        "--store",
        default=env("ZZKG_STORE", DEFAULTS["STORE_DIR"]),
        help="store directory, built if missing (ZZKG_STORE)",
    )
    add("--base", default=env("ZZKG_BASE", DEFAULT_BASE), help="IRI base of the graph (ZZKG_BASE)")
    add(
        "--processes",
        type=int,
        default=int(env("ZZKG_PROCESSES", 2)),
        help="web server processes (ZZKG_PROCESSES)",
    )
    add(
        "--threads",
        type=int,
        default=int(env("ZZKG_THREADS", 4)),
        help="threads per process, each with a query worker (ZZKG_THREADS)",
    )
    add(
        "--timeout",
        type=float,
        default=float(env("ZZKG_QUERY_TIMEOUT", 30)),
        help="default query deadline in seconds (ZZKG_QUERY_TIMEOUT)",
    )
    add(
        "--max-timeout",
        type=float,
        default=float(env("ZZKG_MAX_QUERY_TIMEOUT", 120)),
        help="largest deadline a request may ask for (ZZKG_MAX_QUERY_TIMEOUT)",
    )
    add(
        "--max-rows",
        type=int,
        default=int(env("ZZKG_MAX_ROWS", DEFAULTS["MAX_ROWS"])),
        help="rows or triples per answer before it is truncated (ZZKG_MAX_ROWS)",
    )
    add(
        "--max-query-bytes",
        type=int,
        default=int(env("ZZKG_MAX_QUERY_BYTES", DEFAULTS["MAX_QUERY_BYTES"])),
        help="longest query accepted (ZZKG_MAX_QUERY_BYTES)",
    )
    add(
        "--max-nesting",
        type=int,
        default=int(env("ZZKG_MAX_NESTING", DEFAULTS["MAX_NESTING"])),
        help="deepest bracket nesting accepted (ZZKG_MAX_NESTING)",
    )
    add(
        "--allow-service",
        action="append",
        metavar="IRI",
        default=env("ZZKG_SERVICE_ALLOWLIST", "").split(),
        help="a SERVICE endpoint queries may call; repeatable (ZZKG_SERVICE_ALLOWLIST)",
    )
    add(
        "--worker-memory-mb",
        type=int,
        default=int(env("ZZKG_WORKER_MEMORY_MB", DEFAULTS["WORKER_MEMORY_MB"])),
        help="address space of each query worker in MiB; 0: no cap (ZZKG_WORKER_MEMORY_MB)",
    )
    add(
        "--sparql-endpoint",
        metavar="URL",
        default=env("ZZKG_SPARQL_ENDPOINT", None),
        help="query a remote SPARQL engine instead of the embedded store; its read-only "
        "user:password, if any, in ZZKG_SPARQL_CREDENTIAL (ZZKG_SPARQL_ENDPOINT)",
    )
    add(
        "--dumps",
        metavar="DIR",
        default=env("ZZKG_DUMPS", None),
        help="the build's dumps folder served by /download (default: beside the store; "
        "none with --sparql-endpoint) (ZZKG_DUMPS)",
    )
    add(
        "--cache-mb",
        type=float,
        default=float(env("ZZKG_CACHE_MB", 64)),
        help="answer cache per process, in MiB; 0 turns it off (ZZKG_CACHE_MB)",
    )


def app_config(args: argparse.Namespace) -> dict:
    config = {
        "STORE_DIR": str(Path(args.store).resolve()),
        "BASE": args.base,
        "QUERY_TIMEOUT": args.timeout,
        "MAX_QUERY_TIMEOUT": max(args.max_timeout, args.timeout),
        "MAX_ROWS": args.max_rows,
        "MAX_QUERY_BYTES": args.max_query_bytes,
        "MAX_NESTING": args.max_nesting,
        "SERVICE_ALLOWLIST": tuple(args.allow_service),
        "QUERY_WORKERS": args.threads,
        "WORKER_MEMORY_MB": args.worker_memory_mb,
        "CACHE_BYTES": int(args.cache_mb * 1024 * 1024),
    }
    if args.sparql_endpoint:
        config["SPARQL_ENDPOINT"] = args.sparql_endpoint
    if args.dumps:
        config["DUMPS_DIR"] = str(Path(args.dumps).resolve())
    return config


def server_options(args: argparse.Namespace) -> dict:
    return {
        "bind": f"{args.host}:{args.port}",
        "workers": args.processes,
        "threads": args.threads,
        "worker_class": "gthread",
        "timeout": int(max(args.max_timeout, args.timeout)) + 30,
        "graceful_timeout": 5,
        "keepalive": 5,
        "limit_request_line": 8190,
        "errorlog": "-",
        "loglevel": "info",
        "control_socket_disable": True,
        "post_worker_init": warm_workers,
    }


def warm_workers(worker) -> None:
    """Start a web process's query workers before it takes requests (later if the store fails)."""
    try:
        worker.wsgi.extensions["zzkg.pool"].warm()
    except ConnectionRefusedError:
        log.warning("query workers cannot open the store yet; /health answers 503")


class Server(BaseApplication):
    """gunicorn running create_app() in each of its processes."""

    def __init__(self, config: dict, options: dict):
        self.app_settings = config
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return create_app(self.app_settings)


def ensure_store(store: Path, *, base: str) -> None:
    """Build the graph into the store's parent directory if the store is missing."""
    if store.exists():
        return
    from kg.build import build

    log.info("no store at %s: building it", store)
    report = build(store.parent, base=base)
    if Path(report.store_dir).resolve() != store.resolve():
        raise FileNotFoundError(f"the build wrote its store to {report.store_dir}, not {store}")


def run_serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    store = Path(args.store)
    try:
        if not args.sparql_endpoint:
            ensure_store(store, base=args.base)
    except (OSError, ValueError) as error:
        print(f"zzkg serve: {error}", file=sys.stderr)
        return 1
    Server(app_config(args), server_options(args)).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))
