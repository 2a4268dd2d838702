"""An entity's page data: its statements, observations, claims and relations, as plain dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.views import data, figures, quotes

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
# Incoming links shown in their own sections: observations as tables, statements as sentences.
SHOWN_AS_TABLES = {
    data.PREFIXES["zz"] + "about",
    data.PREFIXES["zz"] + "indicator",
    data.PREFIXES["rdf"] + "subject",
    data.PREFIXES["rdf"] + "object",
}
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
    skip = SHOWN_AS_TABLES if incoming else HIDDEN_OUT
    shown = f"FILTER(?p NOT IN ({', '.join(f'<{prop}>' for prop in sorted(skip))}))"
    rows = data.select(f"SELECT ?p ?x WHERE {{ {pattern} {shown} }} LIMIT {MAX_STATEMENTS}")
    groups: dict[str, Group] = {}
    for row in rows:
        prop = row["p"]["value"]
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


CLAIMS = """
SELECT ?claim ?claimType ?period ?quote ?basis ?aboutBasis ?text ?note ?aboutNote WHERE {{
  {where}
  ?claim a zz:Claim .
  OPTIONAL {{ ?claim zz:claimType ?claimType }}
  OPTIONAL {{ ?claim zz:period ?period }}
  OPTIONAL {{ ?claim zz:hasQuote ?quote }}
  OPTIONAL {{ ?claim zz:periodBasis ?basis }}
  OPTIONAL {{ ?claim zz:claimText ?text }}
  OPTIONAL {{ ?claim zz:periodNote ?note }}
  OPTIONAL {{ ?claim zz:aboutBasis ?aboutBasis }}
  OPTIONAL {{ ?claim zz:aboutNote ?aboutNote }}
}}
LIMIT 1000
"""


@dataclass
class Claim:
    """A qualitative claim, with what the reader must know of its period."""

    iri: str
    claim_type: str = ""
    period: str = ""
    quote: str = ""
    basis: str = ""
    text: dict[str, str] = field(default_factory=dict)
    period_note: dict[str, str] = field(default_factory=dict)
    about_basis: str = ""
    about_note: dict[str, str] = field(default_factory=dict)
    context: quotes.QuoteInContext | None = None

    @property
    def period_assumed(self) -> bool:
        return self.basis == data.PREFIXES["zz"] + "Inferred"

    @property
    def about_assumed(self) -> bool:
        return self.about_basis == data.PREFIXES["zz"] + "Inferred"


def claims(iri: str, *, itself: bool = False) -> list[Claim]:
    """The claims about `iri` (or, with itself=True, `iri` if it is a claim), by quote."""
    where = (
        f"VALUES ?claim {{ <{checked(iri)}> }}" if itself else f"?claim zz:about <{checked(iri)}> ."
    )
    found: dict[str, Claim] = {}
    for row in data.select(CLAIMS.format(where=where)):
        values = {name: binding["value"] for name, binding in row.items()}
        claim = found.setdefault(
            values["claim"],
            Claim(
                iri=values["claim"],
                claim_type=values.get("claimType", ""),
                period=values.get("period", ""),
                quote=values.get("quote", ""),
                basis=values.get("basis", ""),
                about_basis=values.get("aboutBasis", ""),
            ),
        )
        targets = (
            ("text", claim.text),
            ("note", claim.period_note),
            ("aboutNote", claim.about_note),
        )
        for key, target in targets:
            if key in row:
                target[row[key].get("xml:lang", "")[:2]] = row[key]["value"]
    for claim in found.values():
        claim.context = quotes.in_context(claim.quote)
    return sorted(found.values(), key=lambda c: c.context.start if c.context else 10**9)


def sentences(iri: str) -> list[dict]:
    """The reified statements (rdf:Statement) the resource is the subject or object of, as
    sentences with their quotes, in the order of the article."""
    catalogue = data.catalogue()
    found = []
    for statement, triple in catalogue.statements.items():
        if iri in (triple[0], triple[2]):
            quote = catalogue.statement_quotes.get(statement)
            context = quotes.in_context(quote) if quote else None
            found.append({"iri": statement, "triple": triple, "context": context})
    return sorted(found, key=lambda item: item["context"].start if item["context"] else 10**9)


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
    observations: list[figures.Figure] = field(default_factory=list)
    indicator_observations: list[figures.Figure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    claim: Claim | None = None
    sentences: list[dict] = field(default_factory=list)
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
        observations=figures.about(iri),
        indicator_observations=figures.of_indicator(iri) if is_indicator else [],
        claims=claims(iri),
        sentences=sentences(iri),
        claim=next(iter(claims(iri, itself=True)), None)
        if data.PREFIXES["zz"] + "Claim" in catalogue.types.get(iri, [])
        else None,
        outgoing=outgoing,
        incoming=statements(iri, incoming=True),
    )
