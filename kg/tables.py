"""The tidy table of observations: one row per observation, read from the built graph by one
SPARQL SELECT, written as Excel-safe CSV and described by CSV on the Web metadata and a
Frictionless Data Package.

`COLUMNS` is the one place a column is declared: its name (the SELECT's variable and the CSV
header), its title, its datatype, and what it says in RDF (the CSVW aboutUrl / propertyUrl /
valueUrl), so the CSV, the CSVW metadata, the Data Package and the reconciliation service's
data extension all agree.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pyoxigraph

from kg.vocab import ONTOLOGY_IRI, PREFIXES

CSV_NAME = "observations.csv"
CSVW_NAME = "observations.csv-metadata.json"
DATAPACKAGE_NAME = "datapackage.json"
ZZ_NS = ONTOLOGY_IRI + "#"
# zz: terms written by their local name in the table (the column's valueUrl puts them back)
LOCAL_NAME_COLUMNS = ("qualifier", "status", "period_basis")


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    datatype: str  # a CSVW / XSD datatype name
    property: str | None  # CURIE of the property the cell states (None: the row's own IRI)
    about: str = "observation"  # the column whose IRI the cell is about
    value_url: str | None = None  # template of the object IRI, if the cell stands for one
    lang: str | None = None


def iri_column(name: str, title: str, prop: str, *, about: str = "observation") -> Column:
    return Column(name, title, "anyURI", prop, about, "{+" + name + "}")


COLUMNS = (
    Column("observation", "observation IRI", "anyURI", None),
    iri_column("entity", "what the figure is about (IRI)", "zz:about"),
    Column("entity_label_zh", "entity, in Chinese", "string", "rdfs:label", "entity", lang="zh"),
    Column("entity_label_en", "entity, in English", "string", "rdfs:label", "entity", lang="en"),
    iri_column("indicator", "indicator (IRI)", "zz:indicator"),
    Column(
        "indicator_label_zh",
        "indicator, in Chinese",
        "string",
        "rdfs:label",
        "indicator",
        lang="zh",
    ),
    Column(
        "indicator_label_en",
        "indicator, in English",
        "string",
        "rdfs:label",
        "indicator",
        lang="en",
    ),
    Column("value", "value (a fall is negative)", "decimal", "zz:value"),
    iri_column("unit", "unit (QUDT or zz IRI)", "zz:unit"),
    Column("measure_word", "measure word as written", "string", "zz:measureWord", lang="zh"),
    Column(
        "qualifier",
        "qualifier (zz: term: Exact, AtLeast, MoreThan, Nearly, ...)",
        "string",
        "zz:qualifier",
        value_url=ZZ_NS + "{qualifier}",
    ),
    Column("lower_bound", "lower bound", "decimal", "zz:lowerBound"),
    Column("lower_bound_inclusive", "lower bound inclusive", "boolean", "zz:lowerBoundInclusive"),
    Column("upper_bound", "upper bound", "decimal", "zz:upperBound"),
    Column("upper_bound_inclusive", "upper bound inclusive", "boolean", "zz:upperBoundInclusive"),
    iri_column("period", "period (IRI)", "zz:period"),
    Column(
        "period_start",
        "first day of the period",
        "date",
        "time:hasBeginning",
        "period",
        value_url="{instants}{period_start}",
    ),
    Column(
        "period_end",
        "last day of the period",
        "date",
        "time:hasEnd",
        "period",
        value_url="{instants}{period_end}",
    ),
    Column(
        "period_basis",
        "period stated by the text or inferred (zz:Stated, zz:Inferred)",
        "string",
        "zz:periodBasis",
        value_url=ZZ_NS + "{period_basis}",
    ),
    Column(
        "period_note_zh",
        "why the period is inferred, in Chinese",
        "string",
        "zz:periodNote",
        lang="zh",
    ),
    Column(
        "period_note_en",
        "why the period is inferred, in English",
        "string",
        "zz:periodNote",
        lang="en",
    ),
    Column(
        "status",
        "status (zz:Reported, zz:Estimated)",
        "string",
        "zz:status",
        value_url=ZZ_NS + "{status}",
    ),
    Column(
        "value_as_written",
        "the figure as the article writes it",
        "string",
        "zz:valueAsWritten",
        lang="zh",
    ),
    iri_column("quote", "quote (IRI)", "zz:hasQuote"),
    Column("quote_text", "the quote", "string", "rdf:value", "quote", lang="zh"),
)
NAMES = tuple(column.name for column in COLUMNS)

OBSERVATIONS_SELECT = """
SELECT ?observation ?entity ?entity_label_zh ?entity_label_en ?indicator ?indicator_label_zh
       ?indicator_label_en ?value ?unit ?measure_word ?qualifier ?lower_bound
       ?lower_bound_inclusive ?upper_bound ?upper_bound_inclusive ?period ?period_start
       ?period_end ?period_basis ?period_note_zh ?period_note_en ?status ?value_as_written ?quote
       ?quote_text
