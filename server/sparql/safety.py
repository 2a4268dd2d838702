"""What a query may do, decided before it runs: nesting depth, updates, SERVICE, its own dataset.

Decided on the query's tokens, in microseconds, never on a full parse: strings, comments and IRIs
are set aside, then variables, prefixed names and numbers, and what is left are the query's bare
words and operators. A word such as "from" or "service" inside a string, a comment, a variable or
a prefixed name is therefore never taken for a keyword. The tokens are read with ASCII character
sets, which sre tests fastest, and read again with the grammar's Unicode classes wherever the
code outside strings, comments and IRIs holds any other character. SPARQL's `\\u`/`\\U` escapes
are decoded first, as the grammar does. A SERVICE clause is read from the keyword to its target
(an IRI, made absolute against BASE, or a prefixed name expanded by its PREFIX); one that cannot
be read that way is refused. The network namespace of the query workers
(server/backend/sandbox.py) is the wall behind this check: a query the tokens misjudge still
cannot connect anywhere not allowed.

Both this reading and the engine's must see the same lines: rdflib and Oxigraph end a `#` comment
at LF, Oxigraph also at a lone CR, so CR LF becomes LF and every other line break (CR, U+2028,
U+0085, …) is refused, in the text and in its decoded escapes. The nesting scan is a cheap cap
(it only ever rejects more).
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Every repetition below is possessive (`*+`, `++`): what follows a run is outside its class, so
# giving characters back could never make a match, and sre keeps no backtracking state.
IRI = r"<[^<>\"{}|^`\\\s]*+>"
# strings (long and short) and comments: nothing in them is code, their brackets nest nothing.
# Each body is a run of plain characters, then escapes (and in a long string lone quotes) each
# followed by their own run.
TEXTS = (
    r'"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+"""|'
    r"'''[^'\\]*+(?:(?:\\.|'(?!''))[^'\\]*+)*+'''|"
    r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"|'
    r"'[^'\\\n]*+(?:\\.[^'\\\n]*+)*+'|"
    r"#[^\n]*+"
)
# a character that is neither a token nor the start of a string, comment, IRI or name
GAP = r"[^\"'#<?$\w:()[\]{}|&!=<>+*/^-]"
# GAP's ASCII characters as a plain set: sre tests one far faster than a set holding \w
ASCII_GAP = (
    "[" + "".join(map(re.escape, filter(re.compile(GAP).fullmatch, map(chr, range(128))))) + "]"
)


def token_pattern(
    *, letters: str, word: str, digit: str, gap: str, foreign: str = ""
) -> re.Pattern[str]:
    """One pass over a query. Each match skips to the next token and takes it as group 1: a bare
    word (a keyword; a word's letters before `:`, a digit or `_` are a name's) or an operator.
    Skipped: strings, comments and IRIs, then variables, prefixed names and numbers, whose letters
    are no keywords and may look like operators (`zz:new-energy`, `?a`, `1e-3`), and the gaps.
    `letters` reads a keyword's letters; `word` and `digit` are the character sets' contents for
    \\w and \\d; a `foreign` character, if given, is a token of its own. A character nothing
    reads is passed over alone (the `.`), as findall passes over a position where nothing matches;
    `\\Z` ends a tail without tokens."""
    names = (
        rf"[A-Za-z_][{word}.-]*+:[{word}.:%\\-]*+|[?$][{word}]++|:[{word}.:%\\-]++|"
        rf"[{digit}]++(?:\.[{digit}]*+)?(?:[eE][+-]?[{digit}]++)?"
    )
    token = rf"{letters}(?![{word}:-])|[][(){{}}]|\|\||&&|!=|<=|>=|[-+*/|^!<>=]"
    if foreign:
        token += "|" + foreign
    return re.compile(
        rf"(?:{gap}*+(?:{names}|{IRI}|{TEXTS}))*+{gap}*+(?:({token})|.|\Z)", re.DOTALL
    )


