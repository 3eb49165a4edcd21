"""The cache of stores (vetgraph/graph/cache.py) and stores on disk (vetgraph/graph/disk.py).

Correctness only, no timing: a cached graph answers as a fresh load does; a changed file is
loaded again; a damaged, locked or unwritable cache costs one notice and a load in memory;
two processes loading one new file at once leave one good store. Every test has a cache
folder of its own (and conftest points every other test away from the user's cache too).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import write as write_generated
from vetgraph.errors import InputError, OutputError, RDFSyntaxError
from vetgraph.graph import build, cache, disk, resources
from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.library import load_library
from vetgraph.sparql.results import Rows, Triples, materialize
from vetgraph.sparql.running import run

from .conftest import FIXTURES

EXTRA = """@prefix ex: <http://example.org/> .
<http://example.org/claim/x> { ex:x ex:says "VALUE" . }
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own, caching every input whatever its size."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    monkeypatch.setenv(cache.ENV_MIN_BYTES, "0")
    return folder


@pytest.fixture
def notices() -> list[str]:
    return []


def _value(kg, subject: str = "http://example.org/x") -> list[str]:
    rows = kg.select(f"SELECT ?v WHERE {{ <{subject}> ?p ?v }}")
    return [r["v"].value for r in rows]


def _stores(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "stores").iterdir())


# -- the same answers -----------------------------------------------------------------------


def _comparable(result: object) -> object:
    """A result with blank node labels (local to each load) taken out."""

    def term(t: object) -> object:
        return "_:b" if isinstance(t, ox.BlankNode) else t

    if isinstance(result, Rows):
        return Counter(tuple(term(row[v]) for v in result.variables) for row in result)
    if isinstance(result, Triples):
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in result)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return set(dataset)
    return result


@pytest.fixture(scope="module")
def fresh_and_cached(tmp_path_factory):
    """The bundled data plus a generated file, read fresh and from the cache (built, then
    reopened in the same way as a later command would)."""
    folder = tmp_path_factory.mktemp("same")
    generated = folder / "generated.trig"
    write_generated(generated, 3000, 2)
    inputs = [*resources.data_files(), generated]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.ENV_DIR, str(folder / "cache"))
        mp.setenv(cache.ENV_MIN_BYTES, "0")
        mp.setattr(build, "BULK_MIN_BYTES", 0)  # every data file through the bulk loader
        mp.setattr(build, "BULK_BATCH", 1000)  # in several batches
        build.load(inputs, cache=True)
        cached = build.load(inputs, cache=True)
    assert cached.location is not None
    return build.load(inputs), cached


@pytest.mark.parametrize(
    "query",
    [q for q in load_library() if q.kind in ("cq", "reports", "checks")],
    ids=lambda q: f"{q.kind}/{q.name}",
)
def test_a_cached_graph_answers_every_library_query_as_a_fresh_load(query, fresh_and_cached):
    fresh, cached = fresh_and_cached
    params = {p.name: p.example for p in query.header.params if p.example}
    expected = materialize(run(query, params, backend=LocalBackend(fresh)))
    got = materialize(run(query, params, backend=LocalBackend(cached)))
    assert _comparable(got) == _comparable(expected)


def test_a_cached_graph_has_the_same_quads_graphs_files_and_origins(fresh_and_cached):
    fresh, cached = fresh_and_cached
    assert len(cached) == len(fresh)
    assert cached.graph_names() == fresh.graph_names()
    assert cached.files == fresh.files
    assert cached.origins == fresh.origins


# -- reopening, and never stale -------------------------------------------------------------


