"""``vetgraph export``: every format to a file or standard output, byte for byte what the
library gives; clear errors for unknown formats and unwritable places, no partial files."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from vetgraph.cli.publish import EXPORT_FORMATS
from vetgraph.publish import export

from .conftest import FIXTURES

AWKWARD = FIXTURES / "export" / "awkward.trig"


@pytest.fixture(scope="module")
def expected(bundled):
    return {name: export.outputs(bundled, name) for name in export.FORMATS}


@pytest.mark.parametrize("fmt", sorted(n for n, f in export.FORMATS.items() if f.write))
def test_export_to_stdout_is_the_library_output(invoke, fmt, expected):
    result = invoke("export", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    [data] = expected[fmt].values()
    assert result.stdout_bytes == data


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "gexf"])
def test_export_to_a_file(invoke, tmp_path, fmt, expected):
    target = tmp_path / f"out{export.FORMATS[fmt].extension}"
    result = invoke("export", "-f", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    [data] = expected[fmt].values()
    assert target.read_bytes() == data
    assert f"Wrote {target}" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left


def test_export_csv_writes_two_files_into_the_folder_and_leaves_the_rest(
    invoke, tmp_path, expected
):
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("export", "-q", "--format", "csv", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "nodes.csv", "notes.txt"]
    for name, data in expected["csv"].items():
        assert (tmp_path / name).read_bytes() == data
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_export_csv_without_a_folder_says_how(invoke):
    result = invoke("export", "--format", "csv")
    assert result.exit_code == 2
    assert "nodes.csv, edges.csv" in result.stderr
    assert "-o FOLDER" in result.stderr


def test_export_csv_into_a_missing_folder_exits_4(invoke, tmp_path):
    result = invoke("export", "--format", "csv", "-o", str(tmp_path / "missing"))
    assert result.exit_code == 4
    assert "does not exist" in result.stderr and "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_exits_2_and_lists_the_valid_ones(invoke):
    result = invoke("export", "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown export format 'xlsx'")
    for name in export.FORMATS:
        assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_format(invoke):
    assert sorted(EXPORT_FORMATS.split()) == sorted(export.FORMATS)
    help_text = invoke("export", "--help").output
    for name in export.FORMATS:
        assert name in help_text


def test_output_in_a_missing_folder_exits_4_and_writes_nothing(invoke, tmp_path):
    target = tmp_path / "no" / "such" / "vetgraph.ttl"
    result = invoke("export", "-f", "ttl", "-o", str(target))
    assert result.exit_code == 4
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.EROFS, "cannot write there"),
        (errno.EACCES, "cannot write there"),
        (errno.ENOSPC, "disk is full"),
    ],
)
def test_unwritable_output_exits_4_keeps_the_old_file_and_leaves_no_partial_one(
    invoke, tmp_path, monkeypatch, code, message
):
    # Tests run as root in CI, where chmod cannot make a folder read-only: make the
    # operating system refuse the write instead, halfway through it.
    target = tmp_path / "vetgraph.nt"
    target.write_bytes(b"the previous export\n")
    import vetgraph.outputs

    real_fdopen = os.fdopen

    class FailingHandle:
        def __init__(self, fd):
            self.handle = real_fdopen(fd, "wb")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(vetgraph.outputs.os, "fdopen", lambda fd, mode: FailingHandle(fd))
    result = invoke("export", "-f", "nt", "-o", str(target))
    assert result.exit_code == 4
    assert message in result.stderr and "nothing was written" in result.stderr
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vetgraph.nt"]


def test_csv_failure_leaves_neither_file(invoke, tmp_path, monkeypatch):
    import vetgraph.outputs

    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(vetgraph.outputs.os, "replace", failing_replace)
    result = invoke("export", "-f", "csv", "-o", str(tmp_path))
    assert result.exit_code == 4
    assert calls and list(tmp_path.iterdir()) == []


def test_export_of_your_own_input(invoke):
    result = invoke("export", "-f", "nq", "--input", str(AWKWARD))
    assert result.exit_code == 0, result.stderr
    assert "Ελληνικά κείμενα" in result.stdout
    assert "<http://example.org/graph/two>" in result.stdout


def test_export_of_a_broken_input_names_file_and_line(invoke, write):
    bad = write("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = invoke("export", "-f", "ttl", "--input", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.stderr


def test_a_reader_that_stops_early_is_not_an_error():
    process = subprocess.Popen(
        [sys.executable, "-m", "vetgraph.cli", "export", "-f", "nt"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=60) == 0, stderr
    assert first.startswith(b"<") and stderr == b""
