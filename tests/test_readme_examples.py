"""The README's console examples are run, and what they print must be what the README shows.

Every ```console block in README.md is a session: lines starting with ``$ `` are commands,
the lines after each are its output (stdout, then stderr), up to the next command. A line
that is only ``...`` stands for any number of lines. Commands run in a fresh temporary
folder with the installed ``vetgraph`` first on the PATH, so the examples work as a new user
types them. ``vetgraph serve`` runs until it has printed its address, then is stopped.

When the output changes on purpose, regenerate the README's outputs and review the diff
(the way sqlite-utils keeps its docs true with cog):

    VETGRAPH_UPDATE_README=1 .venv/bin/python -m pytest tests/test_readme_examples.py

(``...`` lines are kept where they stand: the command's output is cut there.)
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
UPDATE = os.environ.get("VETGRAPH_UPDATE_README") == "1"
SERVE_PORT = "7878"  # the port the README shows; the test serves on a free one


@dataclass
class Example:
    command: str
    expected: list[str]
    line: int  # the README line of the command
    output_span: tuple[int, int] = (0, 0)  # README lines [start, end) of the output
    shown: list[str] = field(default_factory=list)


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    lines = text.splitlines()
    inside = False
    for number, line in enumerate(lines):
        if line.strip() == "```console":
            inside, current = True, None
            continue
        if inside and line.strip() == "```":
            inside = False
            if current is not None:
                current.output_span = (current.output_span[0], number)
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            if current is not None:
                current.output_span = (current.output_span[0], number)
            current = Example(line[2:], [], number + 1, (number + 1, number + 1))
            found.append(current)
        elif current is not None:
            current.expected.append(line)
    return found


def run(example: Example, cwd: Path) -> list[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "100",
        "NO_COLOR": "1",
    }
    if shlex.split(example.command)[:2] == ["vetgraph", "serve"]:
        return _serve(example.command, cwd, env)
    done = subprocess.run(
        ["bash", "-c", example.command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return (done.stdout + done.stderr).splitlines()


def _serve(command: str, cwd: Path, env: dict[str, str]) -> list[str]:
    from vetgraph.sparql.server import free_port

    port = str(free_port())
    process = subprocess.Popen(
        ["bash", "-c", f"exec {command} --port {port}"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    seen: list[str] = []
    try:
        for line in process.stdout:
            seen.append(line.rstrip("\n").replace(f":{port}/", f":{SERVE_PORT}/"))
            if "Press Ctrl-C" in line:
                break
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        process.stdout.close()
    return seen


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` with each ``...`` line standing for any lines."""
    expected = _without_trailing_blanks(expected)
    pattern = "".join(
        "(?:.*\n)*?" if line.strip() == "..." else re.escape(line.rstrip()) + "\n"
        for line in expected
    )
    text = "".join(line.rstrip() + "\n" for line in actual)
    return re.fullmatch(pattern, text) is not None


def _without_trailing_blanks(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def shown_output(expected: list[str], actual: list[str]) -> list[str]:
    """What the README should show: the actual lines, cut where it had ``...``."""
    expected = _without_trailing_blanks(expected)
    if "..." not in [line.strip() for line in expected]:
        return [line.rstrip() for line in actual]
    head = expected.index("...") if "..." in expected else len(expected)
    return [line.rstrip() for line in actual[:head]] + ["..."]


EXAMPLES = examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_console_examples():
    assert len(EXAMPLES) >= 5
    assert all(e.command.startswith("vetgraph") for e in EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"README:{e.line} {e.command[:50]}")
def test_a_readme_example_prints_what_the_readme_shows(example: Example, tmp_path: Path):
    actual = run(example, tmp_path)
    if UPDATE:
        example.shown = shown_output(example.expected, actual)
        return
    assert matches(example.expected, actual), (
        f"README.md:{example.line}: `{example.command}` printed\n"
        + "\n".join(actual)
        + "\n\n(regenerate with VETGRAPH_UPDATE_README=1; see this file's docstring)"
    )


def teardown_module() -> None:
    """With VETGRAPH_UPDATE_README=1, write the outputs the examples printed into README.md."""
    if not UPDATE or not all(e.shown or not e.expected for e in EXAMPLES):
        return
    lines = README.read_text(encoding="utf-8").splitlines()
    for example in reversed(EXAMPLES):
        start, end = example.output_span
        blank_after = end > start and lines[end - 1] == ""
        lines[start:end] = example.shown + ([""] if blank_after else [])
    README.write_text("\n".join(lines) + "\n", encoding="utf-8")
