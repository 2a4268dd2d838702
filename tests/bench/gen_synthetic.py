"""Make a synthetic zzkg-shaped store of about N triples (default 1 million) for the benchmark.

    python tests/bench/gen_synthetic.py OUT_DIR [--triples 1000000] [--base https://zzkg.example.org/]

The store (OUT_DIR/store) has the real graph's layout: entities with zh/en labels and types of
the zzkg ontology in {base}graph/kg, with observations (about, indicator, value, unit, period,
quote with offsets) and claims; a small ontology in {base}graph/ontology; VoID in {base}graph/void.
"""

import argparse
import random
from pathlib import Path

import pyoxigraph as ox

DEFAULT_BASE = "https://zzkg.example.org/"
ZZ = "https://zzkg.example.org/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
CLASSES = ("Industry", "Project", "Company", "Institution", "Place", "TradeCorridor", "Product")
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
TRIPLES_PER_ENTITY = 5
TRIPLES_PER_FACT = 10


def quads(triples: int, base: str, seed: int = 7):
    """Quads for about `triples` triples: a fifth in entities, the rest in facts."""
    rng = random.Random(seed)
    kg, onto, void = (ox.NamedNode(f"{base}graph/{name}") for name in ("kg", "ontology", "void"))
    entities = max(triples // 5 // TRIPLES_PER_ENTITY, 10)
    facts = max((triples - entities * TRIPLES_PER_ENTITY) // TRIPLES_PER_FACT, 10)
    indicators = max(facts // 1000, 5)
    yield from ontology(onto)
    for number in range(entities):
        yield from entity(number, base, kg, rng)
    for number in range(indicators):
        node = ox.NamedNode(f"{base}id/indicator/i{number}")
        yield ox.Quad(node, iri(RDF_TYPE), iri(ZZ + "Indicator"), kg)
        yield ox.Quad(
            node, iri(RDFS + "label"), ox.Literal(f"indicator {number}", language="en"), kg
        )
    for number in range(facts):
        yield from fact(number, base, kg, rng, entities=entities, indicators=indicators)
    dataset = ox.NamedNode(base + "dataset")
    yield ox.Quad(dataset, iri(RDF_TYPE), iri(VOID + "Dataset"), void)
    yield ox.Quad(
        dataset,
        iri(VOID + "triples"),
        ox.Literal(str(triples), datatype=iri(XSD + "integer")),
        void,
    )


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def ontology(graph):
    for name in (*CLASSES, "Observation", "Claim", "Indicator", "Quote"):
        node = iri(ZZ + name)
        yield ox.Quad(node, iri(RDF_TYPE), iri("http://www.w3.org/2002/07/owl#Class"), graph)
        yield ox.Quad(node, iri(RDFS + "label"), ox.Literal(name, language="en"), graph)


def entity(number: int, base: str, graph, rng: random.Random):
    kind = CLASSES[number % len(CLASSES)]
    node = iri(f"{base}id/{kind.lower()}/e{number}")
    zh = "".join(rng.sample(WORDS_ZH, 3)) + str(number)
    en = " ".join(rng.sample(WORDS_EN, 3)) + f" {number}"
    yield ox.Quad(node, iri(RDF_TYPE), iri(ZZ + kind), graph)
    yield ox.Quad(node, iri(RDFS + "label"), ox.Literal(zh, language="zh"), graph)
    yield ox.Quad(node, iri(RDFS + "label"), ox.Literal(en, language="en"), graph)
    yield ox.Quad(
        node, iri(ZZ + "locatedIn"), iri(f"{base}id/place/e{(number // 7) * 7 % 1000 + 4}"), graph
    )
    yield ox.Quad(node, iri(RDFS + "comment"), ox.Literal(f"{en}: {zh}", language="en"), graph)


def fact(number: int, base: str, graph, rng: random.Random, *, entities: int, indicators: int):
    node = iri(f"{base}id/fact/f{number}")
    quote = iri(f"{base}id/fact/f{number}/quote")
    about = rng.randrange(entities)
    about_iri = iri(f"{base}id/{CLASSES[about % len(CLASSES)].lower()}/e{about}")
    value = round(rng.uniform(0, 10000), 1)
    yield ox.Quad(node, iri(RDF_TYPE), iri(ZZ + "Observation"), graph)
    yield ox.Quad(node, iri(ZZ + "about"), about_iri, graph)
    yield ox.Quad(
        node, iri(ZZ + "indicator"), iri(f"{base}id/indicator/i{number % indicators}"), graph
    )
    yield ox.Quad(
        node, iri(ZZ + "value"), ox.Literal(str(value), datatype=iri(XSD + "decimal")), graph
    )
    yield ox.Quad(node, iri(ZZ + "valueAsWritten"), ox.Literal(f"{value}万", language="zh"), graph)
    yield ox.Quad(
        node, iri(ZZ + "period"), iri(f"{base}id/period/2024-{number % 12 + 1:02d}"), graph
    )
    yield ox.Quad(node, iri(ZZ + "hasQuote"), quote, graph)
    yield ox.Quad(
        quote,
        iri(OA + "exact"),
        ox.Literal(f"全市{rng.choice(WORDS_ZH)}达{value}万", language="zh"),
        graph,
    )
    yield ox.Quad(
        quote,
        iri(OA + "start"),
        ox.Literal(str(number), datatype=iri(XSD + "nonNegativeInteger")),
        graph,
    )
    yield ox.Quad(
        quote,
        iri(OA + "end"),
        ox.Literal(str(number + 12), datatype=iri(XSD + "nonNegativeInteger")),
        graph,
    )


def generate(out_dir: Path, *, triples: int = 1_000_000, base: str = DEFAULT_BASE) -> Path:
    """Write the store to out_dir/store (replacing nothing: the directory must not exist)."""
    store_dir = Path(out_dir) / "store"
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_dir))
    store.bulk_extend(quads(triples, base))
    store.flush()
    store.optimize()
    del store
    return store_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--base", default=DEFAULT_BASE)
    args = parser.parse_args()
    print(generate(args.out_dir, triples=args.triples, base=args.base))


if __name__ == "__main__":
    main()