def test_the_second_load_reopens_the_store_without_building(cache_dir, write, monkeypatch):
    path = write("mine.trig", EXTRA)
    first = build.load(path, cache=True)
    assert first.location is not None and first.location.parent == cache_dir / "stores"

    def no_build(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(cache, "write_store", no_build)
    again = build.load(path, cache=True)
    assert again.location == first.location and _value(again) == ["VALUE"]


def test_the_files_are_reported_as_given_today(cache_dir, write, monkeypatch):
    path = write("mine.trig", EXTRA)
    build.load([path], cache=True)
    monkeypatch.chdir(path.parent)
    kg = build.load([Path("mine.trig")], cache=True)
    assert kg.files[-1] == Path("mine.trig")
    assert kg.origins["http://example.org/claim/x"] == Path("mine.trig")


def test_a_changed_file_is_loaded_again(cache_dir, write):
    path = write("mine.trig", EXTRA)
    assert _value(build.load(path, cache=True)) == ["VALUE"]
    stat = path.stat()
    path.write_text(EXTRA.replace("VALUE", "OTHER"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert _value(build.load(path, cache=True)) == ["OTHER"]
    assert len(_stores(cache_dir)) == 1  # the store of the old content is gone


def test_a_hash_is_reused_while_the_file_is_unchanged(cache_dir, write, monkeypatch):
    path = write("mine.trig", EXTRA)
    monkeypatch.setattr(cache, "RACY_NS", -(10**18))  # the file counts as old enough
    build.load(path, cache=True)
    hashed: list[Path] = []
    monkeypatch.setattr(cache, "_sha256", lambda p: hashed.append(p) or "x")
    build.load(path, cache=True)
    assert hashed == []


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(cache_dir, write, monkeypatch):
    path = write("mine.trig", EXTRA)  # written now: its times may not change on a next write
    build.load(path, cache=True)
    assert str(path.resolve()) not in json.loads((cache_dir / "hashes.json").read_text())


def test_small_inputs_are_read_in_memory(cache_dir, write, monkeypatch):
    monkeypatch.setenv(cache.ENV_MIN_BYTES, "1000000")
    kg = build.load(write("mine.trig", EXTRA), cache=True)
    assert kg.location is None and not cache_dir.exists()


def test_without_cache_nothing_is_written(cache_dir, write):
    kg = build.load(write("mine.trig", EXTRA))
    assert kg.location is None and not cache_dir.exists()


# -- a cache that cannot be used --------------------------------------------------------------


def test_a_damaged_store_is_built_again_with_one_notice(cache_dir, write, notices):
    path = write("mine.trig", EXTRA)
    store = build.load(path, cache=True).location
    assert store is not None
    for sst in (store / disk.DATA).iterdir():
        sst.write_bytes(b"not a store")
    kg = build.load(path, cache=True, notice=notices.append)
    assert _value(kg) == ["VALUE"] and kg.location == store
    assert len(notices) == 1 and "damaged" in notices[0] and "\n" not in notices[0]
    notices.clear()
    assert _value(build.load(path, cache=True, notice=notices.append)) == ["VALUE"]
    assert notices == []


def test_a_damaged_description_is_built_again(cache_dir, write, notices):
    path = write("mine.trig", EXTRA)
    store = build.load(path, cache=True).location
    assert store is not None
    (store / disk.META).write_text("{")
    assert _value(build.load(path, cache=True, notice=notices.append)) == ["VALUE"]
    assert len(notices) == 1 and "damaged" in notices[0]


def test_an_unwritable_cache_folder_loads_in_memory_with_one_notice(
    tmp_path, write, notices, monkeypatch
):
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder cannot be made here")
    monkeypatch.setenv(cache.ENV_DIR, str(blocked))
    monkeypatch.setenv(cache.ENV_MIN_BYTES, "0")
    kg = build.load(write("mine.trig", EXTRA), cache=True, notice=notices.append)
    assert _value(kg) == ["VALUE"] and kg.location is None
    assert len(notices) == 1 and "cannot be used" in notices[0] and "in memory" in notices[0]


def test_a_store_another_process_keeps_locked_is_not_waited_for_forever(
    cache_dir, write, notices, monkeypatch
):
    path = write("mine.trig", EXTRA)
    key, _ = cache._key(cache_dir, [path], True)
    (cache_dir / "locks").mkdir(parents=True)
    monkeypatch.setattr(cache, "LOCK_WAIT_S", 0.1)
    with disk.locked(cache_dir / "locks" / f"{key}.lock") as held:
        assert held
        kg = build.load(path, cache=True, notice=notices.append)
    assert _value(kg) == ["VALUE"] and kg.location is None
    assert len(notices) == 1 and "another vetgraph process" in notices[0]


def test_a_syntax_error_is_the_same_error_and_leaves_nothing(cache_dir, write):
    path = write("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(RDFSyntaxError) as fresh:
        build.load(path)
    with pytest.raises(RDFSyntaxError) as cached:
        build.load(path, cache=True)
    assert str(cached.value) == str(fresh.value)
    assert _stores(cache_dir) == []


def test_an_unreadable_input_is_the_same_error(cache_dir, write):
    with pytest.raises(InputError, match="holds no triples"):
        build.load(write("empty.ttl", "# nothing\n"), cache=True)


# -- two processes at once ------------------------------------------------------------------

_LOAD = """import sys, time
from vetgraph.graph import cache
from vetgraph.graph.build import load

def slow(*args, **kwargs):  # a build long enough for the other process to come meanwhile
    time.sleep(1)
    print("built", flush=True)
    return write_store(*args, **kwargs)

write_store, cache.write_store = cache.write_store, slow
kg = load([sys.argv[1]], cache=True)
print(len(kg), kg.location)
"""


def test_two_first_loads_at_once_leave_one_good_store(cache_dir, tmp_path):
    generated = tmp_path / "generated.trig"
    write_generated(generated, 20_000, 3)
    env = {**os.environ, cache.ENV_DIR: str(cache_dir), cache.ENV_MIN_BYTES: "0"}
    command = [sys.executable, "-c", _LOAD, str(generated)]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    answers = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], answers
    outputs = sorted(out.splitlines() for out, _ in answers)
    assert outputs[0] != ["built"] and len(outputs[0]) == 1  # one waited, then reopened
    assert outputs[1][0] == "built" and outputs[1][1] == outputs[0][0]  # the same store
    assert outputs[0][0].split()[1].startswith(str(cache_dir))
    assert [err for _, err in answers] == ["", ""]  # no notice: nobody fell back
    assert len(_stores(cache_dir)) == 1  # and nothing half-built is left
    assert len(build.load(generated, cache=True)) == int(outputs[0][0].split()[0])


# -- listing and clearing -------------------------------------------------------------------


def test_list_and_clear(cache_dir, write):
    first, second = write("a.trig", EXTRA), write("b.trig", EXTRA.replace("VALUE", "B"))
    build.load(first, cache=True)
    build.load(second, cache=True)
    listed = cache.list_stores()
    assert [s.inputs for s in listed] == [(str(second.resolve()),), (str(first.resolve()),)]
    assert all(s.state == "current" and s.bytes > 0 and s.quads > 0 for s in listed)
    first.write_text(EXTRA + "\n")
    second.unlink()
    assert [s.state for s in cache.list_stores()] == ["missing", "changed"]
    count, freed = cache.clear()
    assert count == 2 and freed == sum(s.bytes for s in listed)
    assert cache.list_stores() == [] and _stores(cache_dir) == []


# -- stores built on purpose ----------------------------------------------------------------


def test_a_store_answers_like_the_files_it_was_built_from(tmp_path):
    meta = disk.create_store(tmp_path / "store", [FIXTURES / "base.trig"])
    kg = build.load(store=tmp_path / "store")
    fresh = build.load([FIXTURES / "base.trig"])
    assert meta["quads"] == len(kg) == len(fresh)
    assert kg.graph_names() == fresh.graph_names()
    assert kg.origins == fresh.origins and kg.files == fresh.files


def test_a_store_being_written_is_refused(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    with disk.locked(folder / disk.LOCK):
        with pytest.raises(disk.StoreBusy, match="another vetgraph process is writing") as err:
            build.load(store=folder)
        assert err.value.hint and "wait" in err.value.hint
        with pytest.raises(disk.StoreBusy):
            disk.create_store(folder, [FIXTURES / "base.trig"])


def test_a_store_is_built_in_a_new_or_empty_folder_only(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not an empty folder"):
        disk.create_store(tmp_path / "full", [FIXTURES / "base.trig"])
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_a_failed_store_leaves_nothing(tmp_path, write):
    broken = write("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(RDFSyntaxError):
        disk.create_store(tmp_path / "store", [FIXTURES / "base.trig", broken])
    assert not (tmp_path / "store").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(RDFSyntaxError):
        disk.create_store(tmp_path / "empty", [broken])
    assert list((tmp_path / "empty").iterdir()) == []


def test_missing_and_unfinished_stores_are_named(tmp_path):
    with pytest.raises(disk.StoreError, match="no such store"):
        build.load(store=tmp_path / "nowhere")
    (tmp_path / "half").mkdir()
    with pytest.raises(disk.StoreError, match="not a finished vetgraph store"):
        build.load(store=tmp_path / "half")
    with pytest.raises(InputError, match="exclude each other"):
        build.load([FIXTURES / "base.trig"], store=tmp_path / "half")


# -- the command line -------------------------------------------------------------------------


def _commands_reading_a_graph() -> list[str]:
    from vetgraph.cli import cli

    return sorted(
        name
        for name, command in cli.commands.items()
        if any(p.name == "inputs" for p in command.params)
    )


def test_every_command_with_input_has_no_cache_and_store():
    names = _commands_reading_a_graph()
    assert {"query", "validate", "viz", "build", "serve"} <= set(names)
    from vetgraph.cli import cli

    for name in names:
        options = {o for p in cli.commands[name].params for o in p.opts}
        assert {"--no-cache", "--store"} <= options, name


def test_query_input_uses_the_cache_and_no_cache_does_not(cache_dir, invoke, write):
    path = write("mine.trig", EXTRA)
    sparql = "SELECT ?v WHERE { <http://example.org/x> ?p ?v }"
    result = invoke(
        "query", "--sparql", sparql, "--format", "csv", "--input", str(path), "--no-cache"
    )
    assert result.exit_code == 0 and "VALUE" in result.stdout
    assert not cache_dir.exists()
    for _ in range(2):
        result = invoke("query", "--sparql", sparql, "--format", "csv", "--input", str(path))
        assert result.exit_code == 0 and "VALUE" in result.stdout and result.stderr == ""
    assert len(_stores(cache_dir)) == 1


def test_a_damaged_cache_is_one_line_on_stderr(cache_dir, invoke, write):
    path = write("mine.trig", EXTRA)
    invoke("stats", "--input", str(path))
    [store] = (cache_dir / "stores").iterdir()
    (store / disk.META).write_text("{")
    result = invoke("stats", "--input", str(path), "--format", "json")
    assert result.exit_code == 0
    [line] = result.stderr.splitlines()
    assert line.startswith("note: ") and "damaged" in line


def test_cache_lists_and_clears(cache_dir, invoke, write):
    assert "The cache is empty" in invoke("cache").stdout
    path = write("mine.trig", EXTRA)
    invoke("validate", "--input", str(path))
    listed = invoke("cache")
    assert listed.exit_code == 0
    assert "1 store," in listed.stdout and str(path.resolve()) in listed.stdout
    assert "current" in listed.stdout and "just now" in listed.stdout
    cleared = invoke("cache", "clear")
    assert cleared.exit_code == 0 and "Removed 1 store (" in cleared.stdout
    assert _stores(cache_dir) == []


def test_load_builds_a_store_that_store_reads(tmp_path, invoke):
    folder = tmp_path / "store"
    result = invoke("load", str(FIXTURES / "base.trig"), "--store", str(folder))
    assert result.exit_code == 0, result.output
    assert f"into {folder}" in result.stdout
    by_store = invoke("query", "countries", "--format", "csv", "--store", str(folder))
    by_file = invoke(
        "query", "countries", "--format", "csv", "--input", str(FIXTURES / "base.trig")
    )
    assert by_store.exit_code == 0 and by_store.stdout == by_file.stdout
    stats = invoke("stats", "--format", "json", "--store", str(folder))
    assert stats.exit_code == 0
    assert invoke("load", str(FIXTURES / "base.trig"), "--store", str(folder)).exit_code == 4


def test_a_store_being_written_is_refused_by_the_cli(tmp_path, invoke):
    folder = tmp_path / "store"
    folder.mkdir()
    with disk.locked(folder / disk.LOCK):
        result = invoke("query", "countries", "--store", str(folder))
    assert result.exit_code == 2
    message, hint = result.stderr.splitlines()
    assert message == f"error: {folder}: another vetgraph process is writing this store"
    assert hint.startswith("  hint: wait")


def test_store_and_input_exclude_each_other(tmp_path, invoke):
    result = invoke("stats", "--store", str(tmp_path), "--input", str(FIXTURES / "base.trig"))
    assert result.exit_code == 2 and "exclude each other" in result.stderr


def test_one_path_given_as_a_string_is_one_file(write):
    assert _value(build.load(str(write("mine.trig", EXTRA)))) == ["VALUE"]


def test_a_syntax_error_through_the_bulk_loader_is_the_same_error(cache_dir, write, monkeypatch):
    path = write("broken.nt", '<http://example.org/a> <http://example.org/b> "x" .\n<a> <b .\n')
    with pytest.raises(RDFSyntaxError) as fresh:
        build.load(path)
    monkeypatch.setattr(build, "BULK_MIN_BYTES", 0)
    monkeypatch.setattr(build, "BULK_BATCH", 1)
    with pytest.raises(RDFSyntaxError) as cached:
        build.load(path, cache=True)
    assert str(cached.value) == str(fresh.value)
    assert _stores(cache_dir) == []


def test_a_store_reads_where_its_graphs_came_from_only_when_asked(tmp_path):
    """origins.json (20 MB at 10M triples) is not read when a store is opened: a command
    that reports no finding never pays for it; a damaged one fails when it is read."""
    mine = tmp_path / "mine.trig"
    mine.write_text(EXTRA)
    disk.create_store(tmp_path / "store", [mine])
    kg = disk.open_store(tmp_path / "store")
    assert kg.origins._read is None  # type: ignore[attr-defined]
    assert kg.origins["http://example.org/claim/x"] == mine
    (tmp_path / "store" / disk.ORIGINS).write_text("[")
    damaged = disk.open_store(tmp_path / "store")
    assert _value(damaged) == ["VALUE"]
    with pytest.raises(disk.StoreError, match=r"origins\.json is damaged"):
        damaged.origins.get("http://example.org/claim/x")
