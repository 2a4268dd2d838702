"""observations.csv, its CSV on the Web metadata and its Data Package: written by `zzkg build`
from the graph, listed with size and SHA-256 in the VoID/DCAT description, served by
/download/, valid for a CSVW library and `frictionless validate`, and round-tripping: the
CSVW-to-RDF conversion of the table gives back the graph's observations."""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from csvw import CSVW
from csvw.jsonld import format_value
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg import tables
from server import create_app

ZZ = "https://zzkg.example.org/ontology#"
SPDX = "http://spdx.org/rdf/terms#"
DCAT = "http://www.w3.org/ns/dcat#"
TABLE_FILES = (tables.CSV_NAME, tables.CSVW_NAME, tables.DATAPACKAGE_NAME)
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture(scope="module")
def facts(built) -> Graph:
    graph = Graph()
    graph.parse(built.dumps_dir / "zzkg.nt", format="nt")
    return graph


@pytest.fixture(scope="module")
def table(built) -> list[dict[str, str]]:
    raw = (built.dumps_dir / tables.CSV_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_one_row_per_observation_with_the_columns(facts, table):
    observations = set(facts.subjects(RDF.type, URIRef(ZZ + "Observation")))
    assert {URIRef(row["observation"]) for row in table} == observations
    assert len(table) == len(observations)
    assert list(table[0]) == list(tables.NAMES)


def test_cells_say_what_the_graph_says(facts, table):
    for row in table:
        obs = URIRef(row["observation"])
        assert facts.value(obs, URIRef(ZZ + "about")) == URIRef(row["entity"])
        value = facts.value(obs, URIRef(ZZ + "value"))
        assert (decimal.Decimal(row["value"]) if row["value"] else None) == (
            value.toPython() if value is not None else None
        )
        quote = facts.value(obs, URIRef(ZZ + "hasQuote"))
        assert URIRef(row["quote"]) == quote
        assert row["quote_text"] == str(facts.value(quote, RDF.value))
        basis = facts.value(obs, URIRef(ZZ + "periodBasis"))
        assert row["period_basis"] == (str(basis).removeprefix(ZZ) if basis else "")
        labels = {
            label.language: str(label) for label in facts.objects(obs_entity(row), RDFS.label)
        }
        assert (row["entity_label_zh"], row["entity_label_en"]) == (labels["zh"], labels["en"])


def obs_entity(row: dict) -> URIRef:
    return URIRef(row["entity"])


def test_chinese_is_intact(table):
    railway = [
        row for row in table if row["entity"].endswith("/china-europe-railway-express-zhengzhou")
    ]
    assert railway and all(row["entity_label_zh"] == "中欧班列" for row in railway)


def test_listed_in_the_void_description_with_size_and_checksum(built):
    void = Graph().parse(built.dumps_dir / "void.ttl", format="turtle")
    for name in TABLE_FILES:
        data = (built.dumps_dir / name).read_bytes()
        dump = URIRef(f"https://zzkg.example.org/download/{name}")
        assert (
            URIRef("https://zzkg.example.org/dataset"),
            URIRef(DCAT + "distribution"),
            dump,
        ) in void
        assert int(void.value(dump, URIRef(DCAT + "byteSize"))) == len(data)
        checksum = void.value(dump, URIRef(SPDX + "checksum"))
        assert str(void.value(checksum, URIRef(SPDX + "checksumValue"))) == (
            hashlib.sha256(data).hexdigest()
        )


def test_served_by_download(built):
    app = create_app({"STORE_DIR": str(built.store_dir), "QUERY_WORKERS": 1, "TESTING": True})
    try:
        response = app.test_client().get("/download/" + tables.CSV_NAME)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.get_data() == (built.dumps_dir / tables.CSV_NAME).read_bytes()
        response.close()
    finally:
        app.extensions["zzkg.pool"].close()


# --- CSV on the Web --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def described(built) -> CSVW:
    return CSVW(str(built.dumps_dir / tables.CSVW_NAME), validate=True)


def test_csvw_metadata_is_valid(described):
    assert described.is_valid, [str(warning.message) for warning in described.warnings]


def csv2rdf(described: CSVW) -> Graph:
    """CSVW to RDF in minimal mode (W3C "Generating RDF from Tabular Data on the Web"),
    on the csvw library's parse of the table: for each cell, the triple its column states."""
    graph = Graph()
    table = described.tables[0]
    columns = table.tableSchema.columns
    by_name = {column.name: column for column in columns}
    for number, parsed in enumerate(table.iterdicts(), start=1):
        # template expansion takes the cells' canonical strings (URI Template, RFC 6570)
        row = {
            name: format_value(value, by_name.get(name))
            for name, value in parsed.items()
            if value is not None
        }
        row_about = table.expand(table.tableSchema.aboutUrl, row, _row=number)
        for column in columns:
            if column.suppressOutput:
                continue
            value = parsed.get(column.name) if not column.virtual else True
            if value is None:
                continue
            about = (
                table.expand(column.aboutUrl, row, _row=number) if column.aboutUrl else row_about
            )
            prop = table.expand(column.propertyUrl, row, _row=number)
            graph.add(
                (URIRef(about), URIRef(expand(prop)), rdf_value(table, column, row, value, number))
            )
    return graph


def expand(prop: str) -> str:
    return str(RDF.type) if prop == "rdf:type" else prop


def rdf_value(table, column, row, value, number):
    if column.valueUrl:
        return URIRef(table.expand(column.valueUrl, row, _row=number))
    base = column.datatype.base if column.datatype else "string"
    if base == "anyURI":
        return URIRef(format_value(value, column))
    if isinstance(value, decimal.Decimal):
        return Literal(str(value), datatype=XSD.decimal)
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if column.lang:
        return Literal(format_value(value, column), lang=column.lang)
    return Literal(format_value(value, column), datatype=XSD[base] if base != "string" else None)


def comparable(graph: Graph) -> set:
    """Triples with literals compared by value (decimal 10 and 10.0 are the same figure)."""
    return {
        (s, p, (o.datatype, o.language, o.toPython()) if isinstance(o, Literal) else o)
        for s, p, o in graph
    }


def test_csvw_to_rdf_gives_back_the_graphs_observations(described, facts):
    converted = comparable(csv2rdf(described))
    everything = comparable(facts)
    assert converted <= everything, sorted(map(str, converted - everything))[:5]
    # ... and all of it: every statement of the graph on what the columns describe.
    observation = URIRef(ZZ + "Observation")
    expected = set()
    for obs in facts.subjects(RDF.type, observation):
        expected.add((obs, RDF.type, observation))
        for column in tables.COLUMNS:
            if column.property is None or column.about != "observation":
                continue
            prop = URIRef(tables.expand(column.property))
            for value in facts.objects(obs, prop):
                expected |= comparable_triple(obs, prop, value)
                for side in tables.COLUMNS:
                    if side.about == column.name and side.property:
                        side_prop = URIRef(tables.expand(side.property))
                        for other in facts.objects(value, side_prop):
                            if side.lang is None or getattr(other, "language", None) == side.lang:
                                expected |= comparable_triple(value, side_prop, other)
    assert expected <= converted, sorted(map(str, expected - converted))[:5]
    assert {p for _, p, _ in expected} >= {RDFS.label, RDF.value, URIRef(ZZ + "value")}
    assert {p for _, p, _ in expected} >= {URIRef("http://www.w3.org/2006/time#hasBeginning")}


def comparable_triple(s, p, o) -> set:
    graph = Graph()
    graph.add((s, p, o))
    return comparable(graph)


# --- Frictionless Data Package -------------------------------------------------------------------


def test_frictionless_validate_passes(built):
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", tables.DATAPACKAGE_NAME],
        cwd=built.dumps_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["valid"] is True
    assert (
        report["tasks"][0]["stats"]["rows"]
        == len((built.dumps_dir / tables.CSV_NAME).read_text(encoding="utf-8-sig").splitlines()) - 1
    )
