"""The safety check's reading of a query, against independent readings: on every research query
and on adversarial texts, its tokens (depth, words, SERVICE count, form) and its verdict (or its
refusal) are those of a plain one-token-per-match reading; on the research queries, its form,
dataset and SERVICE count are also rdflib's, from a full parse."""

import random
import re
from dataclasses import astuple
from pathlib import Path

import pytest
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from server.sparql import safety

QUERIES = sorted((Path(__file__).resolve().parent.parent / "queries").glob("*.rq"))
ALLOWED = "http://127.0.0.1:9/sparql"
ALLOWLIST = (ALLOWED, "https://query.wikidata.org/sparql")
MAX_NESTING = 12  # low, so that refusals for depth are among the outcomes compared

# The reference reading: every token its own match, Unicode classes throughout, backtracking
# quantifiers, comments and strings blanked by a substitution. It shares no pattern with the
# module's reading.
R_IRI = r"<[^<>\"{}|^`\\\s]*>"
R_TEXTS = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"#[^\n]*"
)
R_NAMES = r"[?$]\w+|[A-Za-z_][\w.-]*:[\w.:%\\-]*|:[\w.:%\\-]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?"
R_TOKEN = re.compile(
    r"[^\"'#<?$\w:()[\]{}|&!=<>+*/^-]+|" + R_TEXTS + "|" + R_IRI + "|" + R_NAMES + "|"
    r"((?i:[a-z]+)(?![\w:-])|[][(){}]|\|\||&&|!=|<=|>=|[-+*/|^!<>=])",
    re.DOTALL,
)
R_CODE = re.compile("(" + R_IRI + ")|" + R_TEXTS, re.DOTALL)


def reference_tokens(text: str) -> tuple[int, frozenset[str], int, str]:
    levels = [0]  # links at each open level
    links = deepest = services = 0
    words: set[str] = set()
    previous = form = ""
    for token in (found.lower() for found in R_TOKEN.findall(text) if found):
        if token in "([{":
            levels.append(0)
        elif token in ")]}":
            if len(levels) > 1:
                links -= levels.pop()
        elif token in safety.LINK_WORDS or (
            token in safety.LINKS
            and not (token == "*" and previous in ("select", "distinct", "reduced", "("))
        ):
            levels[-1] += 1
            links += 1
            words.add(token)
            services += token == "service"
        else:
            words.add(token)
            if not form and token.isalpha() and token not in ("prefix", "base"):
                form = token
        deepest = max(deepest, len(levels) - 1 + links)
        previous = token
    return deepest, frozenset(words), services, form


def reference_inspect(query: str) -> tuple:
    """The verdict as a tuple, or the refusal as (exception type, message)."""
    try:
        safety.check_line_breaks(query)
        text = safety.decode_escapes(query)
        depth, words, services, form = reference_tokens(text)
        if depth > MAX_NESTING:
            raise RecursionError(f"The query is nested more than {MAX_NESTING} levels deep.")
        if form in safety.UPDATE_KEYWORDS:
            raise safety.update_as_query()
        targets = reference_service_targets(text, services) if services else []
        for target in targets:
            safety.check_service(target, ALLOWLIST)
    except (SyntaxError, PermissionError, RecursionError) as error:
        return type(error), str(error)
    return ("from" in words, not safety.NON_DETERMINISTIC & words, bool(targets), form)


def reference_service_targets(text: str, count: int) -> list[str | None]:
    code = R_CODE.sub(r"\1 ", text)
    lower = code.lower()
    found = [
        safety.SERVICE_CLAUSE.match(code, at)
        for at in safety.keyword_starts(code, lower, "service")
    ]
    clauses = [clause for clause in found if clause is not None]
    if len(clauses) < max(count, len(found)):
        raise PermissionError("A SERVICE clause of this query could not be read; it is refused.")
    prefixes, base = safety.declarations(code, lower)
    return [safety.expand(clause.group(1), prefixes, base) for clause in clauses]


def module_tokens(text: str) -> tuple[int, frozenset[str], int, str]:
    return astuple(safety.Tokens.of(text))


def module_inspect(query: str) -> tuple:
    try:
        verdict = safety.inspect(query, allowlist=ALLOWLIST, max_nesting=MAX_NESTING)
    except (SyntaxError, PermissionError, RecursionError) as error:
        return type(error), str(error)
    return (verdict.has_dataset, verdict.cacheable, verdict.calls_service, verdict.form)


