"""Every query in queries/ runs on the built store and gives the article's answer.

The top of this module is the catalogue loader (`load_catalogue`, `read_header`): it reads the
`# field: value` header of each `NN-slug.rq` file. It is meant to move into the package once the
query UI offers the catalogue by title.

Expected answers come from the article (kg/sources/zhengzhou-2024-economy.zh.txt) through
kg/sources/facts.yaml: small answers are asserted row by row, large ones by their count and key rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery

from server.sparql import safety

# --- the catalogue loader -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
HEADER_FIELDS = ("title@zh", "title@en", "question", "answer")
FILE_NAME = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.rq$")
HEADER_LINE = re.compile(r"^#\s?(?P<key>[a-z][a-z@-]*):\s*(?P<value>.*)$")


@dataclass(frozen=True)
class CatalogueQuery:
    """One research query: its file, number, slug, header fields and SPARQL text."""

    path: Path
    number: str
    slug: str
    header: dict[str, str]
    text: str

    @property
    def title_zh(self) -> str:
        return self.header["title@zh"]

    @property
    def title_en(self) -> str:
        return self.header["title@en"]


def read_header(text: str) -> dict[str, str]:
    """The `# field: value` lines of the comment block a query file opens with."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if match:
            header[match["key"]] = match["value"].strip()
    return header


def read_query(path: Path) -> CatalogueQuery:
    match = FILE_NAME.match(path.name)
    if not match:
        raise ValueError(f"{path.name}: a query file is named NN-slug.rq")
    text = path.read_text(encoding="utf-8")
    return CatalogueQuery(path, match["number"], match["slug"], read_header(text), text)


def load_catalogue(directory: Path = QUERIES_DIR) -> list[CatalogueQuery]:
    """Every query of the catalogue, in file-name order."""
    return [read_query(path) for path in sorted(directory.glob("*.rq"))]


# --- running queries ------------------------------------------------------------------------

ID = "https://zzkg.example.org/id/"
ZZ_NS = "https://zzkg.example.org/ontology#"
ZZ = Namespace(ZZ_NS)
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
FEDERATED = "37-wikidata-enrichment.rq"
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))


