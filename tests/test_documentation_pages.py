"""queries.html and ontology.html as a reader sees them: at 390×844 and 1440×900 in headless
Chromium (offline), no sideways scrolling of the page, text of at least 14 px, long answers
folded with their count, links to the query editor and to entity pages, the classes' colours,
and axe-core finding nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vetgraph.explore import palette
from vetgraph.publish.catalogue import OPEN_CELLS, queries_html
from vetgraph.publish.ontology_page import ontology_html
from vetgraph.sparql.library import load_library

from .browsing import DESKTOP, PHONE, Opened, axe_violations

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
PAGES = ("queries", "ontology")


@pytest.fixture(scope="module")
def built(tmp_path_factory, bundled) -> dict[str, Path]:
    from vetgraph.check.validation import validate

    out = tmp_path_factory.mktemp("docs")
    queries = out / "queries.html"
    queries.write_bytes(queries_html(bundled, validate(bundled)))
    ontology = out / "ontology.html"
    ontology.write_bytes(ontology_html(bundled))
    return {"queries": queries, "ontology": ontology}


SMALL_TEXT = """() => {
    const small = [];
    for (const node of document.querySelectorAll('body *')) {
        const own = Array.from(node.childNodes).some(
            c => c.nodeType === 3 && c.textContent.trim());
        if (!own || !node.getClientRects().length) continue;
        const style = getComputedStyle(node);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const size = parseFloat(style.fontSize);
        if (size < 14) small.push(node.tagName + ' ' + size + 'px: ' +
                                   node.textContent.trim().slice(0, 40));
    }
    return small;
}"""


def open_all(opened: Opened) -> None:
    """Unfold every <details> (the folded text must read as well as the rest)."""
    opened.js("document.querySelectorAll('details').forEach(d => { d.open = true; })")


@pytest.mark.parametrize("name", PAGES)
def test_readable_at_phone_width(open_page, built, name):
    path = built[name]
    opened = open_page(path, **PHONE, stable=False)
    open_all(opened)
    assert opened.js("document.documentElement.scrollWidth") <= PHONE["width"]
    assert opened.js(SMALL_TEXT) == []
    assert opened.js("!!document.querySelector('meta[name=viewport]')")
    assert opened.left_the_page(path) == [] and opened.errors == []


@pytest.mark.parametrize("name", PAGES)
@SIZES
def test_axe_finds_nothing(open_page, built, name, size):
    opened = open_page(built[name], **size, stable=False, bypass_csp=True)
    assert axe_violations(opened.page) == []
    open_all(opened)
    assert axe_violations(opened.page) == []


def test_long_answers_are_folded_with_their_count(built):
    page = built["queries"].read_text(encoding="utf-8")
    answers = re.findall(
        r"<details class=answer( open)?><summary>(.*?)</summary>(.*?)</details>", page, re.S
    )
    assert len(answers) > 10
    for opened, summary, table in answers:
        cells = table.count("<td>")
        assert re.search(r"\d+ rows?$", summary), summary
        assert bool(opened) == (cells <= OPEN_CELLS), summary
    assert any(not opened for opened, _, _ in answers)


def test_each_query_opens_in_the_editor_and_entities_link_to_their_pages(built):
    page = built["queries"].read_text(encoding="utf-8")
    for q in load_library():
        article = page.split(f'id="{q.kind}-{q.name}"', 1)[1].split("</article>", 1)[0]
        assert f'href="query.html#example={q.name}' in article, q.name
    assert 'href="query.html#example=sources-of-entity&amp;entity=vg%3Abruges-communique"' in page
    assert '<a href="id/bruges-communique.html">vg:bruges-communique</a>' in page


def test_the_contents_list_every_section(built):
    page = built["queries"].read_text(encoding="utf-8")
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    for q in load_library():
        assert f'href="#{q.kind}-{q.name}"' in nav
    ontology = built["ontology"].read_text(encoding="utf-8")
    assert 'role="navigation"' in ontology and 'href="#classes"' in ontology


def test_ontology_classes_show_their_colour_and_group(built):
    page = built["ontology"].read_text(encoding="utf-8")
    classes = page.split('id="classes"', 1)[1].split('<div class="section" id=', 1)[0]
    found = re.findall(
        r'<p class="vg-group"><span class="vg-swatch" style="background:(#[0-9A-Fa-f]{6})">'
        r"</span>([^<(]+) \(.*?<code>([^<]+)</code>",
        classes,
        re.S,
    )
    assert len(found) > 40
    for colour, label, iri in found:
        group = palette.group_of(iri)
        assert (colour, label) == (group.colour, group.label), iri
