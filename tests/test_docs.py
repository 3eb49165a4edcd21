"""The README matches the tool: every command documented and with help, the exit-code
table equal to the codes the CLI uses, the quick start exactly two commands, and CI
running the README's test command."""

from __future__ import annotations

import re

from vetgraph.cli import INTERNAL_ERROR, cli
from vetgraph.errors import ExitCode

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_and_has_help(invoke):
    assert cli.commands, "no commands registered"
    for name in cli.commands:
        assert f"`vetgraph {name}" in README, f"vetgraph {name} is not documented in the README"
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_exit_code_table_matches_the_cli():
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section, flags=re.M)}
    assert documented == {int(c) for c in ExitCode} | {INTERNAL_ERROR}


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    install_and_build, test_command = (b.strip() for b in blocks)
    assert "pip install ." in install_and_build and install_and_build.endswith("vetgraph build")
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci


def test_layout_folders_exist():
    for folder in ("ontology", "shapes", "data", "queries", "vetgraph", "tests", "scripts"):
        assert (ROOT / folder).is_dir(), folder


#: A `pip install` of something named like vetgraph: `pip install 'vetgraph-eu[pandas]'`.
_INSTALL_HINT = re.compile(r"pip install\s+(?:-\S+\s+)*['\"]?(vetgraph[A-Za-z0-9_.-]*)")


def test_every_install_hint_names_the_distribution_pyproject_declares():
    # Regression: `vetgraph` on PyPI is an unrelated project, so `pip install
    # 'vetgraph[pandas]'` installed someone else's package.
    import tomllib

    from vetgraph.graph.release import DISTRIBUTION

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    assert declared == DISTRIBUTION != "vetgraph"
    places = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *ROOT.glob("docs/**/*.md")]
    places += sorted((ROOT / "vetgraph").rglob("*.py"))
    hints = [
        (path.relative_to(ROOT), name)
        for path in places
        for name in _INSTALL_HINT.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(hints) >= 3, "no install hints found: the pattern no longer matches them"
    assert [h for h in hints if h[1] != DISTRIBUTION] == []
