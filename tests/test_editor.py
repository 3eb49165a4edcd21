"""The query editor (query.html) as a static site: the build folder served by
`python -m http.server` on 127.0.0.1, opened in headless Chromium with every request that
leaves that server blocked and recorded. SPARQL runs in the page (Oxigraph's WebAssembly
build); its answers are compared with `vetgraph query`'s as data."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from vetgraph.explore.editor import editor_data
from vetgraph.graph.namespaces import PREFIXES
from vetgraph.sparql.library import load_library
from vetgraph.sparql.running import query
from vetgraph.sparql.server import free_port

from .browsing import AXE, browser  # noqa: F401 (the fixture)
from .conftest import ROOT

BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"


# -- the page's data (no browser) -----------------------------------------------------------------


def test_the_page_knows_every_library_query_and_every_project_prefix():
    data = editor_data()
    assert data["prefixes"] == PREFIXES
    names = [e["name"] for e in data["examples"]]
    assert sorted(names) == sorted(q.name for q in load_library())
    for example in data["examples"]:
        for param in example["params"]:  # each parameter has one placeholder to fill
            slot = f'"{data["placeholder"]}{param["name"]}"'
            assert example["template"].count(slot) == 1, (example["name"], param["name"])


# -- the static site ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from vetgraph.cli import cli

    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(cli, ["build", "-q", "--out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def static(site) -> Iterator[str]:
    """The build folder on a static server (no vetgraph in it), stopped at the end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "-d", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Page:
    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def left(self) -> list[str]:
        """Requests that went anywhere but the site's own server."""
        return [u for u in self.requests if not u.startswith((self.origin + "/", "data:", "blob:"))]

    def wait_runs(self, count: int) -> None:
        self.page.wait_for_selector(f'body[data-runs="{count}"]', state="attached", timeout=60_000)

    def table(self) -> list[list[str]]:
        return self.page.eval_on_selector_all(
            "#table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
        )


