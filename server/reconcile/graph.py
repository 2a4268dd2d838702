"""What the reconciliation service knows of the graph beyond names (which come from the search
index): the class hierarchy, the properties used on each class, and descriptions. Read once per
process through server/views/data.py, on any backend, since the store is one build."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from server.views import common, data
from server.views.catalogue import catalogue

ZZ = data.PREFIXES["zz"]
HIDDEN_PROPERTIES = {data.PREFIXES["rdf"] + "type"}


@dataclass
class Schema:
    """Classes (each with itself and all its subclasses), the properties seen on each class's
    instances, and the entities' descriptions by language."""

    subclasses: dict[str, set[str]]
    properties_by_type: dict[str, set[str]]
    descriptions: dict[str, dict[str, str]]

    @classmethod
    def load(cls, base: str) -> Schema:
        subclasses = closure(
            (row["sub"]["value"], row["super"]["value"])
            for row in data.select(
                "SELECT ?sub ?super WHERE { ?sub rdfs:subClassOf ?super FILTER(isIRI(?super)) }"
            )
        )
        for iri in catalogue().all_types():
            subclasses.setdefault(iri, set()).add(iri)
        properties: dict[str, set[str]] = defaultdict(set)
        for row in data.select(
            f"""SELECT DISTINCT ?type ?p WHERE {{ ?s a ?type ; ?p ?o
            FILTER(STRSTARTS(STR(?s), "{base}id/") && !CONTAINS(STR(?s), "#")) }}"""
        ):
            if row["p"]["value"] not in HIDDEN_PROPERTIES:
                properties[row["type"]["value"]].add(row["p"]["value"])
        descriptions: dict[str, dict[str, str]] = defaultdict(dict)
        for row in data.select(
            "SELECT ?s ?d WHERE { VALUES ?p { schema:description skos:definition } ?s ?p ?d"
            " FILTER(isIRI(?s)) }"
        ):
            lang = row["d"].get("xml:lang", "")[:2]
            descriptions[row["s"]["value"]].setdefault(lang, row["d"]["value"])
        return cls(subclasses, dict(properties), dict(descriptions))

    def expand_types(self, types: list[str]) -> set[str]:
        """The types and every subclass of them."""
        found: set[str] = set()
        for iri in types:
            found |= self.subclasses.get(iri, {iri})
        return found

    def properties_of(self, type_iri: str | None) -> list[str]:
        """The properties used on instances of the type (its subclasses included), or on any."""
        if type_iri is None:
            chosen = set().union(*self.properties_by_type.values())
        else:
            chosen = set()
            for sub in self.expand_types([type_iri]):
                chosen |= self.properties_by_type.get(sub, set())
        return sorted(chosen)


def closure(pairs) -> dict[str, set[str]]:
    """class -> itself and every class below it, from (subclass, superclass) pairs (computed
    here rather than by a property path with both ends open, which not every engine runs)."""
    below: dict[str, set[str]] = defaultdict(set)
    for sub, sup in pairs:
        below[sup].add(sub)
    found = {}
    for top in list(below):
        seen, todo = {top}, [top]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        found[top] = seen
    return found


class SchemaHolder:
    def __init__(self, base: str):
        self.base = base

    @cached_property
    def schema(self) -> Schema:
        return Schema.load(self.base)


def schema() -> Schema:
    return current_app.extensions["zzkg.reconcile.schema"].schema


def description(iri: str, lang: str) -> str | None:
    return common.pick(schema().descriptions.get(iri), lang)


def entity_types() -> list[str]:
    """The ontology's classes that the searchable entities are instances of (default types)."""
    return [t for t in catalogue().types_of_names if t.startswith(ZZ)]


def expand_curie(text: str) -> str:
    """A CURIE with one of the views' prefixes as its IRI; anything else unchanged."""
    prefix, colon, local = text.partition(":")
    if colon and prefix in data.PREFIXES and not local.startswith("//"):
        return data.PREFIXES[prefix] + local
    return text


def init_app(app) -> None:
    app.extensions["zzkg.reconcile.schema"] = SchemaHolder(app.config["BASE"])
