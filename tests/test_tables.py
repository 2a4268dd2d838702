"""observations.csv, its CSV on the Web metadata and its Data Package: written by `zzkg build`
from the graph, listed with size and SHA-256 in the VoID/DCAT description, served by
/download/, valid for a CSVW library and `frictionless validate`, and round-tripping: the
CSVW-to-RDF conversion of the table gives back the graph's observations."""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef

from kg import tables
from server import create_app

ZZ = "https://zzkg.example.org/ontology#"
SPDX = "http://spdx.org/rdf/terms#"
DCAT = "http://www.w3.org/ns/dcat#"
TABLE_FILES = (tables.CSV_NAME,)
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
