"""What the command says when it is used wrongly, or when its reader goes away (issue 13,
items 2, 3 and 7): one line and a hint, the right exit code, never an internal error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES

BASE = str(FIXTURES / "base.trig")

# -- Click's usage errors in vetgraph's form (regression: four lines of Click's usage block) --


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["query", "--formt", "csv"],
            "error: no such option '--formt'. Did you mean '--format'?",
            "  hint: see 'vetgraph query --help'",
        ),
        (
            ["querry"],
            "error: no such command 'querry'. (Did you mean one of: 'queries', 'query'?)",
            "  hint: see 'vetgraph --help'",
        ),
        (["path"], "error: missing argument 'A'.", "  hint: see 'vetgraph path --help'"),
        (
            ["query", "countries", "--format", "xls"],
            "error: invalid value for '--format': 'xls' is not one of",
            "  hint: see 'vetgraph query --help'",
        ),
    ],
)
def test_a_usage_error_is_one_line_and_a_hint(invoke, args, message, hint):
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(message) and lines[1] == hint
    assert "Usage:" not in result.stderr and result.stdout == ""


def test_plain_vetgraph_shows_the_help(invoke):
    result = invoke()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: vetgraph [OPTIONS] COMMAND [ARGS]...")


# -- build --sparql-endpoint is an http(s) URL (regression: exit 70, or <localhost:...> in void) --


@pytest.mark.parametrize("url", ["notaurl", "localhost:7878/query", "ftp://host/sparql"])
def test_build_refuses_an_endpoint_that_is_not_an_http_url(invoke, tmp_path, url):
    out = tmp_path / "dist"
    result = invoke("build", "-q", "--out", str(out), "--input", BASE, "--sparql-endpoint", url)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: {url!r} is not an http(s) URL",
        "  hint: give --sparql-endpoint as a full address, e.g. http://localhost:7878/query",
    ]
    assert not out.exists()


def test_build_advertises_an_http_endpoint(invoke, tmp_path):
    out = tmp_path / "dist"
    url = "http://localhost:7878/query"
    result = invoke("build", "-q", "--out", str(out), "--input", BASE, "--sparql-endpoint", url)
    assert result.exit_code == 0, result.output
    assert f"<{url}>" in (out / "void.ttl").read_text()


# -- a closed pipe is a normal end (regression: `path ... | head -1` ended in BrokenPipeError) --

#: Every command that writes to standard output (serve runs until stopped: test_serve).
PRINTING_COMMANDS = [
    ["build", "--out", "{tmp}/dist", "--input", BASE],
    ["validate", "--input", BASE],
    ["stats", "--input", BASE],
    ["export", "--format", "nt", "--input", BASE],
    ["diff", BASE, BASE],
    ["viz", "-o", "{tmp}/page.html", "--input", BASE],
    ["path", "vg:bruges-communique", "vg:ssa-pilot-tourism"],
    ["analyze"],
    ["queries"],
    ["queries", "sources-of-entity"],
    ["query", "countries"],
    ["query", "countries", "--format", "csv"],
    ["--help"],
]


@pytest.mark.parametrize("command", PRINTING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_reader_that_is_gone_ends_the_command_quietly(command, tmp_path: Path):
    # The reading end is closed before the command writes anything: its first write to
    # stdout fails, deterministically, the way `| head -1` makes a later write fail.
    read, write = os.pipe()
    os.close(read)
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "vetgraph.cli", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        os.close(write)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
