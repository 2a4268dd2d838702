"""schema.org descriptions embedded in pages as JSON-LD (`_partials/jsonld.html`): the dataset on
the home page (the form dataset search engines read), each entity and observation on its page.

Everything comes from the graph: the dataset's description from the VoID graph, a resource's
schema.org properties from the ontology's alignment (a zz: property's rdfs:subPropertyOf and a
zz: class's rdfs:subClassOf in https://schema.org/), its names from its labels. The context maps
schema.org as the vocabulary inline, so the JSON-LD parses without fetching anything.
"""

from __future__ import annotations

from flask import request, url_for

from server.views import data, describe, downloads, queries
from server.views.catalogue import catalogue
from server.views.queries import bind

SCHEMA = data.PREFIXES["schema"]
# schema.org as the vocabulary, and its properties whose values are IRIs typed as such (as
# schema.org's own context does)
CONTEXT = {
    "@vocab": SCHEMA,
    "xsd": data.PREFIXES["xsd"],
    **{name: {"@type": "@id"} for name in ("url", "sameAs", "license", "contentUrl")},
}
CREATOR = "zzkg"


def absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def texts(by_lang: dict[str, str]) -> list[dict]:
    return [{"@value": text, "@language": lang} for lang, text in sorted(by_lang.items()) if text]


def dataset(described: dict) -> dict:
    """schema:Dataset: name, description, licence, creator, every dump as a distribution,
    temporal and spatial coverage, as the VoID description states them."""
    iri = described["iri"]
    coverage = data.select(bind(queries.COVERAGE, dataset=iri))
    found: dict = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": iri,
        "name": texts(described["title"]),
        "description": texts(described["description"]),
        "url": absolute(url_for("home.index")),
        "license": described.get("license"),
        "creator": {
            "@type": "Organization",
            "name": CREATOR,
            "url": absolute(url_for("home.index")),
        },
        "isBasedOn": {"@id": described["source"]} if described.get("source") else None,
        "version": described.get("versionInfo"),
        "inLanguage": ["zh", "en"],
        "distribution": [distribution(dump) for dump in downloads.distributions()],
    }
    row = coverage[0] if coverage else {}
    if "start" in row and "end" in row:
        found["temporalCoverage"] = f"{row['start']['value']}/{row['end']['value']}"
    if "spatial" in row:
        found["spatialCoverage"] = place(row["spatial"]["value"])
    return {key: value for key, value in found.items() if value is not None}


def distribution(dump: dict) -> dict:
    found = {
        "@type": "DataDownload",
        "name": dump["file"],
        "encodingFormat": dump["media"],
        "contentUrl": absolute(url_for("downloads.download", name=dump["file"])),
    }
    if dump.get("size") is not None:
        found["contentSize"] = f"{dump['size']} B"
    if dump.get("sha"):
        found["sha256"] = dump["sha"]
    if dump.get("description"):
        found["description"] = dump["description"]
    return found


def place(iri: str) -> dict:
    labels = catalogue().labels(iri)
    same = [row["o"]["value"] for row in same_as(iri)]
    found = {"@type": "Place", "@id": iri, "name": texts(labels)}
    if same:
        found["sameAs"] = same
    return found


def same_as(iri: str) -> list[dict]:
    return data.select(bind(queries.SAME_AS, iri=iri))


def resource(found: describe.Entity, page_url: str) -> dict:
    """A resource's schema.org description: its schema.org types and aligned properties, names,
    description, links to the same thing elsewhere, and its page."""
    iri = found.iri
    described: dict = {
        "@context": CONTEXT,
        "@id": iri,
        "@type": schema_types(iri),
        "name": texts(found.labels),
        "url": absolute(page_url),
    }
    aliases = [
        {"@value": text, "@language": lang}
        for lang, all_texts in sorted(found.aliases.items())
        for text in all_texts
    ]
    if aliases:
        described["alternateName"] = aliases
    if found.descriptions:
        described["description"] = texts(found.descriptions)
    if found.external:
        described["sameAs"] = found.external
    for prop, values in aligned_properties(iri).items():
        described[prop] = values if len(values) > 1 else values[0]
    if data.PREFIXES["zz"] + "Observation" in found.types:
        described.update(observation_terms(iri))
    for target in ("observationAbout", "variableMeasured"):
        value = described.get(target)
        if isinstance(value, dict) and (labels := catalogue().labels(value["@id"])):
            value["name"] = texts(labels)
    return described


def observation_terms(iri: str) -> dict:
    """What schema:Observation says that the ontology's alignment does not: the period as an
    ISO 8601 interval and its last day, the unit, and the article it is based on (as query 34)."""
    rows = data.select(bind(queries.OBSERVATION_TERMS, iri=iri))
    row = {name: binding["value"] for name, binding in (rows[0] if rows else {}).items()}
    found: dict = {}
    if "begin" in row and "end" in row:
        found["observationPeriod"] = f"{row['begin']}/{row['end']}"
        found["observationDate"] = {"@value": row["end"], "@type": data.PREFIXES["xsd"] + "date"}
    if "unit" in row:
        found["unitCode"] = {"@id": row["unit"]}
    if "word" in row:
        found["unitText"] = {"@value": row["word"], "@language": "zh"}
    if "source" in row:
        found["isBasedOn"] = {"@id": row["source"]}
    return found


def schema_types(iri: str) -> list[str]:
    rows = data.select(bind(queries.SCHEMA_TYPES, iri=iri))
    return sorted(row["t"]["value"][len(SCHEMA) :] for row in rows) or ["Thing"]


def aligned_properties(iri: str) -> dict[str, list]:
    """schema.org property -> values, for the resource's properties that are schema.org's or
    declared subproperties of one."""
    rows = data.select(bind(queries.ALIGNED_PROPERTIES, iri=iri))
    found: dict[str, list] = {}
    for row in rows:
        name = row["sp"]["value"][len(SCHEMA) :]
        if name in ("description", "text", "name"):
            continue  # given from the labels and descriptions above; the article's text is long
        found.setdefault(name, []).append(json_value(row["o"]))
    return found


def json_value(value: dict):
    if value["type"] == "uri":
        return {"@id": value["value"]}
    if "xml:lang" in value:
        return {"@value": value["value"], "@language": value["xml:lang"]}
    datatype = value.get("datatype", "")
    if datatype and not datatype.endswith("#string"):
        return {"@value": value["value"], "@type": datatype}
    return value["value"]
