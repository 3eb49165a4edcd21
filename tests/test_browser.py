"""The pages in a real browser: headless Chromium (the system's, driven by Playwright), each
page opened from file:// with every request blocked and recorded.

Missing Chromium or Playwright fails under CI=true and skips elsewhere. Screenshots are
kept in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetgraph.explore import netpage, visualise
from vetgraph.explore.network import to_networkx

from .browsing import DESKTOP, PHONE, Opened, axe_violations, screenshot
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


def shown(opened: Opened) -> list[str]:
    """The network page: the entities drawn (not hidden), by IRI."""
    return opened.js("vetgraph.shown()")


def overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes (from the page's own state) overlap."""
    pairs = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["x"] < b["x"] + b["width"]
                and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"]
                and b["y"] < a["y"] + a["height"]
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


def readable_labels(opened: Opened) -> list[dict[str, Any]]:
    """The drawn labels, checked: some, none overlapping, each at least 11 px tall, inside
    the drawing."""
    labels = opened.js("vetgraph.drawnLabels()")
    assert labels, "no label drawn"
    assert overlapping(labels) == []
    assert min(label["fontSize"] for label in labels) >= 11
    assert min(label["height"] for label in labels) >= 11
    width, height = opened.js(
        "[document.getElementById('vg-network').clientWidth,"
        " document.getElementById('vg-network').clientHeight]"
    )
    for label in labels:
        assert label["x"] >= 0 and label["x"] + label["width"] <= width + 0.5
        assert label["y"] >= 0 and label["y"] + label["height"] <= height + 0.5
    return labels


def choose(page: Any, text: str, label: str) -> None:
    """Type ``text`` in the search box and choose the match ``label`` with the keyboard."""
    page.fill("#vg-search-input", text)
    options = page.locator("#vg-search-results [role=option]")
    names = [
        options.nth(i).evaluate("o => o.firstChild.textContent") for i in range(options.count())
    ]
    for _ in range(names.index(label) + 1):
        page.press("#vg-search-input", "ArrowDown")
    page.press("#vg-search-input", "Enter")
    page.wait_for_timeout(400)  # the camera moves to the choice


# -- the pages vetgraph build writes -------------------------------------------------------------


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_graph_page_opens_offline_draws_every_entity_and_reads(open_page, built, graph, size):
    path = built / "graph.html"
    opened = open_page(path, **size)
    assert opened.requests == [path.as_uri()]
    assert opened.errors == []
    assert sorted(shown(opened)) == sorted(graph)
    assert opened.js("vetgraph.sigma.getGraph().order") == graph.number_of_nodes()
    # the opening view fits the graph; its labels are readable and do not overlap
    readable_labels(opened)
    # after a search
    choose(opened.page, "Bruges Communique", "Bruges Communiqué")
    labels = readable_labels(opened)
    assert BRUGES in {label["iri"] for label in labels}  # the selection's own label
    # after zooming in twice
    opened.page.click("#vg-zoom-in")
    opened.page.click("#vg-zoom-in")
    opened.page.wait_for_timeout(100)
    zoomed = readable_labels(opened)
    assert BRUGES in {label["iri"] for label in zoomed}
    assert opened.errors == [] and opened.left_the_page(path) == []
    screenshot(opened, f"graph-{size['width']}")


def test_every_entity_has_its_class_groups_colour(open_page, built, graph):
    from vetgraph.explore import palette

    opened = open_page(built / "graph.html")
    colours = opened.js("vetgraph.page.nodes.map(n => vetgraph.colourOf(n[0]))")
    for (iri, _rest), colour in zip(sorted(graph.nodes(data=True)), colours, strict=True):
        assert colour.lower() == palette.colour_of(graph.nodes[iri]["cls"]).lower(), iri
    # the legend: the groups (at most ten) with their counts, each opening to its classes
    groups = opened.page.locator("#vg-legend > li")
    assert 0 < groups.count() <= 10
    present = {palette.group_of(d["cls"]).key for _, d in graph.nodes(data=True)}
    assert groups.count() == len(present)
    first = groups.first
    assert first.locator("details ul li").count() >= 1
    assert not first.locator("details ul").is_visible()
    first.locator("summary").click()
    assert first.locator("details ul").is_visible()
    # the legend does not push the other controls below the fold
    bottom = opened.js("document.getElementById('vg-focus').getBoundingClientRect().bottom")
    assert bottom < opened.js("window.innerHeight")


