"""`vetgraph serve`: the site of the graph and a read-only SPARQL 1.1 Protocol endpoint (a
Python front over the Oxigraph server from PyPI), answering requests like curl's, refusing
updates, entity IRIs by content negotiation, the query editor offline, stopped cleanly by
Ctrl-C."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.library import get_query
from vetgraph.sparql.results import materialize
from vetgraph.sparql.running import run
from vetgraph.sparql.server import free_port

from .conftest import require_tool
from .test_stores import solutions

pytestmark = pytest.mark.slow

LABEL = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?label WHERE { <https://w3id.org/vetgraph/id/bruges-communique> rdfs:label ?label }"
)


class Served:
    def __init__(
        self,
        process: subprocess.Popen[str],
        lines: list[str],
        rest: queue.Queue[str],
        reader: threading.Thread,
    ) -> None:
        self.process = process
        self.lines = lines
        self.rest = rest
        self.reader = reader
        self.editor = re.search(r"query editor:\s+(\S+)", "".join(lines))[1]  # type: ignore[index]
        self.endpoint = re.search(r"SPARQL endpoint:\s+(\S+)", "".join(lines))[1]  # type: ignore[index]


@contextlib.contextmanager
def serving(*args: str) -> Iterator[Served]:
    """``vetgraph serve ARGS`` on a free port of 127.0.0.1, stopped at the end."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job in a terminal
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None and process.stderr is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        while not any("Press Ctrl-C" in line for line in seen):
            try:
                seen.append(lines.get(timeout=60))
            except queue.Empty:
                pytest.fail(f"vetgraph serve printed no URL: {seen} {process.stderr.read()}")
        yield Served(process, seen, lines, reader)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        process.stdout.close()
        process.stderr.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serving() as server:
        yield server


def _drain(lines: queue.Queue[str]) -> list[str]:
    out = []
    while not lines.empty():
        out.append(lines.get_nowait())
    return out


