"""The bad-input catalogue, outputs: a missing folder, a read-only one, a full disk, a failure
or an interruption half-way. Each is exit 4 (130 when interrupted) with a message naming the
place, and the previous good output survives, byte for byte, with nothing left beside it.

Read-only folders are real where the system allows (chmod, or `chattr +i` as root, since
root writes through permissions); a full disk is real too: a file-size limit
(RLIMIT_FSIZE) makes writes fail as they would on a full disk. Failures at exact steps
(the swap of the old and new output) are simulated.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import vetgraph.outputs
from vetgraph.errors import OutputError
from vetgraph.outputs import streamed_file, write_file, write_folder

from .conftest import FIXTURES

BASE = FIXTURES / "base.trig"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the site's pages are in subfolders)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A good build of the small fixture data set (to copy as 'the previous output')."""
    from click.testing import CliRunner

    from vetgraph.cli import cli

    out = tmp_path_factory.mktemp("good") / "dist"
    result = CliRunner().invoke(cli, ["build", "-q", "--out", str(out), "--input", str(BASE)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def previous(built, tmp_path) -> Path:
    out = tmp_path / "dist"
    shutil.copytree(built, out)
    return out


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` really read-only, for root too (chattr +i), or skip."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        pytest.skip("this file system cannot make a folder read-only for root (chattr +i)")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


# -- a folder that is missing, or not a folder ----------------------------------------------------


#: Every command that writes a file or folder, with {out} where its output goes.
WRITING_COMMANDS = [
    ["build", "--out", "{out}"],
    ["export", "--format", "ttl", "-o", "{out}"],
    ["query", "--sparql", "ASK {}", "-o", "{out}"],
    ["viz", "-o", "{out}"],
    ["path", "vg:bruges-communique", "vg:ssa-pilot-tourism", "--html", "{out}"],
]


#: The commands that write one file: its folder must exist (a typo in a path is not a new folder).
FILE_COMMANDS = [command for command in WRITING_COMMANDS if command[0] != "build"]


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_an_output_in_a_missing_folder_is_exit_4(command, invoke, tmp_path):
    out = tmp_path / "no" / "such" / "place"
    result = invoke(*[part.replace("{out}", str(out)) for part in command], "-q")
    assert result.exit_code == 4, result.output
    assert f"{out}: the folder {out.parent} does not exist; nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_missing_folder_is_found_before_any_work(command, invoke, tmp_path, monkeypatch):
    # A build spent its seconds (at scale, minutes) loading, validating and writing every
    # output to memory, and only then found that the folder to write to did not exist.
    import vetgraph.graph.build

    monkeypatch.setattr(vetgraph.graph.build, "load", pytest.fail)
    out = tmp_path / "no" / "such" / "place"
    result = invoke(*[part.replace("{out}", str(out)) for part in command], "-q")
    assert result.exit_code == 4, result.output


def test_a_build_onto_a_file_is_exit_4(invoke, tmp_path):
    out = tmp_path / "dist"
    out.write_text("a file, not a folder")
    result = invoke("build", "-q", "--out", str(out), "--input", str(BASE))
    assert result.exit_code == 4
    assert "exists and is not a folder; nothing was written" in result.stderr
    assert out.read_text() == "a file, not a folder"


# -- a read-only folder ---------------------------------------------------------------------------


def test_a_build_into_a_read_only_folder_keeps_the_previous_output(invoke, previous):
    before = snapshot(previous)
    with read_only(previous):
        result = invoke("build", "-q", "--out", str(previous), "--input", str(BASE))
    assert result.exit_code == 4
    assert f"{previous}: cannot write there (permission denied or read-only)" in result.stderr
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["dist"]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "nt", "-o", "{out}"],
        ["query", "--sparql", "SELECT * { ?s ?p ?o }", "--format", "csv", "-o", "{out}"],
        ["viz", "-o", "{out}"],
    ],
)
def test_a_file_in_a_read_only_folder_keeps_the_previous_one(command, invoke, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    out = folder / "answer.txt"
    out.write_text("the previous file\n")
    with read_only(folder):
        result = invoke(*[part.replace("{out}", str(out)) for part in command], "-q")
    assert result.exit_code == 4, result.output
    assert "cannot write there (permission denied or read-only)" in result.stderr
    assert out.read_text() == "the previous file\n"
    assert [p.name for p in folder.iterdir()] == ["answer.txt"]


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM])
def test_a_refused_temporary_file_is_a_read_only_folder(code, invoke, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(vetgraph.outputs.tempfile, "mkstemp", refuse)
    out = tmp_path / "answer.csv"
    result = invoke("query", "--sparql", "ASK {}", "-o", str(out))
    assert result.exit_code == 4
    assert "cannot write there (permission denied or read-only); nothing was written" in (
        result.stderr
    )
    assert list(tmp_path.iterdir()) == []


# -- a full disk ----------------------------------------------------------------------------------

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from vetgraph.cli import main
sys.argv = ["vetgraph", *sys.argv[2:]]
main()
"""


def _with_file_size_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """`vetgraph ARGS` unable to write any file past ``limit`` bytes, as on a full disk
    (the kernel refuses the write with EFBIG; Python ignores the SIGXFSZ signal)."""
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_build_that_fills_the_disk_keeps_the_previous_output(previous):
    before = snapshot(previous)
    biggest = max(len(data) for data in before.values())
    done = _with_file_size_limit(
        biggest // 2, "build", "-q", "--out", str(previous), "--input", str(BASE)
    )
    assert done.returncode == 4, done.stderr
    assert done.stderr.startswith(f"error: {previous}: cannot write (File too large)")
    assert "nothing was written" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["dist"]


def test_a_streamed_answer_that_fills_the_disk_leaves_no_partial_file(tmp_path):
    out = tmp_path / "answer.csv"
    out.write_text("the previous answer\n")
    everything = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d } LIMIT 200000"
    done = _with_file_size_limit(
        1_000_000, "query", "--sparql", everything, "--format", "csv", "-o", str(out)
    )
    assert done.returncode == 4, done.stderr
    assert done.stderr.startswith(f"error: {out}: cannot write (File too large)")
    assert out.read_text() == "the previous answer\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answer.csv"]


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_says_so(where, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "fsync":
        monkeypatch.setattr(vetgraph.outputs.os, "fsync", full)
        target = tmp_path / "page.html"
        target.write_text("previous")
        with pytest.raises(OutputError, match="the disk is full; nothing was written"):
            write_file(target, b"new")
        assert target.read_text() == "previous"
    else:
        target = tmp_path / "answer.csv"
        with pytest.raises(OutputError, match="the disk is full"), streamed_file(target) as out:
            out.write(b"a first part")
            monkeypatch.setattr(out, "_handle", type("Full", (), {"write": full})())
            out.write(b"the part that does not fit")
        assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == [target.name] * target.exists()


# -- a failure or an interruption at the swap -----------------------------------------------------


def _replace_failing_at(call: int, error: BaseException, monkeypatch) -> None:
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == call:
            raise error
        return real(src, dst)

    monkeypatch.setattr(vetgraph.outputs.os, "replace", replace)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (1, OSError(errno.EIO, "Input/output error")),  # moving the old output aside
        (2, OSError(errno.EIO, "Input/output error")),  # moving the new one in
        (2, KeyboardInterrupt()),  # Ctrl-C between the two renames
    ],
)
def test_the_previous_output_survives_a_failed_swap(call, error, previous, monkeypatch):
    # Regression: Ctrl-C between moving the old output aside and moving the new one in
    # deleted the old output and left nothing in its place.
    before = snapshot(previous)
    _replace_failing_at(call, error, monkeypatch)
    expected = OutputError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        write_folder(previous, {"vetgraph.trig": b"a new build"})
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["dist"]


def test_an_interrupted_build_is_exit_130_and_keeps_the_previous_output(
    invoke, previous, monkeypatch
):
    before = snapshot(previous)
    _replace_failing_at(2, KeyboardInterrupt(), monkeypatch)
    result = invoke("build", "-q", "--out", str(previous), "--input", str(BASE))
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted"
    assert snapshot(previous) == before
    assert [p.name for p in previous.parent.iterdir()] == ["dist"]


# -- standard output closed early -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["query", "--sparql", "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d }", "--format", "csv"],
        ["query", "--sparql", "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d } LIMIT 100000"],
        ["export", "--format", "nt"],
    ],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(command):
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # like `| head -1`
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 0, err
    assert first and err == ""


def test_the_limit_of_the_suite_is_restored():
    # the file-size limit above applied to child processes only
    assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] == resource.RLIM_INFINITY
