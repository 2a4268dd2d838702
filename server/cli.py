"""`zzkg serve`: build the store if it is missing, then serve it with granian.

granian is an event-driven HTTP front (Rust, hyper): it reads every request's headers within a
deadline; server/front.py reads the whole body on the event loop before a Python thread sees it
and writes answers out without holding one, so slow clients cost a connection each, not a
thread. Each web process runs the app in `threads + queue-length + PAGE_THREADS` threads: the
query workers' share (running and waiting queries, both bounded) can never take the threads that
pages, search and /health use.

kg/cli.py calls add_serve_arguments() and run_serve(); `python -m server` does the same alone.
"""

import argparse
import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import cast

from server import pinning
from server.backend import sandbox
from server.config import DEFAULT_BASE, DEFAULTS, mebibytes
from server.front import Front

log = logging.getLogger("zzkg.serve")
# the app's settings, handed from `zzkg serve` to the web processes granian starts
SETTINGS_VARIABLE = "ZZKG_SERVE_SETTINGS"
PAGE_THREADS = 8  # per web process, beyond the query workers' share: pages, search, /health
HEADER_TIMEOUT_MS = 10_000  # a client has this long to send a request's headers
MAX_HEAD_BYTES = 64 * 1024  # request line and headers (a GET query up to about this length)


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
        default=int(env("ZZKG_PROCESSES", 1)),
        help="web server processes (ZZKG_PROCESSES)",
    )
    add(
        "--threads",
        type=int,
        default=int(env("ZZKG_THREADS", 3)),
        help="query workers per web process (ZZKG_THREADS)",
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
        default=float(env("ZZKG_CACHE_MB", 16)),
        help="answer cache per process, in MiB; 0 turns it off (ZZKG_CACHE_MB)",
    )
    add(
        "--max-answer-mb",
        type=float,
        default=float(env("ZZKG_MAX_ANSWER_MB", cast(int, DEFAULTS["MAX_ANSWER_BYTES"]) / 2**20)),
        help="largest answer in MiB; longer ones are cut (ZZKG_MAX_ANSWER_MB)",
    )
    add(
        "--queue-length",
        type=int,
        default=int(env("ZZKG_QUEUE_LENGTH", DEFAULTS["QUEUE_LENGTH"])),
        help="queries that may wait for a worker, per process (ZZKG_QUEUE_LENGTH)",
    )
    add(
        "--queue-wait",
        type=float,
        default=float(env("ZZKG_QUEUE_WAIT", DEFAULTS["QUEUE_WAIT"])),
        help="seconds a query may wait for a worker before a 503 (ZZKG_QUEUE_WAIT)",
    )
    add(
        "--client-queries",
        type=int,
        default=int(env("ZZKG_CLIENT_QUERIES", DEFAULTS["CLIENT_QUERIES"])),
        help="queries one client address may have running or waiting, per process "
        "(ZZKG_CLIENT_QUERIES)",
    )
    add(
        "--public-url",
        metavar="URL",
        default=env("ZZKG_PUBLIC_URL", None),
        help="the URL the site is reached at, for absolute links and redirects "
        "(default: http://HOST:PORT) (ZZKG_PUBLIC_URL)",
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
        "CACHE_BYTES": mebibytes(args.cache_mb),
        "MAX_ANSWER_BYTES": mebibytes(args.max_answer_mb),
        "QUEUE_LENGTH": args.queue_length,
        "QUEUE_WAIT": args.queue_wait,
        "CLIENT_QUERIES": args.client_queries,
        "PUBLIC_URL": args.public_url or f"http://{args.host}:{args.port}",
    }
    if args.sparql_endpoint:
        config["SPARQL_ENDPOINT"] = args.sparql_endpoint
    if args.dumps:
        config["DUMPS_DIR"] = str(Path(args.dumps).resolve())
    return config


def server_options(args: argparse.Namespace) -> dict:
    """granian's settings: HTTP/1.1 only, header deadline, threads as described above."""
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.http import HTTP1Settings

    return {
        "target": "server.cli:served_app",
        "factory": True,
        "interface": Interfaces.ASGINL,
        "address": args.host,
        "port": args.port,
        "workers": args.processes,
        "http": HTTPModes.http1,
        "http1_settings": HTTP1Settings(
            header_read_timeout=HEADER_TIMEOUT_MS, max_buffer_size=MAX_HEAD_BYTES
        ),
        "websockets": False,
        "loop": Loops.asyncio,
        "log_level": "warning",
        "respawn_failed_workers": True,
        "workers_kill_timeout": 5,
    }


def app_threads(query_workers: int, queue_length: int) -> int:
    return query_workers + queue_length + PAGE_THREADS


def served_app():
    """The app of one web process (granian's factory): settings from `zzkg serve`, workers
    started before it takes requests (later if the store cannot be opened yet)."""
    from server import create_app  # in the web processes only: the app is not the front's

    app = create_app(json.loads(os.environ[SETTINGS_VARIABLE]))
    try:
        app.extensions["zzkg.pool"].warm()
    except ConnectionRefusedError as error:
        log.warning("query workers did not start: %s; /health answers 503", error)
    threads = app_threads(app.config["QUERY_WORKERS"], app.config["QUEUE_LENGTH"])
    return Front(app, threads=threads, max_body=app.config["MAX_CONTENT_LENGTH"])


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
    try:
        sandbox.egress_routes(args.allow_service)
    except sandbox.SandboxError as error:
        print(f"zzkg serve: --allow-service: {error}", file=sys.stderr)
        return 1
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"zzkg serve: {problem}", file=sys.stderr)
        return 1
    config = app_config(args)
    if args.sparql_endpoint:
        start_front(args, config)
        return 0
    dumps = Path(args.dumps) if args.dumps else store.parent / "dumps"
    try:
        with pinning.pinned(store, dumps) as (pinned_store, pinned_dumps):
            config["STORE_DIR"] = str(pinned_store)
            config["DUMPS_DIR"] = str(pinned_dumps) if pinned_dumps else None
            start_front(args, config)
    except OSError as error:
        print(f"zzkg serve: cannot serve {store}: {error}", file=sys.stderr)
        return 1
    return 0


def start_front(args: argparse.Namespace, config: dict) -> None:
    """Run granian until it is stopped, every web process with these settings."""
    from granian.server import Server

    os.environ[SETTINGS_VARIABLE] = json.dumps(config)
    log.info("serving %s on http://%s:%d/", args.store, args.host, args.port)
    Server(**server_options(args)).serve()


def port_problem(host: str, port: int) -> str | None:
    """One line saying why the address cannot be served, or None if it is free."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"{host}:{port} is already in use; stop the other server or pass --port"
            return f"cannot listen on {host}:{port}: {error.strerror}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))
