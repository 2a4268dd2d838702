"""An entity's page data: its statements, observations, claims and relations, as plain dicts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from server.views import data, figures, queries, quotes
from server.views.catalogue import catalogue
from server.views.queries import bind, limited, node

# The reconciliation service's check of the IRIs it writes into its queries (the pages bind
# theirs as terms, server/views/queries.py).
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


def is_iri(text: str) -> bool:
    """Whether the text is an http(s) IRI (one a page can be about)."""
    try:
        node(text)
    except ValueError:
        return False
    return text.startswith(("http://", "https://"))


def exists(iri: str) -> bool:
    return is_iri(iri) and bool(data.select(bind(queries.EXISTS, iri=iri)))


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
    return grouped(iri, triples_of(iri, incoming=incoming), incoming=incoming)


def triples_of(iri: str, *, incoming: bool) -> list[dict]:
    """The entity's statements as rows of ?p and ?x (the other end), at most MAX_STATEMENTS."""
    query = queries.INCOMING if incoming else queries.OUTGOING
    return data.select(bind(limited(query, MAX_STATEMENTS), iri=iri))


def grouped(iri: str, rows: list[dict], *, incoming: bool) -> list[Group]:
    """The rows by property, each value with the quote of the statement that says it."""
    skip = SHOWN_AS_TABLES if incoming else HIDDEN_OUT
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
    query = queries.STATEMENT_QUOTES_IN if incoming else queries.STATEMENT_QUOTES_OUT
    rows = data.select(bind(limited(query, MAX_STATEMENTS), iri=iri))
    found = {}
    for row in rows:
        context = quotes.in_context(row["quote"]["value"])
        if context is not None:
            found[row["p"]["value"], row["x"]["value"]] = context
    return found


def texts(iri: str, prop: str, outgoing: list[dict] | None = None) -> dict[str, str]:
    """Language -> the entity's value of `prop`; read from its outgoing rows when they are all
    there (fewer than the cap: each read is a round trip to the query worker), else asked for."""
    if outgoing is not None and len(outgoing) < MAX_STATEMENTS:
        values = [row["x"] for row in outgoing if row["p"]["value"] == prop]
    else:
        values = [row["v"] for row in data.select(bind(queries.TEXTS, iri=iri, prop=prop))]
    return {value.get("xml:lang", "")[:2]: value["value"] for value in values}


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


# zz: property -> the Claim field it fills: a value (the first counts) or texts by language
CLAIM_VALUES = {
    "claimType": "claim_type",
    "period": "period",
    "hasQuote": "quote",
    "periodBasis": "basis",
    "aboutBasis": "about_basis",
}
CLAIM_TEXTS = {"claimText": "text", "periodNote": "period_note", "aboutNote": "about_note"}


def claims(iri: str, *, itself: bool = False) -> list[Claim]:
    """The claims about `iri` (or, with itself=True, `iri` if it is a claim), by quote."""
    query = queries.CLAIM_ITSELF if itself else queries.CLAIMS_ABOUT
    zz = data.PREFIXES["zz"]
    found: dict[str, Claim] = {}
    for row in data.select(bind(query, iri=iri)):
        claim = found.setdefault(row["claim"]["value"], Claim(iri=row["claim"]["value"]))
        prop, value = row["p"]["value"], row["o"]
        name = prop[len(zz) :] if prop.startswith(zz) else ""
        if name in CLAIM_VALUES and not getattr(claim, CLAIM_VALUES[name]):
            setattr(claim, CLAIM_VALUES[name], value["value"])
        elif name in CLAIM_TEXTS:
            getattr(claim, CLAIM_TEXTS[name])[value.get("xml:lang", "")[:2]] = value["value"]
    for claim in found.values():
        claim.context = quotes.in_context(claim.quote)
    return sorted(found.values(), key=lambda c: c.context.start if c.context else 10**9)


def sentences(iri: str) -> list[dict]:
    """The reified statements (rdf:Statement) the resource is the subject or object of, as
    sentences with their quotes, in the order of the article."""
    found = []
    for statement, triple, quote in catalogue().statements_of(iri):
        context = quotes.in_context(quote) if quote else None
        found.append({"iri": statement, "triple": triple, "context": context})
    return sorted(found, key=lambda item: item["context"].start if item["context"] else 10**9)


def rdf_description(iri: str, media_type: str) -> bytes:
    """The entity's outgoing triples, its hash resources, the labels of what it points to, and
    the observations about it."""
    return data.construct(bind(queries.DESCRIPTION, iri=iri), media_type)


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
    if not is_iri(iri):
        return None
    rows_out = triples_of(iri, incoming=False)
    if not rows_out and not exists(iri):  # known only as the object of triples, or not at all
        return None
    found = catalogue()
    types = found.types(iri)
    outgoing = grouped(iri, rows_out, incoming=False)
    external = [
        value["value"]
        for group in outgoing
        if group.predicate in EXTERNAL_LINKS
        for value in group.values
        if value["type"] == "uri" and value["value"].startswith(("http://", "https://"))
    ]
    figure = texts(iri, data.PREFIXES["zz"] + "valueAsWritten", rows_out).get("zh")
    mentions = [
        quotes.in_context(value["value"], figure)
        for group in outgoing
        if group.predicate == data.PREFIXES["zz"] + "hasQuote"
        for value in group.values
    ]
    is_indicator = data.PREFIXES["zz"] + "Indicator" in types
    return Entity(
        iri=iri,
        types=types,
        labels=found.labels(iri),
        aliases=found.aliases(iri),
        descriptions=texts(iri, data.PREFIXES["schema"] + "description", rows_out)
        or texts(iri, data.PREFIXES["skos"] + "definition", rows_out),
        external=external,
        mentions=[mention for mention in mentions if mention],
        observations=figures.about(iri),
        indicator_observations=figures.of_indicator(iri) if is_indicator else [],
        claims=claims(iri),
        sentences=sentences(iri),
        claim=next(iter(claims(iri, itself=True)), None)
        if data.PREFIXES["zz"] + "Claim" in types
        else None,
        outgoing=outgoing,
        incoming=statements(iri, incoming=True),
    )
