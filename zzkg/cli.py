"""The ``zzkg`` command: build, coverage, publish, serve. Its settings (flags and ZZKG_*
variables) come from kg/settings.py."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kg import settings
from server import cli as server_cli
from server import forked

# Each command imports what it runs (the build and coverage: rdflib, the SHACL validator;
# publish: requests) when it runs: `zzkg serve` stays running as the web processes' parent, and
# would hold them all along (server/forked.py).

log = logging.getLogger("zzkg.serve")


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zzkg", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    p = commands.add_parser("build", help="build the graph into an Oxigraph store and dumps")
    settings.add_arguments(p, "build")
    p.set_defaults(run=run_build)

    p = commands.add_parser(
        "coverage", help="list every numeral and clause of the article and what accounts for it"
    )
    p.set_defaults(run=run_coverage)

    p = commands.add_parser("publish", help="load a build into a remote SPARQL engine")
    p.add_argument("--to", required=True, metavar="URL", help="the engine's SPARQL query endpoint")
    p.add_argument(
        "--update", metavar="URL", help="its SPARQL Update endpoint (default: the --to URL)"
    )
    p.add_argument(
        "--graph-store",
        metavar="URL",
        help="its Graph Store Protocol endpoint; without it, SPARQL Update in batches",
    )
    settings.add_arguments(p, "publish")
    p.add_argument("--batch", type=int, help="triples per request (default: kg/publish.py's BATCH)")
    p.set_defaults(run=run_publish)

    p = commands.add_parser(
        "serve", help="serve the graph (builds it first if the store is missing)"
    )
    server_cli.add_serve_arguments(p)
    p.set_defaults(run=run_serve)
    return parser


def run_build(args: argparse.Namespace) -> int:
    from kg.build import BuildError, build

    try:
        result = build(Path(args.out), base=args.base)
    except BuildError as error:
        return _fail(f"build failed, previous store left as it was:\n{error}")
    print(result.summary())
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from kg.publish import BATCH, PublishError, Remote, publish

    remote = Remote(
        query_url=args.to,
        update_url=args.update or args.to,
        graph_store_url=args.graph_store,
        credential=settings.read("publish_credential"),
    )
    try:
        publish(Path(args.out), remote, batch=max(1, BATCH if args.batch is None else args.batch))
    except (PublishError, OSError, SyntaxError) as error:
        return _fail(f"publish failed, the published graphs are left as they were:\n{error}")
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    from kg.clauses import clause_coverage, clause_report, unaccounted
    from kg.coverage import coverage, report, uncovered
    from kg.sources import SourceError, load_sources

    try:
        sources = load_sources()
        numerals = coverage(sources)
        clauses = clause_coverage(sources)
    except (SourceError, ValueError) as error:
        return _fail(str(error))
    print(report(numerals, sources.article.text))
    print(clause_report(clauses))
    return 1 if uncovered(numerals) or unaccounted(clauses) else 0


def run_serve(args: argparse.Namespace) -> int:
    if not args.sparql_endpoint:
        try:
            ensure_store(Path(args.store), base=args.base)
        except (OSError, ValueError) as error:
            print(f"zzkg serve: {error}", file=sys.stderr)
            return 1
    return server_cli.run_serve(args)


def ensure_store(store: Path, *, base: str) -> None:
    """Build the graph into the store's parent directory if the store is missing.

    The build runs in a forked child, so the serving process (and the web processes forked from
    it) never holds rdflib, the SHACL engine or the graph the build made: about 200 MB."""
    if store.exists():
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    log.info("no store at %s: building it", store)
    store_dir = forked.call(build_store, store.parent, base)
    if Path(store_dir).resolve() != store.resolve():
        raise FileNotFoundError(f"the build wrote its store to {store_dir}, not {store}")


def build_store(out_dir: Path, base: str) -> str:
    """`zzkg build` into out_dir (in the child ensure_store forks); the store's directory."""
    from kg.build import build

    return str(build(out_dir, base=base).store_dir)


def _fail(message: str) -> int:
    print(f"zzkg: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
