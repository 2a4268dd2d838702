"""Names in both languages for the outside vocabulary's terms the pages show (properties,
classes and QUDT units that the graph uses but does not label); the graph's own terms are
labelled in the ontology and need nothing here."""

from server.views.data import PREFIXES

P = PREFIXES


def named(prefix: str, local: str, zh: str, en: str) -> tuple[str, dict[str, str]]:
    return P[prefix] + local, {"zh": zh, "en": en}


TERM_NAMES = dict(
    (
        named("rdf", "type", "类型", "type"),
        named("rdf", "value", "文字", "text"),
        named("rdf", "subject", "主语", "subject"),
        named("rdf", "predicate", "关系", "relation"),
        named("rdf", "object", "宾语", "object"),
        named("rdf", "Statement", "陈述", "statement"),
        named("rdfs", "label", "名称", "name"),
        named("rdfs", "comment", "注释", "note"),
        named("rdfs", "seeAlso", "另见", "see also"),
        named("rdfs", "subClassOf", "上位类", "subclass of"),
        named("skos", "broader", "上位概念", "broader"),
        named("skos", "narrower", "下位概念", "narrower"),
        named("skos", "prefLabel", "名称", "name"),
        named("skos", "altLabel", "别名", "also known as"),
        named("skos", "definition", "定义", "definition"),
        named("skos", "exactMatch", "完全对应", "exact match"),
        named("skos", "closeMatch", "近似对应", "close match"),
        named("skos", "inScheme", "所属体系", "in scheme"),
        named("skos", "Concept", "概念", "concept"),
        named("owl", "sameAs", "同一对象", "same as"),
        named("prov", "wasDerivedFrom", "出处", "derived from"),
        named("qb", "dataSet", "所属数据集", "dataset"),
        named("qb", "Observation", "统计观测", "observation"),
        named("time", "hasBeginning", "开始", "begins"),
        named("time", "hasEnd", "结束", "ends"),
        named("time", "hasXSDDuration", "时长", "duration"),
        named("time", "inXSDDate", "日期", "date"),
        named("time", "ProperInterval", "时间区间", "time interval"),
        named("time", "Instant", "时刻", "instant"),
        named("oa", "hasSelector", "定位方式", "selector"),
        named("oa", "hasSource", "来源文本", "source text"),
        named("oa", "exact", "引文", "exact text"),
        named("oa", "prefix", "前文", "text before"),
        named("oa", "suffix", "后文", "text after"),
        named("oa", "start", "起始位置", "start offset"),
        named("oa", "end", "结束位置", "end offset"),
        named("oa", "SpecificResource", "文本片段", "text segment"),
        named("oa", "TextQuoteSelector", "引文定位", "text quote selector"),
        named("oa", "TextPositionSelector", "位置定位", "text position selector"),
        named("schema", "author", "作者", "author"),
        named("schema", "image", "图片", "image"),
        named("schema", "headline", "标题", "headline"),
        named("schema", "inLanguage", "语言", "language"),
        named("schema", "creator", "作者", "creator"),
        named("schema", "caption", "图片说明", "caption"),
        named("schema", "name", "名称", "name"),
        named("schema", "alternativeHeadline", "副标题", "alternative headline"),
        named("schema", "NewsArticle", "新闻报道", "news article"),
        named("dct", "source", "来源", "source"),
        named("dct", "title", "标题", "title"),
        named("dct", "license", "许可", "licence"),
        named("unit", "NUM", "个数", "number"),
        named("unit", "PERCENT", "百分比", "percent"),
        named("unit", "CCY_CNY", "元（人民币）", "yuan (CNY)"),
        named("unit", "TONNE", "吨", "tonnes"),
        named("unit", "M2", "平方米", "square metres"),
        named("unit", "DAY", "天", "days"),
        named("unit", "HR", "小时", "hours"),
    )
)
