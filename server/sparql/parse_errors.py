"""The SPARQL parser's message made readable: name the undeclared prefix instead of listing the
Unicode ranges the parser would have accepted at that point."""

from __future__ import annotations

import re

POSITION = re.compile(r"^error at (\d+):(\d+): ")
DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")
# a prefixed name: a prefix (possibly empty) then ':' then a local part; not inside <…> or "…"
USED = re.compile(
    r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|"
    r"(?<![\w?$:])([A-Za-z][\w.-]*)?:(?=[\w%])"
)


def readable(message: str, query: str) -> str:
    """``message`` as the parser gave it, unless it is about a prefix the query never declared."""
    if "Prefix not found" not in message:
        return message
    declared = {m.group(1) or "" for m in DECLARED.finditer(query)}
    used = [m.group(1) or "" for m in USED.finditer(query) if m.group(0).endswith(":")]
    missing = sorted({p for p in used if p not in declared})
    if not missing:
        return message
    where = POSITION.match(message)
    at = f" (line {where.group(1)}, column {where.group(2)})" if where else ""
    names = ", ".join(f"{p}:" for p in missing)
    return f"undeclared prefix {names}{at}: declare it, as in PREFIX {missing[0]}: <…>"
