"""The README's "Linking your data, and taking it away" section: it names every route of the
reconciliation service, its curl lines answer as it says, and the URLs of its pandas and R
one-liners are served."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

from server.reconcile import bp

ROOT = Path(__file__).resolve().parent.parent
SERVER = "http://127.0.0.1:8000"


def section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Linking your data, and taking it away\n")
    return readme[start : readme.find("\n## ", start + 1)]


def test_every_reconcile_route_is_in_the_readme(views_app):
    text = section()
    rules = [
        rule.rule
        for rule in views_app.url_map.iter_rules()
        if rule.endpoint.startswith(bp.name + ".")
    ]
    assert len(rules) >= 14
    for rule in rules:
        assert f"GET {rule}" in text or f"POST {rule}" in text, rule


def curl_lines() -> list[list[str]]:
    return [shlex.split(line) for line in section().splitlines() if line.startswith("curl ")]


def run(client, words: list[str]):
    """A curl line of the README through the test client: -X, -G, -H and --data-urlencode."""
    method, params, headers, url = "GET", {}, {}, None
    words = iter(words[1:])
    as_query = False
    for word in words:
        if word == "-X":
            method = next(words)
        elif word == "-G":
            as_query = True
        elif word == "-H":
            name, _, value = next(words).partition(": ")
            headers[name] = value
        elif word == "--data-urlencode":
            name, _, value = next(words).partition("=")
            params[name] = value
        else:
            url = word
    path = url.removeprefix(SERVER)
    if params and not as_query:
        return client.open(path, method="POST", data=params, headers=headers)
    return client.open(path, method=method, query_string=params, headers=headers)


def test_curl_lines_answer(client):
    lines = curl_lines()
    assert len(lines) >= 5
    for words in lines:
        response = run(client, words)
        assert response.status_code == 200, words
        if response.mimetype == "application/json":
            assert response.get_json()
        else:
            table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
            assert table and {"observation", "value"} <= set(table[0])
    reconciled = run(client, lines[1]).get_json()
    assert reconciled["q0"]["result"][0]["match"] and reconciled["q1"]["result"][0]["match"]


def test_one_liners_download_urls_are_served(client):
    urls = set(re.findall(r'"(http://127\.0\.0\.1:8000/download/[^"]+)"', section()))
    assert len(urls) >= 1
    for url in urls:
        with client.get(url.removeprefix(SERVER)) as response:
            assert response.status_code == 200 and response.mimetype == "text/csv"
