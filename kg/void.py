"""The dataset's own description: VoID statistics and DCAT distributions (the dumps)."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL

from kg.dumps import DumpFile
from kg.iris import Minter
from kg.vocab import LICENCE, TIME, VOID, ZZ

# The city the article reports on: the dataset's spatial coverage.
SPATIAL_COVERAGE = "place/zhengzhou"

SPDX = "http://spdx.org/rdf/terms#"


def describe(
    facts: Graph,
    ontology: Graph,
    examples: Graph,
    dumps: list[DumpFile],
    minter: Minter,
    *,
    version: str,
    article: URIRef,
) -> Graph:
    """VoID + DCAT for the dataset whose facts graph is ``facts``."""
    g, ds = Graph(), minter.dataset
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("zz", ZZ._NS)):
        g.bind(prefix, ns)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    for lang, title in (
        ("zh", "郑州经济知识图谱(2024)"),
        ("en", "Zhengzhou economy knowledge graph (2024)"),
    ):
        g.add((ds, DCTERMS.title, Literal(title, lang=lang)))
        g.add((ds, RDFS.label, Literal(title, lang=lang)))
    descriptions = {
        "zh": "一篇关于郑州2024年经济的中文年终报道中的全部实体与统计数字，每一项都可追溯到原文引文。",
        "en": "Every entity and measured fact of a Chinese year-end report on Zhengzhou's 2024 "
        "economy, each traced to its quote in the article.",
    }
    for lang, description in descriptions.items():
        g.add((ds, DCTERMS.description, Literal(description, lang=lang)))
    g.add((ds, DCTERMS.license, LICENCE))
    g.add((ds, DCTERMS.source, article))
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, VOID.uriSpace, Literal(minter.base + "id/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(minter.base + "sparql")))
    g.add((ds, VOID.vocabulary, URIRef(str(ZZ._NS))))
    g.add((ds, DCTERMS.spatial, minter.entity(SPATIAL_COVERAGE)))
    add_temporal_coverage(g, ds, facts)
    add_statistics(g, ds, facts, ontology, minter)
    add_examples(g, ds, examples, minter)
    for dump in dumps:
        add_distribution(g, ds, dump, minter)
    return g


def add_statistics(g: Graph, ds: URIRef, facts: Graph, ontology: Graph, minter: Minter) -> None:
    subjects, properties, typed = set(), set(), set()
    classes: Counter = Counter()
    for s, p, o in facts:  # one pass: each pass over a large rdflib graph costs
        subjects.add(s)
        properties.add(p)
        if p == RDF.type:
            classes[o] += 1
            typed.add(s)
    g.add((ds, VOID.triples, integer(len(facts) + len(ontology))))
    g.add((ds, VOID.distinctSubjects, integer(len(subjects))))
    g.add((ds, VOID.properties, integer(len(properties))))
    g.add((ds, VOID.classes, integer(len(classes))))
    entity_count = sum(
        1 for s in typed if str(s).startswith(minter.base + "id/") and "#" not in str(s)
    )
    g.add((ds, VOID.entities, integer(entity_count)))
    for cls, count in sorted(classes.items()):
        local = str(cls).replace("#", "/").rsplit("/", 1)[-1]
        prefix = "zz-" if str(cls).startswith(str(ZZ._NS)) else "x-"
        partition = URIRef(f"{ds}/class/{prefix}{local}")
        g.add((ds, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, integer(count)))
    for name, graph in (("kg", facts), ("ontology", ontology)):
        subset = minter.graph(name)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, integer(len(graph))))
    # The graph that holds this description; its own size is not known while it is written.
    description = minter.graph("void")
    g.add((description, RDF.type, VOID.Dataset))
    g.add(
        (
            description,
            DCTERMS.description,
            Literal("The VoID/DCAT description of the dataset", lang="en"),
        )
    )
    g.add((description, DCTERMS.subject, ds))


def add_temporal_coverage(g: Graph, ds: URIRef, facts: Graph) -> None:
    """dct:temporal: from the first day of the earliest period facts refer to to the last day
    of the latest (DCAT 2 dcat:startDate / dcat:endDate)."""
    periods = set(facts.objects(None, ZZ.period))
    starts = [day(facts, period, TIME.hasBeginning) for period in periods]
    ends = [day(facts, period, TIME.hasEnd) for period in periods]
    starts, ends = [d for d in starts if d], [d for d in ends if d]
    if not starts or not ends:
        return
    coverage = URIRef(f"{ds}#temporal")
    g.add((ds, DCTERMS.temporal, coverage))
    g.add((coverage, RDF.type, DCTERMS.PeriodOfTime))
    g.add((coverage, DCAT.startDate, Literal(min(starts), datatype=XSD.date)))
    g.add((coverage, DCAT.endDate, Literal(max(ends), datatype=XSD.date)))


def day(facts: Graph, period, bound: URIRef):
    instant = facts.value(period, bound)
    value = facts.value(instant, TIME.inXSDDate) if instant is not None else None
    return value.toPython() if value is not None else None


def add_examples(g: Graph, ds: URIRef, examples: Graph, minter: Minter) -> None:
    """The graph of example queries (kg/examples.py): a subset, with its size and purpose."""
    subset = minter.graph("examples")
    g.add((ds, VOID.subset, subset))
    g.add((subset, RDF.type, VOID.Dataset))
    g.add((subset, VOID.triples, integer(len(examples))))
    g.add(
        (subset, DCTERMS.description, Literal("Example SPARQL queries on the dataset", lang="en"))
    )


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def add_distribution(g: Graph, ds: URIRef, dump: DumpFile, minter: Minter) -> None:
    iri = minter.dump(dump.name)
    checksum = URIRef(f"{iri}#sha256")
    g.add((ds, VOID.dataDump, iri))
    g.add((ds, DCAT.distribution, iri))
    g.add((iri, RDF.type, DCAT.Distribution))
    g.add((iri, DCTERMS.title, Literal(dump.name)))
    g.add((iri, DCTERMS.description, Literal(dump.description, lang="en")))
    g.add((iri, DCAT.downloadURL, iri))
    g.add(
        (
            iri,
            DCAT.mediaType,
            URIRef(f"https://www.iana.org/assignments/media-types/{dump.media_type}"),
        )
    )
    g.add((iri, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    g.add((iri, URIRef(SPDX + "checksum"), checksum))
    g.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
    g.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
    g.add((checksum, URIRef(SPDX + "checksumValue"), Literal(dump.sha256, datatype=XSD.hexBinary)))