# the reading with ASCII classes (plain sets); any other character outside strings, comments and
# IRIs becomes a token of its own, which sends the query to the full reading (code_tokens)
ASCII_TOKEN = token_pattern(
    letters="[A-Za-z]++", word="0-9A-Za-z_", digit="0-9", gap=ASCII_GAP, foreign=r"[^\x00-\x7f]"
)
# the reading with Unicode classes, as the grammar has them (names such as `?城市`); its keyword
# letters are [a-z] of either case as sre folds them, which takes in ſ, ı and the Kelvin sign
TOKEN = token_pattern(letters="(?i:[a-z]++)", word=r"\w", digit=r"\d", gap=GAP)
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
CHAINS = LINKS | LINK_WORDS
BRACKETS = OPENERS | CLOSERS
# line breaks other than LF (str.splitlines' set): parsers disagree on whether they end a comment
STRAY_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PROLOGUE = frozenset(("prefix", "base"))
NOT_FORM = PROLOGUE | LINK_WORDS  # words the query form is not
NON_DETERMINISTIC = frozenset(("rand", "now", "uuid", "struuid", "bnode"))
# SPARQL Update's operation keywords: none of them is a word of the query language
UPDATE_KEYWORDS = frozenset(
    ("insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with")
)
# SERVICE clauses and the prologue, read in the original text (IRIs kept, strings and comments
# blanked), each matched where its keyword starts (keyword_starts). Group 1 is a run of code and
# IRIs (a quote that starts no string is code) up to the string or comment that ends it; a run of
# comment lines ends it as one (the clauses read a blank and a line break alike).
CODE_RUN = re.compile(
    rf"((?:[^\"'#<]++|{IRI}|<|(?!{TEXTS})[\"'])*+)(?:(?:{TEXTS})(?:\s*+#[^\n]*+)*+|\Z)", re.DOTALL
)
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
        """The tokens of a query whose escapes are already decoded."""
        tokens = code_tokens(text)
        return cls(
            depth=nesting(tokens),
            words=frozenset(tokens) - BRACKETS,
            services=tokens.count("service"),
            form=next((token for token in tokens if token.isalpha() and token not in NOT_FORM), ""),
        )


def code_tokens(text: str) -> list[str]:
    """The query's bare words and operators, lower-cased, in order. Read with ASCII classes first:
    where that reading holds a character of its own beyond ASCII (a name such as `?城市`), the
    text is read again with the grammar's Unicode classes, from the start."""
    found = " ".join(ASCII_TOKEN.findall(text))  # no token holds a space; the skips are empty
    if not found.isascii():
        found = " ".join(TOKEN.findall(text))
    return found.lower().split()


def nesting(tokens: list[str]) -> int:
    """The deepest nesting as parsers and the query algebra build it (an upper bound): each
    bracket opens a level, and within a level each link of a chain (`1+1+…`, `a || b || …`,
    `{} UNION {} …`, `!!!!x`, a run of OPTIONALs, a path `<p>/<p>/…`) nests what follows one level
    deeper."""
    # a bracket closes back to the height before it opened: its links and its inner levels go
    saved = []  # the height before each open bracket
    height = deepest = 0
    for at, token in enumerate(tokens):
        if token in OPENERS:
            saved.append(height)
            height += 1
        elif token in CLOSERS:
            if saved:
                height = saved.pop()
            continue
        elif token in CHAINS and not (token == "*" and at and tokens[at - 1] in STAR_AFTER):
            height += 1
        else:
            continue
        if height > deepest:  # noqa: PLR1730 (a comparison costs half of a call to max, per token)
            deepest = height
    return deepest


def decode_escapes(text: str) -> str:
    """Apply SPARQL's \\u and \\U code point escapes, as the grammar does before parsing."""
    # one scan for a backslash is far cheaper than two for `\u` and `\U`
    if "\\" not in text or ("\\u" not in text and "\\U" not in text):
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
    code = " ".join(CODE_RUN.findall(text))  # each string or comments a space (one more at the end)
    lower = code.lower()
    found = [SERVICE_CLAUSE.match(code, at) for at in keyword_starts(code, lower, "service")]
    clauses = [clause for clause in found if clause is not None]
    if len(clauses) < max(count, len(found)):
        raise PermissionError("A SERVICE clause of this query could not be read; it is refused.")
    targets = [clause.group(1) for clause in clauses]
    prefixes, base = declarations(code, lower) if needs_prologue(targets, lower) else ({}, None)
    return [expand(target, prefixes, base) for target in targets]


def needs_prologue(targets: list[str | None], lower: str) -> bool:
    """Whether reading the targets takes the PREFIX table or a BASE: a prefixed name does, an IRI
    does if the code may hold a BASE, a variable never does."""
    names = any(target and target[0] not in "<?$" for target in targets)
    return names or ("base" in lower and any(target and target[0] == "<" for target in targets))


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


def declarations(code: str, lower: str) -> tuple[dict[str, str], str | None]:
    """The query's PREFIX table and its last BASE, each IRI made absolute against the BASE before
    it."""
    prefixes: dict[str, str] = {}
    base = None
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
