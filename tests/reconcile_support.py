"""Helpers for the reconciliation tests: the JSON schemas (tests/schemas/reconciliation/, written
from the specification text; see its README) and JSONP unwrapping."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "reconciliation"
BASE = "https://zzkg.example.org/"
ZZ = BASE + "ontology#"
JSONP = re.compile(r"^/\*\*/(?P<callback>[\w$.]+)\((?P<body>.*)\);$", re.DOTALL)


def validate(document, version: str, name: str) -> None:
    """Fail unless `document` is valid against SCHEMAS/version/name.json."""
    schema = json.loads((SCHEMAS / version / f"{name}.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def unwrap_jsonp(text: str) -> tuple[str, object]:
    found = JSONP.match(text)
    assert found, text[:200]
    return found["callback"], json.loads(found["body"])


def entity(path: str) -> str:
    return BASE + "id/" + path