def plain(term):
    """A result term as a plain Python value; our IRIs shortened to kind/slug and zz:Name."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype == "decimal":
            return D(term.value)
        if datatype in ("integer", "positiveInteger", "nonNegativeInteger"):
            return int(term.value)
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    if term.value.startswith(ID):
        return term.value[len(ID) :]
    if term.value.startswith(ZZ_NS):
        return "zz:" + term.value[len(ZZ_NS) :]
    return term.value


def run(store, text: str):
    """Rows (variable names and tuples of plain values) of a SELECT, or an rdflib Graph."""
    results = store.query(text, use_default_graph_as_union=True)
    if isinstance(results, pyoxigraph.QuerySolutions):
        names = tuple(v.value for v in results.variables)
        return names, [tuple(plain(row[name]) for name in names) for row in results]
    data = pyoxigraph.serialize(results, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


@dataclass(frozen=True)
class Rows:
    """A small answer: exactly these rows, in this order."""

    columns: tuple[str, ...]
    rows: list[tuple]


@dataclass(frozen=True)
class Some:
    """A large answer: this many rows, among them these (projected on `columns`)."""

    count: int
    columns: tuple[str, ...]
    rows: list[tuple]


NUM = "http://qudt.org/vocab/unit/NUM"
PERCENT = "http://qudt.org/vocab/unit/PERCENT"
WD = "http://www.wikidata.org/entity/"
GN = "https://sws.geonames.org/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty"
DATATYPE_PROPERTY = "http://www.w3.org/2002/07/owl#DatatypeProperty"

# fmt: off
EXPECTED: dict[str, Rows | Some] = {
    "01-air-silk-road-facts.rq": Rows(
        ("fact", "kind", "indicator", "value", "written", "unit", "measureWord", "qualifier", "status", "claim", "period", "begin", "end", "quote"),
        [
            ("claim/air-silk-road-reaching-further", "zz:Claim", None, None, None, None, None, None, None, "“空中丝绸之路”越飞越广", "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", "“空中丝绸之路”越飞越广"),
            ("observation/daily-all-cargo-flights-2024", "zz:Observation", "all-cargo flights handled on a single day", 90, "近90架次", NUM, "架次", "zz:Nearly", "zz:Reported", None, "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", "单日保障全货机航班近90架次"),
            ("claim/air-freight-historic-high", "zz:Claim", "cargo and mail throughput", None, None, None, None, None, None, "年货邮吞吐量创历史新高", "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", "年货邮吞吐量突破80万吨,创历史新高"),
            ("observation/air-cargo-throughput-2024", "zz:Observation", "cargo and mail throughput", 800000, "突破80万吨", "http://qudt.org/vocab/unit/TONNE", "吨", "zz:MoreThan", "zz:Reported", None, "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", "年货邮吞吐量突破80万吨"),
            ("observation/new-air-cargo-routes-2024", "zz:Observation", "new air cargo routes", 19, "19条", NUM, "条", "zz:Exact", "zz:Reported", None, "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", "新开郑州至法国巴黎、荷兰阿姆斯特丹等货运航线19条"),
        ],
    ),
    "02-zhengzhou-relations.rq": Rows(
        ("direction", "property", "other", "otherLabel", "quote"),
        [
            ("in", "http://www.w3.org/2004/02/skos/core#member", "group/national-central-cities", "national central cities", "前三季度,地区生产总值增速在国家中心城市中排名第二"),
            ("in", "https://schema.org/homeLocation", "person/xing-xiaodong", "Xing Xiaodong", "选择了落户郑州"),
            ("in", "zz:awardedTo", "award/world-smart-city-awards-china-urban-governance", "World Smart City Awards China: Urban Governance Award", "在“世界智慧城市大奖·中国”评选中获得城市治理大奖"),
            ("in", "zz:heldIn", "event/china-henan-asean-cultural-exchange-month-2024", "2024 China (Henan)–ASEAN People-to-People Exchange Month", "2024中国(河南)一东盟人文交流月"),
            ("in", "zz:heldIn", "event/f1h2o-zhengzhou-grand-prix", "UIM F1H2O World Championship Grand Prix of China (Zhengzhou)", "世界F1H2O摩托艇锦标赛中国郑州大奖赛"),
            ("in", "zz:heldIn", "event/shaolin-wushu-festival-13", "13th Zhengzhou International Shaolin Wushu Festival", "第十三届郑州国际少林武术节"),
            ("in", "zz:heldIn", "event/yellow-emperor-ancestor-worship-2024", "2024 (Jiachen Year) Grand Ceremony of Worshipping Ancestor Yellow Emperor at His Hometown", "成功举办甲辰年黄帝故里拜祖大典"),
            ("in", "zz:heldIn", "event/zhengzhou-luxembourg-air-silk-road-forum-2", "2nd Zhengzhou–Luxembourg \"Air Silk Road\" International Cooperation Forum", "第二届郑州一卢森堡“空中丝绸之路”国际合作论坛"),
            ("in", "zz:locatedIn", "institution/henan-university-zhengzhou-campus", "Henan University Zhengzhou Campus", "河南大学郑州校区"),
            ("in", "zz:locatedIn", "institution/national-tcm-medical-center", "National Traditional Chinese Medicine Medical Center", "成功获批国家中医医学中心"),
            ("in", "zz:locatedIn", "institution/zhengzhou-data-exchange", "Zhengzhou Data Exchange", "郑州数据交易中心"),
            ("in", "zz:locatedIn", "place/zhengzhou-port", "Zhengzhou port of entry", "郑州口岸"),
            ("in", "zz:locatedIn", "project/central-china-728-innovation-port", "Central China 728 Innovation Port", "我市依托郑州大学规划建设的中部728创新港"),
            ("in", "zz:locatedIn", "project/china-post-aviation-hub", "China Post aviation hub project", "中国邮政航空枢纽项目开工建设"),
            ("in", "zz:locatedIn", "project/henan-university-zhengzhou-new-campus", "Henan University new Zhengzhou campus", "河南大学郑州新校区"),
            ("in", "zz:origin", "corridor/zhengzhou-luxembourg-air-silk-road", "Zhengzhou–Luxembourg Air Silk Road", "郑州一卢森堡“空中丝绸之路”"),
            ("in", "zz:origin", "route/zhengzhou-amsterdam-air-cargo", "Zhengzhou–Amsterdam air cargo route", "新开郑州至法国巴黎、荷兰阿姆斯特丹等货运航线"),
            ("in", "zz:origin", "route/zhengzhou-paris-air-cargo", "Zhengzhou–Paris air cargo route", "新开郑州至法国巴黎"),
        ],
    ),
    "03-growth-rates-ranked.rq": Rows(
        ("subject", "label", "indicator", "rate", "written", "qualifier", "lower", "upper", "period"),
        [
            ("industry/new-energy-vehicles", "new energy vehicles", "growth of vehicles produced", D("112.9"), "112.9%", "zz:Exact", None, None, "January–November 2024"),
            ("service/rail-sea-intermodal-zhengzhou", "rail-sea intermodal transport", "growth of containers handled", 50, "50%以上", "zz:AtLeast", 50, None, "2024 to date (1 January – 21 December)"),
            ("service/china-europe-railway-express-zhengzhou", "China-Europe Railway Express", "growth of trains operated", D("18.2"), "18.2%", "zz:Exact", None, None, "January–November 2024"),
            ("industry/electronic-information", "electronic information industry", "value-added growth", D("11.8"), "11.8%", "zz:Exact", None, None, None),
            ("industry/above-scale-industry", "industry above designated size", "growth of industry above designated size", 10, "两位数", "zz:TwoDigit", 10, 100, "13 consecutive months to November 2024"),
        ],
    ),
    "04-grew-faster-than-ten-percent.rq": Rows(
        ("subject", "label", "indicator", "least", "written", "qualifier", "period"),
        [
            ("place/zhengzhou-port", "Zhengzhou port of entry", "growth of inbound foreign and Hong Kong, Macao and Taiwan travellers", 300, "300%", "zz:Exact", "January–November 2024"),
            ("industry/new-energy-vehicles", "new energy vehicles", "growth of vehicles produced", D("112.9"), "112.9%", "zz:Exact", "January–November 2024"),
            ("service/rail-sea-intermodal-zhengzhou", "rail-sea intermodal transport", "growth of containers handled", 50, "50%以上", "zz:AtLeast", "2024 to date (1 January – 21 December)"),
            ("service/china-europe-railway-express-zhengzhou", "China-Europe Railway Express", "growth of trains operated", D("18.2"), "18.2%", "zz:Exact", "January–November 2024"),
            ("industry/electronic-information", "electronic information industry", "value-added growth", D("11.8"), "11.8%", "zz:Exact", None),
        ],
    ),
    "05-figures-that-are-bounds.rq": Rows(
        ("o", "subject", "written", "qualifier", "lower", "lowerInclusive", "upper", "upperInclusive", "status"),
        [
            ("observation/high-tech-enterprises-cultivated-2024", "Zhengzhou", "800家以上", "zz:AtLeast", 800, True, None, None, "zz:Reported"),
            ("observation/rail-sea-teu-growth-2024", "rail-sea intermodal transport", "50%以上", "zz:AtLeast", 50, True, None, None, "zz:Reported"),
            ("observation/tech-smes-registered-2024", "Zhengzhou", "7000家以上", "zz:AtLeast", 7000, True, None, None, "zz:Reported"),
            ("observation/ai-industry-scale-2024", "artificial intelligence industry", "超500亿元", "zz:MoreThan", 50000000000, False, None, None, "zz:Reported"),
            ("observation/air-cargo-throughput-2024", "Air Silk Road", "突破80万吨", "zz:MoreThan", 800000, False, None, None, "zz:Reported"),
            ("observation/electronic-information-scale-2024", "electronic information industry", "超7000亿元", "zz:MoreThan", 700000000000, False, None, None, "zz:Reported"),
            ("observation/rail-sea-teu-2024", "rail-sea intermodal transport", "超6万标箱", "zz:MoreThan", 60000, False, None, None, "zz:Reported"),
            ("observation/talent-pool-total", "Zhengzhou", "超300万", "zz:MoreThan", 3000000, False, None, None, "zz:Reported"),
            ("observation/technology-contract-turnover-2024-estimate", "Zhengzhou", "突破800亿元", "zz:MoreThan", 80000000000, False, None, None, "zz:Estimated"),
            ("observation/vehicle-output-2024-one-million", "automotive industry", "突破百万", "zz:MoreThan", 1000000, False, None, None, "zz:Reported"),
            ("observation/daily-all-cargo-flights-2024", "Air Silk Road", "近90架次", "zz:Nearly", None, None, 90, False, "zz:Reported"),
            ("observation/data-exchange-turnover-cumulative", "Zhengzhou Data Exchange", "近20亿元", "zz:Nearly", None, None, 2000000000, False, "zz:Reported"),
            ("observation/above-scale-industry-two-digit-growth-13-months", "industry above designated size", "两位数", "zz:TwoDigit", 10, True, 100, False, "zz:Reported"),
        ],
    ),
    "06-estimates.rq": Rows(
        ("o", "subject", "indicator", "written", "qualifier", "lower", "lowerInclusive", "upper", "upperInclusive", "period", "quote"),
        [
            ("observation/technology-contract-turnover-2024-estimate", "Zhengzhou", "technology contract turnover", "突破800亿元", "zz:MoreThan", 80000000000, False, None, None, "2024", "技术合同成交额预计全年突破800亿元"),
        ],
    ),
    "07-periods.rq": Rows(
        ("period", "label", "begin", "end", "duration", "observations", "claims"),
        [
            ("period/2023", "2023", "2023-01-01", "2023-12-31", "P1Y", 2, 1),
            ("period/P16M--2024-11", "16 consecutive months to November 2024", "2023-08-01", "2024-11-30", "P1Y4M", 1, 0),
            ("period/P13M--2024-11", "13 consecutive months to November 2024", "2023-11-01", "2024-11-30", "P1Y1M", 1, 0),
            ("period/2024-Q1--2024-Q3", "Q1–Q3 2024", "2024-01-01", "2024-09-30", "P9M", 1, 0),
            ("period/2024-01--2024-11", "January–November 2024", "2024-01-01", "2024-11-30", "P11M", 6, 2),
            ("period/2024-01-01--2024-12-21", "2024-01-01 to 2024-12-21", "2024-01-01", "2024-12-21", None, 1, 2),
            ("period/2024-to-date", "2024 to date (1 January – 21 December)", "2024-01-01", "2024-12-21", None, 27, 41),
            ("period/2024", "2024", "2024-01-01", "2024-12-31", "P1Y", 1, 0),
        ],
    ),
    "08-january-to-november.rq": Rows(
        ("o", "subject", "indicator", "value", "written", "periodAsWritten"),
        [
            ("observation/china-europe-trains-2024-jan-nov", "China-Europe Railway Express", "trains operated", 3363, "3363班次标准列", "前11个月"),
            ("observation/china-europe-trains-growth-2024-jan-nov", "China-Europe Railway Express", "growth of trains operated", D("18.2"), "18.2%", "前11个月"),
            ("observation/inbound-foreign-travellers-growth-2024-jan-nov", "Zhengzhou port of entry", "growth of inbound foreign and Hong Kong, Macao and Taiwan travellers", 300, "300%", "1~11月"),
            ("observation/nev-output-2024-jan-nov", "new energy vehicles", "vehicles produced", 529000, "52.9万辆", "1~11月"),
            ("observation/nev-output-growth-2024-jan-nov", "new energy vehicles", "growth of vehicles produced", D("112.9"), "112.9%", "1~11月"),
            ("observation/vehicle-output-2024-one-million", "automotive industry", "vehicles produced", 1000000, "突破百万", None),
        ],
    ),
    "09-first-three-quarters.rq": Rows(
        ("fact", "subject", "indicator", "value", "rank", "group", "periodAsWritten"),
        [
            ("observation/gdp-growth-rank-2024-q1-q3", "Zhengzhou", "GDP growth rate", None, 2, "national central cities", "前三季度"),
        ],
    ),
    "11-as-of-21-december.rq": Rows(
        ("o", "subject", "indicator", "value", "written", "begin", "periodAsWritten"),
        [
            ("observation/good-air-quality-days-2024", "Zhengzhou", "days of good air quality", 225, "225天", "2024-01-01", "截至12月21日"),
        ],
    ),
    "12-reaching-back-into-2023.rq": Rows(
        ("fact", "subject", "indicator", "written", "begin", "end", "periodAsWritten", "basis", "basisNote"),
        [
            ("claim/national-sci-tech-awards-best-ever", "Zhengzhou", "national science and technology awards result", "在2023年度国家科技“三大奖”评选中取得历史最好成绩", "2023-01-01", "2023-12-31", "2023年度", "zz:Stated", None),
            ("observation/national-sci-tech-second-prizes-2023", "Zhengzhou", "national science and technology awards, second prizes", "6项", "2023-01-01", "2023-12-31", "2023年度", "zz:Stated", None),
            ("observation/national-sci-tech-special-prizes-2023", "Zhengzhou", "national science and technology awards, special prizes", "1项", "2023-01-01", "2023-12-31", "2023年度", "zz:Stated", None),
            ("observation/above-scale-industry-growth-rank-16-months", "industry above designated size", "growth of industry above designated size", "首位", "2023-08-01", "2024-11-30", "连续16个月", "zz:Inferred", "The article does not say in which month the run ends; taken as the last whole month before 21 December 2024, the latest day it states (November 2024)."),
            ("observation/above-scale-industry-two-digit-growth-13-months", "industry above designated size", "growth of industry above designated size", "两位数", "2023-11-01", "2024-11-30", "连续13个月", "zz:Inferred", "The article does not say in which month the run ends; taken as the last whole month before 21 December 2024, the latest day it states (November 2024)."),
        ],
    ),
    "13-air-cargo-destinations.rq": Rows(
        ("service", "class", "label", "origin", "destination", "country", "newRoutes"),
        [
            ("corridor/zhengzhou-luxembourg-air-silk-road", "zz:TradeCorridor", "Zhengzhou–Luxembourg Air Silk Road", "Zhengzhou", "Luxembourg", None, "19条"),
            ("route/zhengzhou-amsterdam-air-cargo", "zz:AirCargoRoute", "Zhengzhou–Amsterdam air cargo route", "Zhengzhou", "Amsterdam", "Netherlands", "19条"),
            ("route/zhengzhou-paris-air-cargo", "zz:AirCargoRoute", "Zhengzhou–Paris air cargo route", "Zhengzhou", "Paris", "France", "19条"),
        ],
    ),
    "14-china-europe-railway-express.rq": Rows(
        ("service", "corridor", "indicator", "value", "written", "unit", "period", "growthOf"),
        [
            ("China-Europe Railway Express", "Land Silk Road", "growth of trains operated", D("18.2"), "18.2%", PERCENT, "January–November 2024", "3363班次标准列"),
            ("China-Europe Railway Express", "Land Silk Road", "new direct destinations", 5, "5个", NUM, "2024 to date (1 January – 21 December)", None),
            ("China-Europe Railway Express", "Land Silk Road", "trains operated", 3363, "3363班次标准列", NUM, "January–November 2024", None),
        ],
    ),
    "15-new-rail-stations.rq": Rows(
        ("service", "stationZh", "stationEn", "country", "wikidata", "geonames", "newStations"),
        [
            ("China-Europe Railway Express", "金边", "Phnom Penh", "Cambodia", "http://www.wikidata.org/entity/Q1850", "https://sws.geonames.org/1821306/", "5个"),
        ],
    ),
    "16-rail-sea-intermodal.rq": Rows(
        ("service", "corridor", "indicator", "written", "unit", "qualifier", "lower", "lowerInclusive", "period"),
        [
            ("rail-sea intermodal transport", "Maritime Silk Road", "containers handled", "超6万标箱", "zz:TEU", "zz:MoreThan", 60000, False, "2024 to date (1 January – 21 December)"),
            ("rail-sea intermodal transport", "Maritime Silk Road", "growth of containers handled", "50%以上", PERCENT, "zz:AtLeast", 50, True, "2024 to date (1 January – 21 December)"),
        ],
    ),
    "17-growth-and-what-grew.rq": Rows(
        ("subject", "indicator", "amount", "amountWritten", "rate", "rateWritten", "period"),
        [
            ("new energy vehicles", "vehicles produced", 529000, "52.9万辆", D("112.9"), "112.9%", "January–November 2024"),
            ("rail-sea intermodal transport", "containers handled", 60000, "超6万标箱", 50, "50%以上", "2024 to date (1 January – 21 December)"),
            ("China-Europe Railway Express", "trains operated", 3363, "3363班次标准列", D("18.2"), "18.2%", "January–November 2024"),
        ],
    ),
    "18-silk-road-corridors.rq": Rows(
        ("corridor", "labelZh", "labelEn", "members", "facts"),
        [
            ("corridor/air-silk-road", "空中丝绸之路", "Air Silk Road", 4, 6),
            ("corridor/land-silk-road", "陆上丝绸之路", "Land Silk Road", 1, 4),
            ("corridor/maritime-silk-road", "海上丝绸之路", "Maritime Silk Road", 1, 3),
            ("corridor/online-silk-road", "网上丝绸之路", "Online Silk Road", 1, 2),
            ("corridor/zhengzhou-luxembourg-air-silk-road", "郑州—卢森堡“空中丝绸之路”", "Zhengzhou–Luxembourg Air Silk Road", 0, 0),
        ],
    ),
    "19-innovation.rq": Rows(
        ("topic", "fact", "indicator", "value", "written", "qualifier", "status"),
        [
            ("R&D", "claim/rd-expenditure-growth-among-leaders", "growth of total R&D expenditure", None, "全社会研发投入增幅在国家中心城市中连续保持前列", None, None),
            ("awards", "claim/national-sci-tech-awards-best-ever", "national science and technology awards result", None, "在2023年度国家科技“三大奖”评选中取得历史最好成绩", None, None),
            ("awards", "observation/national-sci-tech-second-prizes-2023", "national science and technology awards, second prizes", 6, "6项", "zz:Exact", "zz:Reported"),
            ("awards", "observation/national-sci-tech-special-prizes-2023", "national science and technology awards, special prizes", 1, "1项", "zz:Exact", "zz:Reported"),
            ("enterprises", "observation/tech-smes-registered-2024", "national technology-based SMEs", 7000, "7000家以上", "zz:AtLeast", "zz:Reported"),
            ("enterprises", "observation/high-tech-enterprises-cultivated-2024", "new high-tech enterprises cultivated", 800, "800家以上", "zz:AtLeast", "zz:Reported"),
            ("institutes", "observation/university-research-institutes-cumulative", "first-class university research institutes in Zhengzhou", 8, "8个", "zz:Exact", "zz:Reported"),
            ("institutes", "observation/major-research-institutes-cumulative", "major research institutes established", 8, "8家", "zz:Exact", "zz:Reported"),
            ("laboratories", "observation/provincial-laboratories-2024", "provincial laboratories", 18, "增至18家", "zz:Reached", "zz:Reported"),
            ("talent", "observation/top-talents-total", "academician-level top talents in total", 94, "达到94人", "zz:Reached", "zz:Reported"),
            ("talent", "observation/top-talents-recruited-2024", "academician-level top talents recruited", 13, "13人", "zz:Exact", "zz:Reported"),
            ("talent", "claim/talent-hub-accelerating", "talent pool", None, "人才高地加快隆起", None, None),
            ("talent", "observation/talent-pool-total", "talent pool", 3000000, "超300万", "zz:MoreThan", "zz:Reported"),
            ("technology market", "observation/technology-contract-turnover-2024-estimate", "technology contract turnover", 80000000000, "突破800亿元", "zz:MoreThan", "zz:Estimated"),
        ],
    ),
    "20-major-projects.rq": Rows(
        ("project", "label", "stage", "reliesOn", "locatedIn", "period"),
        [
            ("project/central-china-728-innovation-port", "Central China 728 Innovation Port", "site selected", "Zhengzhou University", "Zhengzhou", "2024 to date (1 January – 21 December)"),
            ("project/china-post-aviation-hub", "China Post aviation hub project", "construction started", None, "Zhengzhou", "2024 to date (1 January – 21 December)"),
            ("project/henan-university-zhengzhou-new-campus", "Henan University new Zhengzhou campus", "site selected", None, "Zhengzhou", "2024 to date (1 January – 21 December)"),
            ("project/large-scientific-facility-innovation-ecosystem", "innovation ecosystem around large scientific facilities", "accelerating", None, None, "2024 to date (1 January – 21 December)"),
            ("project/national-supercomputing-internet-core-node", "National Supercomputing Internet core node project", "accelerating", None, None, "2024 to date (1 January – 21 December)"),
            ("project/zhongyuan-light-laser-platform", "\"Light of Zhongyuan\" ultrashort ultra-intense laser platform", "main structure completed", None, None, "2024 to date (1 January – 21 December)"),
        ],
    ),
    "21-industry.rq": Rows(
        ("subject", "broader", "indicator", "value", "written", "qualifier", "rank", "group", "period"),
        [
            ("artificial intelligence industry", None, "industry scale", 50000000000, "超500亿元", "zz:MoreThan", None, None, None),
            ("automotive industry", None, "vehicles produced", 1000000, "突破百万", "zz:MoreThan", None, None, "January–November 2024"),
            ("domestically produced servers", None, "market share", None, None, "zz:Exact", 1, "nationwide (all of China)", None),
            ("electronic information industry", None, "industry scale", 700000000000, "超7000亿元", "zz:MoreThan", None, None, None),
            ("electronic information industry", None, "value-added growth", D("11.8"), "11.8%", "zz:Exact", None, None, None),
            ("industry above designated size", None, "growth of industry above designated size", None, None, "zz:Exact", 1, "national central cities", "16 consecutive months to November 2024"),
            ("industry above designated size", None, "growth of industry above designated size", None, "两位数", "zz:TwoDigit", None, None, "13 consecutive months to November 2024"),
            ("key industrial chain cultivation programme", None, "key industrial chains cultivated", 20, "20条", "zz:Exact", None, None, "2024 to date (1 January – 21 December)"),
            ("new energy vehicles", "automotive industry", "growth of vehicles produced", D("112.9"), "112.9%", "zz:Exact", None, None, "January–November 2024"),
            ("new energy vehicles", "automotive industry", "vehicles produced", 529000, "52.9万辆", "zz:Exact", None, None, "January–November 2024"),
        ],
    ),
    "22-industry-scheme.rq": Rows(
        ("concept", "class", "labelZh", "labelEn", "broader", "facts"),
        [
            ("chain/superhard-materials", "zz:IndustrialChain", "超硬材料", "superhard materials industrial chain", None, 0),
            ("industry/above-scale-industry", "zz:Industry", "规上工业", "industry above designated size", None, 2),
            ("industry/artificial-intelligence", "zz:Industry", "人工智能产业", "artificial intelligence industry", None, 1),
            ("industry/automotive", "zz:Industry", "汽车产业", "automotive industry", None, 3),
            ("industry/cross-border-e-commerce", "zz:Industry", "跨境电商", "cross-border e-commerce", None, 1),
            ("industry/electronic-information", "zz:Industry", "电子信息产业", "electronic information industry", None, 2),
            ("industry/high-tech-industries", "zz:Industry", "高新技术产业", "high and new technology industries", None, 1),
            ("industry/high-tech-manufacturing", "zz:Industry", "高技术制造业", "high-tech manufacturing", None, 1),
            ("industry/new-energy-vehicles", "zz:Industry", "新能源汽车", "new energy vehicles", "industry/automotive", 4),
            ("industry/strategic-emerging-industries", "zz:Industry", "战略性新兴产业", "strategic emerging industries", None, 1),
        ],
    ),
    "23-strong-growth-without-figures.rq": Rows(
        ("subject", "class", "label", "statement"),
        [
            ("industry/automotive", "zz:Industry", "automotive industry", "The car consumer market was booming"),
            ("industry/high-tech-industries", "zz:Industry", "high and new technology industries", "The city's high and new technology industries grew strongly"),
            ("industry/high-tech-manufacturing", "zz:Industry", "high-tech manufacturing", "The city's high-tech manufacturing grew strongly"),
            ("industry/strategic-emerging-industries", "zz:Industry", "strategic emerging industries", "The city's strategic emerging industries grew strongly"),
            ("product/charging-piles", "zz:Product", "charging piles", "Output of charging piles rose sharply"),
            ("product/integrated-circuits", "zz:Product", "integrated circuits", "Output of integrated circuits rose sharply"),
            ("product/lithium-batteries", "zz:Product", "lithium batteries", "Output of lithium batteries rose sharply"),
            ("product/servers", "zz:Product", "servers", "Output of servers rose sharply"),
            ("product/solar-cells", "zz:Product", "solar cells", "Output of solar cells rose sharply"),
        ],
    ),
    "24-opening-up.rq": Rows(
        ("subject", "kind", "claimType", "written"),
        [
            ("13th Zhengzhou International Shaolin Wushu Festival", "zz:Claim", "zz:EventHeld", "The 13th Zhengzhou International Shaolin Wushu Festival was successfully held"),
            ("2024 (Jiachen Year) Grand Ceremony of Worshipping Ancestor Yellow Emperor at His Hometown", "zz:Claim", "zz:EventHeld", "Zhengzhou successfully held the 2024 Yellow Emperor ancestor worship ceremony"),
            ("2024 China (Henan)–ASEAN People-to-People Exchange Month", "zz:Claim", "zz:EventHeld", "The 2024 China (Henan)–ASEAN People-to-People Exchange Month was successfully held"),
            ("2nd Zhengzhou–Luxembourg \"Air Silk Road\" International Cooperation Forum", "zz:Claim", "zz:EventHeld", "The 2nd Zhengzhou–Luxembourg \"Air Silk Road\" International Cooperation Forum was successfully held"),
            ("Seventh Plenary Session of the 12th CPC Zhengzhou Municipal Committee and Municipal Economic Work Conference", "zz:Claim", "zz:MarkedResults", "The 2024 \"report card\" summed up by the municipal plenary session and economic work conference is encouraging"),
            ("UIM F1H2O World Championship Grand Prix of China (Zhengzhou)", "zz:Claim", "zz:EventHeld", "The F1H2O World Championship Grand Prix of China was successfully held in Zhengzhou"),
            ("Zhengzhou", "zz:Claim", "zz:Continuing", "Zhengzhou's international profile and reputation keep rising"),
            ("visa-free transit policy", "zz:Claim", "zz:Approved", "The visa-free transit policy was approved for Zhengzhou"),
            ("Zhengzhou port of entry", "zz:Observation", None, "300%"),
            ("visa-free transit policy", "zz:Observation", None, "240小时"),
        ],
    ),
    "25-livelihood.rq": Rows(
        ("topic", "indicator", "value", "written", "unit", "measureWord", "period"),
        [
            ("education", "kindergartens built or expanded", 20, "20所", NUM, "所", "2024 to date (1 January – 21 December)"),
            ("education", "primary and secondary schools opened", 15, "15所", NUM, "所", "2024 to date (1 January – 21 December)"),
            ("education", "school places added", 42500, "4.25万个", NUM, "个", "2024 to date (1 January – 21 December)"),
            ("education", "senior high schools opened", 3, "3所", NUM, "所", "2024 to date (1 January – 21 December)"),
            ("elderly care", "elderly care beds added", 6012, "6012张", NUM, "张", "2024 to date (1 January – 21 December)"),
            ("elderly care", "homes adapted for the elderly", 3014, "3014户", NUM, "户", "2024 to date (1 January – 21 December)"),
            ("housing", "delivery rate", D("99.2"), "达99.2%", PERCENT, "%", "2024 to date (1 January – 21 December)"),
            ("housing", "pre-sold homes delivered", 127000, "12.7万套", NUM, "套", "2024 to date (1 January – 21 December)"),
            ("jobs", "new urban jobs", 131000, "13.1万人", NUM, "人", "2024 to date (1 January – 21 December)"),
            ("public concerns", "pressing public concerns resolved", 9901, "9901个", NUM, "个", "2024 to date (1 January – 21 December)"),
        ],
    ),
    "26-environment.rq": Rows(
        ("indicator", "kind", "value", "written", "unit", "begin", "end"),
        [
            ("days of good air quality", "zz:Claim", None, "The number of good-air days keeps rising", None, "2024-01-01", "2024-12-21"),
            ("days of good air quality", "zz:Observation", 225, "225天", "http://qudt.org/vocab/unit/DAY", "2024-01-01", "2024-12-21"),
            ("parks and pocket parks built", "zz:Observation", 35, "35个", NUM, "2024-01-01", "2024-12-21"),
            ("urban green space added", "zz:Observation", 3200000, "320万平方米", "http://qudt.org/vocab/unit/M2", "2024-01-01", "2024-12-21"),
        ],
    ),
    "27-governance.rq": Rows(
        ("topic", "subject", "indicator", "value", "written", "qualifier", "claimType"),
        [
            ("data", "Zhengzhou Data Exchange", "data trading turnover", 2000000000, "近20亿元", "zz:Nearly", None),
            ("data", "market-based allocation reform of data as a factor of production", "progress of data-element market reform", None, "Zhengzhou's reform of market allocation of data is among the most advanced in China", None, "zz:AmongLeaders"),
            ("government services", '"efficiently get one thing done" government service reform', '"efficiently get one thing done" services added', 30, "30项", "zz:Exact", None),
            ("government services", "certificate-free government services", "certificate-free services added", 111, "111个", "zz:Exact", None),
            ("government services", "Zhengzhou", "integrated government service capacity", None, "Zhengzhou's integrated government service capacity stays in the national first tier", None, "zz:AmongLeaders"),
            ("government services", "inter-provincial government services", "inter-provincial services", 609, "达609项", "zz:Reached", None),
            ("grid governance", "Party-building-led grid governance version 3.0", "completion rate", D("96.9"), "96.9%", "zz:Exact", None),
            ("grid governance", "Party-building-led grid governance version 3.0", "incidents handled", 4443000, "444.3万件", "zz:Exact", None),
            ("grid governance", "Party-building-led grid governance version 3.0", "public satisfaction rate", D("95.8"), "达95.8%", "zz:Reached", None),
        ],
    ),
    "28-public-safety.rq": Rows(
        ("indicator", "change", "written", "basis", "period", "quote"),
        [
            ("growth of telecom fraud reports", -20, "下降20%", "year on year", "2024 to date (1 January – 21 December)", "刑事发案、电信诈骗警情数量同比下降17.3%和20%"),
            ("growth of criminal cases", D("-17.3"), "下降17.3%", "year on year", "2024 to date (1 January – 21 December)", "刑事发案、电信诈骗警情数量同比下降17.3%和20%"),
        ],
    ),
    "29-ranks.rq": Rows(
        ("subject", "indicator", "rank", "rankAsWritten", "groupZh", "groupEn", "periodAsWritten", "period"),
        [
            ("domestically produced servers", "market share", 1, "第一", "全国", "nationwide (all of China)", None, None),
            ("industry above designated size", "growth of industry above designated size", 1, "首位", "国家中心城市", "national central cities", "连续16个月", "16 consecutive months to November 2024"),
            ("Zhengzhou", "GDP growth rate", 2, "第二", "国家中心城市", "national central cities", "前三季度", "Q1–Q3 2024"),
        ],
    ),
    "30-records-and-leading-positions.rq": Rows(
        ("claimType", "subject", "indicator", "statement"),
        [
            ("zz:AmongLeaders", "market-based allocation reform of data as a factor of production", "progress of data-element market reform", "数据要素市场化配置改革走在全国前列"),
            ("zz:AmongLeaders", "Zhengzhou", "integrated government service capacity", "一体化政务服务能力保持全国第一方阵"),
            ("zz:AmongLeaders", "Zhengzhou", "growth of total R&D expenditure", "全社会研发投入增幅在国家中心城市中连续保持前列"),
            ("zz:BestEver", "Zhengzhou", "national science and technology awards result", "在2023年度国家科技“三大奖”评选中取得历史最好成绩"),
            ("zz:HistoricHigh", "Air Silk Road", "cargo and mail throughput", "年货邮吞吐量创历史新高"),
            ("zz:HistoricHigh", "automotive industry", "vehicles produced", "全市汽车产量历史性突破百万大关"),
        ],
    ),
    "31-provenance-of-a-figure.rq": Rows(
        ("o", "exact", "start", "end", "rawStart", "rawEnd", "prefix", "suffix", "article", "headline", "writtenOnOrAfter"),
        [
            ("observation/china-europe-trains-2024-jan-nov", "前11个月开行3363班次标准列", 1552, 1568, 1560, 1576, "埔寨金边等5个直达站点,", "、增长18.2%。“海上", "article/zhengzhou-2024-economy", "稳中有进韧性强 进中向好活力足", "2024-12-21"),
        ],
    ),
    "35-external-links.rq": Rows(
        ("entity", "class", "label", "wikidata", "geonames", "geonamesMatch", "related"),
        [
            ("company/byd", "zz:Company", "BYD", None, None, None, "http://www.wikidata.org/entity/Q27423"),
            ("person/xi-jinping", "zz:Person", "Xi Jinping", "http://www.wikidata.org/entity/Q15031", None, None, None),
            ("place/amsterdam", "zz:City", "Amsterdam", "http://www.wikidata.org/entity/Q727", "https://sws.geonames.org/2759794/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/cambodia", "zz:Country", "Cambodia", "http://www.wikidata.org/entity/Q424", "https://sws.geonames.org/1831722/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/china", "zz:Country", "China", "http://www.wikidata.org/entity/Q148", "https://sws.geonames.org/1814991/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/france", "zz:Country", "France", "http://www.wikidata.org/entity/Q142", "https://sws.geonames.org/3017382/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/henan", "zz:Province", "Henan", "http://www.wikidata.org/entity/Q43684", None, None, None),
            ("place/luxembourg", "zz:Country", "Luxembourg", "http://www.wikidata.org/entity/Q32", "https://sws.geonames.org/2960313/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/netherlands", "zz:Country", "Netherlands", "http://www.wikidata.org/entity/Q55", "https://sws.geonames.org/2750405/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/paris", "zz:City", "Paris", "http://www.wikidata.org/entity/Q90", "https://sws.geonames.org/2988507/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/phnom-penh", "zz:City", "Phnom Penh", "http://www.wikidata.org/entity/Q1850", "https://sws.geonames.org/1821306/", "http://www.w3.org/2004/02/skos/core#exactMatch", None),
            ("place/zhengzhou", "zz:City", "Zhengzhou", "http://www.wikidata.org/entity/Q30340", "https://sws.geonames.org/1784658/", "http://www.w3.org/2004/02/skos/core#closeMatch", None),
        ],
    ),
    "36-link-evidence.rq": Rows(
        ("entity", "property", "target", "excerpts", "sources"),
        [
            ("company/byd", "http://www.w3.org/2000/01/rdf-schema#seeAlso", "http://www.wikidata.org/entity/Q27423", 1, 1),
            ("person/xi-jinping", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q15031", 1, 1),
            ("place/amsterdam", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q727", 1, 1),
            ("place/amsterdam", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/2759794/", 1, 1),
            ("place/cambodia", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q424", 2, 2),
            ("place/cambodia", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/1831722/", 1, 1),
            ("place/china", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q148", 2, 2),
            ("place/china", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/1814991/", 1, 1),
            ("place/france", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q142", 2, 2),
            ("place/france", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/3017382/", 1, 1),
            ("place/henan", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q43684", 2, 2),
            ("place/luxembourg", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q32", 1, 1),
            ("place/luxembourg", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/2960313/", 1, 1),
            ("place/netherlands", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q55", 3, 2),
            ("place/netherlands", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/2750405/", 2, 2),
            ("place/paris", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q90", 1, 1),
            ("place/paris", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/2988507/", 1, 1),
            ("place/phnom-penh", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q1850", 1, 1),
            ("place/phnom-penh", "http://www.w3.org/2004/02/skos/core#exactMatch", "https://sws.geonames.org/1821306/", 1, 1),
            ("place/zhengzhou", "http://www.w3.org/2002/07/owl#sameAs", "http://www.wikidata.org/entity/Q30340", 1, 1),
            ("place/zhengzhou", "http://www.w3.org/2004/02/skos/core#closeMatch", "https://sws.geonames.org/1784658/", 1, 1),
        ],
    ),
    "39-claims-by-type.rq": Rows(
        ("claimType", "labelZh", "labelEn", "claims"),
        [
            ("zz:StrongGrowth", "大幅增长", "strong growth", 9),
            ("zz:Continuing", "持续保持", "continuing", 8),
            ("zz:Improving", "越来越好", "improving", 8),
            ("zz:Progressing", "扎实推进", "progressing", 7),
            ("zz:Accelerating", "加速推进", "accelerating", 5),
            ("zz:EventHeld", "成功举办", "event held", 5),
            ("zz:MarkedResults", "成效显著", "marked results", 4),
            ("zz:AmongLeaders", "位居前列", "among the leaders", 3),
            ("zz:Approved", "获批", "approved", 2),
            ("zz:FullCoverage", "全覆盖", "full coverage", 2),
            ("zz:HistoricHigh", "创历史新高", "historic high", 2),
            ("zz:SiteSelected", "确定选址", "site selected", 2),
            ("zz:AwardWon", "获奖", "award won", 1),
            ("zz:BestEver", "历史最好成绩", "best ever", 1),
            ("zz:ConstructionStarted", "开工", "construction started", 1),
            ("zz:Drives", "带动", "drives", 1),
            ("zz:Introduced", "创新推出", "introduced", 1),
            ("zz:MainStructureCompleted", "主体完工", "main structure completed", 1),
            ("zz:FirstInCountry", "全国第一", "first in the country", 0),
        ],
    ),
    "42-void-figures.rq": Rows(
        ("dataset", "version", "license", "triples", "entities", "classes", "properties", "distinctSubjects", "kgTriples", "ontologyTriples", "dumps"),
        [
            ("https://zzkg.example.org/dataset", "0.1.0", "https://creativecommons.org/licenses/by/4.0/", 7324, 525, 41, 84, 873, 6203, 1121, 9),
        ],
    ),
    "10-full-year-2024.rq": Rows(
        ("o", "subject", "indicator", "value", "written", "status", "basis"),
        [
            ("observation/technology-contract-turnover-2024-estimate", "Zhengzhou", "technology contract turnover", 80000000000, "突破800亿元", "zz:Estimated", "zz:Stated"),
        ],
    ),
    "32-relations-and-quotes.rq": Some(
        48,
        ("subject", "property", "object", "quote"),
        [
            ("route/zhengzhou-paris-air-cargo", "zz:destination", "place/paris", "新开郑州至法国巴黎"),
            ("route/zhengzhou-amsterdam-air-cargo", "zz:destination", "place/amsterdam",
             "荷兰阿姆斯特丹等货运航线"),
            ("service/china-europe-railway-express-zhengzhou", "zz:newStation", "place/phnom-penh",
             "中欧班列新增柬埔寨金边"),
            ("service/rail-sea-intermodal-zhengzhou", "zz:partOfCorridor", "corridor/maritime-silk-road",
             "“海上丝绸之路”越来越通达,铁海联运"),
            ("company/xfusion", "zz:produces", "product/xfusion-domestic-servers", "超聚变国产化服务器"),
            ("project/central-china-728-innovation-port", "zz:reliesOn", "institution/zhengzhou-university",
             "依托郑州大学规划建设的中部728创新港"),
            ("person/xing-xiaodong", "zz:workplace", "institution/henan-university-zhengzhou-campus",
             "目前就职于河南大学郑州校区"),
            ("person/xing-xiaodong", "https://schema.org/homeLocation", "place/zhengzhou", "选择了落户郑州"),
            ("programme/three-in-one-integration", "zz:hasPart", "place/zhongyuan-science-city",
             "省科学院、中原科技城、国家技术转移郑州中心“三合一”融合发展"),
            ("article/zhengzhou-2024-economy", "https://schema.org/author", "person/wang-zhi",
             "记者 王治 翟宝宽/文"),
        ],
    ),
    "38-counts-by-type.rq": Some(
        41,
        ("type", "count"),
        [
            ("zz:Quote", 174),
            ("zz:Indicator", 58),
            ("zz:Observation", 54),
            ("zz:Claim", 63),
            ("zz:Industry", 9),
            ("zz:Period", 8),
            ("zz:Event", 6),
            ("zz:TradeCorridor", 5),
            ("zz:AirCargoRoute", 2),
            ("zz:ChinaEuropeRailService", 1),
            ("zz:RailSeaIntermodalService", 1),
            ("zz:Article", 1),
        ],
    ),
    "40-ontology-classes.rq": Some(
        42,
        ("class", "labelZh", "labelEn", "instances"),
        [
            ("zz:Observation", "观测", "Observation", 54),
            ("zz:Claim", "论断", "Claim", 63),
            ("zz:AirCargoRoute", "货运航线", "Air cargo route", 2),
            ("zz:ChinaEuropeRailService", "中欧班列", "China-Europe rail service", 1),
            ("zz:ComparisonGroup", "比较组", "Comparison group", 2),
            ("zz:Laboratory", "实验室", "Laboratory", 0),
            ("zz:TransportService", "运输服务", "Transport service", 0),
            ("zz:Fact", "事实", "Fact", 0),
        ],
    ),
    "41-ontology-properties.rq": Some(
        44,
        ("property", "kind", "domain", "range", "uses"),
        [
            ("zz:about", OBJECT_PROPERTY, "zz:Fact", None, 117),
            ("zz:value", DATATYPE_PROPERTY, "zz:Observation", "http://www.w3.org/2001/XMLSchema#decimal", 50),
            ("zz:growthOf", OBJECT_PROPERTY, "zz:Observation", "zz:Observation", 3),
            ("zz:rankAmong", OBJECT_PROPERTY, "zz:Fact", "zz:ComparisonGroup", 6),
            ("zz:newStation", OBJECT_PROPERTY, None, None, 1),
            ("zz:destination", OBJECT_PROPERTY, None, "zz:Place", 3),
            ("zz:memberOfChain", OBJECT_PROPERTY, None, "zz:IndustrialChain", 0),
        ],
    ),
}
# fmt: on


# --- the catalogue: files, headers, README ---------------------------------------------------


def test_the_catalogue_has_at_least_thirty_queries():
    assert len(load_catalogue()) >= 30


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_has_a_header(path):
    query = read_query(path)
    for field in HEADER_FIELDS:
        assert query.header.get(field), f"{path.name}: no '# {field}:' line"
    assert re.search(r"[\u4e00-\u9fff]", query.title_zh), f"{path.name}: title@zh is not Chinese"


def test_query_numbers_are_unique():
    numbers = [query.number for query in load_catalogue()]
    assert len(numbers) == len(set(numbers))


def test_readme_lists_every_query_with_its_titles():
    readme = (QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    rows = {
        m[1]: m[0]
        for m in re.findall(r"^(\|.*\((\d\d-[a-z0-9-]+\.rq)\).*\|)$", readme, re.MULTILINE)
    }
    catalogue = load_catalogue()
    assert sorted(rows) == [query.path.name for query in catalogue]
    for query in catalogue:
        assert query.title_zh in rows[query.path.name], query.path.name
        assert query.title_en in rows[query.path.name], query.path.name


def test_every_query_has_an_expected_answer():
    checked = set(EXPECTED) | set(GRAPH_CHECKS) | {FEDERATED}
    assert checked == {path.name for path in QUERY_FILES}


# --- the answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [p for p in QUERY_FILES if p.name in EXPECTED], ids=lambda p: p.name
)
def test_select_answers(store, path):
    expected = EXPECTED[path.name]
    names, rows = run(store, path.read_text(encoding="utf-8"))
    assert set(expected.columns) <= set(names), f"{path.name} lost a column"
    positions = [names.index(column) for column in expected.columns]
    projected = [tuple(row[i] for i in positions) for row in rows]
    if isinstance(expected, Rows):
        assert expected.columns == names, f"{path.name}: columns changed"
        assert projected == expected.rows
    else:
        assert len(rows) == expected.count
        missing = [row for row in expected.rows if row not in projected]
        assert missing == []


def objects(graph: Graph, subject, predicate) -> list:
    return list(graph.objects(subject, predicate))


def check_data_cube(graph: Graph) -> None:
    datasets = list(graph.subjects(RDF.type, QB.DataSet))
    assert datasets == [URIRef("https://zzkg.example.org/dataset")]
    (dsd,) = objects(graph, datasets[0], QB.structure)
    assert (dsd, RDF.type, QB.DataStructureDefinition) in graph
    components = objects(graph, dsd, QB.component)
    declared = {
        kind: {p for c in components for p in objects(graph, c, getattr(QB, kind))}
        for kind in ("dimension", "measure", "attribute")
    }
    assert declared == {
        "dimension": {ZZ.about, ZZ.indicator, ZZ.period},
        "measure": {ZZ.value},
        "attribute": {ZZ.unit, ZZ.qualifier, ZZ.status, ZZ.periodBasis},
    }
    for kind, cls in (
        ("dimension", QB.DimensionProperty),
        ("measure", QB.MeasureProperty),
        ("attribute", QB.AttributeProperty),
    ):
        assert all((p, RDF.type, cls) in graph for p in declared[kind])
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) == 37  # the 50 figures with a value, less the 13 without a period
    all_components = set().union(*declared.values())
    keys = set()
    for o in observations:
        assert objects(graph, o, QB.dataSet) == datasets
        used = {p for p in graph.predicates(o, None)} - {RDF.type, QB.dataSet}
        assert used == all_components, o  # IC-11/IC-14: every component, nothing undeclared
        assert all(len(objects(graph, o, p)) == 1 for p in all_components), o
        keys.add(tuple(graph.value(o, p) for p in (ZZ.about, ZZ.indicator, ZZ.period)))
    assert len(keys) == len(observations)  # IC-12: no two observations share their dimensions
    nev = URIRef(ID + "observation/nev-output-2024-jan-nov")
    assert graph.value(nev, ZZ.value).toPython() == D(529000)
    assert graph.value(nev, ZZ.period) == URIRef(ID + "period/2024-01--2024-11")


def check_schema_org(graph: Graph) -> None:
    observations = set(graph.subjects(RDF.type, SCHEMA.Observation))
    assert len(observations) == 50  # every observation with a value (not the ranks, not 两位数)
    assert not [p for p in graph.predicates() if str(p).startswith(ZZ_NS)]
    for o in observations:
        for predicate in (
            SCHEMA.value,
            SCHEMA.observationAbout,
            SCHEMA.variableMeasured,
            SCHEMA.name,
        ):
            assert len(objects(graph, o, predicate)) == 1, (o, predicate)
        variable = graph.value(o, SCHEMA.variableMeasured)
        assert (variable, RDF.type, SCHEMA.StatisticalVariable) in graph
        assert graph.value(variable, SCHEMA.name) is not None
    nev = URIRef(ID + "observation/nev-output-2024-jan-nov")
    assert graph.value(nev, SCHEMA.value).toPython() == D(529000)
    assert graph.value(nev, SCHEMA.unitText) == Literal("辆", lang="zh")
    assert str(graph.value(nev, SCHEMA.observationPeriod)) == "2024-01-01/2024-11-30"
    assert str(graph.value(nev, SCHEMA.observationDate)) == "2024-11-30"
    flights = URIRef(ID + "observation/daily-all-cargo-flights-2024")  # 近90: below 90
    assert graph.value(flights, SCHEMA.maxValue) is None
    assert graph.value(flights, SCHEMA.minValue) is None
    teu = URIRef(ID + "observation/rail-sea-teu-2024")  # 超6万: more than, not 60000 itself
    assert graph.value(teu, SCHEMA.minValue) is None
    assert graph.value(teu, SCHEMA.unitCode) == ZZ.TEU
    enterprises = URIRef(ID + "observation/high-tech-enterprises-cultivated-2024")  # 800家以上
    assert graph.value(enterprises, SCHEMA.minValue).toPython() == D(800)
    assert graph.value(enterprises, SCHEMA.measurementQualifier) == Literal(
        "assumed period", lang="en"
    )
    latest = max(str(d) for d in graph.objects(None, SCHEMA.observationDate))
    assert latest == "2024-12-31"  # the full-year estimate only; every other ends by 12-21
    (estimate,) = [o for o, d in graph.subject_objects(SCHEMA.observationDate) if str(d) == latest]
    assert graph.value(estimate, SCHEMA.measurementQualifier) == Literal("estimate", lang="en")
    others = [d for d in graph.objects(None, SCHEMA.observationDate) if str(d) != "2024-12-31"]
    assert max(str(d) for d in others) == "2024-12-21"


GRAPH_CHECKS = {
    "33-data-cube.rq": check_data_cube,
    "34-schema-org-observations.rq": check_schema_org,
}


@pytest.mark.parametrize("name", sorted(GRAPH_CHECKS))
def test_construct_answers(store, name):
    graph = run(store, (QUERIES_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(graph, Graph)
    GRAPH_CHECKS[name](graph)


# --- through the endpoint's eyes ------------------------------------------------------------


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_rdflib_parses_every_query(path):
    """The endpoint parses queries with rdflib (to check SERVICE); every query must pass it."""
    prepareQuery(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path", [p for p in QUERY_FILES if p.name != FEDERATED], ids=lambda p: p.name
)
def test_the_endpoint_accepts_every_local_query(path):
    safety.inspect(path.read_text(encoding="utf-8"), allowlist=(), max_nesting=128)


def test_federated_query_runs_only_where_wikidata_is_allow_listed():
    text = (QUERIES_DIR / FEDERATED).read_text(encoding="utf-8")
    with pytest.raises(PermissionError):
        safety.inspect(text, allowlist=(), max_nesting=128)
    safety.inspect(text, allowlist=(WIKIDATA_SPARQL,), max_nesting=128)


def test_federated_query_asks_wikidata_about_exactly_our_linked_items(store):
    text = (QUERIES_DIR / FEDERATED).read_text(encoding="utf-8")
    service = re.search(r"SERVICE <([^>]+)> \{\s*VALUES \?item \{([^}]*)\}", text)
    assert service and service[1] == WIKIDATA_SPARQL
    asked = sorted(WD + q for q in re.findall(r"wd:(Q\d+)", service[2]))
    _, rows = run(store, f"SELECT ?item WHERE {{ ?e <{OWL_SAME_AS}> ?item }} ORDER BY ?item")
    assert asked == sorted(item for (item,) in rows if item.startswith(WD))


def test_the_allow_list_setting_is_documented_by_its_real_name():
    cli = (ROOT / "kg" / "settings.py").read_text(encoding="utf-8")
    header = read_query(QUERIES_DIR / FEDERATED).header["note"]
    readme = (QUERIES_DIR / "README.md").read_text(encoding="utf-8")
    for name in ("--allow-service", "ZZKG_SERVICE_ALLOWLIST"):
        assert name in cli and name in header and name in readme
    assert WIKIDATA_SPARQL in header and WIKIDATA_SPARQL in readme