ADVERSARIAL = {
    "keywords in a comment": "SELECT * { ?s ?p ?o } # SERVICE <http://x/> FROM <urn:g> RAND()",
    "comment ends at LF only": "SELECT * WHERE { # } SERVICE <http://x/> {\n ?s ?p ?o }",
    "keywords in strings": "SELECT * WHERE { ?s ?p \"SERVICE <http://x/> FROM\" . ?s ?q 'NOW()' }",
    "long strings, escaped quotes": 'ASK { ?s ?p """a \\""" SERVICE <http://x/> {} ""\\" (((""" }',
    "long single-quoted": "ASK { ?s ?p '''x\n'' SERVICE <http://x/> ''' . ?s ?p 'it\\'s' }",
    "unterminated strings": "SELECT * WHERE { ?s ?p \"open\n SERVICE <http://x/> {} '",
    "IRIs": "SELECT * WHERE { ?s <http://x/service#from> <urn:a((((> . ?s ?p <urn:rand> }",
    "not an IRI": "SELECT * WHERE { FILTER(?a <?b && ?b >= 1 || ?c<=2) }",
    "prefixed names": "SELECT * { ?s zz:self-service zz:from ; zz:service ?o . ?s zz:a.b :c }",
    "variables": "SELECT ?service ?from $rand WHERE { ?service ?from $rand }",
    "names with dashes and dots": "SELECT * WHERE { ?s ex.service:x ?o ; ab-cd ?q . a.b:c ?r ?t }",
    "a digit before a word": "SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:1/> {} }",
    "escape spelling SERVICE": f"SELECT * WHERE {{ \\u0053ERVICE <{ALLOWED}> {{ }} }}",
    "escape spelling FROM": "SELECT * \\U00000046ROM <urn:g> WHERE { ?s ?p ?o }",
    "escape spelling a line break": "SELECT * WHERE { # \\u000D SERVICE <http://x/> {}\n}",
    "CR LF": "SELECT * WHERE {\r\n ?s ?p ?o # SERVICE\r\n}",
    "lone CR": "SELECT * WHERE { # \r SERVICE <http://x/> {} }",
    "U+2028": "SELECT * WHERE { # \u2028 SERVICE <http://x/> {} }",
    "nested brackets": "SELECT * WHERE { { { ( ( [ ?p [ ?q ?r ] ] ) ) } } }",
    "too deep": "SELECT * WHERE " + "{" * 20 + "}" * 20,
    "unbalanced closers": "SELECT * WHERE { ?s ?p ?o } } ) ] (",
    "SELECT *": "SELECT * WHERE { ?s ?p ?o }",
    "SELECT DISTINCT *": "SELECT DISTINCT * WHERE { ?s ?p ?o }",
    "COUNT(*)": "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT *) AS ?m) WHERE { ?s ?p ?o }",
    "a path star": "SELECT * WHERE { ?s rdfs:subClassOf* ?o ; (a|^a)/a* ?p }",
    "multiplication": "SELECT (?a * 2 * ?b AS ?c) (true * 1 AS ?d) WHERE {}",
    "chains": "SELECT * { FILTER(1+1-1*1/1 > 0 && !!!true || ?a != ?b) {} UNION {} MINUS {} }",
    "allowed through PREFIX": "PREFIX r: <http://127.0.0.1:9/> ASK { SERVICE r:sparql {} }",
    "allowed through BASE": "BASE <http://127.0.0.1:9/a/> ASK { SERVICE SILENT <../sparql> {} }",
    "a comment between SERVICE and its IRI": f"ASK {{ SERVICE # x\n <{ALLOWED}> {{}} }}",
    "SERVICE with a variable": "SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }",
    "SERVICE not allowed": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { } }",
    "update as query": "PREFIX x: <urn:x#> INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "with": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "the form after the prologue": "BASE <urn:b> PREFIX a: <urn:a> DESCRIBE <urn:x>",
    "non-deterministic": "SELECT (RAND() AS ?r) (NOW() AS ?n) (STRUUID() AS ?u) {}",
    "names in other letters": "SELECT ?城市 WHERE { ?城市 zz:人口 ?é . ?s ?p ?٣ }",
    "letters that fold to ASCII": "SELECT * WHERE { ſervice <http://x/> {} \u212aey ?o ı }",
    "other letters before SERVICE": f"SELECT * WHERE {{ ?s zz:名 ?o SERVICE <{ALLOWED}> {{}} }}",
    "other spaces": "SELECT * WHERE {\u3000?s\xa0?p ?o <urn:a\u3000b> }",
    "other letters in strings, comments, IRIs": 'ASK { ?s <urn:城市> "郑州" } # 郑州 SERVICE',
    "empty": "",
}