def test_search_lists_every_match_with_its_class_and_leaves_the_choice(
    open_page, built, graph, bundled
):
    opened = open_page(built / "graph.html")
    page = opened.page
    page.fill("#vg-search-input", "Bruges")
    options = page.locator("#vg-search-results [role=option]")
    texts = options.all_text_contents()
    expected = [d for _, d in graph.nodes(data=True) if "bruges" in d["label"].lower()]
    assert len(expected) >= 2 and options.count() >= len(expected)
    for d in expected:  # the city and the communiqué, each with its class
        assert any(t.startswith(d["label"]) and d["class_label"] in t for t in texts), d["label"]
    assert opened.js("vetgraph.state.selected") is None  # nothing chosen for the user
    page.press("#vg-search-input", "Enter")  # Enter alone moves to the first match
    assert opened.js("vetgraph.state.selected") is None
    # accents and case are ignored
    page.fill("#vg-search-input", "BRUGES communique")
    assert "Bruges Communiqué" in page.locator("#vg-search-results").text_content()
    # an alternative label finds its entity
    literals = to_networkx(bundled, include_literals=True)
    iri, other = next(
        (iri, alt)
        for iri, d in sorted(literals.nodes(data=True))
        for alt in d["literals"].get("skos:altLabel", ())
        if alt.lower() not in d["label"].lower()
    )
    page.fill("#vg-search-input", other.upper())
    found = page.locator("#vg-search-results [role=option]")
    assert iri in [found.nth(i).get_attribute("data-iri") for i in range(found.count())]
    assert other in page.locator(f'#vg-search-results [data-iri="{iri}"]').text_content()
    page.fill("#vg-search-input", "no such thing")
    assert "No entity matches" in page.text_content("#vg-search-status")
    assert opened.errors == []


def test_clicking_an_entity_shows_its_facts_and_their_sources(open_page, built, graph):
    opened = open_page(built / "graph.html")
    page = opened.page
    opened.js("iri => vetgraph.centre(iri, 0.05)", BRUGES)  # close: nothing else near
    x, y = opened.js("iri => vetgraph.whereIs(iri)", BRUGES)
    assert opened.js("vetgraph.state.selected") is None
    page.mouse.click(x, y)
    page.wait_for_timeout(100)
    assert page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    assert page.text_content("#vg-live") == "Bruges Communiqué"  # the name only
    facts = page.locator("#vg-details .facts > li")
    assert facts.count() == len(graph.out_edges(BRUGES)) + len(graph.in_edges(BRUGES))
    # each fact's sources, one line per document, with its kind and the date it was read
    first = facts.first.locator(".docs > li")
    assert first.count() >= 1
    assert first.first.locator(".kind").text_content() in {
        "official EU",
        "national authority",
        "project",
        "third party",
        "kind not recorded",
    }
    assert "(read 20" in facts.first.text_content()
    titles = [t.split(",")[0] for t in first.all_text_contents()]
    assert len(titles) == len(set(titles))  # no document twice
    # its page in the site
    assert page.locator("#vg-details a", has_text="Its page").get_attribute("href") == (
        "id/bruges-communique.html"
    )
    # following an entity in the details moves the selection and the focus there
    other = facts.first.locator("button.entity-link")
    name = other.text_content()
    other.click()
    assert page.text_content("#vg-details h2.entity") == name
    assert opened.js("document.activeElement.id") == "vg-entity"
    screenshot(opened, "graph-selected")
    assert opened.errors == []


def test_the_details_are_five_tab_presses_from_the_search(open_page, built):
    opened = open_page(built / "graph.html")
    page = opened.page
    choose(page, "Bruges Communiqué", "Bruges Communiqué")
    page.focus("#vg-search-input")
    inside = "document.getElementById('vg-details').contains(document.activeElement)"
    presses = 0
    while presses < 5 and not opened.js(inside):
        page.keyboard.press("Tab")
        presses += 1
    assert opened.js(inside), "the details are more than 5 Tab presses from the search box"
    assert opened.js("document.activeElement.tagName") in {"A", "BUTTON", "H2", "ASIDE"}


