"""The page: one self-contained document, untrusted labels kept as text, the views and the
notebook display. (Behaviour in a real browser: test_browser.py.)"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import subprocess
import sys

import pytest

import vetgraph
from vetgraph.explore import pagemodel, visualise
from vetgraph.explore.network import to_networkx

from .sample_graphs import HOSTILE, hostile_graph, synthetic_graph


def blocks(page: str) -> dict[str, object]:
    """The JSON data blocks of a page, parsed."""
    found = re.findall(r'<script type="application/json" id="([^"]+)">(.*?)</script>', page, re.S)
    return {name: json.loads(text) for name, text in found}


def policy(page: str) -> str:
    """The page's Content-Security-Policy, as the browser reads the attribute."""
    return html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)[1]
    )


def inline_scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, re.S)


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


@pytest.fixture(scope="module")
def page(graph):
    return visualise.render(graph)


def test_the_page_is_one_self_contained_document(page):
    text = page.html
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|img|iframe|link|audio|video|source)\b[^>]*\b(src|href)=", text)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", text)
    csp = policy(text)
    assert "default-src 'none'" in csp and "connect-src" not in csp
    # vis-network itself is inlined, with its licence header
    scripts = inline_scripts(text)
    assert len(scripts) == 2 and "@license" in scripts[0] and "vis-network" in scripts[0]


def test_only_our_two_scripts_may_run(page):
    csp = policy(page.html)
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    scripts = inline_scripts(page.html)
    digests = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert digests == allowed
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]


def test_the_page_holds_every_entity_link_and_source(page, graph):
    data = blocks(page.html)
    assert [n["id"] for n in data["vg-nodes"]] == sorted(graph)
    assert len(data["vg-edges"]) == graph.number_of_edges() == page.edges
    info = data["vg-page"]
    bruges = info["entities"]["https://w3id.org/vetgraph/id/bruges-communique"]
    assert bruges["label"] == "Bruges Communiqué"
    assert info["citations"][bruges["cites"]]
    cited = {info["sources"][c[0]]["url"] for found in info["citations"] for c in found}
    assert cited and all(url.startswith("http") for url in cited)
    assert {c["cls"] for c in info["classes"]} == {d["cls"] for _, d in graph.nodes(data=True)}
    assert len({c["color"] for c in info["classes"]}) == len(info["classes"])
    # each link: [subject, object, property, citations], all indices into the page's tables
    ids = [n["id"] for n in data["vg-nodes"]]
    shipped = sorted(
        (ids[s], ids[o], info["properties"][p]["curie"]) for s, o, p, _ in data["vg-edges"]
    )
    assert shipped == sorted(graph.edges(keys=True))
    for s, o, p, c in data["vg-edges"]:
        [edge] = [
            d
            for k, d in graph.get_edge_data(ids[s], ids[o]).items()
            if k == info["properties"][p]["curie"]
        ]
        assert info["properties"][p]["label"] == edge["label"]
        assert len(info["citations"][c]) == len(edge["sources"])


