"""``zzkg build``: sources -> checked graph -> dumps + VoID -> a fresh Oxigraph store and its page
index (kg/pageindex.py), swapped in.

Everything is written into a staging directory beside the output; only a build that passed every
check replaces the previous store and dumps, so a failure never leaves half a store behind.
"""

from __future__ import annotations

import errno
import fcntl
import gc
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from kg import pageindex
from kg.checks import check
from kg.clauses import clause_coverage, clause_report, unaccounted
from kg.coverage import coverage, report, uncovered
from kg.dumps import DumpFile, bind_prefixes, write_dumps
from kg.examples import examples_graph
from kg.iris import DEFAULT_BASE, Minter
from kg.mapping import map_records
from kg.sources import SOURCES_DIR, Sources, load_sources
from kg.store import load_store, open_read_only
from kg.validate import (
    ONTOLOGY_DIR,
    ShapeError,
    load_ontology,
    prepared,
    raise_if_any,
    violations,
)
from kg.vocab import ZZ
from kg.void import describe

STORE_DIR = "store"
DUMPS_DIR = "dumps"
VOID_FILE = "void.ttl"
STAGING_PREFIX = ".staging-"
LOCK_FILE = ".build.lock"


class BuildError(ValueError):
    """The sources cannot be built into a graph; the message says which record and why."""


@dataclass
class BuildReport:
    out_dir: Path
    base: str
    triples: int
    quads: int
    entities: int
    observations: int
    claims: int
    numerals: int
    dumps: list[DumpFile] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def store_dir(self) -> Path:
        return self.out_dir / STORE_DIR

    @property
    def dumps_dir(self) -> Path:
        return self.out_dir / DUMPS_DIR

    def summary(self) -> str:
        return (
            f"built {self.quads} quads in the store ({self.triples} in the facts graph; the rest "
            f"are the ontology, the example queries and the VoID description): {self.entities} entities, "
            f"{self.observations} observations, {self.claims} claims; "
            f"{self.numerals} numerals covered; {self.seconds:.1f} s\n"
            f"store: {self.store_dir}\ndumps: {self.dumps_dir}"
        )


def package_version() -> str:
    try:
        return version("zzkg")
    except PackageNotFoundError:
        return "0.0.0"


def build(
    out_dir: Path | str = "build",
    *,
    base: str = DEFAULT_BASE,
    sources_dir: Path = SOURCES_DIR,
    ontology_dir: Path = ONTOLOGY_DIR,
) -> BuildReport:
    """Build the graph from ``sources_dir`` into ``out_dir``/store and ``out_dir``/dumps."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    minter = Minter(base)
    with collector_paused():
        sources, facts, numerals = graph_from_sources(sources_dir, minter)
        dumps, quads = write_build(facts, out_dir, minter, ontology_dir=ontology_dir)
    return BuildReport(
        out_dir=out_dir,
        base=base,
        triples=len(facts),
        quads=quads,
        entities=len(sources.entities),
        observations=sum(1 for r in sources.facts if "claim" not in r.data),
        claims=sum(1 for r in sources.facts if "claim" in r.data),
        numerals=len(numerals),
        dumps=dumps,
        seconds=time.perf_counter() - started,
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the build runs: a build makes hundreds of
    thousands of rdflib terms that live until it ends, and the collector's passes over them
    took a third of a build at 10x the facts. Cycles made meanwhile are collected after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def graph_from_sources(sources_dir: Path, minter: Minter) -> tuple[Sources, Graph, list]:
    """The sources read and checked, their facts graph, and the numerals' coverage."""
    try:
        sources = load_sources(sources_dir)
        facts = map_records(check(sources), minter)
        numerals = coverage(sources)
        check_coverage(numerals, sources.article.text)
        check_clauses(clause_coverage(sources))
    except BuildError:
        raise
    except ValueError as error:  # SourceError, QuoteError: already located
        raise BuildError(str(error)) from None
    return sources, facts, numerals


