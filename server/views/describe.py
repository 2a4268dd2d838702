"""An entity's page data: its statements, observations, claims and relations, as plain dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.views import data, quotes

SAFE_IRI = re.compile(r"^https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+$")
MAX_STATEMENTS = 5000
HIDDEN_OUT = {
    data.PREFIXES["rdf"] + "type",
    data.PREFIXES["rdfs"] + "label",
    data.PREFIXES["skos"] + "prefLabel",
    data.PREFIXES["skos"] + "altLabel",
    data.PREFIXES["schema"] + "description",
    data.PREFIXES["schema"] + "text",
}
SHOWN_AS_TABLES = {data.PREFIXES["zz"] + "about", data.PREFIXES["zz"] + "indicator"}
EXTERNAL_LINKS = {
    data.PREFIXES["owl"] + "sameAs",
    data.PREFIXES["skos"] + "exactMatch",
    data.PREFIXES["skos"] + "closeMatch",
}


def checked(iri: str) -> str:
    """The IRI, if it is safe to write between <> in a query; ValueError otherwise."""
    if not SAFE_IRI.match(iri) or ">" in iri:
        raise ValueError("not an IRI this server can look up")
    return iri


def exists(iri: str) -> bool:
    if not SAFE_IRI.match(iri):
        return False
    return bool(
        data.select(f"SELECT ?p WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} LIMIT 1")
    )


@dataclass
class Group:
    """The values of one property, in one direction."""

    predicate: str
    values: list[dict]
    key: str = ""

    @property
    def count(self) -> int:
        return len(self.values)


def statements(iri: str, *, incoming: bool) -> list[Group]:
    iri = checked(iri)
    pattern = f"?x ?p <{iri}>" if incoming else f"<{iri}> ?p ?x"
    rows = data.select(f"SELECT ?p ?x WHERE {{ {pattern} }} LIMIT {MAX_STATEMENTS}")
    groups: dict[str, Group] = {}
    for row in rows:
        prop = row["p"]["value"]
        skip = SHOWN_AS_TABLES if incoming else HIDDEN_OUT
        if prop in skip:
            continue
        groups.setdefault(prop, Group(prop, [])).values.append(row["x"])
    quoted = statement_quotes(iri, incoming=incoming)
    for prop, group in groups.items():
        for value in group.values:
            if (prop, value["value"]) in quoted:
                value["quote"] = quoted[prop, value["value"]]
    direction = "in" if incoming else "out"
    for group in groups.values():
        group.key = f"{direction}:{group.predicate}"
        group.values.sort(key=lambda value: (value["type"] != "uri", value["value"]))
    return sorted(groups.values(), key=lambda group: group.predicate)


def statement_quotes(iri: str, *, incoming: bool) -> dict[tuple[str, str], quotes.QuoteInContext]:
    """(property, other end) -> the quote of the reified statement that says it."""
    ends = ("rdf:object", "rdf:subject") if incoming else ("rdf:subject", "rdf:object")
    rows = data.select(
        f"""SELECT ?p ?x ?quote WHERE {{ ?statement {ends[0]} <{iri}> ; rdf:predicate ?p ;
        {ends[1]} ?x ; zz:hasQuote ?quote }} LIMIT {MAX_STATEMENTS}"""
    )
    found = {}
    for row in rows:
        context = quotes.in_context(row["quote"]["value"])
        if context is not None:
            found[row["p"]["value"], row["x"]["value"]] = context
    return found


def texts(iri: str, prop: str) -> dict[str, str]:
    iri = checked(iri)
    rows = data.select(f"SELECT ?v WHERE {{ <{iri}> <{prop}> ?v }}")
    return {row["v"].get("xml:lang", "")[:2]: row["v"]["value"] for row in rows}


OBSERVATIONS = """
SELECT ?obs ?about ?indicator ?value ?unit ?measureWord ?period ?qualifier ?status ?written
       ?quote ?rank ?rankAmong ?growthOf ?lower ?upper WHERE {{
  ?obs a zz:Observation ; zz:{by} <{iri}> .
  OPTIONAL {{ ?obs zz:about ?about }}
  OPTIONAL {{ ?obs zz:indicator ?indicator }}
  OPTIONAL {{ ?obs zz:value ?value }}
  OPTIONAL {{ ?obs zz:unit ?unit }}
  OPTIONAL {{ ?obs zz:measureWord ?measureWord }}
  OPTIONAL {{ ?obs zz:period ?period }}
  OPTIONAL {{ ?obs zz:qualifier ?qualifier }}
  OPTIONAL {{ ?obs zz:status ?status }}
  OPTIONAL {{ ?obs zz:valueAsWritten ?written }}
  OPTIONAL {{ ?obs zz:hasQuote ?quote }}
  OPTIONAL {{ ?obs zz:rank ?rank }}
  OPTIONAL {{ ?obs zz:rankAmong ?rankAmong }}
  OPTIONAL {{ ?obs zz:growthOf ?growthOf }}
  OPTIONAL {{ ?obs zz:lowerBound ?lower }}
  OPTIONAL {{ ?obs zz:upperBound ?upper }}
}}
LIMIT 1000
"""


def observations(iri: str, *, by: str = "about") -> list[dict]:
    """Every observation about (or, with by="indicator", of) the resource, ordered by quote."""
    if by not in ("about", "indicator"):
        raise ValueError(by)
    rows = data.select(OBSERVATIONS.format(by=by, iri=checked(iri)))
    merged: dict[str, dict] = {}
    for row in rows:
        values = {name: binding["value"] for name, binding in row.items()}
        merged.setdefault(values["obs"], values)
    found = list(merged.values())
    for obs in found:
        obs["number"] = float(obs["value"]) if "value" in obs else None
        obs["context"] = quotes.in_context(obs.get("quote", ""), obs.get("written"))
    found.sort(key=lambda obs: obs["context"].start if obs["context"] else 10**9)
    return found


CLAIMS = """
SELECT ?claim ?claimType ?period ?quote WHERE {{
  ?claim a zz:Claim ; zz:about <{iri}> .
  OPTIONAL {{ ?claim zz:claimType ?claimType }}
  OPTIONAL {{ ?claim zz:period ?period }}
  OPTIONAL {{ ?claim zz:hasQuote ?quote }}
}}
LIMIT 1000
"""


def claims(iri: str) -> list[dict]:
    merged: dict[str, dict] = {}
    for row in data.select(CLAIMS.format(iri=checked(iri))):
        values = {name: binding["value"] for name, binding in row.items()}
        merged.setdefault(values["claim"], values)
    found = list(merged.values())
    for claim in found:
        claim["context"] = quotes.in_context(claim.get("quote", ""))
    found.sort(key=lambda claim: claim["context"].start if claim["context"] else 10**9)
    return found


def rdf_description(iri: str, media_type: str) -> bytes:
    """The entity's outgoing triples, its hash resources, the labels of what it points to, and
    the observations about it."""
    iri = checked(iri)
    return data.construct(
        f"""CONSTRUCT {{ <{iri}> ?p ?o . ?o rdfs:label ?label . ?h ?hp ?ho . ?obs ?op ?oo . }}
        WHERE {{
          {{ <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label ?label }} }}
          UNION {{ ?h ?hp ?ho FILTER(STRSTARTS(STR(?h), "{iri}#")) }}
          UNION {{ ?obs a zz:Observation ; zz:about <{iri}> ; ?op ?oo }}
        }}""",
        media_type,
    )


@dataclass
class Entity:
    iri: str
    types: list[str]
    labels: dict[str, str]
    aliases: dict[str, list[str]]
    descriptions: dict[str, str]
    external: list[str]
    mentions: list = field(default_factory=list)
    observations: list[dict] = field(default_factory=list)
    indicator_observations: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    outgoing: list[Group] = field(default_factory=list)
    incoming: list[Group] = field(default_factory=list)


def entity(iri: str) -> Entity | None:
    """Everything the page shows about `iri`, or None if the graph does not know it."""
    if not exists(iri):
        return None
    catalogue = data.catalogue()
    outgoing = statements(iri, incoming=False)
    external = [
        value["value"]
        for group in outgoing
        if group.predicate in EXTERNAL_LINKS
        for value in group.values
        if value["type"] == "uri" and value["value"].startswith(("http://", "https://"))
    ]
    figure = texts(iri, data.PREFIXES["zz"] + "valueAsWritten").get("zh")
    mentions = [
        quotes.in_context(value["value"], figure)
        for group in outgoing
        if group.predicate == data.PREFIXES["zz"] + "hasQuote"
        for value in group.values
    ]
    is_indicator = data.PREFIXES["zz"] + "Indicator" in catalogue.types.get(iri, [])
    return Entity(
        iri=iri,
        types=catalogue.types.get(iri, []),
        labels=catalogue.labels.get(iri, {}),
        aliases=catalogue.aliases.get(iri, {}),
        descriptions=texts(iri, data.PREFIXES["schema"] + "description")
        or texts(iri, data.PREFIXES["skos"] + "definition"),
        external=external,
        mentions=[mention for mention in mentions if mention],
        observations=observations(iri),
        indicator_observations=observations(iri, by="indicator") if is_indicator else [],
        claims=claims(iri),
        outgoing=outgoing,
        incoming=statements(iri, incoming=True),
    )