@pytest.fixture
def open_editor(browser) -> Iterator[Any]:  # noqa: F811
    contexts = []

    def open_(url: str, width: int = 1440, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        origin = "/".join(url.split("/")[:3])
        opened = Page(page, origin)

        def route(route: Any) -> None:
            opened.requests.append(route.request.url)
            if route.request.url.startswith((origin + "/", "file://")):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda m: opened.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
        page.goto(url)
        return opened

    yield open_
    for context in contexts:
        context.close()


def cli_answer(invoke: Any, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    args = ["query", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return solutions(json.loads(result.stdout))


def solutions(answer: dict[str, Any]) -> list[Any]:
    """SPARQL JSON results as a sorted list of rows (each a sorted tuple of its terms)."""
    rows = []
    for binding in answer["results"]["bindings"]:
        row = []
        for var, term in binding.items():
            value = "_:" if term["type"] == "bnode" else term["value"]
            row.append((var, term["type"], value, term.get("datatype"), term.get("xml:lang")))
        rows.append(tuple(sorted(row, key=str)))
    return sorted(rows, key=str)


def download_json(page: Page) -> dict[str, Any]:
    with page.page.expect_download() as info:
        page.page.click('#downloads button[data-format="json"]')
    return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("document-priorities", {"document": "osnabruck declaration"}),  # by label, folded
        ("projects-in-country", {"country": "vg:italy"}),  # a CURIE of the declared class
        ("policy-documents-in-period", {"from": "2010", "to": "2015"}),  # gYears
        ("entities-per-class", {}),
    ],
)
def test_a_library_query_run_from_its_form_gives_the_cli_answer(
    open_editor, static, invoke, name, params
):
    opened = open_editor(f"{static}/query.html")
    page = opened.page
    page.wait_for_selector('body[data-state="ready"]', state="attached", timeout=60_000)
    page.select_option("#example", name)
    for key, value in params.items():
        page.fill(f"#param-{key}", value)
    page.click("#run-example")
    opened.wait_runs(1)
    assert page.text_content("#param-error") == ""
    answer = download_json(opened)
    expected = cli_answer(invoke, name, params)
    assert expected, "the example has rows"
    assert solutions(answer) == expected
    assert len(opened.table()) == len(expected)
    # the permalink reopens the form, filled, and runs it
    link = page.evaluate("location.hash")
    assert urllib.parse.parse_qs(link[1:])["example"] == [name]
    again = open_editor(f"{static}/query.html{link}")
    again.wait_runs(1)
    assert again.page.input_value("#example") == name
    for key, value in params.items():
        assert again.page.input_value(f"#param-{key}") == value
    assert solutions(download_json(again)) == expected
    assert opened.left() == again.left() == []
    assert opened.errors == again.errors == []


@pytest.mark.browser
def test_a_wrong_parameter_value_is_one_sentence_next_to_the_form(open_editor, static):
    opened = open_editor(
        f"{static}/query.html#example=projects-in-country&country=vg:bruges-communique"
    )
    opened.wait_runs(1)
    message = opened.page.text_content("#param-error")
    assert "country" in message and "vg:bruges-communique" in message and "vet:Country" in message
    assert opened.errors == []


@pytest.mark.browser
def test_a_query_without_prefix_lines_returns_rows_and_readable_literals(
    open_editor, static, bundled
):
    opened = open_editor(f"{static}/query.html")
    page = opened.page
    text = "SELECT ?label WHERE {\n  vg:bruges-communique rdfs:label ?label\n}"
    assert "PREFIX" not in text
    page.fill("#sparql", text)
    page.press("#sparql", "Control+Enter")
    opened.wait_runs(1)
    expected = query(text, bundled)  # as vetgraph query runs it
    shown = page.eval_on_selector_all(
        "#table td > span:first-child", "s => s.map(x => x.textContent)"
    )
    assert sorted(shown) == sorted(row["label"].value for row in expected) != []
    assert page.locator("#table td .lang").first.text_content() == "en"
    # an IRI links to its entity page in the site
    page.fill("#sparql", "SELECT ?e WHERE { VALUES ?e { vg:bruges-communique } }")
    page.click("#run")
    opened.wait_runs(2)
    link = page.locator("#table td a")
    assert link.get_attribute("href") == "id/bruges-communique.html"
    assert link.text_content() == "vg:bruges-communique"
    # dates as dates, numbers as numbers, the datatype on hover
    page.fill(
        "#sparql",
        'SELECT ?d ?n WHERE { BIND("2010-12-07"^^xsd:date AS ?d) BIND(12345 AS ?n) }',
    )
    page.click("#run")
    opened.wait_runs(3)
    assert opened.table() == [["7 December 2010", "12,345"]]
    assert page.get_attribute("#table td span", "title") == "xsd:date: 2010-12-07"
    # the permalink restores the query and runs it
    permalink = page.get_attribute("#permalink", "href")
    again = open_editor(f"{static}/query.html{permalink}")
    again.wait_runs(1)
    assert again.page.input_value("#sparql") == page.input_value("#sparql")
    assert again.table() == [["7 December 2010", "12,345"]]
    assert opened.left() == again.left() == []
    assert opened.errors == again.errors == []


@pytest.mark.browser
def test_a_syntax_error_is_shown_at_its_line_with_a_caret(open_editor, static, invoke):
    text = "SELECT ?label WHERE {\n  vg:bruges-communique rdfs:label ?label .\n  FILTER( }"
    opened = open_editor(f"{static}/query.html#query={urllib.parse.quote(text)}")
    opened.wait_runs(1)
    # the place `vetgraph query` gives (the prefix the editor declared does not move it)
    cli = invoke("query", "--sparql", text)
    assert cli.exit_code == 2
    line, column = (int(x) for x in cli.output.split("--sparql:")[1].split(":")[:2])
    assert line == 3
    sentence = opened.page.text_content("#error-sentence")
    assert sentence.startswith(f"Line 3, column {column}: expected") and sentence.endswith(".")
    assert sentence.count(". ") == 0  # one sentence
    shown, caret = opened.page.text_content("#error-excerpt").split("\n")
    assert shown == "  FILTER( }" and caret == " " * (column - 1) + "^"
    assert opened.errors == []


@pytest.mark.browser
def test_an_unknown_prefix_is_named_where_it_is_used(open_editor, static):
    text = "SELECT * WHERE {\n  ?s ex:p ?o }"
    opened = open_editor(f"{static}/query.html#query={urllib.parse.quote(text)}")
    opened.wait_runs(1)
    sentence = opened.page.text_content("#error-sentence")
    assert sentence.startswith("Line 2, column 6: unknown prefix ex:; declare it"), sentence
    assert opened.page.text_content("#error-excerpt").split("\n")[1] == " " * 5 + "^"
    assert opened.errors == []


@pytest.mark.browser
def test_from_a_file_the_editor_says_in_one_sentence_to_use_a_server(open_editor, site):
    opened = open_editor((site / "query.html").as_uri())
    opened.page.wait_for_selector('body[data-state="file"]', state="attached")
    status = opened.page.text_content("#status")
    assert "vetgraph serve" in status and "python -m http.server" in status
    assert status.count(". ") == 0 and status.endswith(".")
    assert opened.errors == []
    assert all(u.startswith("file://") for u in opened.requests), opened.requests


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_axe_finds_no_violation_on_the_editor(open_editor, static, width, height):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: vendor axe-core there (see its README)")
    opened = open_editor(f"{static}/query.html#example=entities-per-class", width, height)
    opened.wait_runs(1)
    page = opened.page
    # axe is the test's, not the page's: evaluated in the page, whose CSP stays on (the
    # shared axe_violations helper injects a script tag, which needs the CSP bypassed)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "axe.run(document).then(r => r.violations.map(v => [v.id, v.nodes.length]))"
    )
    assert found == []
    # readable at phone width: nothing wider than the screen but the result table's own scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ROOT / "test-artifacts" / f"editor-{width}.png"))
    assert opened.errors == []
