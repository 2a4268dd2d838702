"""What a query may do, decided before it runs: nesting depth, updates, SERVICE, its own dataset.

Decided on the query's tokens, in microseconds, never on a full parse: strings, comments and IRIs
are set aside, then variables, prefixed names and numbers, and what is left are the query's bare
words and operators. A word such as "from" or "service" inside a string, a comment, a variable or
a prefixed name is therefore never taken for a keyword. SPARQL's `\\u`/`\\U` escapes are decoded
first, as the grammar does. A SERVICE clause is read from the keyword to its target (an IRI, made
absolute against BASE, or a prefixed name expanded by its PREFIX); one that cannot be read that
way is refused. The network namespace of the query workers (server/backend/sandbox.py) is the wall
behind this check: a query the tokens misjudge still cannot connect anywhere not allowed.

Both this reading and the engine's must see the same lines: rdflib and Oxigraph end a `#` comment
at LF, Oxigraph also at a lone CR, so CR LF becomes LF and every other line break (CR, U+2028,
U+0085, …) is refused, in the text and in its decoded escapes. The nesting scan is a cheap cap
(it only ever rejects more).
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
IRI = r"<[^<>\"{}|^`\\\s]*>"
# strings (long and short), comments and IRIs, in one pass (a `#` in an IRI starts no comment, a
# `<` in a string starts no IRI): nothing in them is code, their brackets nest nothing
TEXTS = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"#[^\n]*"
)
OPAQUE = re.compile(TEXTS + "|" + IRI, re.DOTALL)
# variables, prefixed names and numbers: their letters are not keywords and
# may look like operators (`zz:new-energy`, `?a`, `1e-3`). Quantifiers are possessive (`++`,
# `*+`): giving back characters could never make these match (what follows a run is outside its
# class), so the matches are the same, without the backtracking through every bare word.
NAMES = r"[?$]\w++|[A-Za-z_][\w.-]*+:[\w.:%\\-]*+|:[\w.:%\\-]++|\d++(?:\.\d*+)?(?:[eE][+-]?\d++)?"
# one pass over the query: group 1 is each bare word (a keyword; a word's letters
# before `:`, a digit or `_` are a name's) and each operator, in order; anything opaque and every
# name match without it
TOKEN = re.compile(
    # a run of what is neither, in one match
    r"(?:[^\"'#<?$\w:()[\]{}|&!=<>+*/^-]++|" + TEXTS + "|" + IRI + "|" + NAMES + ")++|"
    r"((?i:[a-z]++)(?![\w:-])|[][(){}]|\|\||&&|!=|<=|>=|[-+*/|^!<>=])",
    re.DOTALL,
)
OPENERS = frozenset("([{")
CLOSERS = frozenset(")]}")
# links of a chain, each of which nests the rest of its chain one level deeper (operators,
# prefix operators, property path steps, and the group patterns that join what comes before them)
LINKS = frozenset(("||", "&&", "!=", "<=", ">=", *"-+*/|^!<>="))
LINK_WORDS = frozenset(
    ("union", "optional", "minus", "filter", "bind", "values", "graph", "service")
)
# the `*` of `SELECT *` and `COUNT(*)` is no operator
STAR_AFTER = frozenset(("select", "distinct", "reduced", "("))
# line breaks other than LF (str.splitlines' set): parsers disagree on whether they end a comment
STRAY_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PROLOGUE = frozenset(("prefix", "base"))
NON_DETERMINISTIC = frozenset(("rand", "now", "uuid", "struuid", "bnode"))
# SPARQL Update's operation keywords: none of them is a word of the query language
UPDATE_KEYWORDS = frozenset(
    ("insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with")
)
# SERVICE clauses and the prologue, read in the original text (IRIs kept, strings and comments
# blanked), each matched where its keyword starts (keyword_starts)
CODE = re.compile("(" + IRI + ")|" + TEXTS, re.DOTALL)
SERVICE_CLAUSE = re.compile(
    r"service(?:\s+silent)?\s*"
    r"(" + IRI + r"|[?$]\w+|(?:[A-Za-z_][\w.-]*)?:(?:\\.|[\w.:%-])*)?",
    re.IGNORECASE,
)
DECLARATION = re.compile(
    r"(?:prefix\s+((?:[A-Za-z_][\w.-]*)?):\s*(" + IRI + r")|base\s*(" + IRI + r"))",
    re.IGNORECASE,
)
NAME_CHARACTERS = "_?$:\\-"
LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Verdict:
    """What the query may be run with: whether it names its own dataset, whether it is cacheable."""

    has_dataset: bool
    cacheable: bool
    calls_service: bool = False
    form: str = ""  # the query form (select, ask, construct, describe), from the same tokens


@dataclass(frozen=True)
class Tokens:
    """What the checks need of a query's code (outside strings, IRIs, comments and names): its
    nesting depth and its bare words, lower-cased."""

    depth: int
    words: frozenset[str]
    services: int  # SERVICE keywords
    form: str = ""  # the first word after the prologue: the query form, or an update's verb

    @classmethod
    def of(cls, text: str) -> "Tokens":
        """The tokens of a query whose escapes are already decoded. The depth is the deepest
        nesting as parsers and the query algebra build it (an upper bound): each bracket opens a
        level, and within a level each link of a chain (`1+1+…`, `a || b || …`, `{} UNION {} …`,
        `!!!!x`, a run of OPTIONALs, a path `<p>/<p>/…`) nests what follows one level deeper."""
        links = [0]  # links seen so far at each open level
        total = deepest = services = 0
        words = set()
        previous = form = ""
        for token in filter(None, TOKEN.findall(text)):
            token = token.lower()
            if token in OPENERS:
                links.append(0)
            elif token in CLOSERS:
                if len(links) > 1:
                    total -= links.pop()
            elif token in LINK_WORDS or (
                token in LINKS and not (token == "*" and previous in STAR_AFTER)
            ):
                links[-1] += 1
                total += 1
                words.add(token)
                services += token == "service"
            else:
                words.add(token)
                if not form and token.isalpha() and token not in PROLOGUE:
                    form = token
            deepest = max(deepest, len(links) - 1 + total)
            previous = token
        return cls(depth=deepest, words=frozenset(words), services=services, form=form)


def decode_escapes(text: str) -> str:
    """Apply SPARQL's \\u and \\U code point escapes, as the grammar does before parsing."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def normalise_line_breaks(query: str) -> str:
    """The query with CR LF read as LF; SyntaxError if any other line break remains."""
    text = query.replace("\r\n", "\n")
    check_line_breaks(text)
    return text


