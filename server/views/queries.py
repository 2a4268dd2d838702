"""Every SPARQL query the pages send, in one place, and how IRIs are bound into them.

A query names what it is given as `$variables`; `bind` puts each one's term in its place, the
term written by pyoxigraph (`ox.NamedNode` refuses anything that is not an IRI, `ox.Literal`
escapes its text), so no text of a request ever reaches a query as SPARQL; `bind_each` gives a
variable several IRIs through a VALUES block. Terms go in place rather than through one VALUES
row or pyoxigraph's `substitutions` because both were slow in Oxigraph 0.5 on a million triples
(an entity's RDF: 0.3 ms with the term in place, 293 ms with a VALUES row outside its UNION,
592 ms with `substitutions`), and in place the same text runs on a remote engine too. The
dataset's own IRIs (the dataset, its graphs) come from kg/iris.py's `Minter`, the prefixes from
kg/vocab.py (the reader adds them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from flask import current_app

from kg.iris import Minter

Term = ox.NamedNode | ox.Literal


def node(iri: str) -> ox.NamedNode:
    """The IRI as a term; ValueError if it is not one."""
    return ox.NamedNode(iri)


def bind(query: str, **terms: str | Term) -> str:
    """`query` with each `$name` replaced by its term (a str is an IRI); the term's backslashes
    doubled for re.sub, which reads them in a replacement."""
    for name, value in terms.items():
        query = re.sub(rf"\${name}\b", str(as_term(value)).replace("\\", "\\\\"), query)
    return query


def bind_each(query: str, name: str, iris: Iterable[str]) -> str:
    """`query` with `$name` bound to each of the IRIs in turn (one solution per IRI), through a
    VALUES block at the start of its WHERE clause."""
    listed = " ".join(str(node(iri)) for iri in iris)
    head, found, rest = query.partition("WHERE {")
    if not found:
        raise ValueError("a page query has a WHERE clause")
    return f"{head}WHERE {{ VALUES ${name} {{ {listed} }}{rest}"


def as_term(value: str | Term) -> Term:
    return node(value) if isinstance(value, str) else value


def minter() -> Minter:
    return Minter(current_app.config["BASE"])


def graph(name: str) -> ox.NamedNode:
    """One of the build's named graphs (kg, ontology, void, examples)."""
    return node(str(minter().graph(name)))


def dataset() -> ox.NamedNode:
    return node(str(minter().dataset))


# --- an entity's page and its RDF (describe.py) ----------------------------------------------

EXISTS = "SELECT ?p WHERE { { $iri ?p ?o } UNION { ?s ?p $iri } } LIMIT 1"
OUTGOING = "SELECT ?p ?x WHERE { $iri ?p ?x } LIMIT $limit"
INCOMING = "SELECT ?p ?x WHERE { ?x ?p $iri } LIMIT $limit"
STATEMENT_QUOTES_OUT = """SELECT ?p ?x ?quote WHERE { ?statement rdf:subject $iri ;
  rdf:predicate ?p ; rdf:object ?x ; zz:hasQuote ?quote } LIMIT $limit"""
STATEMENT_QUOTES_IN = """SELECT ?p ?x ?quote WHERE { ?statement rdf:object $iri ;
  rdf:predicate ?p ; rdf:subject ?x ; zz:hasQuote ?quote } LIMIT $limit"""
TEXTS = "SELECT ?v WHERE { $iri $prop ?v }"
# A claim's own triples, read into a Claim by describe.py (as the observations are).
CLAIMS = "SELECT ?claim ?p ?o WHERE { $where ?claim ?p ?o . ?claim a zz:Claim } LIMIT 5000"
CLAIMS_ABOUT = CLAIMS.replace("$where", "?claim zz:about $iri .")
CLAIM_ITSELF = CLAIMS.replace("$where", "VALUES ?claim { $iri }")
# The entity's triples, its hash resources (<iri#part>, which the build always links from the
# entity itself, so they are found from its triples and not by scanning every subject), the
# labels of what it points to, and the observations about it.
DESCRIPTION = """
CONSTRUCT { $iri ?p ?o . ?o rdfs:label ?label . ?h ?hp ?ho . ?obs ?op ?oo . }
WHERE {
  { $iri ?p ?o . OPTIONAL { ?o rdfs:label ?label } }
  UNION { $iri ?link ?h . FILTER(isIRI(?h) && STRSTARTS(STR(?h), CONCAT(STR($iri), "#")))
          ?h ?hp ?ho }
  UNION { ?obs a zz:Observation ; zz:about $iri ; ?op ?oo }
}
"""


def limited(query: str, limit: int) -> str:
    """A LIMIT (a number, not a term) written into the query."""
    return query.replace("$limit", str(int(limit)))


# --- figures (figures.py) --------------------------------------------------------------------

