"""The timeline page (vetgraph.explore.timeline_page): the data it holds, and in headless
Chromium (offline, every request recorded) what a reader sees: the year axis and lane names
readable while zooming and panning, one lane per class group, the opening view, the list in
date order following the filters, search, details with sources, keyboard, phone, permalinks,
colours and axe-core."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest

import vetgraph
from vetgraph.explore import palette
from vetgraph.explore.network import to_networkx
from vetgraph.explore.timeline_page import render_timeline
from vetgraph.explore.views import fractional_year

from .browsing import DESKTOP, PHONE, Opened, axe_violations, screenshot
from .sample_graphs import HOSTILE, hostile_graph

BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"
DATA = re.compile(r'<script type="application/json" id="tl-data">(.*?)</script>', re.S)


def model_of(page_html: str) -> dict:
    import json

    return json.loads(DATA.search(page_html)[1])


@pytest.fixture(scope="module")
def graph(bundled):
    return to_networkx(bundled)


@pytest.fixture(scope="module")
def pages(tmp_path_factory, bundled, graph) -> dict[str, Path]:
    """The standalone page (as `vetgraph viz --layout timeline` writes it) and the site's."""
    out = tmp_path_factory.mktemp("timeline")
    standalone = vetgraph.viz(bundled, layout="timeline").save(out / "standalone.html")
    site = render_timeline(graph, kg=bundled, site=True).save(out / "timeline.html")
    return {"standalone": standalone, "site": site}


@pytest.fixture(scope="module")
def copenhagen(bundled) -> set[str]:
    """The documents of the Copenhagen process, found by SPARQL."""
    rows = bundled.select(
        """PREFIX vet: <https://w3id.org/vetgraph/ontology#>
        PREFIX vg: <https://w3id.org/vetgraph/id/>
        SELECT DISTINCT ?d WHERE { ?d vet:partOfProcess vg:copenhagen-process }"""
    )
    return {row["d"].value for row in rows}


def start_of(data: dict) -> float:
    return min(y for d in data["dates"].values() if (y := fractional_year(d)) is not None)


def clean(opened: Opened, path: Path) -> None:
    assert opened.left_the_page(path) == []
    assert opened.errors == []


# -- the page as data ------------------------------------------------------------------------


def test_the_page_holds_every_dated_entity_in_date_order_with_its_group(pages, graph):
    model = model_of(pages["standalone"].read_text(encoding="utf-8"))
    dated = {n for n, d in graph.nodes(data=True) if d["dates"]}
    assert {i["id"] for i in model["items"]} == dated
    starts = [i["s"] for i in model["items"]]
    assert starts == sorted(starts)
    keys = [g["key"] for g in model["groups"]]
    assert keys == [g.key for g in palette.GROUPS]
    for item in model["items"]:
        assert keys[item["g"]] == palette.group_of(graph.nodes[item["id"]]["cls"]).key


def test_dates_carry_the_sources_of_the_claims_that_state_them(pages):
    model = model_of(pages["site"].read_text(encoding="utf-8"))
    bruges = next(i for i in model["items"] if i["id"] == BRUGES)
    assert bruges["dates"] and len(bruges["dcites"]) == len(bruges["dates"])
    cited = {model["sources"][c[0]]["title"] for found in bruges["dcites"] for c in found}
    assert cited, "the Bruges Communiqué's date has a source"
    assert bruges["page"] == "id/bruges-communique.html"
    assert bruges["graph"] == "graph.html#select=" + quote(BRUGES, safe="")
    standalone = model_of(pages["standalone"].read_text(encoding="utf-8"))
    assert next(i for i in standalone["items"] if i["id"] == BRUGES)["page"] == BRUGES


def test_the_page_is_self_contained_and_runs_only_its_own_script(pages):
    import base64
    import hashlib

    text = pages["standalone"].read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)=", text)
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', text)[1])
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert len(scripts) == 1 and f"'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_hostile_text_stays_data_in_the_page():
    text = render_timeline(hostile_graph(), title=HOSTILE[0]).html
    assert len(re.findall(r"</script", text, re.I)) == 2  # the data block and the script
    labels = {i["label"] for i in model_of(text)["items"]}
    dated = {HOSTILE[i] for i in range(len(HOSTILE)) if i % 3}
    assert labels == dated
    assert f"<title>{html.escape(HOSTILE[0], quote=False)}</title>" in text


# -- in the browser --------------------------------------------------------------------------


