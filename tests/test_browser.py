"""The pages in a real browser: headless Chromium (the system's, driven by Playwright), each
page opened from file:// with every request blocked and recorded.

Missing Chromium or Playwright fails under CI=true and skips elsewhere. Screenshots are
kept in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetgraph.explore import pagemodel, style, visualise
from vetgraph.explore.network import to_networkx

from .browsing import Opened, screenshot
from .sample_graphs import HOSTILE, hostile_graph, synthetic_graph

pytestmark = pytest.mark.browser

BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"


@pytest.fixture(scope="module")
def built(tmp_path_factory, bundled) -> Path:
    """The pages `vetgraph build` writes."""
    from click.testing import CliRunner

    from vetgraph.cli import cli

    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(cli, ["build", "-q", "--out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


def drawn(opened: Opened) -> list[int]:
    """[entities in the page's DataSet, entities vis-network draws]."""
    return opened.js("[vetgraph.nodes.length, vetgraph.network.body.nodeIndices.length]")


# -- the pages vetgraph build writes -------------------------------------------------------------


@pytest.mark.parametrize("name", ["graph"])  # the timeline: test_timeline.py
def test_built_pages_open_offline_without_errors_and_draw_every_entity(
    open_page, built, graph, name
):
    path = built / f"{name}.html"
    opened = open_page(path)
    assert opened.requests == [path.as_uri()]
    assert opened.left_the_page(path) == []
    assert opened.errors == []
    if name == "graph":
        expected = graph.number_of_nodes()
    else:
        expected = sum(1 for _, d in graph.nodes(data=True) if d["dates"])
    assert expected > 0
    assert drawn(opened) == [expected, expected]
    shown = graph.subgraph(opened.js("vetgraph.nodes.getIds()"))
    edges = opened.js("vetgraph.network.body.edgeIndices.length")
    assert edges == opened.js("vetgraph.edges.length") == shown.number_of_edges() > 0
    # every link is labelled with its property's label; a page of more than LARGE entities
    # draws no link labels (they are in the details of each entity)
    labels = set(opened.js("vetgraph.edges.get().map(e => e.label)"))
    if expected > pagemodel.LARGE:
        assert labels == {None}
    else:
        assert labels == {d["label"] for _, _, d in shown.edges(data=True)}
    screenshot(opened, name)


def test_search_selects_the_entity_and_shows_it(open_page, built, graph):
    opened = open_page(built / "graph.html")
    page = opened.page
    page.fill("#vg-search-input", "Bruges Communiqué")
    page.press("#vg-search-input", "Enter")
    assert opened.js("vetgraph.network.getSelectedNodes()") == [BRUGES]
    assert page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    # a part of a label lists the matches; none says so
    part = "skills alliance pilot"
    matches = sorted(d["label"] for _, d in graph.nodes(data=True) if part in d["label"].lower())
    assert len(matches) > 1
    page.fill("#vg-search-input", part)
    page.press("#vg-search-input", "Enter")
    found = page.locator("#vg-search-results button").all_text_contents()
    assert sorted(found) == matches
    page.fill("#vg-search-input", "no such thing")
    page.press("#vg-search-input", "Enter")
    assert "No entity matches" in page.text_content("#vg-search-status")
    assert opened.errors == []


def test_clicking_an_entity_shows_its_facts_and_sources(open_page, built, graph):
    opened = open_page(built / "graph.html")
    page = opened.page
    x, y = opened.js(
        """id => {
            const net = vetgraph.network;
            net.focus(id, {scale: 2.5, animation: false});  // close: no neighbour under it
            const at = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('vg-network').getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }""",
        BRUGES,
    )
    page.mouse.click(x, y)
    page.wait_for_selector("#vg-details h2.entity")
    assert page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    sources = page.locator("#vg-details .entity-sources li")
    cited = graph.nodes[BRUGES]["sources"]
    assert sources.count() == len(cited) > 0
    first = cited[0]
    assert first["section"] in sources.first.text_content()
    assert first["locator"] in sources.first.text_content()
    assert sources.first.locator("a").get_attribute("href") == first["url"]
    facts = page.locator("#vg-details .facts > li")
    degree = len(graph.out_edges(BRUGES)) + len(graph.in_edges(BRUGES))
    assert facts.count() == degree
    assert facts.first.locator(".cites li").count() >= 1
    screenshot(opened, "graph-selected")
    assert opened.errors == []


def test_filters_and_physics_toggle(open_page, built, graph):
    opened = open_page(built / "graph.html")
    page = opened.page
    total = graph.number_of_nodes()
    counts: dict[str, int] = {}
    for _, d in graph.nodes(data=True):
        counts[d["cls"]] = counts.get(d["cls"], 0) + 1
    cls = max(counts, key=lambda c: (counts[c], c))
    page.uncheck(f'#vg-legend-list input[data-class="{cls}"]')
    assert drawn(opened) == [total, total - counts[cls]]
    page.click("#vg-classes-all")
    assert drawn(opened) == [total, total]
    # the period: entities whose dates fall outside disappear, with those without a date
    first = opened.js("vetgraph.page.years.first")
    page.fill("#vg-year-to", str(first))
    page.dispatch_event("#vg-year-to", "change")
    page.uncheck("#vg-undated")
    kept = sum(1 for _, d in graph.nodes(data=True) if d["dates"] and d["year"] <= first)
    assert drawn(opened)[1] == kept
    # physics stopped after stabilisation; the button restarts and stops it
    assert opened.js("vetgraph.network.physics.options.enabled") is False
    page.click("#vg-physics")
    assert page.get_attribute("#vg-physics", "aria-pressed") == "true"
    assert opened.js("vetgraph.network.physics.options.enabled") is True
    page.click("#vg-physics")
    assert opened.js("vetgraph.network.physics.options.enabled") is False
    assert opened.errors == []


# -- hostile labels -------------------------------------------------------------------------------


def test_hostile_labels_execute_nothing(open_page, tmp_path):
    graph = hostile_graph()
    path = visualise.render(graph, title=HOSTILE[0]).save(tmp_path / "hostile.html")
    opened = open_page(path)
    page = opened.page
    assert opened.left_the_page(path) == []
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == [] and opened.errors == []
    assert opened.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert opened.js("document.querySelectorAll('script').length") == 6  # 4 data + 2 code
    assert page.text_content("#vg-title") == HOSTILE[0]
    for node, data in sorted(graph.nodes(data=True)):
        assert opened.js("id => vetgraph.select(id)", node) is True
        assert page.text_content("#vg-details h2.entity") == data["label"]
        assert page.text_content("#vg-details .description") == data["description"]
        links = page.locator("#vg-details a")
        hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
        assert hrefs == {"https://example.org/?a=1&b=<2>"}  # never the javascript: one
    # typing markup into the search box finds the entity and runs nothing
    page.fill("#vg-search-input", HOSTILE[1])
    page.press("#vg-search-input", "Enter")
    assert page.text_content("#vg-details h2.entity") == HOSTILE[1]
    page.mouse.move(700, 400)
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == [] and opened.errors == []
    screenshot(opened, "hostile")


# -- large graphs and highlighted paths ------------------------------------------------------------


def test_a_large_page_starts_laid_out_and_still(open_page, tmp_path):
    n = pagemodel.LARGE * 2
    path = visualise.render(synthetic_graph(n), title="large").save(tmp_path / "large.html")
    opened = open_page(path)
    assert drawn(opened) == [n, n]
    assert opened.js("vetgraph.network.physics.options.enabled") is False
    assert opened.errors == [] and opened.left_the_page(path) == []
    screenshot(opened, "large")


def test_a_path_page_lists_the_connection(open_page, bundled, tmp_path):
    page = visualise.viz(bundled, between=("vg:bruges-communique", "vg:ssa-pilot-tourism"))
    path = page.save(tmp_path / "path.html")
    opened = open_page(path)
    assert opened.page.is_visible("#vg-path")
    lines = opened.page.locator("#vg-path-list div")
    assert lines.count() >= 3
    assert lines.first.text_content().startswith("Bruges Communiqué ")
    colours = opened.js("vetgraph.page.highlight.edges.map(id => vetgraph.edges.get(id).color)")
    assert colours and set(colours) == {style.PATH_COLOUR}
    assert opened.errors == []
    screenshot(opened, "path")


# -- hostile and very long data, from RDF to every page the build writes --------------------------


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    """`vetgraph build` over a data set whose every label, title, description and source
    URL is hostile markup, plus a 100,000-character label and a million-character
    description."""
    from click.testing import CliRunner

    from vetgraph.cli import cli

    from .sample_graphs import hostile_trig

    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "hostile.trig"
    data.write_text(hostile_trig(), encoding="utf-8")
    out = folder / "dist"
    result = CliRunner().invoke(
        cli, ["build", "-q", "--out", str(out), "--input", str(data)], obj={}
    )
    assert result.exit_code == 0, result.output
    return out


def _inert(opened: Opened, path: Path) -> None:
    assert opened.left_the_page(path) == []
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == [] and opened.errors == []
    assert opened.js("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0


@pytest.mark.parametrize("name", ["graph"])  # the timeline: test_timeline.py
def test_hostile_and_long_data_stays_text_in_the_built_pages(open_page, hostile_build, name):
    from .sample_graphs import HOSTILE_TEXTS, HOSTILE_URL, LONG_DESCRIPTION, LONG_LABEL

    path = hostile_build / f"{name}.html"
    opened = open_page(path)
    page = opened.page
    _inert(opened, path)
    labels = [*HOSTILE_TEXTS, LONG_LABEL]
    assert drawn(opened)[0] == len(labels)
    for i, label in enumerate(labels):
        iri = f"https://w3id.org/vetgraph/id/hostile-{i}"
        assert opened.js("id => vetgraph.select(id)", iri) is True
        assert page.text_content("#vg-details h2.entity") == label
        description = LONG_DESCRIPTION if label is LONG_LABEL else labels[(i + 1) % len(labels)]
        assert page.text_content("#vg-details .description") == description
        # the source: its title as text, its URL only as the link's address
        links = page.locator("#vg-details a")
        assert {links.nth(k).get_attribute("href") for k in range(links.count())} == {HOSTILE_URL}
        assert HOSTILE_TEXTS[0] in page.text_content("#vg-details")
    # a very long label does not push the page sideways
    assert opened.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.mouse.move(600, 400)
    page.mouse.click(600, 400)
    _inert(opened, path)
    screenshot(opened, f"hostile-{name}")


def test_hostile_data_stays_text_in_the_query_catalogue(browser, hostile_build):
    from .sample_graphs import HOSTILE_TEXTS

    path = hostile_build / "queries.html"
    context = browser.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        dialogs: list[str] = []
        errors: list[str] = []

        def route(route: Any) -> None:
            requests.append(route.request.url)
            (route.continue_ if route.request.url.startswith("file://") else route.abort)()

        page.route("**/*", route)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri(), wait_until="load")
        assert requests == [path.as_uri()]
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert dialogs == [] and errors == []
        assert page.evaluate("document.querySelectorAll('script, img, svg, iframe').length") == 0
        # the answers list the entities by label (long answers folded: unfold them)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        shown = page.evaluate("document.body.innerText")
        # each hostile label is shown as written
        assert sum(text in shown for text in HOSTILE_TEXTS) >= 3
    finally:
        context.close()


# -- generated text (Hypothesis): whatever the labels, the page runs nothing and shows them -------


def test_generated_labels_are_shown_as_written_and_run_nothing(open_page, tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .sample_graphs import HOSTILE_TEXTS
    from .test_fuzz import TEXT, _page_graph, examples

    piece = st.one_of(TEXT, st.sampled_from(HOSTILE_TEXTS))
    label = st.lists(piece, min_size=1, max_size=3).map("".join).filter(str.strip)

    @settings(
        max_examples=examples(8),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(labels=st.lists(label, min_size=1, max_size=6, unique=True), title=piece)
    def check(labels, title):
        descriptions = [*labels[1:], labels[0]]
        page = visualise.render(_page_graph(labels, descriptions), title=title)
        path = page.save(tmp_path / "generated.html")
        opened = open_page(path)
        assert opened.left_the_page(path) == []
        for i, text in enumerate(labels):
            assert opened.js("id => vetgraph.select(id)", f"https://w3id.org/vetgraph/id/fuzz-{i}")
            assert opened.page.text_content("#vg-details h2.entity") == text
        assert opened.js("typeof window.__pwned") == "undefined"
        assert opened.dialogs == [] and opened.errors == []
        assert opened.js("document.querySelectorAll('img, svg, iframe, object').length") == 0

    check()