def test_small_graphs_settle_with_physics_large_ones_start_laid_out():
    small = blocks(visualise.render(synthetic_graph(pagemodel.LARGE - 100)).html)
    assert small["vg-options"]["physics"]["enabled"] is True  # from a layout made in Python
    assert small["vg-options"]["physics"]["stabilization"]["enabled"] is True
    assert all("x" in n and "y" in n for n in small["vg-nodes"])
    big_graph = synthetic_graph(pagemodel.LARGE + 100)
    big = blocks(visualise.render(big_graph).html)
    assert big["vg-options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in big["vg-nodes"])
    assert big["vg-page"]["large"] is True


def test_sizes_follow_degree_or_betweenness(graph):
    for size_by in visualise.SIZE_BY:
        data = blocks(visualise.render(graph, size_by=size_by).html)
        entities = data["vg-page"]["entities"]
        biggest = max(data["vg-nodes"], key=lambda n: n["value"])["id"]
        measure = "degree" if size_by == "degree" else "betweenness"
        assert entities[biggest][measure] == max(e[measure] for e in entities.values())


def test_the_same_graph_gives_the_same_page(graph):
    assert visualise.render(graph).html == visualise.render(graph).html


def test_hostile_labels_stay_text():
    page = visualise.render(hostile_graph(), title=HOSTILE[0])
    text = page.html
    for marker in ("<script>window", "<img src=x", "<svg", "</script><script>", "<!--"):
        assert marker not in text, marker
    # exactly our six script blocks: four data blocks and two scripts
    assert len(re.findall(r"</script", text, re.I)) == 6
    assert "\u2028" not in text
    data = blocks(text)
    labels = sorted(n["label"] for n in data["vg-nodes"])
    assert labels == sorted(HOSTILE)  # the text survives intact
    assert data["vg-page"]["title"] == HOSTILE[0]
    assert f"<title>{html.escape(HOSTILE[0], quote=False)}</title>" in text.replace("&#34;", '"')
    # a javascript: address never becomes a link; a web address does
    urls = {s["url"] for s in data["vg-page"]["sources"]}
    assert urls == {None, "https://example.org/?a=1&b=<2>"}


def test_a_very_long_label_is_shortened_on_the_canvas_only():
    # Regression: the timeline wraps labels to the node's width, and vis-network did that
    # one measured character at a time: a 100,000-character label kept the page from
    # loading for minutes. The canvas gets 100 characters; panel and search the whole text.
    from .sample_graphs import LONG_LABEL

    g = hostile_graph()
    first = sorted(g)[1]  # one with a date: on the timeline too
    g.nodes[first]["label"] = LONG_LABEL
    for layout in ("network", "timeline"):
        data = blocks(visualise.render(g, layout=layout).html)
        drawn = {n["id"]: n["label"] for n in data["vg-nodes"]}
        assert len(drawn[first]) == pagemodel.DRAWN_LABEL and drawn[first].endswith("…")
        assert data["vg-page"]["entities"][first]["label"] == LONG_LABEL


def test_timeline_holds_the_dated_entities_at_their_places(graph):
    data = blocks(visualise.render(graph, layout="timeline").html)
    dated = {n for n, d in graph.nodes(data=True) if d["dates"]}
    assert {n["id"] for n in data["vg-nodes"]} == dated
    assert all("x" in n and "y" in n for n in data["vg-nodes"])
    axis = data["vg-page"]["timeline"]
    assert axis["first_year"] <= axis["last_year"] and axis["lanes"]
    assert data["vg-options"]["physics"]["enabled"] is False


def test_an_empty_timeline_still_renders():
    page = visualise.render(synthetic_graph(3).subgraph([]).copy(), layout="timeline")
    assert page.nodes == 0 and blocks(page.html)["vg-nodes"] == []


def test_viz_views(bundled):
    focus = vetgraph.viz(bundled, focus="Bruges Communiqué", depth=1)
    assert 1 < focus.nodes < bundled_size(bundled)
    assert "within 1 link of Bruges Communiqué" in blocks(focus.html)["vg-page"]["subtitle"]
    path = vetgraph.viz(bundled, between=("vg:bruges-communique", "vg:ssa-pilot-tourism"))
    info = blocks(path.html)["vg-page"]
    assert info["highlight"]["nodes"][0] and info["highlight"]["edges"]
    assert info["highlight"]["connections"][0][0].startswith("Bruges Communiqué ")
    ids = [n["id"] for n in blocks(path.html)["vg-nodes"]]
    links = blocks(path.html)["vg-edges"]
    on_path = set(info["highlight"]["nodes"])
    for i in info["highlight"]["edges"]:
        assert {ids[links[i][0]], ids[links[i][1]]} <= on_path
    query = vetgraph.viz(bundled, query="sources-of-entity", params={"entity": "vg:dg-eac"})
    assert query.nodes == 1


def test_viz_refuses_an_empty_view(bundled, graph):
    from vetgraph.errors import InputError

    with pytest.raises(InputError, match="nothing to draw"):  # nothing is dated before 1900
        vetgraph.viz(bundled, query="dated-in-period", params={"from": "1890", "to": "1891"})
    with pytest.raises(InputError, match="vg:no-such-entity is not in the graph"):
        vetgraph.viz(bundled, query="sources-of-entity", params={"entity": "vg:no-such-entity"})
    undated = next(n for n, d in sorted(graph.nodes(data=True)) if not d["dates"])
    with pytest.raises(InputError, match="no entity in the view has a date"):
        vetgraph.viz(bundled, focus=undated, depth=0, layout="timeline")


def test_notebook_display_is_an_isolated_iframe_holding_the_page(graph, tmp_path):
    page = visualise.render(graph)
    shown = page._repr_html_()
    assert shown.startswith("<iframe ") and "allow-same-origin" not in shown
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown)[1]
    assert html.unescape(srcdoc) == page.html
    saved = page.save(tmp_path / "page.html")
    assert saved.read_text(encoding="utf-8") == page.html


def test_importing_vetgraph_does_not_import_pyvis():
    code = "import sys, vetgraph; vetgraph.viz; print('pyvis' in sys.modules)"
    lazy = "import sys, vetgraph; print('pyvis' in sys.modules, 'networkx' in sys.modules)"
    assert subprocess.run(
        [sys.executable, "-c", lazy], capture_output=True, text=True, check=True
    ).stdout.split() == ["False", "False"]
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )


def bundled_size(kg) -> int:
    return to_networkx(kg).number_of_nodes()