def write_build(
    facts: Graph, out_dir: Path, minter: Minter, *, ontology_dir: Path = ONTOLOGY_DIR
) -> tuple[list[DumpFile], int]:
    """Validate the facts against the shapes, then write the dumps and the store into a staging
    directory and swap them into ``out_dir``; return the dumps and the store's quad count."""
    try:
        ontology, shapes = load_ontology(ontology_dir)
        examples = examples_graph(minter)
    except ValueError as error:  # a query file of no known form
        raise BuildError(str(error)) from None
    bind_prefixes(facts)
    facts_ntriples = facts.serialize(format="nt")
    shape_input = prepared(facts, ontology, shapes, data_ntriples=facts_ntriples)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    lock = hold_lock(staging)
    # the shapes are checked while the dumps and the store are written into the staging
    # directory; only a graph that conforms is swapped into place
    with ThreadPoolExecutor(max_workers=1) as validator:
        checked = validator.submit(violations, shape_input)
        try:
            graphs = {
                minter.graph("kg"): facts,
                minter.graph("ontology"): ontology,
                minter.graph("examples"): examples,
            }
            dumps = write_dumps(
                graphs,
                minter.graph("kg"),
                staging / DUMPS_DIR,
                base=minter.base,
                facts_ntriples=facts_ntriples,
            )
            article = next(facts.subjects(RDF.type, ZZ.Article))
            assert isinstance(article, URIRef)
            void = describe(
                facts, ontology, examples, dumps, minter, version=package_version(), article=article
            )
            void_path = staging / DUMPS_DIR / VOID_FILE
            void_path.write_text(void.serialize(format="turtle"), encoding="utf-8")
            quads = load_store(
                staging / STORE_DIR,
                staging / DUMPS_DIR / "zzkg.nq",
                (void_path, str(minter.graph("void"))),
            )
            store = open_read_only(staging / STORE_DIR)
            pageindex.write(staging / pageindex.INDEX_FILE, store, base=minter.base)
            del store  # closed before the directory is moved into place
            try:
                raise_if_any(checked.result())
            except ShapeError as error:
                raise BuildError(str(error)) from None
            swap_into_place(staging, out_dir, (STORE_DIR, DUMPS_DIR, pageindex.INDEX_FILE))
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BuildError(
                    f"build failed: disk full at {error.filename or staging}"
                ) from None
            raise
        finally:
            lock.close()
            shutil.rmtree(staging, ignore_errors=True)
    return dumps, quads


def remove_stale_staging(out_dir: Path) -> None:
    """Remove the staging directories of builds that were killed mid-way. A running build holds
    a lock on its directory's lock file; a directory whose lock nobody holds is stale (one
    without a lock file, if older than a minute: it lost its build before the lock was taken)."""
    for stale in out_dir.glob(STAGING_PREFIX + "*"):
        if stale.is_dir() and not in_use(stale):
            shutil.rmtree(stale, ignore_errors=True)


def in_use(staging: Path) -> bool:
    try:
        with open(staging / LOCK_FILE, "rb") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False
    except FileNotFoundError:
        return time.time() - staging.stat().st_mtime < 60


def hold_lock(staging: Path):
    """The open lock file that marks this staging directory as in use until it is closed."""
    lock = open(staging / LOCK_FILE, "wb")  # noqa: SIM115 (held for the whole build)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def check_coverage(numerals: list, text: str) -> None:
    missing = uncovered(numerals)
    if missing:
        lines = [line for line in report(numerals, text).splitlines() if "NOT COVERED" in line]
        raise BuildError(
            f"{len(missing)} numeral(s) covered by no fact or exclusion:\n" + "\n".join(lines)
        )


def check_clauses(clauses: list) -> None:
    missing = unaccounted(clauses)
    if missing:
        raise BuildError(
            f"{len(missing)} clause(s) of the article accounted for by no fact, relation or "
            "exclusion:\n" + clause_report(missing)
        )


def swap_into_place(staging: Path, out_dir: Path, names: tuple[str, ...]) -> None:
    """Move each finished directory over the old one; the old one is removed afterwards."""
    for name in names:
        target = out_dir / name
        if target.exists():
            target.rename(staging / f"old-{name}")
        (staging / name).rename(target)
