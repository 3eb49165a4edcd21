"""The default graph is a set (SPARQL 1.1 §13): each triple is seen once, whichever graphs hold
it. Regression (issue 13.4): the published vetgraph.ttl, loaded with --input, counted 7,211
triples where the file has 6,382, because the ontology it holds was added a second time."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import vetgraph
from vetgraph.publish.export import serialize

from .conftest import require_tool

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLASSES = (
    "SELECT ?class (COUNT(*) AS ?n) WHERE { ?class a <http://www.w3.org/2002/07/owl#Class> } "
    "GROUP BY ?class HAVING (COUNT(*) > 1)"
)


@pytest.fixture(scope="module", params=["ttl", "nt"])
def published(request, bundled, tmp_path_factory) -> Path:
    """The bundled graph as the build publishes it, merged into one graph."""
    path = tmp_path_factory.mktemp("published") / f"vetgraph.{request.param}"
    path.write_bytes(serialize(bundled, request.param))
    return path


def roqet_count(path: Path) -> int:
    roqet = require_tool("roqet")
    done = subprocess.run(
        [roqet, "-q", "-r", "csv", "-e", COUNT, "-D", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 2), done.stderr  # roqet: 2 is "finished, with warnings"
    return int(done.stdout.splitlines()[-1])


def test_the_cli_counts_what_an_independent_engine_counts(published, invoke):
    result = invoke("query", "--input", str(published), "--sparql", COUNT, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert int(result.stdout.splitlines()[-1]) == roqet_count(published)


def test_the_python_api_counts_what_an_independent_engine_counts(published):
    kg = vetgraph.load([published])
    assert int(kg.select(COUNT)[0]["n"].value) == roqet_count(published)
    assert kg.select(CLASSES) == []  # each class once, not once per copy


@pytest.mark.slow
def test_serve_counts_what_an_independent_engine_counts(published):
    from .test_serve import serving

    with serving("--input", str(published)) as server:
        url = server.endpoint + "?" + urllib.parse.urlencode({"query": COUNT})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == roqet_count(published)


def test_serve_shows_the_site_of_a_flat_graph_without_validating_it(published):
    """Regression: `vetgraph serve --input vetgraph.nt` stopped with an internal error (the
    ontology page found no owl:Ontology in the flat file) after minutes of validation."""
    from vetgraph.publish.pipeline import NOT_SERVED, served_outputs

    kg = vetgraph.load([published])
    seen: list[str] = []
    files, left_out = served_outputs(kg, progress=seen.append)
    assert "Validating" not in seen and not set(NOT_SERVED) & set(files)
    assert {"index.html", "query.html", "graph.html", "timeline.html"} <= set(files)
    assert "id/bruges-communique.html" in files
    # What could not be made is named with the reason, and nothing else is missing.
    assert all(why for why in left_out.values())
    assert set(left_out) <= {"ontology.html"}
