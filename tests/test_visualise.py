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
from vetgraph.explore import analytics, netpage, pagemodel, palette, provenance, visualise
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
    assert "default-src 'none'" in csp and "connect-src" not in csp and "worker-src" not in csp
    # sigma.js and graphology are inlined, with their licences
    scripts = inline_scripts(text)
    assert len(scripts) == len(netpage._SCRIPTS)
    assert scripts[0].startswith("/*!") and scripts[0].count("Permission is hereby granted") >= 3
    assert "sigma 3.0.3" in scripts[0] and "graphology 0.26.0" in scripts[0]


def test_only_our_scripts_may_run(page):
    csp = policy(page.html)
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    scripts = inline_scripts(page.html)
    digests = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts}
    assert digests == allowed and len(allowed) == len(netpage._SCRIPTS)
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]


def test_the_page_holds_every_entity_link_and_source(page, graph):
    info = blocks(page.html)["vg-page"]
    ids = [n[0] for n in info["nodes"]]
    assert ids == sorted(graph)
    assert len(info["edges"]) == graph.number_of_edges() == page.edges
    i = ids.index("https://w3id.org/vetgraph/id/bruges-communique")
    assert info["nodes"][i][1] == "Bruges Communiqué"
    cited = {info["sources"][doc[0]]["url"] for docs in info["citations"] for doc in docs}
    assert cited and all(url.startswith("http") for url in cited - {None})
    assert {c["cls"] for c in info["classes"]} == {d["cls"] for _, d in graph.nodes(data=True)}
    # each class in the palette's group, each group its palette colour, in palette order
    for c in info["classes"]:
        assert c["group"] == palette.group_of(c["cls"]).key
    keys = [g.key for g in palette.GROUPS]
    assert [g["key"] for g in info["groups"]] == [
        k for k in keys if k in {g["key"] for g in info["groups"]}
    ]
    for g in info["groups"]:
        assert g["colour"] == palette.groups_by_key()[g["key"]].colour
        assert g["count"] == sum(info["classes"][c]["count"] for c in g["classes"])
    # each link: [subject, object, property, citations], all indices into the page's tables
    shipped = sorted(
        (ids[s], ids[o], info["properties"][p]["curie"]) for s, o, p, _ in info["edges"]
    )
    assert shipped == sorted(graph.edges(keys=True))
    for s, o, p, c in info["edges"]:
        edge = graph.get_edge_data(ids[s], ids[o])[info["properties"][p]["curie"]]
        assert info["properties"][p]["label"] == edge["label"]
        documents = {c["source"] for c in edge["sources"]}
        assert [info["sources"][d[0]]["iri"] for d in info["citations"][c]] == [
            d["source"] for d in provenance.by_document(edge["sources"])
        ]
        assert len(info["citations"][c]) == len(documents)


def test_every_entity_has_a_place_and_links_follow_the_render_option(graph):
    standalone = blocks(visualise.render(graph).html)["vg-page"]
    site = blocks(visualise.render(graph, links="site").html)["vg-page"]
    assert all(
        isinstance(n[3], float | int) and isinstance(n[4], float | int) for n in site["nodes"]
    )
    i = [n[0] for n in site["nodes"]].index("https://w3id.org/vetgraph/id/bruges-communique")
    assert standalone["details"][i]["page"] == "https://w3id.org/vetgraph/id/bruges-communique"
    assert site["details"][i]["page"] == "id/bruges-communique.html"
    with pytest.raises(ValueError, match="links must be one of"):
        visualise.render(graph, links="elsewhere")


def test_sizes_follow_degree_or_betweenness(graph):
    analysis = analytics.analyze(graph)
    for size_by in visualise.SIZE_BY:
        info = blocks(visualise.render(graph, size_by=size_by, analysis=analysis).html)["vg-page"]
        biggest = max(info["nodes"], key=lambda n: n[5])[0]
        measure = getattr(analysis, size_by)
        assert measure[biggest] == max(measure.values())


def test_a_large_graph_gets_the_quick_analysis_and_layout():
    big = synthetic_graph(visualise.QUICK + 200)
    info = blocks(visualise.render(big).html)["vg-page"]
    assert len(info["nodes"]) == big.number_of_nodes()
    places = {(n[3], n[4]) for n in info["nodes"]}
    assert len(places) == len(info["nodes"])  # no two entities on top of each other
    assert info["analysis"]["betweenness_samples"] is None  # sized by degree: none needed
    assert all(n[6] >= 0 for n in info["nodes"])  # each in a community


def test_the_same_graph_gives_the_same_page(graph):
    assert visualise.render(graph).html == visualise.render(graph).html


def test_hostile_labels_stay_text():
    page = visualise.render(hostile_graph(), title=HOSTILE[0])
    text = page.html
    for marker in ("<script>window", "<img src=x", "<svg", "</script><script>", "<!--"):
        assert marker not in text, marker
    # exactly our script blocks: one data block and the scripts
    assert len(re.findall(r"</script", text, re.I)) == 1 + len(netpage._SCRIPTS)
    assert "\u2028" not in text
    info = blocks(text)["vg-page"]
    assert sorted(n[1] for n in info["nodes"]) == sorted(HOSTILE)  # the text survives intact
    assert info["title"] == HOSTILE[0]
    assert f"<title>{html.escape(HOSTILE[0], quote=False)}</title>" in text.replace("&#34;", '"')
    # a javascript: address never becomes a link; a web address does
    urls = {s["url"] for s in info["sources"]}
    assert urls == {None, "https://example.org/?a=1&b=<2>"}


def test_a_very_long_label_travels_whole_the_page_shortens_what_it_draws():
    # Regression: the timeline wraps labels to the node's width, and vis-network did that
    # one measured character at a time: a 100,000-character label kept the page from
    # loading for minutes. The timeline gets 100 characters; the network page draws its
    # labels itself (shortened on the canvas) and keeps the whole text for the details.
    from .sample_graphs import LONG_LABEL

    g = hostile_graph()
    first = sorted(g)[1]  # one with a date: on the timeline too
    g.nodes[first]["label"] = LONG_LABEL
    timeline = blocks(visualise.render(g, layout="timeline").html)
    drawn = {n["id"]: n["label"] for n in timeline["vg-nodes"]}
    assert len(drawn[first]) == pagemodel.DRAWN_LABEL and drawn[first].endswith("…")
    network = blocks(visualise.render(g).html)["vg-page"]
    assert {n[0]: n[1] for n in network["nodes"]}[first] == LONG_LABEL


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
    ids = [n[0] for n in info["nodes"]]
    # the path and its neighbours, not the whole graph
    assert path.nodes < bundled_size(bundled)
    first = info["path"]["connections"][0]
    assert ids[first[0]["from"]] == "https://w3id.org/vetgraph/id/bruges-communique"
    assert ids[first[-1]["to"]] == "https://w3id.org/vetgraph/id/ssa-pilot-tourism"
    for hop in first:
        assert hop["links"] and all(
            {s, o} == {hop["from"], hop["to"]} for s, _, o, _ in hop["links"]
        )
    on_path = {ids[i] for i in info["path"]["nodes"]}
    xs = sorted({info["nodes"][i][3] for i in info["path"]["nodes"]})
    assert len(xs) == len(first) + 1  # laid out on its own: one column per step
    assert "https://w3id.org/vetgraph/id/bruges-communique" in on_path
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
