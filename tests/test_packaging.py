"""The wheel carries every bundled .ttl/.trig/.rq, and the installed command works outside
the checkout. The wheel is built offline (no build isolation) and installed into a fresh
venv that borrows the dependencies already installed here, so nothing is downloaded."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from vetgraph.graph.release import DISTRIBUTION

from .conftest import ROOT

pytestmark = pytest.mark.slow
BUNDLED = ("ontology", "shapes", "data", "queries")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip_wheel, "-w", str(out), str(ROOT)], check=True)
    # the wheel is named after the distribution (vetgraph_eu-0.1.0-...), not the import name
    [built] = list(out.glob(f"{DISTRIBUTION.replace('-', '_')}-*.whl"))
    return built


def test_wheel_holds_every_bundled_file(wheel):
    expected = {
        f"vetgraph/_resources/{p.relative_to(ROOT)}"
        for folder in BUNDLED
        for p in (ROOT / folder).rglob("*")
        if p.suffix in {".ttl", ".trig", ".rq", ".md", ".jsonld"}
    }
    assert len(expected) > 40
    assert "vetgraph/_resources/ontology/context.jsonld" in expected
    expected.add("vetgraph/_resources/CHANGELOG.md")  # release dates come from it
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected <= names, sorted(expected - names)


def test_wheel_holds_the_query_editor_and_its_vendored_oxigraph(wheel):
    from vetgraph.explore.editor import ASSETS

    package = ROOT / "vetgraph"
    expected = {f"vetgraph/{path.relative_to(package).as_posix()}" for path in ASSETS.values()}
    expected.add("vetgraph/explore/templates/editor.html")
    assert "vetgraph/explore/vendor/oxigraph/web_bg.wasm" in expected
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected <= names, sorted(expected - names)


def test_wheel_holds_the_pages_templates_and_vendored_scripts(wheel):
    from vetgraph.explore import netpage

    templates = ROOT / "vetgraph" / "explore" / "templates"
    expected = {
        f"vetgraph/explore/templates/{p.relative_to(templates)}"
        for p in templates.rglob("*")
        if p.is_file() and p.suffix in {".js", ".css", ".html", ".md"}
    }
    assert {f"vetgraph/explore/templates/{name}" for name in netpage._SCRIPTS} <= expected
    assert "vetgraph/explore/templates/vendor/README.md" in expected
    names = set(zipfile.ZipFile(wheel).namelist())
    assert expected <= names, sorted(expected - names)


def test_installed_command_builds_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # Borrow the dependencies installed here (rdflib, pyoxigraph, ...) without vetgraph
    # itself: a plain path entry does not run the editable install's .pth hook.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    where = subprocess.run(
        [str(python), "-c", "import vetgraph.graph.resources as r; print(r.root())"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)), where
    result = subprocess.run(
        [str(env_dir / "bin" / "vetgraph"), "build", "--out", str(elsewhere / "out")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "vetgraph.trig").stat().st_size > 10_000
    # The publishing outputs work from the wheel too: pyLODE, the context, the release date.
    assert (elsewhere / "out" / "ontology.html").stat().st_size > 10_000
    assert (elsewhere / "out" / "context.jsonld").is_file()
    # the query editor and the Oxigraph WebAssembly it runs, from the wheel's copy
    assert (elsewhere / "out" / "assets/editor/oxigraph/web_bg.wasm").stat().st_size > 1_000_000
    assert "editor-data" in (elsewhere / "out" / "query.html").read_text(encoding="utf-8")
    assert "dcterms:issued" in (elsewhere / "out" / "void.ttl").read_text(encoding="utf-8")
    assert "0 without" in result.stdout
    # The version is read under the distribution's name, and `queries NAME` names a file
    # that exists (it was printed relative to site-packages/vetgraph/_resources).
    command = str(env_dir / "bin" / "vetgraph")
    shown = subprocess.run(
        [command, "--version"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert shown.stdout.strip() == f"vetgraph, version {declared}", shown
    shown = subprocess.run(
        [command, "queries", "sources-of-entity"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    [file] = [x[len("file: ") :] for x in shown.stdout.splitlines() if x.startswith("file: ")]
    assert file.startswith(str(env_dir)) and (elsewhere / file).is_file(), file
