"""`vetgraph serve`: a read-only SPARQL 1.1 Protocol endpoint (the Oxigraph server from
PyPI) over the built graph, answering requests like curl's, refusing updates, with a
query editor that works offline, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from vetgraph.endpoint import free_port
from vetgraph.queries import LocalBackend, get_query, run
from vetgraph.results import materialize

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


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "serve", "--port", str(port)],
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
