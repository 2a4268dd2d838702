"""Reading kg/sources: the article and the curated records, checked field by field.

Every problem is a SourceError that names the file and the record (its position and id), so a
researcher editing YAML sees where to look without reading Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.resources import SOURCES_DIR
from kg.text import Article, mend

ARTICLE_FILE = "zhengzhou-2024-economy.zh.txt"

# file -> (required keys, optional keys) of each record
SCHEMAS: dict[str, tuple[set[str], set[str]]] = {
    "entities.yaml": (
        {"id", "type", "label", "mention"},
        {"aliases", "description", "broader", "occurrence", "note"},
    ),
    "indicators.yaml": ({"id", "label", "definition"}, {"unit", "broader", "note"}),
    "facts.yaml": (
        {"id", "about", "quote"},
        {
            "indicator",
            "value",
            "unit",
            "qualifier",
            "estimated",
            "change",
            "period",
            "period_text",
            "period_inferred",
            "about_inferred",
            "concerns",
            "growth_of",
            "basis",
            "rank",
            "rank_among",
            "rank_text",
            "claim",
            "statement",
            "occurrence",
            "note",
        },
    ),
    "relations.yaml": ({"subject", "property", "object", "quote"}, {"occurrence", "note", "id"}),
    "links.yaml": (
        {"entity", "evidence"},
        {"wikidata", "geonames", "geonames_match", "related_wikidata", "note"},
    ),
    "exclusions.yaml": ({"text", "reason"}, {"note"}),
}
BILINGUAL = {"label", "description", "definition", "statement"}


class SourceError(ValueError):
    """A record of kg/sources that cannot be used, with its location."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass
class Record:
    """One record of a sources file; ``where`` says where it stands, for error messages."""

    data: dict[str, Any]
    where: str

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def fail(self, message: str) -> SourceError:
        return SourceError(self.where, message)


@dataclass
class Sources:
    article: Article
    meta: dict[str, Any]
    units: dict[str, dict[str, str]]
    inferences: dict[str, dict[str, str]] = field(default_factory=dict)
    entities: list[Record] = field(default_factory=list)
    indicators: list[Record] = field(default_factory=list)
    facts: list[Record] = field(default_factory=list)
    relations: list[Record] = field(default_factory=list)
    links: list[Record] = field(default_factory=list)
    exclusions: list[Record] = field(default_factory=list)


def load_sources(directory: Path = SOURCES_DIR) -> Sources:
    """Read and check every sources file of ``directory``."""
    raw = (directory / ARTICLE_FILE).read_text(encoding="utf-8")
    sources = Sources(
        article=mend(raw),
        meta=_read_yaml(directory / "article.yaml", dict),
        units=_read_units(directory / "units.yaml"),
        inferences=_read_inferences(directory / "inferences.yaml"),
    )
    for name in SCHEMAS:
        setattr(sources, name.removesuffix(".yaml"), read_records(directory / name))
    return sources


def read_units(directory: Path = SOURCES_DIR) -> dict[str, dict[str, str]]:
    """units.yaml: measure word -> its QUDT unit and English words (the pages read it too)."""
    return _read_units(directory / "units.yaml")


def read_records(path: Path) -> list[Record]:
    """The records of one list-shaped YAML file, each checked against the file's schema."""
    if not path.exists():
        return []
    items = _read_yaml(path, list)
    required, optional = SCHEMAS[path.name]
    records: list[Record] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        label = item.get("id") or item.get("entity") if isinstance(item, dict) else None
        where = f"{path.name} record {index}" + (f" (id: {label})" if label else "")
        if not isinstance(item, dict):
            raise SourceError(where, f"expected a mapping, got {type(item).__name__}")
        _check_keys(item, required, optional, where)
        if label is not None and "id" in item:
            if label in seen:
                raise SourceError(where, f"id {label!r} already used by record {seen[label]}")
            seen[label] = index
        records.append(Record(item, where))
    return records


# libyaml's safe loader where PyYAML was built with it (its wheels are): the same documents, read
# about 5 times faster than by the pure-Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, expected: type) -> Any:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise SourceError(path.name, "file is missing") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise SourceError(f"{path.name}{line}", f"not valid YAML: {error}") from None
    if not isinstance(data, expected):
        raise SourceError(path.name, f"expected a YAML {expected.__name__} at the top")
    return data


def _read_units(path: Path) -> dict[str, dict[str, str]]:
    units = _read_yaml(path, dict)
    for word, spec in units.items():
        if not isinstance(spec, dict) or "unit" not in spec or "en" not in spec:
            raise SourceError(f"units.yaml entry {word!r}", "needs 'unit' and 'en'")
    return {str(word): spec for word, spec in units.items()}


def _read_inferences(path: Path) -> dict[str, dict[str, str]]:
    """Named reasons for what the build supplies where the article is silent."""
    reasons = _read_yaml(path, dict)
    for name, text in reasons.items():
        if not isinstance(text, dict) or not text.get("zh") or not text.get("en"):
            raise SourceError(f"inferences.yaml entry {name!r}", "needs both zh and en text")
    return {str(name): text for name, text in reasons.items()}


def _check_keys(item: dict, required: set[str], optional: set[str], where: str) -> None:
    missing = sorted(required - item.keys())
    if missing:
        raise SourceError(where, f"missing field(s): {', '.join(missing)}")
    unknown = sorted(item.keys() - required - optional)
    if unknown:
        raise SourceError(where, f"unknown field(s): {', '.join(unknown)}")
    for key in BILINGUAL & item.keys():
        text = item[key]
        if not isinstance(text, dict) or not text.get("zh") or not text.get("en"):
            raise SourceError(where, f"{key!r} needs both zh and en text")
