"""The networkx projection (entities as nodes with sources, object properties as edges) and
what is built on it: views, the timeline, explained paths, analytics and the layout."""

from __future__ import annotations

import itertools
import math
import statistics

import networkx as nx
import pytest

from vetgraph.errors import InputError, QueryError
from vetgraph.explore import analytics, layout, network, paths, views
from vetgraph.explore.network import to_networkx
from vetgraph.graph.namespaces import VG
from vetgraph.sparql.library import LibraryQuery, parse_header

from .conftest import ROOT
from .sample_graphs import synthetic_graph


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


def test_nodes_are_the_described_entities(graph, bundled):
    from vetgraph.check.stats import compute

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


# -- finding entities and views ----------------------------------------------------------------

BRUGES = VG["bruges-communique"]
TOURISM = VG["ssa-pilot-tourism"]


def test_resolve_by_iri_curie_and_label(graph):
    for ref in (BRUGES, f"<{BRUGES}>", "vg:bruges-communique", "Bruges Communiqué"):
        assert views.resolve(graph, ref) == BRUGES
    assert views.resolve(graph, "bruges communiqué") == BRUGES  # case does not matter


def test_unknown_entity_suggests_close_matches(graph):
    with pytest.raises(InputError) as caught:
        views.resolve(graph, "Bruges Communique")  # no accent
    assert caught.value.exit_code == 2
    assert "Bruges Communiqué (vg:bruges-communique)" in str(caught.value)
    with pytest.raises(InputError, match="name an entity by"):
        views.resolve(graph, "zzzz qqqq")


def test_a_label_shared_by_two_entities_is_ambiguous():
    g = nx.MultiDiGraph()
    for iri in ("urn:x:a", "urn:x:b"):
        g.add_node(iri, **network.node_attributes(iri, "Same"))
    with pytest.raises(InputError, match="names 2 entities"):
        views.resolve(g, "Same")


def test_neighbourhood_grows_with_depth(graph):
    sizes = [views.neighbourhood(graph, BRUGES, d).number_of_nodes() for d in range(4)]
    assert sizes[0] == 1
    assert sizes == sorted(sizes) and sizes[3] > sizes[1]
    near = set(graph.successors(BRUGES)) | set(graph.predecessors(BRUGES)) | {BRUGES}
    one = views.neighbourhood(graph, BRUGES, 1)
    assert set(one) == near
    # every link among those entities is kept, with its sources
    assert one.number_of_edges() == graph.subgraph(near).number_of_edges()


def test_query_view_of_a_select_keeps_the_entities_it_names(bundled, graph):
    view = views.query_view(bundled, graph, "sources-of-entity", {"entity": "vg:dg-eac"})
    assert set(view) == {VG["dg-eac"]}


def test_query_view_of_a_construct_keeps_its_links(bundled, graph):
    text = (
        "# title: Policy links\n# description: What builds on what.\n# shape: CONSTRUCT\n"
        "PREFIX vet: <https://w3id.org/vetgraph/ontology#>\n"
        "CONSTRUCT { ?a vet:buildsOn ?b } WHERE { ?a vet:buildsOn ?b }"
    )
    query = LibraryQuery("builds-on", "cq", ROOT / "x.rq", parse_header(text, "x.rq"), text)
    view = views.query_view(bundled, graph, query)
    expected = [(u, v) for u, v, k in graph.edges(keys=True) if k == "vet:buildsOn"]
    assert expected and sorted(view.edges()) == sorted(expected)
    assert all(d["sources"] for _, _, d in view.edges(data=True))


def test_query_view_errors_speak(bundled, graph):
    with pytest.raises(QueryError, match="did you mean sources-of-entity"):
        views.query_view(bundled, graph, "sources-of-entiti")
    with pytest.raises(QueryError, match="--param entity=vg:bruges-communique"):
        views.query_view(bundled, graph, "sources-of-entity")
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        views.query_view(bundled, graph, "sources-of-entity", {"colour": "red"})


# -- timeline -----------------------------------------------------------------------------------


def test_timeline_places_dated_entities_by_date_without_overlap(graph):
    dated, axis = views.timeline(graph)
    expected = {n for n, d in graph.nodes(data=True) if d["dates"]}
    assert set(dated) == set(axis.positions) == expected
    assert axis.first_year == min(d["year"] for _, d in dated.nodes(data=True))
    for node, (x, _) in axis.positions.items():
        start = min(views.fractional_year(d) for d in graph.nodes[node]["dates"].values())
        assert x == pytest.approx((start - axis.first_year) * axis.year_width, abs=0.1)
    # lanes do not overlap, and every entity sits inside its class's lane
    lanes = {label: (top, bottom) for label, top, bottom in axis.lanes}
    spans = sorted(lanes.values())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for node, (_, y) in axis.positions.items():
        top, bottom = lanes[dated.nodes[node]["class_label"]]
        assert top < y < bottom
    # two entities in one row of a lane are at least a label's width apart
    rows: dict[float, list[float]] = {}
    for x, y in axis.positions.values():
        rows.setdefault(y, []).append(x)
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= axis.year_width * 0.9 - 0.2 for a, b in itertools.pairwise(xs))