def check_line_breaks(text: str) -> None:
    decoded = decode_escapes(text)
    for candidate in (text,) if decoded is text else (text, decoded):
        found = next((char for char in STRAY_LINE_BREAKS if char in candidate), None)
        if found is not None:
            raise SyntaxError(
                f"Malformed query: it holds U+{ord(found):04X}, a line break that SPARQL "
                "parsers read differently; end lines with LF (or CR LF) only."
            )


def nesting_depth(text: str) -> int:
    """Deepest nesting outside strings, IRIs and comments (see Tokens.of)."""
    return Tokens.of(text).depth


def inspect(query: str, *, allowlist: tuple[str, ...], max_nesting: int) -> Verdict:
    """Raise RecursionError, SyntaxError or PermissionError for a query that must not run."""
    check_line_breaks(query)
    text = decode_escapes(query)
    tokens = Tokens.of(text)
    if tokens.depth > max_nesting:
        raise RecursionError(f"The query is nested more than {max_nesting} levels deep.")
    if tokens.form in UPDATE_KEYWORDS:  # the one update check, the same on both backends
        raise update_as_query()
    targets = service_targets(text, tokens.services) if tokens.services else []
    for target in targets:
        check_service(target, allowlist)
    return Verdict(
        has_dataset="from" in tokens.words,
        cacheable=not NON_DETERMINISTIC & tokens.words,
        calls_service=bool(targets),
        form=tokens.form,
    )


def service_targets(text: str, count: int) -> list[str | None]:
    """Each SERVICE clause's target as an absolute IRI; None for a variable or a target that
    cannot be read. PermissionError unless each of the `count` SERVICE keywords was read."""
    code = CODE.sub(r"\1 ", text)
    lower = code.lower()
    found = [SERVICE_CLAUSE.match(code, at) for at in keyword_starts(code, lower, "service")]
    clauses = [clause for clause in found if clause is not None]
    if len(clauses) < max(count, len(found)):
        raise PermissionError("A SERVICE clause of this query could not be read; it is refused.")
    prefixes, base = declarations(code)
    return [expand(clause.group(1), prefixes, base) for clause in clauses]


def keyword_starts(code: str, lower: str, word: str) -> list[int]:
    """Where the word starts in the code, other than within a name (`?service`, `zz:service`,
    `zz:self-service`)."""
    starts = []
    at = lower.find(word)
    while at != -1:
        before = code[at - 1] if at else " "
        if not (before.isalnum() or before in NAME_CHARACTERS):
            starts.append(at)
        at = lower.find(word, at + 1)
    return starts


def declarations(code: str) -> tuple[dict[str, str], str | None]:
    """The query's PREFIX table and its last BASE, each IRI made absolute against the BASE before
    it."""
    prefixes: dict[str, str] = {}
    base = None
    lower = code.lower()
    starts = sorted((*keyword_starts(code, lower, "prefix"), *keyword_starts(code, lower, "base")))
    for declaration in filter(None, (DECLARATION.match(code, at) for at in starts)):
        name, iri, base_iri = declaration.groups()
        if base_iri is not None:
            base = resolve(base_iri[1:-1], base)
        else:
            prefixes[name] = resolve(iri[1:-1], base)
    return prefixes, base


def resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def expand(target: str | None, prefixes: dict[str, str], base: str | None) -> str | None:
    if target is None or target[0] in "?$":
        return None
    if target.startswith("<"):
        return resolve(target[1:-1], base)
    name, local = target.split(":", 1)
    if name not in prefixes:
        return None
    return prefixes[name] + LOCAL_ESCAPE.sub(r"\1", local)


def check_service(target: str | None, allowlist: tuple[str, ...]) -> None:
    if target is None:
        raise PermissionError(
            "SERVICE with a variable or unreadable endpoint is not allowed on this endpoint."
        )
    if target not in allowlist:
        raise PermissionError(f"SERVICE <{target}> is not allowed on this endpoint.")


def update_verb(text: str) -> str | None:
    """The SPARQL Update operation the text starts with (after its prologue), if it is one."""
    form = Tokens.of(decode_escapes(text)).form
    return form if form in UPDATE_KEYWORDS else None


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
