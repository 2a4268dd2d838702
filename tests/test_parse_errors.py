"""A malformed query's message names what is wrong in words a reader can act on."""

import pytest
import requests

from server.sparql.parse_errors import readable

RANGES = "error at 1:28: expected one of Prefix not found, ['%'], ['-' | '0' ..= '9']"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT * WHERE { ?s foo:bar ?o }", "undeclared prefix foo: (line 1, column 28)"),
        ("SELECT * WHERE { ?s :bar ?o }", "undeclared prefix : (line 1, column 28)"),
        ("PREFIX a: <x:> SELECT * WHERE { ?s a:b ind:c }", "undeclared prefix ind:"),
        ("SELECT * WHERE { ?s <http://x/y:z> ?o . ?s ?p 'q:r' . ?s zz:x ?o }", "prefix zz:"),
    ],
)
def test_an_undeclared_prefix_is_named(query, expected):
    message = readable(RANGES, query)
    assert expected in message and "0' ..= '9" not in message


def test_other_messages_are_left_as_the_parser_wrote_them():
    assert readable("error at 1:10: expected CONSTRUCT", "SELEC *") == (
        "error at 1:10: expected CONSTRUCT"
    )


def test_the_endpoint_names_the_undeclared_prefix(embedded_server):
    query = "SELECT * WHERE { ?s foo:bar ?o }"
    response = requests.get(embedded_server.endpoint, params={"query": query}, timeout=60)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "undeclared prefix foo:" in response.text and "u{00B7}" not in response.text