def ticks(opened: Opened) -> list[dict]:
    """The year labels on screen: text, box, font size, and whether they are inside the chart."""
    return opened.js(
        """() => {
        const chart = document.getElementById('tl-chart').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#tl-axis .tl-tick')).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, top: r.top, height: r.height, left: r.left,
                    size: parseFloat(getComputedStyle(t).fontSize),
                    inside: r.left >= chart.left - 1 && r.left < chart.right &&
                            r.top >= chart.top - 1 && r.bottom <= chart.bottom + 1};
        });
    }"""
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_year_labels_stay_readable_after_zooming_and_scrolling(open_page, pages, size):
    path = pages["standalone"]
    opened = open_page(path, **size)
    page = opened.page
    chart_top = opened.js("document.getElementById('tl-chart').getBoundingClientRect().top")
    for _ in range(3):
        page.click("#tl-zoom-in")
    page.focus("#tl-chart")
    page.keyboard.press("+")
    page.locator("#tl-scroll").evaluate("e => { e.scrollTop = 900; }")
    page.wait_for_timeout(100)
    shown = [t for t in ticks(opened) if t["inside"]]
    assert len(shown) >= 2
    for tick in shown:
        assert tick["size"] >= 11 and tick["height"] >= 11, tick
        assert abs(tick["top"] - (chart_top + 0)) < 3, "the axis stays at the top of the chart"
    years = [int(t["text"]) for t in shown if t["text"].isdigit()]
    view = opened.js("vetgraphTimeline.view()")
    assert years and view[1] - view[0] < 12  # zoomed in from 60-odd years
    assert all(view[0] - 1 <= y <= view[1] for y in years)
    screenshot(opened, f"timeline-zoomed-{size['width']}")
    clean(opened, path)


def test_lane_names_stay_in_view_after_panning(open_page, pages):
    path = pages["standalone"]
    opened = open_page(path, **DESKTOP)
    page = opened.page
    page.click("#tl-zoom-in")
    page.focus("#tl-chart")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    heads = opened.js(
        """() => {
        const chart = document.getElementById('tl-chart').getBoundingClientRect();
        return Array.from(document.querySelectorAll('.tl-lane-head .name')).map(n => {
            const r = n.getBoundingClientRect();
            return {text: n.textContent, left: r.left, right: r.right, top: r.top,
                    size: parseFloat(getComputedStyle(n).fontSize),
                    chart: [chart.left, chart.right]};
        });
    }"""
    )
    assert heads
    for head in heads:
        assert head["chart"][0] <= head["left"] and head["right"] <= head["chart"][1], head
        assert head["size"] >= 11
    clean(opened, path)


def test_lanes_are_the_class_groups_and_the_copenhagen_documents_share_one(
    open_page, pages, graph, copenhagen
):
    path = pages["standalone"]
    opened = open_page(path, **DESKTOP)
    drawn = opened.js(
        "Array.from(document.querySelectorAll('.tl-item')).map(b => [b.dataset.id, b.dataset.lane])"
    )
    assert len(drawn) > 20
    # every item in view: its lane as the page laid it out (drawn when scrolled to, or counted
    # in its lane's name when the lane has no room left)
    lanes = {iri: lane for iri, lane, _row in opened.js("vetgraphTimeline.placed()")}
    assert dict(drawn).items() <= lanes.items()
    for iri, lane in lanes.items():
        assert lane == palette.group_of(graph.nodes[iri]["cls"]).key
    dated = {d for d in copenhagen if graph.nodes[d]["dates"]}
    assert len(dated) >= 3
    assert dated <= set(lanes), "every Copenhagen-process document is in a lane at the opening view"
    assert len({lanes[d] for d in dated}) == 1
    order = opened.js(
        "Array.from(document.querySelectorAll('.tl-lane-head .name')).map(n => n.textContent)"
    )
    labels = [g.label for g in palette.GROUPS]
    assert order == [label for label in labels if label in order]
    clean(opened, path)


def test_the_opening_view_spans_the_years_of_the_data(open_page, pages, graph):
    path = pages["standalone"]
    opened = open_page(path, **DESKTOP)
    years = [
        y
        for _, d in graph.nodes(data=True)
        for v in d["dates"].values()
        if (y := fractional_year(v)) is not None
    ]
    first, last = min(years), max(years)
    start, end = opened.js("vetgraphTimeline.view()")
    assert start <= first and end >= last
    assert (end - start) <= (int(last) + 1 - int(first)) * 1.1 + 1
    clean(opened, path)


def listed(opened: Opened) -> list[str]:
    return opened.js(
        "Array.from(document.querySelectorAll('#tl-list button')).map(b => b.dataset.id)"
    )


def test_the_list_is_in_date_order_and_follows_the_filters(open_page, pages, graph):
    path = pages["standalone"]
    opened = open_page(path, **DESKTOP)
    page = opened.page
    first = listed(opened)
    starts = [start_of(graph.nodes[i]) for i in first]
    assert len(first) > 20 and starts == sorted(starts)
    # hide a group: it leaves the list and the chart
    page.locator('#tl-legend input[data-key="events"]').uncheck()
    after = listed(opened)
    assert after and all(palette.group_of(graph.nodes[i]["cls"]).key != "events" for i in after)
    drawn = set(
        opened.js("Array.from(document.querySelectorAll('.tl-item')).map(b => b.dataset.id)")
    )
    assert drawn <= set(opened.js("vetgraphTimeline.listed()"))
    # search ignores case and accents
    page.fill("#tl-search-input", "COMMUNIQUE")
    page.press("#tl-search-input", "Enter")
    found = listed(opened)
    assert BRUGES in found
    assert all(
        "communiqu" in (graph.nodes[i]["label"] + graph.nodes[i]["class_label"]).lower()
        for i in found
    )
    options = page.locator("#tl-results [role=option]")
    assert options.count() == len(found)
    assert all(t.strip() for t in page.locator("#tl-results .cls").all_text_contents())
    # the years shown narrow the list too
    page.fill("#tl-search-input", "")
    page.press("#tl-search-input", "Enter")
    page.fill("#tl-from", "2010")
    page.fill("#tl-to", "2012")
    page.press("#tl-to", "Enter")
    page.locator("#tl-to").blur()
    inside = listed(opened)
    assert inside
    for iri in inside:
        years = [fractional_year(v) for v in graph.nodes[iri]["dates"].values()]
        assert min(years) < 2013 and max(years) >= 2010, iri
    clean(opened, path)


def test_on_a_phone_a_selection_opens_the_details_over_half_the_screen(open_page, pages):
    path = pages["standalone"]
    opened = open_page(path, **PHONE)
    page = opened.page
    assert page.locator("#tl-controls").get_attribute("open") is None  # the filters fold away
    page.fill("#tl-search-input", "bruges communique")
    page.press("#tl-search-input", "Enter")
    page.keyboard.press("Enter")
    box = opened.js(
        "(() => { const r = document.getElementById('tl-details').getBoundingClientRect();"
        " return [r.top, r.bottom, r.height]; })()"
    )
    assert box[2] >= PHONE["height"] / 2 and box[0] >= 0 and box[1] <= PHONE["height"] + 1
    assert page.text_content("#tl-details-heading") == "Bruges Communiqué"
    assert page.text_content("#tl-live") == "Bruges Communiqué"
    assert opened.js("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(opened, "timeline-phone-details")
    clean(opened, path)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_details_are_within_five_tabs_of_the_search(open_page, pages, size):
    path = pages["site"]
    opened = open_page(path, **size)
    page = opened.page
    page.fill("#tl-search-input", "Bruges Communiqué")
    page.wait_for_timeout(250)
    tabs = 0
    while not opened.js("document.getElementById('tl-details').contains(document.activeElement)"):
        assert tabs < 5, "the details are more than 5 Tab presses from the search"
        page.keyboard.press("Tab")
        tabs += 1
        if opened.js("document.activeElement.id") == "tl-results":
            page.keyboard.press("Enter")
    assert page.text_content("#tl-details-heading") == "Bruges Communiqué"
    links = page.locator("#tl-details a")
    hrefs = [links.nth(k).get_attribute("href") for k in range(links.count())]
    assert "id/bruges-communique.html" in hrefs
    assert "graph.html#select=" + quote(BRUGES, safe="") in hrefs
    details = page.text_content("#tl-details")
    assert "official EU" in details and "read 20" in details and "according to" in details
    clean(opened, path)


def test_a_permalink_round_trips(open_page, pages, browser):
    path = pages["standalone"]
    wanted = f"#select={quote(BRUGES, safe='')}&from=2000&to=2015&hide=events"
    opened = open_page(path.as_uri() + wanted, **DESKTOP)
    page = opened.page
    assert opened.js("vetgraphTimeline.view()") == [2000, 2016]
    assert page.text_content("#tl-details-heading") == "Bruges Communiqué"
    assert not page.locator('#tl-legend input[data-key="events"]').is_checked()
    assert opened.js("document.querySelectorAll('.tl-item[data-lane=events]').length") == 0
    page.wait_for_timeout(150)
    assert opened.js("location.hash") == wanted
    # a changed view goes into the address, and the address brings it back
    page.click("#tl-zoom-out")
    page.wait_for_timeout(150)
    moved = opened.js("location.hash")
    view = opened.js("vetgraphTimeline.view()")
    again = open_page(path.as_uri() + moved, **DESKTOP)
    again.page.wait_for_timeout(150)
    assert again.js("location.hash") == moved
    assert again.page.text_content("#tl-details-heading") == "Bruges Communiqué"
    restored = again.js("vetgraphTimeline.view()")
    assert restored[0] <= view[0] + 1 and restored[1] >= view[1] - 1
    clean(opened, path)


def test_select_alone_opens_the_view_on_the_entity(open_page, pages):
    path = pages["site"]
    opened = open_page(path.as_uri() + "#select=" + quote(BRUGES, safe=""), **DESKTOP)
    assert opened.page.text_content("#tl-details-heading") == "Bruges Communiqué"
    assert (
        opened.js(f"document.querySelectorAll('.tl-item.selected[data-id=\"{BRUGES}\"]').length")
        == 1
    )
    clean(opened, path)


def test_items_have_their_class_colour(open_page, pages, graph):
    path = pages["standalone"]
    opened = open_page(path, **DESKTOP)
    colours = opened.js(
        """Array.from(document.querySelectorAll('.tl-item')).map(b => [b.dataset.cls,
             getComputedStyle(b.querySelector('.mark, .bar')).backgroundColor])"""
    )
    assert len(colours) > 20
    for cls, rgb in colours:
        hex_ = palette.colour_of(cls)
        expected = "rgb({}, {}, {})".format(*(int(hex_[i : i + 2], 16) for i in (1, 3, 5)))
        assert rgb == expected, cls
    clean(opened, path)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_on_the_timeline(open_page, pages, size):
    path = pages["site"]
    opened = open_page(path.as_uri() + "#select=" + quote(BRUGES, safe=""), **size, bypass_csp=True)
    assert axe_violations(opened.page) == []
    opened.js(
        "document.querySelectorAll('#tl-controls, #tl-controls details')"
        ".forEach(d => { d.open = true; })"
    )
    assert axe_violations(opened.page) == []
    assert opened.errors == []


def test_hostile_labels_stay_text_in_the_browser(open_page, tmp_path):
    path = render_timeline(hostile_graph(), title=HOSTILE[0]).save(tmp_path / "hostile.html")
    opened = open_page(path, **DESKTOP)
    items = opened.js("vetgraphTimeline.items.map(i => [i.id, i.label])")
    for iri, label in items:
        assert opened.js("id => vetgraphTimeline.select(id)", iri) is True
        assert opened.page.text_content("#tl-details-heading") == label
    assert opened.js("typeof window.__pwned") == "undefined"
    hrefs = opened.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert all(not h.lower().startswith("javascript:") for h in hrefs if h)
    assert opened.dialogs == []
    clean(opened, path)


def test_hostile_and_very_long_data_stay_text_in_the_site_page(open_page, tmp_path):
    from vetgraph.graph.build import load

    from .sample_graphs import (
        HOSTILE_TEXTS,
        HOSTILE_URL,
        LONG_DESCRIPTION,
        LONG_LABEL,
        hostile_trig,
    )

    data = tmp_path / "hostile.trig"
    data.write_text(hostile_trig(), encoding="utf-8")
    kg = load([data])
    path = render_timeline(to_networkx(kg), kg=kg, site=True).save(tmp_path / "timeline.html")
    opened = open_page(path, **DESKTOP)
    page = opened.page
    labels = [*HOSTILE_TEXTS, LONG_LABEL]
    for i, label in enumerate(labels):
        iri = f"https://w3id.org/vetgraph/id/hostile-{i}"
        assert opened.js("id => vetgraphTimeline.select(id)", iri) is True
        assert page.text_content("#tl-details-heading") == label
        description = LONG_DESCRIPTION if label is LONG_LABEL else labels[(i + 1) % len(labels)]
        assert page.text_content("#tl-details .description") == description
        hrefs = set(
            opened.js(
                "Array.from(document.querySelectorAll('#tl-details a'))"
                ".map(a => a.getAttribute('href'))"
            )
        )
        assert hrefs == {
            HOSTILE_URL,
            f"id/hostile-{i}.html",
            "graph.html#select=" + quote(iri, safe=""),
        }
    assert opened.js("document.documentElement.scrollWidth <= window.innerWidth")
    assert opened.js("typeof window.__pwned") == "undefined" and opened.dialogs == []
    assert opened.js("document.querySelectorAll('img, iframe, object, embed, svg').length") == 0
    clean(opened, path)
