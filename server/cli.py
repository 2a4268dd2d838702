"""The serving half of `zzkg serve`: a built store (or a remote engine) served with granian.

granian is an event-driven HTTP front (Rust, hyper): it reads every request's headers within a
deadline; server/front.py reads the whole body on the event loop before a Python thread sees it
and writes answers out without holding one, so slow clients cost a connection each, not a
thread. Each web process runs the app in `query-workers + queue-length + PAGE_THREADS` threads: the
query workers' share (running and waiting queries, both bounded) can never take the threads that
pages, search and /health use.

The `zzkg` command (zzkg/cli.py) builds a missing store, then calls add_serve_arguments() and
run_serve(); the options are the settings table's (kg/settings.py).
"""

import argparse
import errno
import json
import logging
import os
import socket
import sys
from pathlib import Path

from kg import settings
from kg.settings import PAGE_THREADS
from server import forked, pinning

# This module is the serve process's, which stays running as the web processes' parent: what the
# web processes run (the app, the front, the backend with pyoxigraph) is imported in them, and
# what only starting needs in a forked child (server/forked.py).

log = logging.getLogger("zzkg.serve")
# the app's settings, handed from `zzkg serve` to the web processes granian starts
SETTINGS_VARIABLE = "ZZKG_SERVE_SETTINGS"
HEADER_TIMEOUT_MS = 10_000  # a client has this long to send a request's headers
MAX_HEAD_BYTES = 64 * 1024  # request line and headers (a GET query up to about this length)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The serve options, from the settings table (kg/settings.py)."""
    settings.add_arguments(parser, "serve")


def app_config(args: argparse.Namespace) -> dict:
    """The app's config from the parsed options: every setting the app reads, as it keeps it."""
    config = {
        setting.config: setting.to_config(getattr(args, setting.name))
        for setting in settings.for_command("serve")
        if setting.config and setting.flags["serve"]
    }
    config["STORE_DIR"] = str(Path(args.store).resolve())
    config["MAX_QUERY_TIMEOUT"] = max(args.max_timeout, args.timeout)
    config["PUBLIC_URL"] = args.public_url or f"http://{args.host}:{args.port}"
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
        "interface": Interfaces.RSGI,
        "address": args.host,
        "port": args.port,
        "workers": args.processes,
        "http": HTTPModes.http1,
        "http1_settings": HTTP1Settings(
            header_read_timeout=HEADER_TIMEOUT_MS, max_buffer_size=MAX_HEAD_BYTES
        ),
        "websockets": False,
        "loop": Loops.uvloop,
        "log_level": "warning",
        "respawn_failed_workers": True,
        "workers_kill_timeout": 5,
    }


def app_threads(query_workers: int, queue_length: int) -> int:
    return query_workers + queue_length + PAGE_THREADS


def served_app():
    """The app of one web process (granian's factory): settings from `zzkg serve`, workers
    started before it takes requests (later if the store cannot be opened yet)."""
    from server import create_app, malloc, views
    from server.front import Front

    malloc.fix_thresholds()
    app = create_app(json.loads(os.environ[SETTINGS_VARIABLE]))
    try:
        app.extensions["zzkg.pool"].warm()
    except ConnectionRefusedError as error:
        log.warning("query workers did not start: %s; /health answers 503", error)
    views.warm_up(app)
    threads = app_threads(app.config["QUERY_WORKERS"], app.config["QUEUE_LENGTH"])
    return Front(app, threads=threads, max_body=app.config["MAX_CONTENT_LENGTH"])


def run_serve(args: argparse.Namespace) -> int:
    """Serve the store (`zzkg serve` has built it if it was missing) until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    store = Path(args.store)
    problem = forked.call(allowlist_problem, args.allow_service) if args.allow_service else None
    if problem:
        print(f"zzkg serve: --allow-service: {problem}", file=sys.stderr)
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


def allowlist_problem(allowlist: list[str]) -> str | None:
    """Why the query workers could not relay SERVICE to the allow-list, or None (in a child:
    the sandbox's package brings pyoxigraph)."""
    from server.backend import sandbox

    try:
        sandbox.egress_routes(allowlist)
    except sandbox.SandboxError as error:
        return str(error)
    return None


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
