"""What ``vetgraph build`` publishes: every export, the context, void.ttl and the pages,
byte-identical from one build to the next (whatever Python's hash seed), and each the
same as the library gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from vetgraph.graph import resources
from vetgraph.outputs import MANIFEST
from vetgraph.publish import export, void
from vetgraph.publish.pipeline import ARTIFACTS, SITE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """Two builds in fresh processes with different hash seeds."""
    root = tmp_path_factory.mktemp("builds")
    outs = []
    for seed in ("1", "2"):
        out = root / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "vetgraph.cli", "build", "-q", "--out", str(out)],
            check=True,
            env=env,
        )
        outs.append(out)
    return outs


def test_build_writes_every_artifact(two_builds):
    first, _ = two_builds
    single = [name for name in ARTIFACTS if name != SITE]
    site = ["index.html", "id", "source", "assets"]  # the site's files and folders
    assert sorted(p.name for p in first.iterdir()) == sorted([*single, *site, MANIFEST])
    for fmt in export.FORMATS.values():
        for name in fmt.file_names:
            assert name in ARTIFACTS, name
    listed = json.loads((first / MANIFEST).read_text())["files"]
    written = [str(p.relative_to(first)) for p in first.rglob("*") if p.is_file()]
    assert sorted(listed) == sorted(name for name in written if name != MANIFEST)


def test_every_output_is_byte_identical_across_builds(two_builds):
    first, second = two_builds
    files = [p.relative_to(first) for p in first.rglob("*") if p.is_file()]
    assert len(files) > len(ARTIFACTS)  # the site's pages are compared too
    differing = [
        str(name) for name in files if (first / name).read_bytes() != (second / name).read_bytes()
    ]
    assert differing == []
    assert sorted(files) == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())


def test_build_exports_equal_the_export_command(two_builds, bundled):
    first, _ = two_builds
    for name in export.FORMATS:
        for file_name, data in export.outputs(bundled, name).items():
            assert (first / file_name).read_bytes() == data, file_name
    assert (first / "context.jsonld").read_bytes() == resources.context_file().read_bytes()


def test_void_of_the_build_matches_its_stats(two_builds, invoke):
    first, _ = two_builds
    store = ox.Store()
    store.load(path=str(first / "void.ttl"), format=ox.RdfFormat.TURTLE)
    dataset = ox.NamedNode(void.DATASET)
    [triples] = store.quads_for_pattern(dataset, ox.NamedNode(void.VOID.triples), None)
    stats = json.loads(invoke("stats", "--format", "json").output)
    assert int(triples.object.value) == stats["triples"]


def test_build_advertises_the_sparql_endpoint_when_given(invoke, tmp_path):
    out = tmp_path / "dist"
    url = "http://127.0.0.1:7878/query"
    result = invoke("build", "-q", "--out", str(out), "--sparql-endpoint", url)
    assert result.exit_code == 0, result.output
    text = (out / "void.ttl").read_text(encoding="utf-8")
    assert f"void:sparqlEndpoint <{url}>" in text