WHERE {
  ?observation a zz:Observation ; zz:about ?entity ; zz:indicator ?indicator .
  {filter}
  OPTIONAL { ?entity rdfs:label ?entity_label_zh FILTER(lang(?entity_label_zh) = "zh") }
  OPTIONAL { ?entity rdfs:label ?entity_label_en FILTER(lang(?entity_label_en) = "en") }
  OPTIONAL { ?indicator rdfs:label ?indicator_label_zh FILTER(lang(?indicator_label_zh) = "zh") }
  OPTIONAL { ?indicator rdfs:label ?indicator_label_en FILTER(lang(?indicator_label_en) = "en") }
  OPTIONAL { ?observation zz:value ?value }
  OPTIONAL { ?observation zz:unit ?unit }
  OPTIONAL { ?observation zz:measureWord ?measure_word }
  OPTIONAL { ?observation zz:qualifier ?qualifier }
  OPTIONAL { ?observation zz:lowerBound ?lower_bound }
  OPTIONAL { ?observation zz:lowerBoundInclusive ?lower_bound_inclusive }
  OPTIONAL { ?observation zz:upperBound ?upper_bound }
  OPTIONAL { ?observation zz:upperBoundInclusive ?upper_bound_inclusive }
  OPTIONAL { ?observation zz:period ?period
    OPTIONAL { ?period time:hasBeginning/time:inXSDDate ?period_start }
    OPTIONAL { ?period time:hasEnd/time:inXSDDate ?period_end } }
  OPTIONAL { ?observation zz:periodBasis ?period_basis }
  OPTIONAL { ?observation zz:periodNote ?period_note_zh FILTER(lang(?period_note_zh) = "zh") }
  OPTIONAL { ?observation zz:periodNote ?period_note_en FILTER(lang(?period_note_en) = "en") }
  OPTIONAL { ?observation zz:status ?status }
  OPTIONAL { ?observation zz:valueAsWritten ?value_as_written }
  OPTIONAL { ?observation zz:hasQuote ?quote OPTIONAL { ?quote rdf:value ?quote_text } }
}
ORDER BY ?observation
"""
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def observations_query(entities: list[str] | None = None) -> str:
    """The SELECT of every observation's row, or of those about `entities` (checked IRIs)."""
    restriction = ""
    if entities is not None:
        restriction = "VALUES ?entity { " + " ".join(f"<{iri}>" for iri in entities) + " }"
    return OBSERVATIONS_SELECT.replace("{filter}", restriction)


def cell(name: str, binding: dict | None) -> str:
    """A SPARQL JSON binding as the table writes it; zz: terms by their local name."""
    if binding is None:
        return ""
    value = binding["value"]
    if name in LOCAL_NAME_COLUMNS and value.startswith(ZZ_NS):
        return value[len(ZZ_NS) :]
    return value


def rows_from_bindings(bindings: list[dict]) -> list[dict[str, str]]:
    """One row per observation (the first solution of each), cells as the table writes them."""
    rows: dict[str, dict[str, str]] = {}
    for solution in bindings:
        row = {name: cell(name, solution.get(name)) for name in NAMES}
        rows.setdefault(row["observation"], row)
    return list(rows.values())


def store_bindings(store: pyoxigraph.Store, sparql: str) -> list[dict]:
    """A SELECT on a pyoxigraph store, as SPARQL JSON bindings ({"value", ...} per variable)."""
    solutions = store.query(SPARQL_PREFIXES + sparql, use_default_graph_as_union=True)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError("store_bindings() takes a SELECT query")
    names = [variable.value for variable in solutions.variables]
    return [
        {name: {"value": solution[name].value} for name in names if solution[name] is not None}
        for solution in solutions
    ]


def observations_csv(nquads: str) -> str:
    """The table, from the built graph (sorted N-Quads), as CSV text with a header row."""
    store = pyoxigraph.Store()
    store.load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    rows = rows_from_bindings(store_bindings(store, observations_query()))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=NAMES, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def csvw_metadata(base: str, *, licence: str) -> str:
    """CSV on the Web metadata for observations.csv (W3C Metadata Vocabulary for Tabular Data):
    every column's datatype and the triple it states, so CSV2RDF gives back the graph's."""
    templates = {"instants": base + "id/instant/"}
    columns = []
    for column in COLUMNS:
        described: dict = {"name": column.name, "titles": column.title, "datatype": column.datatype}
        if column.property is None:
            described["suppressOutput"] = True
        else:
            described["aboutUrl"] = "{+" + column.about + "}"
            described["propertyUrl"] = expand(column.property)
        if column.value_url:
            url = column.value_url
            for key, value in templates.items():
                url = url.replace("{" + key + "}", value)
            described["valueUrl"] = url
        if column.lang:
            described["lang"] = column.lang
        columns.append(described)
    columns.append(
        {
            "virtual": True,
            "aboutUrl": "{+observation}",
            "propertyUrl": "rdf:type",
            "valueUrl": ZZ_NS + "Observation",
        }
    )
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": CSV_NAME,
        "dc:title": "Observations of the Zhengzhou economy knowledge graph (2024)",
        "dc:license": {"@id": licence},
        "dialect": {"encoding": "utf-8", "header": True},
        "tableSchema": {
            "columns": columns,
            "primaryKey": "observation",
            "aboutUrl": "{+observation}",
        },
    }
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


FRICTIONLESS_TYPES = {
    "anyURI": ("string", "uri"),
    "string": ("string", None),
    "decimal": ("number", None),
    "boolean": ("boolean", None),
    "date": ("date", None),
}


def datapackage(*, licence: str, sha256: str, size: int) -> str:
    """A Frictionless Data Package descriptor (Data Package v1) for observations.csv."""
    fields = []
    for column in COLUMNS:
        kind, fmt = FRICTIONLESS_TYPES[column.datatype]
        described: dict[str, str | list[str]] = {
            "name": column.name,
            "title": column.title,
            "type": kind,
        }
        if fmt:
            described["format"] = fmt
        if kind == "boolean":
            described["trueValues"], described["falseValues"] = ["true"], ["false"]
        fields.append(described)
    package = {
        "name": "zzkg-observations",
        "title": "Zhengzhou economy knowledge graph (2024): observations",
        "licenses": [{"name": "CC-BY-4.0", "path": licence, "title": "CC BY 4.0"}],
        "resources": [
            {
                "name": "observations",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": size,
                "hash": "sha256:" + sha256,
                "schema": {"fields": fields, "primaryKey": ["observation"]},
            }
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
