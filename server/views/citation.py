"""How to cite the article and the dataset: what the graph knows of the article (headline,
byline as printed, the latest date it states; it names neither its date nor its outlet), and the
dataset's title, version, IRI and licence as plain text, BibTeX and CSL-JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from server.views import common, data, queries
from server.views.queries import bind


@dataclass
class ArticleCitation:
    iri: str
    headline: dict[str, str] = field(default_factory=dict)
    kicker: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)  # the credit lines as printed
    latest_date: str = ""
    language: str = ""


def article(iri: str) -> ArticleCitation:
    found = ArticleCitation(iri)
    for row in data.select(bind(queries.ARTICLE, iri=iri)):
        name, value = common.local_name(row["p"]["value"]), row["o"]
        lang = value.get("xml:lang", "")[:2]
        if name == "headline":
            found.headline[lang] = value["value"]
        elif name == "alternativeHeadline":
            found.kicker[lang] = value["value"]
        elif name == "author":
            found.authors.append(value["value"])
        elif name == "latestDateStated":
            found.latest_date = value["value"]
        elif name == "inLanguage":
            found.language = value["value"]
    credits: dict[str, str] = {}
    for row in data.select(bind(queries.CREDITS, iri=iri)):
        person, exact = row["person"]["value"], row["exact"]["value"]
        credits.setdefault(person, exact)
        if person not in found.authors and person not in found.photographers:
            found.photographers.append(person)
    found.authors.sort()
    found.byline = list(
        dict.fromkeys(credits[p] for p in found.authors + found.photographers if p in credits)
    )
    return found


def dataset() -> dict:
    """Title (both languages), version, IRI, licence and landing page of the dataset."""
    iri = queries.dataset()
    found: dict = {"iri": iri.value, "title": {}, "version": "", "license": ""}
    for row in data.select(bind(queries.DATASET_CITATION, dataset=iri)):
        name, value = common.local_name(row["p"]["value"]), row["o"]
        if name == "title":
            found["title"][value.get("xml:lang", "")[:2]] = value["value"]
        elif name == "versionInfo":
            found["version"] = value["value"]
        else:
            found["license"] = value["value"]
    return found


def dataset_text(found: dict, lang: str) -> str:
    title = common.pick(found["title"], lang) or ""
    if lang == "zh":
        return f"zzkg：《{title}》，版本 {found['version']}，{found['iri']}，许可协议 {found['license']}。"
    return (
        f"zzkg. {title}. Version {found['version']}. {found['iri']}. Licence: {found['license']}."
    )


def dataset_bibtex(found: dict) -> str:
    title = found["title"].get("en", "")
    return (
        "@misc{zzkg,\n"
        "  author = {{zzkg}},\n"
        f"  title = {{{title}}},\n"
        f"  version = {{{found['version']}}},\n"
        f"  howpublished = {{\\url{{{found['iri']}}}}},\n"
        f"  note = {{Licence: {found['license']}}}\n"
        "}"
    )


def dataset_csl(found: dict) -> str:
    """CSL-JSON (citeproc's input format), one item of type "dataset"."""
    item = {
        "id": "zzkg",
        "type": "dataset",
        "title": found["title"].get("en", ""),
        "title-short": "zzkg",
        "author": [{"literal": "zzkg"}],
        "version": found["version"],
        "URL": found["iri"],
        "license": found["license"],
    }
    return json.dumps([item], ensure_ascii=False, indent=2)


def citation_block(article_iri: str, lang: str) -> dict:
    found = dataset()
    return {
        "article": article(article_iri),
        "dataset": found,
        "text": dataset_text(found, lang),
        "bibtex": dataset_bibtex(found),
        "csl": dataset_csl(found),
    }