def _get(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get_content_type(), response.read()


def test_serve_answers_a_protocol_get_like_curl(served, bundled):
    url = served.endpoint + "?" + urllib.parse.urlencode({"query": LABEL})
    status, ctype, body = _get(url, "application/sparql-results+json")
    assert status == 200 and ctype == "application/sparql-results+json"
    assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == [
        "Bruges Communiqué"
    ]
    status, ctype, body = _get(url, "text/csv")
    assert ctype == "text/csv" and body == "label\r\nBruges Communiqué\r\n".encode()


def test_serve_answers_library_queries_like_the_embedded_graph(served, bundled):
    # a POSTed form, like curl --data-urlencode; the default graph is the union of all graphs
    for name in ("entities-per-class", "facts-by-locator", "sources-cited"):
        text = get_query(name).text
        request = urllib.request.Request(
            served.endpoint,
            data=urllib.parse.urlencode({"query": text}).encode(),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers.get_content_type() == "application/sparql-results+json"
            remote = materialize(
                ox.parse_query_results(response.read(), ox.QueryResultsFormat.JSON)
            )
        local = materialize(run(get_query(name), backend=LocalBackend(bundled)))
        assert solutions(remote) == solutions(local), name


@pytest.mark.parametrize(
    ("path", "method", "data", "content_type"),
    [
        (
            "/update",
            "POST",
            b"update=INSERT+DATA+%7B+%3Chttp%3A%2F%2Fe%2Fa%3E+%3Chttp%3A%2F%2Fe%2Fp%3E+1+%7D",
            "application/x-www-form-urlencoded",
        ),
        ("/update", "POST", b"DROP ALL", "application/sparql-update"),
        ("/store?default", "PUT", b"<http://e/a> <http://e/p> 1 .", "application/n-triples"),
    ],
)
def test_serve_is_read_only(served, path, method, data, content_type):
    base = served.endpoint.rsplit("/", 1)[0]
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": content_type}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403
    _, _, body = _get(
        served.endpoint + "?query=ASK%7B%3Chttp%3A%2F%2Fe%2Fa%3E%3Fp%3Fo%7D",
        "application/sparql-results+json",
    )
    assert json.loads(body)["boolean"] is False


def test_the_editor_page_loads_nothing_from_elsewhere(served):
    status, ctype, body = _get(served.editor, "text/html")
    assert status == 200 and ctype == "text/html"
    page = body.decode()
    assets = re.findall(r'<script src="([^"]+)"|<link rel="stylesheet" href="([^"]+)"', page)
    assets = [a or b for a, b in assets]
    assert assets and all(not a.startswith(("http:", "https:", "//")) for a in assets), assets
    for asset in [*assets, "assets/editor/oxigraph/web.js", "assets/editor/oxigraph/web_bg.wasm"]:
        status, ctype, content = _get(urllib.parse.urljoin(served.editor, asset), "*/*")
        assert status == 200 and content, asset
    assert ctype == "application/wasm"  # what WebAssembly.instantiateStreaming needs


def test_a_query_without_prefix_lines_answers_at_the_endpoint(served, bundled):
    text = "SELECT ?label WHERE { vg:bruges-communique rdfs:label ?label }"
    status, _, body = _get(
        served.endpoint + "?" + urllib.parse.urlencode({"query": text}),
        "application/sparql-results+json",
    )
    rows = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    expected = materialize(run(text, backend=LocalBackend(bundled)))
    assert status == 200 and rows == [str(r["label"].value) for r in expected] != []
    # POSTed directly, as application/sparql-query, too
    request = urllib.request.Request(
        served.endpoint,
        data=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.read().decode().splitlines()[1:] == rows


def test_a_syntax_error_names_the_users_line_and_column(served, invoke):
    text = "SELECT ?label WHERE {\n  vg:bruges-communique rdfs:label ?label .\n  FILTER( }"
    request = urllib.request.Request(
        served.endpoint, data=urllib.parse.urlencode({"query": text}).encode()
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    message = refused.value.read().decode()
    refused.value.close()
    assert refused.value.code == 400
    cli = invoke("query", "--sparql", text)  # the position vetgraph query gives
    place = cli.output.split("--sparql:")[1].split(":")[:2]
    assert message.startswith(f"query:{place[0]}:{place[1]}: SPARQL syntax error"), message
    assert message.rstrip().endswith("^")


@pytest.mark.parametrize(
    "text",
    ["DROP ALL", "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b 1 }", "LOAD <file:///etc/passwd>"],
)
def test_an_update_sent_as_a_query_gets_403_and_a_sentence(served, text):
    for request in (
        urllib.request.Request(served.endpoint + "?" + urllib.parse.urlencode({"query": text})),
        urllib.request.Request(
            served.endpoint, data=urllib.parse.urlencode({"update": text}).encode()
        ),
    ):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        message = refused.value.read().decode()
        refused.value.close()
        assert refused.value.code == 403 and "read-only" in message


@pytest.mark.parametrize(
    ("accept", "media", "syntax"),
    [
        ("text/turtle", "text/turtle", "ttl"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_the_built_sites_entity_iris_answer_by_content_negotiation(served, accept, media, syntax):
    """End to end: the site vetgraph serve builds holds the entity's RDF, and its IRI's path
    gives that RDF, holding the entity's label and the claims' citations."""
    import rdflib

    base = served.editor.rsplit("/", 1)[0]
    status, content_type, body = _get(base + "/id/bruges-communique", accept)
    assert (status, content_type) == (200, media)
    graph = rdflib.Dataset()
    graph.parse(data=body, format=syntax)
    bruges = rdflib.URIRef("https://w3id.org/vetgraph/id/bruges-communique")
    labels = {str(o) for _, _, o, _ in graph.quads((bruges, rdflib.RDFS.label, None, None))}
    assert "Bruges Communiqué" in labels
    derivation = rdflib.URIRef("http://www.w3.org/ns/prov#qualifiedDerivation")
    assert any(graph.quads((None, derivation, None, None)))
    status, content_type, _ = _get(base + "/id/bruges-communique", "text/html")
    assert (status, content_type) == (200, "text/html")


@pytest.mark.browser
def test_every_page_served_makes_no_outside_request_and_logs_no_error(served):
    """Every HTML page of the served site, and the editor answering a query without
    PREFIX lines, in headless Chromium with every request off this server blocked."""
    from .browsing import CHROMIUM_FLAGS

    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    base = served.editor.rsplit("/", 1)[0]
    _, _, listing = _get(base + "/.vetgraph-manifest.json", "application/json")
    every = [name for name in json.loads(listing)["files"] if name.endswith(".html")]
    # Each top-level page, and of the thousand entity and source pages (one template each,
    # checked one by one in test_site_browser) the first three of each folder.
    pages = [name for name in every if "/" not in name]
    for folder in ("id/", "source/"):
        pages += sorted(name for name in every if name.startswith(folder))[:3]
    assert {"query.html", "index.html", "graph.html", "timeline.html"} <= set(pages)
    assert "id/bruges-communique.html" in every
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            for name in pages:
                page = browser.new_page()
                left, errors = _watch(page, base)
                page.goto(f"{base}/{name}")
                page.wait_for_load_state("networkidle")
                if name == "query.html":
                    page.wait_for_selector('body[data-state="ready"]', state="attached")
                    page.fill("#sparql", "SELECT ?l WHERE { vg:bruges-communique rdfs:label ?l }")
                    page.click("#run")
                    page.wait_for_selector('body[data-runs="1"]', state="attached")
                    assert page.locator("#table tbody tr").count() > 0
                assert left == [] and errors == [], name
                page.close()
        finally:
            browser.close()


def _watch(page: object, base: str) -> tuple[list[str], list[str]]:
    left: list[str] = []
    errors: list[str] = []

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith((base + "/", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            left.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)  # type: ignore[attr-defined]
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    return left, errors


# -- entity IRIs by content negotiation -----------------------------------------------------------

FAKE_TTL = (
    '<https://w3id.org/vetgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "X"@en .\n'
)


@pytest.fixture(scope="module")
def fake_site(tmp_path_factory) -> Iterator[Served]:
    """A tiny site folder with one entity's page and RDF (until every build writes them)."""
    site = tmp_path_factory.mktemp("fake-site")
    (site / "id").mkdir()
    (site / "id" / "x.html").write_text("<!doctype html><title>X</title><p>X</p>")
    (site / "id" / "x.ttl").write_text(FAKE_TTL)
    (site / "id" / "x.nt").write_text(FAKE_TTL)
    (site / "id" / "x.jsonld").write_text(
        '{"@id": "https://w3id.org/vetgraph/id/x", '
        '"http://www.w3.org/2000/01/rdf-schema#label": {"@value": "X", "@language": "en"}}'
    )
    (site / "id" / "only-page.html").write_text("<!doctype html><title>P</title>")
    (site.parent / "secret.txt").write_text(PASSWD)
    (site / "escape.txt").symlink_to(site.parent / "secret.txt")
    with serving("--site", str(site)) as server:
        yield server


@pytest.mark.parametrize(
    ("accept", "media", "syntax"),
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html", None),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_an_entity_iri_answers_by_content_negotiation(fake_site, accept, media, syntax):
    base = fake_site.editor.rsplit("/", 1)[0]
    request = urllib.request.Request(base + "/id/x", headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get_content_type() == media
        assert response.headers["Vary"] == "Accept"
        body = response.read()
    if syntax is None:
        assert b"<title>X</title>" in body
    else:
        triples = list(ox.parse(body, syntax))
        assert [(t.subject.value, t.object.value) for t in triples] == [
            ("https://w3id.org/vetgraph/id/x", "X")
        ]


@pytest.mark.parametrize(
    ("path", "accept", "status"),
    [
        ("/id/x", "image/png", 406),
        ("/id/only-page", "text/turtle", 406),
        ("/id/missing", "text/html", 404),
        ("/source/missing", "text/turtle", 404),
        ("/escape.txt", "*/*", 404),  # a link that leaves the site
        ("/id/..%2f..%2fsecret.txt", "*/*", 404),
        ("/id/%2e%2e/%2e%2e/secret.txt", "*/*", 404),
        ("/id/../../secret.txt", "*/*", 404),
    ],
)
def test_what_the_site_does_not_hold_is_a_clear_answer(fake_site, path, accept, status):
    import http.client

    url = urllib.parse.urlsplit(fake_site.endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert response.status == status and PASSWD not in body
    if status == 404 and accept == "text/html":
        assert "/id/NAME" in body and 'href="/query.html"' in body  # a page that helps


# -- hardening: nothing of the file system, no updates, runaway queries cancelled ----------------

PASSWD = "root:x:0:0"


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/assets/../../../../etc/passwd",
        "//etc/passwd",
        "/store?graph=file:///etc/passwd",
        "/query?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D&default-graph-uri=file:///etc/passwd",
        "/query?query=SELECT%20*%20FROM%20%3Cfile:///etc/passwd%3E%20%7B%3Fs%20%3Fp%20%3Fo%7D",
    ],
)
def test_serve_exposes_nothing_of_the_file_system(served, path):
    import http.client

    url = urllib.parse.urlsplit(served.endpoint)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", path)  # sent as written: no client-side normalising
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert PASSWD not in body
    if "query=" in path:  # a file named as a graph is only a name: never read
        assert response.status == 200 and "results" in json.loads(body)
    else:
        assert response.status == 404


@pytest.mark.parametrize(
    ("path", "field", "text", "status"),
    [
        ("/update", "update", "LOAD <file:///etc/passwd>", 403),
        ("/update", "update", "LOAD <file:///etc/passwd> INTO GRAPH <http://e/g>", 403),
        ("/query", "query", "LOAD <file:///etc/passwd>", 403),
        ("/query", "query", "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }", 200),
    ],
)
def test_serve_never_reads_a_file_it_is_asked_to(served, path, field, text, status):
    base = served.endpoint.rsplit("/", 1)[0]
    request = urllib.request.Request(
        base + path,
        data=urllib.parse.urlencode({field: text}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            code, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as refused:
        code, body = refused.code, refused.read().decode("utf-8", "replace")
        refused.close()
    assert code == status
    assert PASSWD not in body
    # nothing was loaded: the graph <file:///etc/passwd> and its triples do not exist
    _, _, answer = _get(
        served.endpoint
        + "?"
        + urllib.parse.urlencode(
            {"query": "ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'root:')) } }"}
        ),
        "application/sparql-results+json",
    )
    assert json.loads(answer)["boolean"] is False


def test_serve_cancels_a_query_past_its_time_limit(bundled, tmp_path):
    from vetgraph.errors import RemoteError
    from vetgraph.sparql.endpoint import Endpoint
    from vetgraph.sparql.running import prepare
    from vetgraph.sparql.server import OxigraphServer, load_store

    # A store of the size this test was written for: the server notices its deadline between
    # steps of the outer loop, and a step over every triple grows with the square of the graph.
    load_store(tmp_path / "store", itertools.islice(bundled.quads(), 6000))
    forever = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    with OxigraphServer(tmp_path / "store", port=free_port(), timeout=1) as server:
        assert "--timeout-s" in server.command()
        endpoint = Endpoint(server.query_url, credentials=None, read_timeout=60)
        started = time.monotonic()
        with pytest.raises(RemoteError, match="breaks off with: The SPARQL operation has been"):
            endpoint.execute(prepare(forever, backend=None))
        assert time.monotonic() - started < 20  # cancelled, not run for minutes
        # ... and the server still answers
        rows = endpoint.execute(prepare("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", backend=None))
        assert len(list(rows)) == 1


def test_serve_passes_its_time_limit_to_the_server(invoke):
    help_text = invoke("serve", "--help").output
    assert "--timeout SECONDS" in help_text and "[default: 30;" in " ".join(help_text.split())


def test_port_in_use_is_a_clear_error(invoke):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = invoke("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.output


def test_ctrl_c_stops_the_server_and_frees_the_port(served):
    port = urllib.parse.urlsplit(served.endpoint).port
    # Ctrl-C in a terminal: SIGINT to the whole foreground process group
    os.killpg(served.process.pid, signal.SIGINT)
    served.process.wait(timeout=30)
    served.reader.join(timeout=10)
    out = "".join(_drain(served.rest))
    err = served.process.stderr.read()  # type: ignore[union-attr]
    assert served.process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass  # the Oxigraph server is gone too
