"""Reconciliation queries to scored candidates.

Candidates come from the search index (server/views/search.py: zh and en labels and aliases,
Chinese by character n-grams), filtered by type (subclasses included) and scored 0-100 from the
index's score, then weighed by the query's property conditions. `match` is true only for an
unambiguous exact match: the query is exactly one candidate's label or alias (after Unicode and
case folding), no other candidate has that exact name, and every property condition holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

from server.reconcile import graph
from server.views import common, data, describe, search
from server.views.catalogue import catalogue

DEFAULT_LIMIT = 10
MAX_LIMIT = search.MAX_RESULTS
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def refuse(message: str) -> NoReturn:
    """Bad input: a 400 with this message (server/errors.py maps ValueError)."""
    raise ValueError(message)


@dataclass(frozen=True)
class Condition:
    """A property condition: the property's IRI and the values it should have (each an entity
    IRI, given as {"id": ...}, or a text compared with the folded labels and literals)."""

    property: str
    ids: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    conditions: tuple[Condition, ...] = ()
    lang: str | None = None

    @property
    def display_lang(self) -> str:
        return lang_of(self.text, self.lang)


def lang_of(text: str, asked: str | None = None) -> str:
    """The language names are given in: the one asked for, else the script of the text."""
    if asked in common.LANGUAGES:
        return asked
    return "zh" if CJK.search(text) else "en"


@dataclass
class Candidate:
    iri: str
    name: str
    score: float
    exact: bool
    types: list[str]
    description: str | None = None
    features: list[dict] = field(default_factory=list)
    match: bool = False


def limit_of(value, default: int = DEFAULT_LIMIT) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1:
        refuse("limit must be a positive integer")
    return min(MAX_LIMIT, int(value))


def condition_of(pid, values) -> Condition:
    if not isinstance(pid, str) or not pid:
        refuse("a property condition needs a property identifier (pid)")
    items = values if isinstance(values, list) else [values]
    ids, texts = [], []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.append(item["id"])
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            texts.append(str(item))
        else:
            refuse('a property value is a string, a number or {"id": ...}')
    return Condition(graph.expand_curie(pid), tuple(ids), tuple(texts))


def types_of(value) -> tuple[str, ...]:
    """`type` as OpenRefine sends it (one string) or as the 0.2 text has it (an array)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        refuse("type is a type identifier or an array of them")
    return tuple(graph.expand_curie(item) for item in items if item)


def candidates(query: Query) -> list[Candidate]:
    """The query's candidates, best first, at most `query.limit`."""
    lang = query.display_lang
    found_in = catalogue()
    hits = known_iri(query.text) or search.index().search(query.text, limit=MAX_LIMIT)
    wanted = graph.schema().expand_types(list(query.types)) if query.types else None
    folded = search.fold(query.text)
    found = []
    for hit in hits:
        types = found_in.types(hit.iri)
        if wanted is not None and not wanted.intersection(types):
            continue
        name_score = min(100.0, 100.0 * hit.score / search.TOP_SCORE)
        exact = hit.iri == query.text or search.fold(hit.matched) == folded
        found.append(
            Candidate(
                iri=hit.iri,
                name=common.pick(found_in.labels(hit.iri), lang) or hit.matched,
                score=name_score,
                exact=exact,
                types=types,
                description=graph.description(hit.iri, lang),
                features=[
                    {"id": "name_score", "name": "name similarity", "value": round(name_score, 1)},
                    {"id": "name_exact", "name": "exact label or alias", "value": exact},
                ],
            )
        )
    if query.conditions:
        weigh_conditions(found, query.conditions)
    exacts = [candidate for candidate in found if candidate.exact]
    if len(exacts) == 1 and all(f["value"] for f in exacts[0].features if f["id"].startswith("p:")):
        exacts[0].match = True
    found.sort(key=lambda candidate: (-candidate.score, candidate.name, candidate.iri))
    for candidate in found:
        candidate.score = round(candidate.score, 1)
    return found[: query.limit]


def known_iri(text: str) -> list[search.Hit]:
    """An entity's own IRI as the query finds that entity (the spec's expectation)."""
    if describe.SAFE_IRI.match(text) and catalogue().has_label(text):
        return [search.Hit(text, search.TOP_SCORE, text)]
    return []


def weigh_conditions(found: list[Candidate], conditions: tuple[Condition, ...]) -> None:
    """Each condition that holds keeps the name score; each that fails halves its share."""
    values = property_values([c.iri for c in found], [c.property for c in conditions])
    for candidate in found:
        held = 0
        for condition in conditions:
            holds = satisfied(condition, values.get((candidate.iri, condition.property), set()))
            held += holds
            candidate.features.append(
                {"id": "p:" + condition.property, "name": condition.property, "value": holds}
            )
        candidate.score *= 0.5 + 0.5 * held / len(conditions)


def satisfied(condition: Condition, values: set[str]) -> bool:
    """A condition holds if one of its ids is a value, or one of its texts is (folded) a value
    or a label of a value."""
    if any(iri in values for iri in condition.ids):
        return True
    folded = {search.fold(value) for value in values}
    return any(search.fold(text) in folded for text in condition.texts)


def property_values(iris: list[str], properties: list[str]) -> dict[tuple[str, str], set[str]]:
    """(entity, property) -> its values and their labels, in one query for the whole list."""
    known = [iri for iri in properties if describe.SAFE_IRI.match(iri)]
    if not iris or not known:
        return {}  # a property that is not an IRI here has no values
    subjects = " ".join(f"<{describe.checked(iri)}>" for iri in iris)
    predicates = " ".join(f"<{describe.checked(iri)}>" for iri in known)
    rows = data.select(
        f"""SELECT ?s ?p ?o ?label WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {predicates} }}
        ?s ?p ?o OPTIONAL {{ ?o rdfs:label|skos:altLabel ?label }} }}"""
    )
    found: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        values = found.setdefault((row["s"]["value"], row["p"]["value"]), set())
        values.add(row["o"]["value"])
        if "label" in row:
            values.add(row["label"]["value"])
    return found