def test_at_phone_size_the_controls_fold_and_the_details_take_half_the_screen(open_page, built):
    opened = open_page(built / "graph.html", **PHONE)
    page = opened.page
    assert not page.is_visible("#vg-filters")
    page.click("#vg-controls-toggle")
    assert page.is_visible("#vg-filters")
    assert page.get_attribute("#vg-controls-toggle", "aria-expanded") == "true"
    page.click("#vg-controls-toggle")
    # a tooltip stays inside the screen, even for the entity furthest right
    width = PHONE["width"]
    places = opened.js("vetgraph.page.nodes.map(n => vetgraph.whereIs(n[0]))")
    x, y = max((p for p in places if 0 < p[0] < width - 2 and 320 < p[1] < 800), key=lambda p: p[0])
    page.mouse.move(x, y)
    page.wait_for_selector("#vg-tooltip:not([hidden])")
    tip = page.locator("#vg-tooltip").bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= width
    # a tap selects
    opened.js("iri => vetgraph.centre(iri, 0.05)", BRUGES)
    x, y = opened.js("iri => vetgraph.whereIs(iri)", BRUGES)
    page.mouse.click(x, y)
    page.wait_for_timeout(200)
    assert page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    box = page.locator("#vg-details").bounding_box()
    assert box["height"] >= PHONE["height"] / 2 and box["width"] >= PHONE["width"] - 1
    assert opened.js("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(opened, "graph-phone-selected")
    assert opened.errors == []


def test_a_permalink_restores_selection_filters_focus_and_camera(open_page, built, graph):
    from vetgraph.explore import palette

    opened = open_page(built / "graph.html")
    page = opened.page
    choose(page, "Bruges Communiqué", "Bruges Communiqué")
    hidden_group = next(
        g.key
        for g in palette.GROUPS
        if g.key != palette.group_of(graph.nodes[BRUGES]["cls"]).key
        and any(palette.group_of(d["cls"]).key == g.key for _, d in graph.nodes(data=True))
    )
    page.uncheck(f'#vg-legend input[data-group="{hidden_group}"]')
    page.select_option("#vg-focus", "2")
    page.click("#vg-zoom-in")
    page.wait_for_timeout(500)  # the address is written a moment after the last change
    url = page.url
    assert "#select=" in url and f"hide={hidden_group}" in url and "focus=2" in url
    before = opened.js(
        "[vetgraph.state.selected, vetgraph.shown().length, vetgraph.sigma.getCamera().getState()]"
    )
    again = open_page(url.split("#")[0] + "#" + url.split("#", 1)[1])
    after = again.js(
        "[vetgraph.state.selected, vetgraph.shown().length, vetgraph.sigma.getCamera().getState()]"
    )
    assert after[0] == before[0] and after[1] == before[1]
    for key in ("x", "y", "ratio"):
        assert after[2][key] == pytest.approx(before[2][key], abs=1e-3)
    assert again.page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    assert not again.page.is_checked(f'#vg-legend input[data-group="{hidden_group}"]')
    assert again.page.input_value("#vg-focus") == "2"
    # what other pages link to: #select=IRI alone
    from vetgraph.explore.addresses import view_link

    linked = open_page(built.joinpath("graph.html").as_uri() + view_link("", BRUGES))
    assert linked.page.text_content("#vg-details h2.entity") == "Bruges Communiqué"
    assert again.errors == [] and linked.errors == []


def test_focus_dims_or_hides_all_but_the_neighbourhood(open_page, built, graph):
    from vetgraph.explore import views

    opened = open_page(built / "graph.html")
    page = opened.page
    opened.js("iri => vetgraph.select(iri)", BRUGES)
    page.select_option("#vg-focus", "1")
    near = set(views.neighbourhood(graph, BRUGES, 1))
    far = next(n for n in sorted(graph) if n not in near)
    assert len(shown(opened)) == graph.number_of_nodes()  # dimmed, still there
    assert opened.js("iri => vetgraph.colourOf(iri)", far) != opened.js(
        "iri => vetgraph.colourOf(iri)", BRUGES
    )
    page.check("#vg-focus-hide")
    assert set(shown(opened)) == near
    page.select_option("#vg-focus", "2")
    assert set(shown(opened)) == set(views.neighbourhood(graph, BRUGES, 2))
    readable_labels(opened)
    screenshot(opened, "graph-focus")
    assert opened.errors == []


def test_hiding_a_group_lays_out_what_remains(open_page, built, graph):
    from vetgraph.explore import palette

    opened = open_page(built / "graph.html")
    page = opened.page
    counts: dict[str, int] = {}
    for _, d in graph.nodes(data=True):
        key = palette.group_of(d["cls"]).key
        counts[key] = counts.get(key, 0) + 1
    group = max(counts, key=lambda k: (counts[k], k))
    kept = next(
        n for n, d in sorted(graph.nodes(data=True)) if palette.group_of(d["cls"]).key != group
    )
    where = opened.js("iri => vetgraph.position(iri)", kept)
    layouts = opened.js("vetgraph.layouts")
    page.uncheck(f'#vg-legend input[data-group="{group}"]')
    assert len(shown(opened)) == graph.number_of_nodes() - counts[group]
    page.wait_for_selector('body[data-layout="done"]', state="attached")
    assert opened.js("vetgraph.layouts") == layouts + 1
    assert opened.js("iri => vetgraph.position(iri)", kept) != where
    readable_labels(opened)
    # a class inside a group
    page.click("#vg-groups-all")
    assert len(shown(opened)) == graph.number_of_nodes()
    cls = graph.nodes[kept]["cls"]
    page.locator(f'#vg-legend input[data-class="{cls}"]').evaluate(
        "b => b.closest('details').open = true"
    )
    page.uncheck(f'#vg-legend input[data-class="{cls}"]')
    assert kept not in shown(opened)
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
    assert opened.js("document.querySelectorAll('script').length") == 1 + len(netpage._SCRIPTS)
    assert page.text_content("#vg-title") == HOSTILE[0]
    for node, data in sorted(graph.nodes(data=True)):
        assert opened.js("id => vetgraph.select(id)", node) is True
        assert page.text_content("#vg-details h2.entity") == data["label"]
        assert page.text_content("#vg-details .description") == data["description"]
        links = page.locator("#vg-details .docs a")
        hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
        assert hrefs <= {"https://example.org/?a=1&b=<2>"}  # never the javascript: one
    # typing markup into the search box finds the entity and runs nothing
    choose(page, HOSTILE[1], HOSTILE[1])
    assert page.text_content("#vg-details h2.entity") == HOSTILE[1]
    drawn_texts = [label["text"].rstrip("…") for label in opened.js("vetgraph.drawnLabels()")]
    assert any(HOSTILE[1].startswith(text) for text in drawn_texts)  # drawn as text
    page.mouse.move(700, 400)
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.dialogs == [] and opened.errors == []
    screenshot(opened, "hostile")


# -- large graphs and paths ------------------------------------------------------------------------


def test_a_large_page_opens_laid_out_with_readable_labels(open_page, tmp_path):
    n = visualise.QUICK + 500
    path = visualise.render(synthetic_graph(n), title="large").save(tmp_path / "large.html")
    opened = open_page(path)
    assert len(shown(opened)) == n
    readable_labels(opened)
    opened.page.click("#vg-zoom-in")
    opened.page.click("#vg-zoom-in")
    readable_labels(opened)
    assert opened.errors == [] and opened.left_the_page(path) == []
    screenshot(opened, "large")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_path_page_leads_with_the_hops(open_page, bundled, tmp_path, size):
    page = visualise.viz(bundled, between=("vg:bruges-communique", "vg:ssa-pilot-tourism"))
    path = page.save(tmp_path / "path.html")
    opened = open_page(path, **size)
    hops = opened.page.locator("#vg-path .hop")
    assert hops.count() >= 3
    assert hops.first.text_content().startswith("Bruges Communiqué ")
    # at the top, above the drawing, in view
    top = opened.page.locator("#vg-path").bounding_box()
    assert top["y"] < opened.page.locator("#vg-stage").bounding_box()["y"]
    assert hops.first.bounding_box()["y"] < size["height"] / 2
    # each hop links its entities (a selection in the page) and its sources
    assert hops.first.locator("button.entity-link").count() == 2
    assert hops.first.locator("a[href^='http']").count() >= 1
    hops.first.locator("button.entity-link").nth(1).click()
    assert opened.page.text_content("#vg-details h2.entity") == (
        hops.first.locator("button.entity-link").nth(1).text_content()
    )
    # the path drawn on its own: its entities in colour, the neighbours dimmed
    on_path = opened.js("vetgraph.page.path.nodes.map(k => vetgraph.page.nodes[k][0])")
    others = [iri for iri in opened.js("vetgraph.page.nodes.map(n => n[0])") if iri not in on_path]
    assert others and len(set(opened.js("ids => ids.map(vetgraph.colourOf)", others))) == 1
    assert opened.errors == [] and opened.left_the_page(path) == []
    screenshot(opened, f"path-{size['width']}")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("which", ["graph", "path"])
def test_axe_finds_no_violations(open_page, built, bundled, tmp_path, size, which):
    if which == "graph":
        path = built / "graph.html"
    else:
        page = visualise.viz(bundled, between=("vg:bruges-communique", "vg:ssa-pilot-tourism"))
        path = page.save(tmp_path / "path.html")
    opened = open_page(path, **size, bypass_csp=True)
    assert axe_violations(opened.page) == []
    choose(opened.page, "Bruges Communiqué", "Bruges Communiqué")
    assert axe_violations(opened.page) == []


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
    assert opened.js("vetgraph.page.nodes.length") == len(labels)
    for i, label in enumerate(labels):
        iri = f"https://w3id.org/vetgraph/id/hostile-{i}"
        assert opened.js("id => vetgraph.select(id)", iri) is True
        assert page.text_content("#vg-details h2.entity") == label
        description = LONG_DESCRIPTION if label is LONG_LABEL else labels[(i + 1) % len(labels)]
        assert page.text_content("#vg-details .description") == description
        # the source: its title as text, its URL only as the link's address
        links = page.locator("#vg-details a[target]")
        assert {links.nth(k).get_attribute("href") for k in range(links.count())} == {HOSTILE_URL}
        # and its own page, in the site
        assert page.locator("#vg-details a", has_text="Its page").get_attribute("href") == (
            f"id/hostile-{i}.html"
        )
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
