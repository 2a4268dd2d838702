"""`zzkg publish`: a build loaded into a real `oxigraph serve`, by the Graph Store Protocol (the
session fixture) and by SPARQL Update in batches; the old graphs replaced only when the new ones
are complete."""

import pytest
import requests
from pyoxigraph import NamedNode

from kg.iris import GRAPH_NAMES
from kg.publish import PublishError, Remote, batches_of, build_graphs, publish

GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def remote_counts(engine) -> dict[str, int]:
    answer = requests.post(
        engine.query_url,
        data={"query": GRAPHS},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()
    return {row["g"]["value"]: int(row["n"]["value"]) for row in answer["results"]["bindings"]}


def store_counts(built, store) -> dict[str, int]:
    names = [f"{built.base}graph/{name}" for name in GRAPH_NAMES]
    return {
        name: len(list(store.quads_for_pattern(None, None, None, NamedNode(name))))
        for name in names
    }


def test_the_published_graphs_are_the_build(remote_engine, built, store):
    assert remote_counts(remote_engine) == store_counts(built, store)


def test_publish_by_sparql_update_in_batches(remote_engine, built, store):
    done = remote_engine.publish(built.out_dir, "--batch", "700")
    assert done.returncode == 0, done.stderr
    expected = store_counts(built, store)
    for graph, count in expected.items():
        assert f"verified on {remote_engine.query_url}: {graph} {count} triples" in done.stdout
    assert "by SPARQL Update" in done.stdout
    assert remote_counts(remote_engine) == expected


def test_a_failed_check_leaves_the_published_graphs(remote_engine, built, store):
    class Lying(Remote):
        def count(self, graph: str) -> int:
            return super().count(graph) + ("-staging-" in graph)

    remote = Lying(remote_engine.query_url, remote_engine.update_url, remote_engine.store_url)
    with pytest.raises(PublishError, match="not"):
        publish(built.out_dir, remote, say=lambda line: None)
    assert remote_counts(remote_engine) == store_counts(built, store)


def test_a_refused_upload_fails_the_command(remote_engine, built, store):
    done = remote_engine.publish(built.out_dir, "--update", remote_engine.query_url)
    assert done.returncode == 1
    assert "left as they were" in done.stderr
    assert remote_counts(remote_engine) == store_counts(built, store)


def test_blank_node_triples_travel_together():
    lines = ["<a:1> <a:p> _:b1 .", "<a:2> <a:p> <a:3> .", "_:b1 <a:p> <a:4> .", "<a:5> <a:p> 1 ."]
    batches = batches_of(lines, 1)
    assert batches[0][:2] == ["<a:1> <a:p> _:b1 .", "_:b1 <a:p> <a:4> ."]
    assert sorted(line for batch in batches for line in batch) == sorted(lines)


def test_build_graphs_holds_every_graph(built):
    graphs = build_graphs(built.out_dir)
    assert sorted(graphs) == sorted(f"{built.base}graph/{n}" for n in GRAPH_NAMES)
    assert len(graphs[f"{built.base}graph/kg"]) == built.triples
