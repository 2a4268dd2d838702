"""The README's "Browsing the graph" section names every route of the views, and the views read
the store only through their data-access module."""

import re
from pathlib import Path

from server.views import BLUEPRINTS

ROOT = Path(__file__).resolve().parent.parent


def section(title: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end]


def documented_path(rule: str) -> str:
    """`/id/<path:path>` -> `/id/<`, `/class/<name>` -> `/class/`: the fixed part of a rule."""
    return re.split(r"<", rule)[0]


def test_every_views_route_is_in_the_readme(views_app):
    text = section("Browsing the graph")
    names = {blueprint.name for blueprint in BLUEPRINTS}
    rules = [
        rule.rule for rule in views_app.url_map.iter_rules() if rule.endpoint.split(".")[0] in names
    ]
    assert len(rules) >= 15
    for rule in rules:
        fixed = documented_path(rule)
        # a rule without parameters is documented exactly (`GET /` is not any `GET /…`)
        end = r"(?=[`?\s,])" if fixed == rule else ""
        assert re.search(rf"GET {re.escape(fixed)}{end}", text), rule


def test_the_curl_examples_answer(client):
    """Every `curl` of the section, sent to the app (its Accept header, if it names one)."""
    text = section("Browsing the graph")
    examples = re.findall(
        r"^curl (?:-G )?'?http://127\.0\.0\.1:8000([^'\s]+)'?(.*)$", text, re.MULTILINE
    )
    assert len(examples) >= 8
    for path, rest in examples:
        accept = re.search(r"-H 'Accept: ([^']+)'", rest)
        data = re.search(r"--data-urlencode '([^=]+)=([^']+)'", rest)
        response = client.get(
            path,
            headers={"Accept": accept.group(1)} if accept else {},
            query_string={data.group(1): data.group(2)} if data else None,
        )
        assert response.status_code == 200, path


def test_only_the_data_module_opens_the_store():
    """(queries.py uses pyoxigraph too, for its terms only.)"""
    for module in (ROOT / "server" / "views").glob("*.py"):
        if module.name != "data.py":
            text = module.read_text(encoding="utf-8")
            assert "Store(" not in text and "Store.read_only" not in text, module.name
