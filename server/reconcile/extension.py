"""Data extension: the values of chosen properties on reconciled entities, and their
observations as aligned columns (one value per observation, `{}` where a cell is empty, so
OpenRefine lines them up row by row), from the same SELECT and columns as observations.csv."""

from __future__ import annotations

from kg import tables
from server.reconcile import graph
from server.views import common, data, describe

OBSERVATION_PREFIX = "obs:"
# The observation table's columns offered as extension properties (the entity is the row).
OBSERVATION_COLUMNS = tuple(
    column for column in tables.COLUMNS if not column.name.startswith("entity")
)
IN_IDENTIFIER_SPACE = {"observation", "indicator", "period", "quote"}
NUMBERS = {
    data.PREFIXES["xsd"] + name: kind
    for name, kind in (("integer", "int"), ("decimal", "float"), ("double", "float"))
}


def observation_properties() -> list[dict]:
    """The observation columns as extension properties (their titles are in English only)."""
    return [
        {"id": OBSERVATION_PREFIX + column.name, "name": f"observation: {column.title}"}
        for column in OBSERVATION_COLUMNS
    ]


def property_name(pid: str, lang: str) -> str:
    if pid.startswith(OBSERVATION_PREFIX):
        for item in observation_properties():
            if item["id"] == pid:
                return item["name"]
    return common.label(graph.expand_curie(pid), lang)


def extend(ids: list[str], pids: list[str], lang: str) -> dict[str, dict[str, list[dict]]]:
    """entity id -> property id -> values, for every id and property asked for."""
    known = [iri for iri in ids if describe.SAFE_IRI.match(iri)]
    rows: dict[str, dict[str, list[dict]]] = {iri: {pid: [] for pid in pids} for iri in ids}
    observation_pids = [pid for pid in pids if pid.startswith(OBSERVATION_PREFIX)]
    if observation_pids and known:
        for obs in tables.rows_from_bindings(data.select(tables.observations_query(known))):
            for pid in observation_pids:
                rows[obs["entity"]][pid].append(observation_cell(pid, obs, lang))
    graph_pids = {pid: graph.expand_curie(pid) for pid in pids if pid not in observation_pids}
    for (iri, prop), values in statement_values(known, list(graph_pids.values())).items():
        for pid, expanded in graph_pids.items():
            if expanded == prop:
                rows[iri][pid] = [value_object(value, lang) for value in values]
    return rows


def observation_cell(pid: str, obs: dict[str, str], lang: str) -> dict:
    name = pid[len(OBSERVATION_PREFIX) :]
    column = next((c for c in OBSERVATION_COLUMNS if c.name == name), None)
    text = obs.get(name, "")
    if column is None or not text:
        return {}
    if name in IN_IDENTIFIER_SPACE:
        label = obs.get("quote_text") if name == "quote" else None
        return {"id": text, "name": label or common.label(text, lang)}
    if column.datatype == "decimal":
        return {"float": float(text)}
    if column.datatype == "date":
        return {"date": text + "T00:00:00"}
    if column.name == "unit":
        return {"str": common.curie(text)}
    return {"str": text}


def statement_values(iris: list[str], properties: list[str]) -> dict[tuple[str, str], list]:
    """(entity, property) -> its values as SPARQL JSON bindings, in one query."""
    properties = [iri for iri in properties if describe.SAFE_IRI.match(iri)]
    if not iris or not properties:
        return {}
    subjects = " ".join(f"<{iri}>" for iri in iris)
    predicates = " ".join(f"<{iri}>" for iri in properties)
    rows = data.select(
        f"""SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {predicates} }}
        ?s ?p ?o }} ORDER BY ?s ?p ?o"""
    )
    found: dict[tuple[str, str], list] = {}
    for row in rows:
        found.setdefault((row["s"]["value"], row["p"]["value"]), []).append(row["o"])
    return found


def value_object(value: dict, lang: str) -> dict:
    """A property value as the data extension response writes it."""
    if value["type"] == "uri":
        if common.href(value["value"]) is not None:
            return {"id": value["value"], "name": common.label(value["value"], lang)}
        return {"str": value["value"]}
    if value["type"] == "bnode":
        return {}
    kind = NUMBERS.get(value.get("datatype", ""))
    if kind == "int":
        return {"int": int(value["value"])}
    if kind == "float":
        return {"float": float(value["value"])}
    if value.get("datatype") == data.PREFIXES["xsd"] + "date":
        return {"date": value["value"] + "T00:00:00"}
    return {"str": value["value"]}


def proposals(type_iri: str | None, limit: int | None, lang: str) -> list[dict]:
    """The properties worth fetching for a type: its observations' columns, then the
    properties its instances have in the graph."""
    found = observation_properties() + [
        {"id": iri, "name": common.label(iri, lang)}
        for iri in graph.schema().properties_of(type_iri)
    ]
    return found[:limit] if limit else found
