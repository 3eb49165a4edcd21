"""`vetgraph serve`: a read-only SPARQL 1.1 Protocol endpoint (the Oxigraph server from
PyPI) over the built graph, answering requests like curl's, refusing updates, with a
query editor that works offline, stopped cleanly by Ctrl-C."""

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
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(not a.startswith(("http:", "https:", "//")) for a in assets), assets
    for asset in assets:
        status, _, content = _get(urllib.parse.urljoin(served.editor, asset), "*/*")
        assert status == 200 and content, asset


@pytest.mark.browser
def test_the_editor_works_offline_in_a_browser(served, tmp_path):
    chromium = require_tool("chromium")
    done = subprocess.run(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            # no network but this machine: what the page needs must come from the server
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--virtual-time-budget=5000",
            "--dump-dom",
            served.editor,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'class="CodeMirror' in done.stdout  # the SPARQL editor rendered
    assert "yasr" in done.stdout  # and the results pane


# -- hardening: nothing of the file system, no updates, runaway queries cancelled ----------------

PASSWD = "root:x:0:0"


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/yasgui/../../../../etc/passwd",
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
        ("/query", "query", "LOAD <file:///etc/passwd>", 400),
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
