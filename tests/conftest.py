"""Shared fixtures. Tests use the public API and the CLI (in-process, with CliRunner)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import settings

from vetgraph.cli import cli
from vetgraph.graph import build

FIXTURES = Path(__file__).parent / "fixtures"
#: The Oxigraph syntax of each RDF export format (an oracle apart from vetgraph's own tables).
OXIGRAPH_SYNTAX = {
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property-based tests: under CI the examples are derandomised (the same every run, so a
# red run can be rerun); locally they are random, and a failure prints its reproduction
# blob (then keep it as a named regression test or an @example).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if IN_CI else "dev")


def require_tool(name: str) -> str:
    """Path of an external program; fail in CI when it is missing, skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """No test reads or writes the user's cache of stores (vetgraph/graph/cache.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VETGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("vetgraph-cache")))
        yield


@pytest.fixture(scope="session")
def bundled():
    """The bundled graph, loaded once."""
    return build.load()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process: invoke("build", "--out", str(tmp)) → click Result."""

    def run(*args: str):
        return runner.invoke(cli, list(args), obj={}, catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path):
    """Write a text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


# The browser fixtures (browser, open_page) for every test module; defined in browsing.py.
from .browsing import browser, open_page  # noqa: E402, F401
