"""The ``zzkg`` command: build, coverage, publish, serve."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.build import BuildError, build
from kg.clauses import clause_coverage, clause_report, unaccounted
from kg.coverage import coverage, report, uncovered
from kg.iris import DEFAULT_BASE
from kg.publish import BATCH, PublishError, Remote, publish
from kg.sources import SourceError, load_sources


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
    p.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("ZZKG_OUT", "build")),
        help="output directory: OUT/store and OUT/dumps (default ./build, env ZZKG_OUT)",
    )
    p.add_argument(
        "--base",
        default=os.environ.get("ZZKG_BASE", DEFAULT_BASE),
        help=f"base IRI of the dataset (default {DEFAULT_BASE}, env ZZKG_BASE)",
    )
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
    p.add_argument(
        "--build",
        type=Path,
        default=Path(os.environ.get("ZZKG_OUT", "build")),
        help="the build directory whose dumps/ are published (default ./build, env ZZKG_OUT)",
    )
    p.add_argument("--batch", type=int, default=BATCH, help=f"triples per request ({BATCH})")
    p.set_defaults(run=run_publish)

    p = commands.add_parser(
        "serve", help="serve the graph (builds it first if the store is missing)"
    )
    try:
        from server.cli import add_serve_arguments, run_serve
    except ImportError:  # the server package is optional while it is being written
        p.set_defaults(run=lambda args: _fail("the server is not installed"))
    else:
        add_serve_arguments(p)
        p.set_defaults(run=run_serve)
    return parser


def run_build(args: argparse.Namespace) -> int:
    try:
        result = build(args.out, base=args.base)
    except BuildError as error:
        return _fail(f"build failed, previous store left as it was:\n{error}")
    print(result.summary())
    return 0


def run_publish(args: argparse.Namespace) -> int:
    remote = Remote(
        query_url=args.to,
        update_url=args.update or args.to,
        graph_store_url=args.graph_store,
        credential=os.environ.get("ZZKG_PUBLISH_CREDENTIAL") or None,
    )
    try:
        publish(args.build, remote, batch=max(1, args.batch))
    except (PublishError, OSError, SyntaxError) as error:
        return _fail(f"publish failed, the published graphs are left as they were:\n{error}")
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    try:
        sources = load_sources()
        numerals = coverage(sources)
        clauses = clause_coverage(sources)
    except (SourceError, ValueError) as error:
        return _fail(str(error))
    print(report(numerals, sources.article.text))
    print(clause_report(clauses))
    return 1 if uncovered(numerals) or unaccounted(clauses) else 0


def _fail(message: str) -> int:
    print(f"zzkg: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
