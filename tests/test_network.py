"""The networkx projection: entities as nodes with sources, object properties as edges."""

from __future__ import annotations

import pytest

from vetgraph.namespaces import VG
from vetgraph.network import to_networkx


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


def test_nodes_are_the_described_entities(graph, bundled):
    from vetgraph.stats import compute

    expected = sum(
        1
        for _ in bundled.select(
            "SELECT DISTINCT ?e WHERE { GRAPH <https://w3id.org/vetgraph/graph/provenance> "
            "{ ?c <https://w3id.org/vetgraph/ontology#about> ?e } }"
        )
    )
    assert graph.number_of_nodes() == expected
    assert compute(bundled).entities >= expected  # entities counted once per class
    assert not [n for n in graph if "/claim/" in n or "/source/" in n]


def test_node_attributes(graph):
    call = graph.nodes[VG["ssa-pilot-call-2012"]]
    assert call["cls"] == "vet:CallForProposals"
    assert call["class_label"] == "call for proposals"
    assert call["year"] == 2012 and call["dates"] == {"date": "2012"}
    assert {"sentence 1", "sentence 3"} <= {s["locator"] for s in call["sources"]}
    assert all(s["url"].startswith("http") for s in call["sources"])


def test_edges_carry_property_label_and_sources(graph):
    edges = graph.get_edge_data(VG["bruges-communique"], VG["objective-labour-market-relevant-vet"])
    [edge] = edges.values()
    assert edge["curie"] == "vet:callsFor" and edge["label"] == "calls for"
    assert [(s["section"], s["locator"]) for s in edge["sources"]] == [
        ("What is being done?", "sentence 1")
    ]


def test_literals_and_schema_only_when_asked(bundled, graph):
    assert "literals" not in graph.nodes[VG["dg-eac"]]
    full = to_networkx(bundled, include_literals=True, include_schema=True)
    assert full.nodes[VG["dg-eac"]]["literals"] == {"vet:acronym": ["DG EAC"]}
    assert "https://w3id.org/vetgraph/ontology#DirectorateGeneral" in full
    assert full.number_of_edges() > graph.number_of_edges()