def test_timeline_of_a_graph_without_dates_is_empty(graph):
    undated = graph.subgraph([n for n, d in graph.nodes(data=True) if not d["dates"]])
    dated, axis = views.timeline(undated)
    assert dated.number_of_nodes() == 0 and axis.positions == {}


# -- explained paths ------------------------------------------------------------------------------


def test_path_from_bruges_to_a_pilot_has_a_source_on_every_hop(graph):
    found = paths.connections(graph, BRUGES, TOURISM)
    assert found
    for connection in found:
        assert connection.nodes[0] == BRUGES and connection.nodes[-1] == TOURISM
        assert len(connection) == nx.shortest_path_length(
            network.undirected(graph), BRUGES, TOURISM
        )
        for hop in connection.hops:
            assert hop.links
            for link in hop.links:
                assert {link.subject, link.object} == {hop.start, hop.end}
                assert graph.has_edge(link.subject, link.object, link.curie)  # real direction
                assert link.sources and all(s["locator"] and s["title"] for s in link.sources)
        lines = paths.explain(graph, connection)
        assert lines[0].startswith("Bruges Communiqué ")
        assert all(line.endswith("]") and "[no source]" not in line for line in lines)


def test_explain_prints_each_fact_in_its_real_direction():
    g = nx.MultiDiGraph()
    for iri, label in (("urn:x:a", "A"), ("urn:x:b", "B"), ("urn:x:c", "C")):
        g.add_node(iri, **network.node_attributes(iri, label))
    source = {"source": "urn:s", "title": "Doc", "section": "Intro", "locator": "sentence 2"}
    g.add_edge(
        "urn:x:a",
        "urn:x:b",
        key="vet:buildsOn",
        curie="vet:buildsOn",
        label="builds on",
        sources=[source],
    )
    g.add_edge(
        "urn:x:c", "urn:x:b", key="vet:replaces", curie="vet:replaces", label="replaces", sources=[]
    )
    [connection] = paths.connections(g, "urn:x:a", "urn:x:c")
    assert paths.explain(g, connection) == [
        "A —builds on→ B [Doc, Intro, sentence 2]",
        "B ←replaces— C [no source]",
    ]
    assert paths.connections(g, "urn:x:a", "urn:x:c", max_length=1) == []
    with pytest.raises(InputError):
        paths.connections(g, "urn:x:a", "urn:x:a")


# -- analytics and layout -------------------------------------------------------------------------


def test_analysis_figures(graph):
    result = analytics.analyze(graph)
    simple = network.undirected(graph)
    assert result.nodes == graph.number_of_nodes() and result.edges == graph.number_of_edges()
    assert result.degree == {n: len(set(simple[n])) for n in simple}
    assert result.betweenness_samples is None
    _top, value = result.top("betweenness", 1)[0]
    assert value == max(result.betweenness.values()) > 0
    for groups in (result.components, result.communities):
        members = [n for g in groups for n in g]
        assert sorted(members) == sorted(graph) and len(members) == len(set(members))
    assert -0.5 <= result.modularity <= 1
    again = analytics.analyze(graph)
    assert again.communities == result.communities  # seeded: the same every time
    figures = result.as_dict(graph, top=3)
    assert len(figures["degree"]) == 3 and figures["degree"][0]["label"]


def test_betweenness_is_estimated_on_large_graphs(monkeypatch):
    g = synthetic_graph(300)
    monkeypatch.setattr(analytics, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(analytics, "BETWEENNESS_SAMPLES", 50)
    result = analytics.analyze(g)
    assert result.betweenness_samples == 50
    assert set(result.betweenness) == set(g)


def test_layout_of_a_large_graph_is_complete_deterministic_and_meaningful():
    g = synthetic_graph(3000)
    positions = layout.layout_positions(g)
    assert set(positions) == set(g)
    assert layout.layout_positions(g) == positions
    assert len(set(positions.values())) == len(positions)  # no two nodes on one spot
    linked = statistics.median(math.dist(positions[u], positions[v]) for u, v in g.edges())
    nodes = sorted(g)
    apart = statistics.median(
        math.dist(positions[a], positions[b]) for a, b in zip(nodes, nodes[1500:], strict=False)
    )
    assert linked < apart / 3  # linked entities are drawn near each other
