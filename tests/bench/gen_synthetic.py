"""Make a synthetic zzkg-shaped build of about N triples (default 1 million) for the benchmarks.

    python tests/bench/gen_synthetic.py OUT_DIR [--triples 1000000] [--base https://zzkg.example.org/]

OUT_DIR gets what `zzkg build` writes (store, dumps, page index): the real graph, built by the
real build, and synthetic entities and observations added to its facts graph in the project's IRI
style ({base}id/industry/synthetic-12, {base}id/observation/synthetic-34), so that every page works
on them: entities with zh/en labels, aliases, descriptions and types of the ontology, related to
real places; observations with an entity, a real indicator, value, unit, period and a real quote of
the article. The store is optimised after the bulk load (Store.optimize()) and the page index is
rebuilt from it, as `zzkg build` does. The data are for measuring speed only: they are not facts.
"""

import argparse
import random
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from kg import pageindex
from kg.build import build
from kg.iris import DEFAULT_BASE
from kg.vocab import PREFIXES

KINDS = {  # IRI path segment -> class of the ontology
    "industry": "Industry",
    "project": "Project",
    "company": "Company",
    "institution": "Institution",
    "place": "Place",
    "corridor": "TradeCorridor",
    "product": "Product",
}
WORDS_ZH = [
    "郑州",
    "新能源",
    "汽车",
    "产业",
    "项目",
    "物流",
    "航空",
    "铁路",
    "港口",
    "电子",
    "信息",
    "智能",
    "制造",
    "数据",
    "科技",
    "开放",
]
WORDS_EN = [
    "zhengzhou",
    "new",
    "energy",
    "vehicle",
    "industry",
    "project",
    "logistics",
    "air",
    "rail",
    "port",
    "data",
    "smart",
]
TRIPLES_PER_ENTITY = 9
TRIPLES_PER_OBSERVATION = 16


def term(curie: str) -> ox.NamedNode:
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


def lit(text: str, lang: str) -> ox.Literal:
    return ox.Literal(text, language=lang)


def number(value) -> ox.Literal:
    return ox.Literal(str(value), datatype=term("xsd:decimal"))


class Real:
    """What synthetic facts point to: the real graph's places, indicators, periods and quotes."""

    def __init__(self, store: ox.Store, base: str):
        def iris(where: str) -> list[ox.NamedNode]:
            query = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
            rows = store.query(
                query + f"SELECT DISTINCT ?x WHERE {{ {where} }} ORDER BY ?x",
                use_default_graph_as_union=True,
            )
            return [row["x"] for row in rows]

        self.places = iris("?x a/rdfs:subClassOf* zz:Place")
        self.indicators = iris("?x a zz:Indicator")
        self.periods = iris("?o zz:period ?x")
        self.quotes = iris("?o a zz:Observation ; zz:hasQuote ?x")
        self.article = ox.NamedNode(base + "id/article/zhengzhou-2024-economy")
        self.dataset = ox.NamedNode(base + "dataset")


def entity_quads(number_: int, base: str, graph, real: Real, rng: random.Random):
    kind = list(KINDS)[number_ % len(KINDS)]
    node = ox.NamedNode(f"{base}id/{kind}/synthetic-{number_}")
    zh = "".join(rng.sample(WORDS_ZH, 3)) + str(number_)
    en = " ".join(rng.sample(WORDS_EN, 3)) + f" {number_}"
    yield ox.Quad(node, term("rdf:type"), term("zz:" + KINDS[kind]), graph)
    for prop in ("rdfs:label", "skos:prefLabel"):
        yield ox.Quad(node, term(prop), lit(zh, "zh"), graph)
        yield ox.Quad(node, term(prop), lit(en, "en"), graph)
    yield ox.Quad(node, term("skos:altLabel"), lit(f"{en.split()[0]} {number_}", "en"), graph)
    yield ox.Quad(node, term("schema:description"), lit(f"{en}: {zh}", "en"), graph)
    yield ox.Quad(node, term("zz:locatedIn"), rng.choice(real.places), graph)
    yield ox.Quad(node, term("prov:wasDerivedFrom"), real.article, graph)


def observation_quads(
    number_: int, base: str, graph, real: Real, rng: random.Random, *, entities: int
):
    node = ox.NamedNode(f"{base}id/observation/synthetic-{number_}")
    about = rng.randrange(entities)
    about_iri = ox.NamedNode(f"{base}id/{list(KINDS)[about % len(KINDS)]}/synthetic-{about}")
    value = round(rng.uniform(0, 10000), 1)
    word = rng.choice(WORDS_ZH)
    yield ox.Quad(node, term("rdf:type"), term("zz:Observation"), graph)
    yield ox.Quad(node, term("qb:dataSet"), real.dataset, graph)
    yield ox.Quad(node, term("rdfs:label"), lit(f"{word}·synthetic {number_}", "zh"), graph)
    yield ox.Quad(node, term("rdfs:label"), lit(f"synthetic observation {number_}", "en"), graph)
    yield ox.Quad(node, term("zz:about"), about_iri, graph)
    yield ox.Quad(
        node, term("zz:indicator"), real.indicators[number_ % len(real.indicators)], graph
    )
    yield ox.Quad(node, term("zz:value"), number(value * 10000), graph)
    yield ox.Quad(node, term("zz:valueAsWritten"), lit(f"{value}万辆", "zh"), graph)
    yield ox.Quad(node, term("zz:measureWord"), lit("辆", "zh"), graph)
    yield ox.Quad(node, term("zz:unit"), ox.NamedNode("http://qudt.org/vocab/unit/NUM"), graph)
    yield ox.Quad(node, term("zz:period"), real.periods[number_ % len(real.periods)], graph)
    yield ox.Quad(node, term("zz:periodBasis"), term("zz:Stated"), graph)
    yield ox.Quad(node, term("zz:qualifier"), term("zz:Exact"), graph)
    yield ox.Quad(node, term("zz:status"), term("zz:Reported"), graph)
    yield ox.Quad(node, term("zz:hasQuote"), rng.choice(real.quotes), graph)
    yield ox.Quad(node, term("prov:wasDerivedFrom"), real.article, graph)


def synthetic_quads(triples: int, base: str, real: Real, seed: int = 7):
    """Quads for about `triples` triples: a fifth in entities, the rest in observations."""
    rng = random.Random(seed)
    graph = ox.NamedNode(base + "graph/kg")
    entities = max(triples // 5 // TRIPLES_PER_ENTITY, 10)
    observations = max((triples - entities * TRIPLES_PER_ENTITY) // TRIPLES_PER_OBSERVATION, 10)
    for n in range(entities):
        yield from entity_quads(n, base, graph, real, rng)
    for n in range(observations):
        yield from observation_quads(n, base, graph, real, rng, entities=entities)


def generate(out_dir: Path, *, triples: int = 1_000_000, base: str = DEFAULT_BASE) -> Path:
    """Build the real graph into out_dir, add the synthetic quads, optimise, re-index; return
    the store's directory."""
    report = build(out_dir, base=base)
    store = ox.Store(str(report.store_dir))
    real = Real(store, base)
    store.bulk_extend(synthetic_quads(triples - len(store), base, real))
    store.flush()
    store.optimize()
    pageindex.write(Path(out_dir) / pageindex.INDEX_FILE, store, base=base)
    del store
    return report.store_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--base", default=DEFAULT_BASE)
    args = parser.parse_args()
    print(generate(args.out_dir, triples=args.triples, base=args.base))


if __name__ == "__main__":
    main()
