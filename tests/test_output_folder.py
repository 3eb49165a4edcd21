"""An output folder is vetgraph's only where vetgraph wrote it: a build records what it wrote in
a manifest and replaces only those files; a user's files are never deleted or overwritten.

Regression (issue 13.1): ``vetgraph build --out DIR`` deleted whatever DIR held."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from vetgraph.errors import OutputError
from vetgraph.graph.release import version
from vetgraph.outputs import MANIFEST, write_folder

BASE = FIXTURES / "base.trig"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def users_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.md").write_text("my notes\n")
    (folder / "sub" / "y.txt").write_text("y\n")
    return folder


def test_a_build_into_a_users_folder_is_refused_and_deletes_nothing(invoke, tmp_path):
    folder = users_folder(tmp_path)
    before = tree(folder)
    result = invoke("build", "-q", "--out", str(folder), "--input", str(BASE))
    assert result.exit_code == 4, result.output
    assert result.stderr.splitlines()[0] == (
        f"error: {folder}: the folder holds files that vetgraph did not write; nothing was written"
    )
    assert "pass --force" in result.stderr and "Traceback" not in result.stderr
    assert tree(folder) == before


def test_the_current_folder_gets_a_clear_answer(invoke, tmp_path, monkeypatch):
    folder = users_folder(tmp_path)
    monkeypatch.chdir(folder)
    result = invoke("build", "-q", "--out", ".", "--input", str(BASE))
    assert result.exit_code == 4, result.output
    assert "the folder holds files that vetgraph did not write" in result.stderr
    assert "Device or resource busy" not in result.stderr
    assert tree(folder) == {"notes.md": b"my notes\n", "sub/y.txt": b"y\n"}


def test_an_empty_current_folder_is_built_into(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("build", "-q", "--out", ".", "--input", str(BASE))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "vetgraph.trig").is_file() and (tmp_path / MANIFEST).is_file()


def test_missing_parent_folders_are_created(invoke, tmp_path):
    out = tmp_path / "a" / "b" / "dist"
    result = invoke("build", "-q", "--out", str(out), "--input", str(BASE))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST).read_text())
    listed = manifest["files"]
    assert sorted(listed) == sorted(p for p in tree(out) if p != MANIFEST)
    assert "vetgraph.trig" in listed
    # the version, read under the distribution's name (issue 13.12: it was read as "vetgraph")
    assert manifest["written_by"] == f"vetgraph {version()}" != "vetgraph 0+unknown"


def test_a_rebuild_replaces_only_what_vetgraph_wrote(invoke, tmp_path):
    out = tmp_path / "dist"
    assert invoke("build", "-q", "--out", str(out), "--input", str(BASE)).exit_code == 0
    (out / "vetgraph.ttl").write_text("stale")
    (out / "my-analysis.ipynb").write_text("{}")
    assert invoke("build", "-q", "--out", str(out), "--input", str(BASE)).exit_code == 0
    assert (out / "vetgraph.ttl").read_text() != "stale"
    assert (out / "my-analysis.ipynb").read_text() == "{}"
    assert "my-analysis.ipynb" not in json.loads((out / MANIFEST).read_text())["files"]


# -- the library: write_folder -----------------------------------------------------------------


def test_outputs_a_build_no_longer_makes_are_removed(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.txt": b"a", "old/b.txt": b"b"})
    (out / "keep.txt").write_text("mine")
    write_folder(out, {"a.txt": b"A"})
    assert tree(out) == {
        "a.txt": b"A",
        "keep.txt": b"mine",
        MANIFEST: (out / MANIFEST).read_bytes(),
    }
    assert not (out / "old").exists()


def test_a_users_file_with_an_outputs_name_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.txt": b"a"})
    (out / "b.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"b\.txt would be replaced, but vetgraph did not write"):
        write_folder(out, {"a.txt": b"A", "b.txt": b"B"})
    assert (out / "a.txt").read_bytes() == b"a" and (out / "b.txt").read_text() == "mine"


def test_force_replaces_outputs_and_leaves_other_files(tmp_path):
    folder = users_folder(tmp_path)
    (folder / "a.txt").write_text("theirs")
    write_folder(folder, {"a.txt": b"A"}, force=True)
    assert tree(folder)["a.txt"] == b"A"
    assert tree(folder)["notes.md"] == b"my notes\n" and tree(folder)["sub/y.txt"] == b"y\n"


def test_a_damaged_manifest_is_refused(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.txt": b"a"})
    (out / MANIFEST).write_text("not json")
    with pytest.raises(OutputError, match="cannot be read as vetgraph's list"):
        write_folder(out, {"a.txt": b"A"})
    assert (out / "a.txt").read_bytes() == b"a"


def test_a_manifest_cannot_make_vetgraph_delete_outside_the_folder(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"a.txt": b"a"})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"] += ["../victim.txt", str(victim)]
    (out / MANIFEST).write_text(json.dumps(manifest))
    write_folder(out, {"a.txt": b"A"})
    assert victim.read_text() == "precious"


def test_a_failure_while_swapping_puts_every_old_file_back(tmp_path, monkeypatch):
    import vetgraph.outputs

    out = tmp_path / "out"
    write_folder(out, {"a.txt": b"a", "b.txt": b"b", "c.txt": b"c"})
    before = tree(out)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 4:  # after a.txt is swapped and b.txt moved aside
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(vetgraph.outputs.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, {"a.txt": b"A", "b.txt": b"B"})
    assert tree(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".vetgraph-")] == [MANIFEST]


# -- outputs in subfolders (the site: id/, source/, assets/site/) -------------------------------


def test_a_users_file_in_a_site_folder_survives_and_dropped_pages_go(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"index.html": b"i", "id/a.html": b"a", "id/b.html": b"b"})
    (out / "id" / "my-notes.md").write_text("mine")
    write_folder(out, {"index.html": b"I", "id/a.html": b"A"})
    assert tree(out) == {
        "index.html": b"I",
        "id/a.html": b"A",
        "id/my-notes.md": b"mine",
        MANIFEST: (out / MANIFEST).read_bytes(),
    }
    assert json.loads((out / MANIFEST).read_text())["files"] == ["id/a.html", "index.html"]


def test_a_users_file_named_like_a_page_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    write_folder(out, {"id/a.html": b"a"})
    (out / "id" / "b.html").write_text("mine")
    with pytest.raises(OutputError, match=r"id/b\.html would be replaced"):
        write_folder(out, {"id/a.html": b"A", "id/b.html": b"B"})
    assert tree(out)["id/b.html"] == b"mine" and tree(out)["id/a.html"] == b"a"


def test_a_failure_writing_a_site_of_many_files_keeps_the_previous_site(tmp_path, monkeypatch):
    import vetgraph.outputs

    out = tmp_path / "out"
    pages = {f"{folder}/p{i}.html": b"old" for folder in ("id", "source") for i in range(80)}
    write_folder(out, {"index.html": b"old", **pages})  # more than one flush's worth
    (out / "id" / "my-notes.md").write_text("mine")
    before = tree(out)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 150:  # midway through the swap
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(vetgraph.outputs.os, "replace", replace)
    new = {name: b"new" for name in pages} | {"id/p80.html": b"new"}
    with pytest.raises(OutputError, match="the disk is full; nothing was written"):
        write_folder(out, {"index.html": b"new", **new})
    assert tree(out) == before


def test_a_rebuild_keeps_a_users_file_in_the_sites_folder(invoke, tmp_path):
    out = tmp_path / "dist"
    assert invoke("build", "-q", "--out", str(out), "--input", str(BASE)).exit_code == 0
    pages = sorted((out / "id").glob("*.html"))
    assert pages, "the build wrote no entity page"
    (out / "id" / "my-notes.md").write_text("mine")
    assert invoke("build", "-q", "--out", str(out), "--input", str(BASE)).exit_code == 0
    assert (out / "id" / "my-notes.md").read_text() == "mine"
    assert sorted((out / "id").glob("*.html")) == pages
