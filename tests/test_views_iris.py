"""Every IRI the data mints under the base resolves on the server, for people and for machines."""

import pyoxigraph
import pytest
from views_support import BASE


def minted_iris(store_dir) -> list[str]:
    """Every IRI under the base that the store mentions, fragments stripped."""
    store = pyoxigraph.Store.read_only(str(store_dir))
    found = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(BASE):
                found.add(term.value.split("#")[0])
    return sorted(found)


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_every_minted_iri_resolves(client, built, accept):
    iris = minted_iris(built.store_dir)
    assert len(iris) > 500
    failing = []
    for iri in iris:
        path = "/" + iri.removeprefix(BASE)
        response = client.get(path, headers={"Accept": accept}, follow_redirects=True)
        if response.status_code != 200:
            failing.append((path, response.status_code))
        response.close()  # a download is a file response
    assert failing == []


def test_the_ontology_version_iri_leads_to_its_documentation(client):
    response = client.get("/ontology/0.1.0", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/ontology")
    assert client.get("/ontology/9.9.9").status_code == 404
