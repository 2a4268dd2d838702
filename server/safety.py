"""What a query may do, decided before it runs: nesting depth, updates, SERVICE, its own dataset.

The nesting scan is a cheap cap (it only ever rejects more). SERVICE is decided on the query as
rdflib's SPARQL parser reads it, after `\\u`/`\\U` escapes are decoded, prefixed names expanded and
relative IRIs resolved. Both parsers must see the same lines: rdflib ends a `#` comment only at
LF, Oxigraph also at a lone CR, so CR LF becomes LF and every other line break (CR, U+2028, U+0085,
…) is refused, in the text and in its decoded escapes. A query is parsed whenever its decoded text contains the letters
"service" or "from" in any case; a query without them cannot contain a SERVICE clause or a
dataset clause, so the parse is skipped for it.
"""

import functools
import re
from dataclasses import dataclass

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# strings (long and short), IRIs and comments: their brackets do not nest anything
OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|"
    r"#[^\n]*",
    re.DOTALL,
)
# names whose letters may look like operators (`zz:new-energy`, `?a`, `1e-3`), and the `*` of
# `SELECT *` and `COUNT(*)`: not structure
NAMES = re.compile(
    r"\b(?:select|distinct|reduced)\s*\*|(?<=\()\s*\*|"
    r"[?$]\w+|[A-Za-z_][\w.-]*:[\w.:%\\-]*|:[\w.:%\\-]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?",
    re.IGNORECASE,
)
# what parsers nest: brackets, and links of a chain, each of which nests the rest of its chain
# one level deeper (operators, prefix operators, property path steps, and the group patterns
# that join what comes before them)
STRUCTURE = re.compile(
    r"[][(){}]|\|\||&&|!=|<=|>=|[-+*/|^!<>=]|"
    r"\b(?:union|optional|minus|filter|bind|values|graph|service)\b",
    re.IGNORECASE,
)
# line breaks other than LF (str.splitlines' set): parsers disagree on whether they end a comment
STRAY_LINE_BREAK = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
NON_DETERMINISTIC = re.compile(r"\b(?:rand|now|uuid|struuid|bnode)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """What the query may be run with: whether it names its own dataset, whether it is cacheable."""

    has_dataset: bool
    cacheable: bool
    calls_service: bool = False


def decode_escapes(text: str) -> str:
    """Apply SPARQL's \\u and \\U code point escapes, as the grammar does before parsing."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def normalise_line_breaks(query: str) -> str:
    """The query with CR LF read as LF; SyntaxError if any other line break remains."""
    text = query.replace("\r\n", "\n")
    check_line_breaks(text)
    return text


def check_line_breaks(text: str) -> None:
    found = STRAY_LINE_BREAK.search(text) or STRAY_LINE_BREAK.search(decode_escapes(text))
    if found:
        raise SyntaxError(
            f"Malformed query: it holds U+{ord(found.group()):04X}, a line break that SPARQL "
            "parsers read differently; end lines with LF (or CR LF) only."
        )


def nesting_depth(text: str) -> int:
    """Deepest nesting outside strings, IRIs and comments, as parsers and the query algebra build
    it (an upper bound): each bracket opens a level, and within a level each link of a chain
    (`1+1+…`, `a || b || …`, `{} UNION {} UNION …`, `!!!!x`, a run of OPTIONALs, a path
    `<p>/<p>/…`) nests what follows one level deeper."""
    code = NAMES.sub(" ", OPAQUE.sub(" ", text))
    links = [0]  # links seen so far at each open level
    total = deepest = 0
    for token in STRUCTURE.findall(code):
        if token in "([{":
            links.append(0)
        elif token in ")]}":
            if len(links) > 1:
                total -= links.pop()
        else:
            links[-1] += 1
            total += 1
        deepest = max(deepest, len(links) - 1 + total)
    return deepest


def check_nesting(text: str, *, max_nesting: int) -> None:
    if nesting_depth(text) > max_nesting:
        raise RecursionError(f"The query is nested more than {max_nesting} levels deep.")


def inspect(query: str, *, allowlist: tuple[str, ...], max_nesting: int) -> Verdict:
    """Raise RecursionError, SyntaxError or PermissionError for a query that must not run."""
    check_line_breaks(query)
    text = decode_escapes(query)
    check_nesting(text, max_nesting=max_nesting)
    folded = text.casefold() + " " + query.casefold()
    cacheable = NON_DETERMINISTIC.search(text) is None
    if "service" not in folded and "from" not in folded:
        return Verdict(has_dataset=False, cacheable=cacheable)
    parsed = parse(text)
    targets = services(parsed)
    for service in targets:
        check_service(service, allowlist)
    has_dataset = bool("datasetClause" in parsed[1] and parsed[1]["datasetClause"])
    return Verdict(has_dataset=has_dataset, cacheable=cacheable, calls_service=bool(targets))


def parse(text: str):
    """The query's parse tree with prefixed names and relative IRIs resolved."""
    try:
        parsed = parseQuery(text)
    except ParseBaseException as error:
        if is_update(text):
            raise update_as_query() from None
        raise SyntaxError(f"Malformed query: {error}") from None
    prologue = translatePrologue(parsed[0], None)
    body = traverse(parsed[1], functools.partial(translatePName, prologue=prologue))
    return [parsed[0], body]


def is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


def update_refused() -> PermissionError:
    return PermissionError(
        "This endpoint is read-only: SPARQL Update (including LOAD) is refused. "
        "The graph changes only through its build."
    )


def update_as_query() -> SyntaxError:
    """An update sent where a query belongs is a malformed query (an update operation proper,
    `update=` or application/sparql-update, is refused with update_refused())."""
    return SyntaxError(
        "Malformed query: this is a SPARQL Update operation, not a query. This endpoint is "
        "read-only: updates are refused."
    )


def services(node) -> list:
    """Every SERVICE clause's target (an IRI or a variable), anywhere in the parse tree."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                found.append(item.get("term"))
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return found


def check_service(target, allowlist: tuple[str, ...]) -> None:
    if not isinstance(target, URIRef):
        raise PermissionError("SERVICE with a variable endpoint is not allowed on this endpoint.")
    if str(target) not in allowlist:
        raise PermissionError(f"SERVICE <{target}> is not allowed on this endpoint.")