FRAGMENTS = (
    *"{}()[]*/+-=!<>|^.;,%@\\`~?$:\"'#",
    *(
        "||",
        "&&",
        "!=",
        "<=",
        ">=",
        "^^",
        " ",
        "\n",
        "\t",
        "\r\n",
        "\r",
        "\u2028",
        "\u3000",
        "\xa0",
    ),
    *("SELECT", "select", "DISTINCT", "REDUCED", "WHERE", "FROM", "from", "NAMED", "ASK"),
    *("SERVICE", "service", "Service", "SILENT", "UNION", "OPTIONAL", "FILTER", "BIND", "VALUES"),
    *("GRAPH", "MINUS", "COUNT", "RAND", "now", "LOAD", "INSERT", "PREFIX", "prefix", "BASE", "a"),
    *("true", "?s", "$o", "?service", "?城市", "zz:self-service", "zz:a.b", "ex.service:x", ":x"),
    *(
        "_:b",
        "abc-def",
        "a.b",
        "1",
        "2.5",
        "1e-3",
        "1SERVICE",
        "\u0660",
        "\uff11",
        "é",
        "İ",
        "郑州",
    ),
    *("ſervice", "\u212aey", "<http://x/service#from>", "<urn:a b>", f"<{ALLOWED}>", "<../sparql>"),
    *('"str"', "'s'", '"""long\n"""', "'''l'''", '"a\\"b"', "# SERVICE <http://x/>", "\\u0053"),
    *("\\u0053ERVICE", "\\U00000046ROM", "\\u000D", "r:sparql", "prefix r: <http://127.0.0.1:9/>"),
    "BASE <http://127.0.0.1:9/a/>",
)


def mixtures(count: int, seed: int = 14) -> list[str]:
    """Texts that are random runs of the fragments above (the same ones on every run)."""
    chance = random.Random(seed)
    return [
        "".join(
            chance.choice(FRAGMENTS) + chance.choice(("", " "))
            for _ in range(chance.randint(1, 30))
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.name)
def test_research_queries_read_as_the_reference_reads_them(path):
    query = path.read_text(encoding="utf-8")
    assert module_tokens(query) == reference_tokens(query)
    assert module_inspect(query) == reference_inspect(query)


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_texts_read_as_the_reference_reads_them(name):
    text = ADVERSARIAL[name]
    decoded = safety.decode_escapes(text)
    assert module_tokens(decoded) == reference_tokens(decoded), name
    assert module_inspect(text) == reference_inspect(text), name


def test_mixtures_read_as_the_reference_reads_them():
    outcomes = set()
    for text in mixtures(4000):
        decoded = safety.decode_escapes(text)
        assert module_tokens(decoded) == reference_tokens(decoded), text
        outcome = module_inspect(text)
        assert outcome == reference_inspect(text), text
        outcomes.add(outcome[0] if isinstance(outcome[0], type) else bool(outcome[2]))
    # the mixtures reach every kind of outcome: refusals of each kind, allowed SERVICE calls too
    assert outcomes == {SyntaxError, PermissionError, RecursionError, True, False}


def test_adversarial_texts_reach_each_reading():
    """Both of the module's readings are exercised: the ASCII one and, for other letters in the
    code, the Unicode one."""
    ascii_read = [
        name
        for name, text in ADVERSARIAL.items()
        if " ".join(safety.ASCII_TOKEN.findall(text)).isascii()
    ]
    assert (
        "names in other letters" not in ascii_read
        and "other letters before SERVICE" not in ascii_read
    )
    assert (
        "other letters in strings, comments, IRIs" in ascii_read
        and "other spaces" not in ascii_read
    )


def test_the_ascii_gap_is_the_gap_on_ascii():
    ascii_characters = [chr(code) for code in range(128)]
    full, plain = re.compile(safety.GAP), re.compile(safety.ASCII_GAP)
    assert [c for c in ascii_characters if full.fullmatch(c)] == [
        c for c in ascii_characters if plain.fullmatch(c)
    ]


# rdflib's full parse: the form, the dataset and the SERVICE clauses of each research query


def service_patterns(node) -> int:
    if isinstance(node, CompValue):
        own = node.name == "ServiceGraphPattern"
        return own + sum(service_patterns(value) for value in node.values())
    if isinstance(node, (list, tuple)):
        return sum(service_patterns(value) for value in node)
    return 0


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.name)
def test_research_queries_read_as_rdflib_parses_them(path):
    query = path.read_text(encoding="utf-8")
    parsed = parseQuery(query)[1]
    tokens = safety.Tokens.of(query)
    assert tokens.form + "query" == parsed.name.lower()
    assert ("from" in tokens.words) == ("datasetClause" in parsed)
    assert tokens.services == service_patterns(parsed)
    verdict = safety.inspect(query, allowlist=ALLOWLIST, max_nesting=128)
    assert verdict.calls_service == (tokens.services > 0)
