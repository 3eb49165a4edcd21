"""The exploring commands, in-process: ``vetgraph viz``, ``vetgraph path``, ``vetgraph analyze``,
and the pages ``vetgraph build`` writes."""

from __future__ import annotations

import json
import re

import pytest

from vetgraph.explore.analytics import analyze
from vetgraph.explore.network import to_networkx

from .test_visualise import blocks

BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"
LOCATOR = re.compile(r"(sentence|paragraph|recital) \d+\]$|Article [^\]]+\]$")


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


def test_viz_writes_one_page(invoke, tmp_path, graph):
    out = tmp_path / "graph.html"
    result = invoke("viz", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} ({graph.number_of_nodes()} entities" in result.output
    data = blocks(out.read_text(encoding="utf-8"))
    assert len(data["vg-page"]["nodes"]) == graph.number_of_nodes()


def test_viz_focus_depth_and_timeline(invoke, tmp_path, graph):
    out = tmp_path / "bruges.html"
    result = invoke("viz", "--focus", "vg:bruges-communique", "--depth", "2", "-o", str(out), "-q")
    assert result.exit_code == 0 and result.output == ""
    ids = {n[0] for n in blocks(out.read_text())["vg-page"]["nodes"]}
    assert BRUGES in ids and 3 < len(ids) < graph.number_of_nodes()
    timeline = tmp_path / "timeline.html"
    result = invoke("viz", "--layout", "timeline", "-o", str(timeline))
    assert result.exit_code == 0
    items = blocks(timeline.read_text())["tl-data"]["items"]
    dated = {n for n, d in graph.nodes(data=True) if d["dates"]}
    assert {i["id"] for i in items} == dated
    assert f"({len(dated)} dated entities)" in result.output


def test_viz_query_with_a_parameter(invoke, tmp_path):
    out = tmp_path / "q.html"
    args = ("viz", "--query", "sources-of-entity", "--param", "entity=vg:dg-eac", "-o", str(out))
    assert invoke(*args).exit_code == 0
    assert [n[1] for n in blocks(out.read_text())["vg-page"]["nodes"]] == [
        "Directorate-General for Education and Culture"
    ]


def test_viz_bad_input_exits_2_and_writes_nothing(invoke, tmp_path):
    out = tmp_path / "x.html"
    unknown = invoke("viz", "--focus", "Bruges Communique", "-o", str(out))
    assert unknown.exit_code == 2
    assert "no entity 'Bruges Communique'" in unknown.stderr
    assert "did you mean: Bruges Communiqué (vg:bruges-communique)" in unknown.stderr
    assert invoke("viz", "--depth", "2", "-o", str(out)).exit_code == 2
    assert invoke("viz", "--param", "a=b", "-o", str(out)).exit_code == 2
    assert invoke("viz", "--query", "no-such-query", "-o", str(out)).exit_code == 2
    missing = invoke("viz", "--query", "sources-of-entity", "-o", str(out))
    assert missing.exit_code == 2 and "--param entity=" in missing.stderr
    assert not out.exists()


def test_viz_into_a_missing_folder_exits_4(invoke, tmp_path):
    result = invoke("viz", "-o", str(tmp_path / "no" / "such" / "graph.html"))
    assert result.exit_code == 4


def test_path_explains_every_hop_with_its_source(invoke):
    result = invoke("path", "vg:bruges-communique", "vg:ssa-pilot-tourism")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("Bruges Communiqué → Sector Skills Alliance pilot: tourism: ")
    hops = lines[1:]
    assert hops[0].startswith("1. Bruges Communiqué ")
    for line in hops:
        assert ("—" in line and "→" in line) or ("←" in line and "—" in line)
        assert LOCATOR.search(line), line


def test_path_json_and_html(invoke, tmp_path):
    result = invoke(
        "path",
        "Bruges Communiqué",
        "vg:ssa-pilot-tourism",
        "--format",
        "json",
        "--html",
        str(tmp_path / "path.html"),
    )
    assert result.exit_code == 0
    [first, *_] = json.loads(result.stdout)
    assert first["nodes"][0]["curie"] == "vg:bruges-communique"
    assert all(link["sources"] for hop in first["hops"] for link in hop["links"])
    page = blocks((tmp_path / "path.html").read_text())["vg-page"]
    assert page["path"]["connections"]


def test_path_without_a_connection_exits_1(invoke):
    result = invoke("path", "vg:bruges-communique", "vg:ssa-pilot-tourism", "--max-length", "1")
    assert result.exit_code == 1
    assert "No connection between Bruges Communiqué and" in result.stderr
    assert invoke("path", "vg:bruges-communique", "vg:nothing").exit_code == 2


def test_analyze_table_and_json(invoke, graph):
    table = invoke("analyze", "--top", "3")
    assert table.exit_code == 0
    assert "Degree centrality" in table.output and "Betweenness centrality" in table.output
    assert "Communities (Louvain)" in table.output
    data = json.loads(invoke("analyze", "--format", "json", "--top", "5").output)
    expected = analyze(graph)
    assert data["nodes"] == graph.number_of_nodes() and len(data["degree"]) == 5
    assert data["degree"][0]["iri"] == expected.top("degree_centrality", 1)[0][0]
    assert data["communities"]["count"] == len(expected.communities)
    assert data["components"]["count"] == len(data["components"]["sizes"])
    assert sum(c["size"] for c in data["communities"]["largest"]) <= data["nodes"]


def test_build_writes_both_pages_deterministically(invoke, tmp_path):
    for name in ("a", "b"):
        assert invoke("build", "-q", "--out", str(tmp_path / name)).exit_code == 0
    for page, block, key in (
        ("graph.html", "vg-page", "nodes"),
        ("timeline.html", "tl-data", "items"),
    ):
        first = (tmp_path / "a" / page).read_bytes()
        assert first == (tmp_path / "b" / page).read_bytes()
        data = blocks(first.decode())[block]
        assert data[key] if key else data
