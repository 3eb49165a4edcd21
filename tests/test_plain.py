"""Plain triples in, every view out (regression, issue 13.5): a researcher's own Turtle or
N-Triples without named graphs, and the published vetgraph.ttl and vetgraph.nt (every graph
merged into one), work with viz, path and analyze; their facts show "no source given"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vetgraph.cli import cli
from vetgraph.explore.network import to_networkx
from vetgraph.graph.build import load

from .conftest import FIXTURES
from .test_visualise import blocks

OWN = FIXTURES / "plain-triples.ttl"
FUND = "http://example.org/study/training-fund"
ACT = "http://example.org/study/apprenticeship-act"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """vetgraph.trig, .ttl and .nt as ``vetgraph export`` writes them."""
    folder = tmp_path_factory.mktemp("published")
    files = {}
    for fmt in ("trig", "ttl", "nt"):
        files[fmt] = folder / f"vetgraph.{fmt}"
        args = ["export", "--format", fmt, "-o", str(files[fmt]), "-q"]
        result = CliRunner().invoke(cli, args, obj={}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return files


@pytest.fixture(scope="module")
def trig(exported):
    return to_networkx(load([exported["trig"]]))


def links(graph) -> set[tuple[str, str, str]]:
    return {(u, v, d["predicate"]) for u, v, d in graph.edges(data=True)}


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_flat_exports_draw_the_same_network_as_the_trig(exported, trig, fmt):
    flat = to_networkx(load([exported[fmt]]))
    assert trig.number_of_nodes() > 200
    assert set(flat.nodes) == set(trig.nodes)  # no claim, source or ontology term among them
    assert links(flat) == links(trig)
    for node, data in trig.nodes(data=True):
        for key in ("label", "classes", "class_label", "description", "dates", "sources"):
            assert flat.nodes[node][key] == data[key], (node, key)


def test_flat_exports_recover_a_links_source_only_where_it_is_exact(exported, trig):
    flat = to_networkx(load([exported["ttl"]]))
    sourced = unsourced = 0
    for u, v, key, data in flat.edges(keys=True, data=True):
        if data["sources"]:  # the subject's only claim holds the link
            sourced += 1
            assert data["claim"] == trig.edges[u, v, key]["claim"]
            assert data["sources"] == trig.edges[u, v, key]["sources"]
        else:  # several claims are about the subject: which one states it is not known
            unsourced += 1
            assert data["claim"] is None
    assert sourced and unsourced


def test_own_plain_turtle_works_with_viz_path_and_analyze(invoke, tmp_path):
    out = tmp_path / "own.html"
    viz = invoke("viz", "--input", str(OWN), "-o", str(out))
    assert viz.exit_code == 0, viz.output
    assert "(2 entities, 1 link)" in viz.output
    page = blocks(out.read_text(encoding="utf-8"))
    assert [n[1] for n in page["vg-page"]["nodes"]] == ["Apprenticeship Act", "Training Fund"]
    assert page["vg-page"]["citations"] == [[]]  # the page says "no source given"
    assert [c["label"] for c in page["vg-page"]["classes"]] == ["Fund", "Law"]

    path = invoke("path", "Training Fund", f"<{ACT}>", "--input", str(OWN))
    assert path.exit_code == 0, path.output
    assert "Training Fund —establishedBy→ Apprenticeship Act [no source given]" in path.output

    analyze = invoke("analyze", "--input", str(OWN))
    assert analyze.exit_code == 0, analyze.output
    assert "Graph: 2 entities, 1 link" in analyze.output


def test_linked_iris_are_entities_and_mappings_point_outside(write):
    data = write(
        "links.nt",
        f"<{FUND}> <http://example.org/study/funds> <http://example.org/study/school> .\n"
        f"<{FUND}> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .\n"
        f'<{FUND}> <http://www.w3.org/2000/01/rdf-schema#label> "Training Fund"@en .\n',
    )
    graph = to_networkx(load([data]))
    assert sorted(graph) == ["http://example.org/study/school", FUND]
    school = graph.nodes["http://example.org/study/school"]
    assert (school["label"], school["class_label"]) == (
        "<http://example.org/study/school>",
        "no class given",
    )


def test_hints_fit_the_command(invoke, write, tmp_path):
    """No hint about a query where none was given, nor about --depth without --focus."""
    nothing = write("literals.ttl", '<http://example.org/a> <http://example.org/p> "x" .\n')
    out = str(tmp_path / "x.html")
    for args in (("viz", "-o", out), ("analyze",), ("path", "a", "b")):
        result = invoke(*args, "--input", str(nothing))
        assert result.exit_code == 2, args
        assert "the graph holds no entity" in result.stderr
        assert "hint: an entity is an IRI with a class and a label" in result.stderr
        assert "query" not in result.stderr
    undated = invoke("viz", "--input", str(OWN), "--layout", "timeline", "-o", out)
    assert undated.exit_code == 2
    assert "no entity in the graph has a date" in undated.stderr
    assert "--depth" not in undated.stderr and "vet:startDate" in undated.stderr
    focused = invoke(
        "viz", "--input", str(OWN), "--focus", "Training Fund", "--layout", "timeline", "-o", out
    )
    assert "a larger --depth" in focused.stderr
    query = invoke(
        "viz",
        "--query",
        "sources-of-entity",
        "--param",
        "entity=vg:austria",
        "--layout",
        "timeline",
        "-o",
        out,
    )
    assert query.exit_code == 2 and "--depth" not in query.stderr