# Each observation's own triples: one pattern, read into a Figure by figures.py (a query of one
# OPTIONAL per property took 2-3 ms to plan in Oxigraph 0.5, whatever it found).
OBSERVATIONS = "SELECT ?obs ?p ?o WHERE { $where ?obs ?p ?o . ?obs a zz:Observation }"
ALL_OBSERVATIONS = OBSERVATIONS.replace("$where", "")  # or some of them, with bind_each
OBSERVATIONS_ABOUT = OBSERVATIONS.replace("$where", "?obs zz:about $iri .")
OBSERVATIONS_OF_INDICATOR = OBSERVATIONS.replace("$where", "?obs zz:indicator $iri .")
BROADER = "SELECT ?indicator ?broader WHERE { ?indicator a zz:Indicator ; skos:broader ?broader }"

# --- the home page, classes, downloads (home.py, downloads.py, structured.py) ----------------

DATASET = """SELECT ?p ?o WHERE { $dataset ?p ?o
  VALUES ?p { dct:title dct:description dct:license dct:source void:triples void:entities
              void:sparqlEndpoint owl:versionInfo } }"""
CLASS_COUNTS = """SELECT ?class ?n WHERE { $dataset void:classPartition ?part .
  ?part void:class ?class ; void:entities ?n }"""
DISTRIBUTIONS = """SELECT ?dump ?title ?description ?size ?media ?sha WHERE {
  $dataset dcat:distribution ?dump .
  OPTIONAL { ?dump dct:title ?title }
  OPTIONAL { ?dump dct:description ?description }
  OPTIONAL { ?dump dcat:byteSize ?size }
  OPTIONAL { ?dump dcat:mediaType ?media }
  OPTIONAL { ?dump <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue>
             ?sha }
} ORDER BY ?dump"""
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH $graph { ?s ?p ?o } }"
COVERAGE = """SELECT ?spatial ?start ?end WHERE {
  OPTIONAL { $dataset dct:spatial ?spatial }
  OPTIONAL { $dataset dct:temporal ?t . ?t dcat:startDate ?start ; dcat:endDate ?end }
} LIMIT 1"""
SAME_AS = """SELECT ?o WHERE { VALUES ?p { owl:sameAs skos:exactMatch } $iri ?p ?o
  FILTER(isIRI(?o)) }"""
OBSERVATION_TERMS = """SELECT ?begin ?end ?unit ?word ?source WHERE {
  OPTIONAL { $iri zz:period ?p . ?p time:hasBeginning/time:inXSDDate ?begin ;
             time:hasEnd/time:inXSDDate ?end }
  OPTIONAL { $iri zz:unit ?unit }
  OPTIONAL { $iri zz:measureWord ?word }
  OPTIONAL { $iri prov:wasDerivedFrom ?source }
} LIMIT 1"""
SCHEMA_TYPES = """SELECT DISTINCT ?t WHERE { { $iri a ?t } UNION { $iri a ?c . ?c rdfs:subClassOf ?t }
  FILTER(STRSTARTS(STR(?t), STR(schema:))) }"""
ALIGNED_PROPERTIES = """SELECT DISTINCT ?sp ?o WHERE { $iri ?p ?o .
  { ?p rdfs:subPropertyOf ?sp } UNION { BIND(?p AS ?sp) }
  FILTER(STRSTARTS(STR(?sp), STR(schema:))) } ORDER BY ?sp ?o"""

# --- the article and its citation (article.py, citation.py) ----------------------------------

HOLDERS = """
SELECT ?thing ?quote ?about ?written ?s ?p ?o ?basis WHERE {
  ?thing zz:hasQuote ?quote .
  OPTIONAL { ?thing zz:about ?about }
  OPTIONAL { ?thing zz:periodBasis ?basis }
  OPTIONAL { ?thing zz:valueAsWritten ?written }
  OPTIONAL { ?thing rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
}
"""
ARTICLE = """SELECT ?p ?o WHERE { $iri ?p ?o
  VALUES ?p { schema:headline schema:alternativeHeadline schema:author schema:image
              schema:inLanguage zz:latestDateStated schema:datePublished } }"""
CREDITS = """
SELECT ?person ?exact WHERE {
  { $iri schema:author ?person . ?st rdf:subject $iri ; rdf:predicate schema:author }
  UNION
  { $iri schema:image ?photo . ?photo schema:creator ?person .
    ?st rdf:subject ?photo ; rdf:predicate schema:creator }
  ?st rdf:object ?person ; zz:hasQuote ?quote . ?quote rdf:value ?exact .
}
"""
DATASET_CITATION = """SELECT ?p ?o WHERE { $dataset ?p ?o
  VALUES ?p { dct:title owl:versionInfo dct:license } }"""

# --- the ontology's page (ontology_doc.py) ---------------------------------------------------

ONTOLOGY_TERMS = """
SELECT ?term ?kind ?p ?o WHERE {
  GRAPH $graph {
    ?term a ?kind FILTER(STRSTARTS(STR(?term), STR(zz:)))
    OPTIONAL { ?term ?p ?o
      VALUES ?p { rdfs:label skos:definition rdfs:subClassOf rdfs:subPropertyOf rdfs:domain
                  rdfs:range skos:inScheme owl:deprecated owl:disjointWith } }
  }
}
"""
ONTOLOGY_VERSION = "SELECT ?v WHERE { GRAPH $graph { ?o a owl:Ontology ; owl:versionInfo ?v } }"
