"""The CLI, in-process: exit codes, outputs, and one-line errors for bad input."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from vetgraph.publish.export import canonical_triples

from .conftest import FIXTURES

BASE = FIXTURES / "base.trig"


def test_build_writes_outputs_that_parse_and_validate(invoke, tmp_path, bundled):
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "graph.html",
            "timeline.html",
            "validation-report.json",
            "validation-report.txt",
            "vetgraph.trig",
            "vetgraph.ttl",
            # publishing: see tests/test_build_outputs.py
            *("vetgraph.nq", "vetgraph.nt", "vetgraph.jsonld", "vetgraph.rdf"),
            *("vetgraph.graphml", "vetgraph.gexf", "nodes.csv", "edges.csv"),
            *("context.jsonld", "void.ttl", "ontology.html", "queries.html"),
            *("query.html", "assets"),  # the query editor: see tests/test_editor.py
            *("index.html", "id", "source"),  # the site: see tests/test_site.py
            ".vetgraph-manifest.json",  # what vetgraph wrote: see tests/test_output_folder.py
        ]
    )
    assert "triples: " in result.output and "vet:SectorSkillsAlliance" in result.output

    quads = list(ox.parse(path=str(out / "vetgraph.trig")))
    assert len(quads) == len(bundled)
    # Nothing in the default graph: every triple is in a named graph.
    assert not [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    merged = rdflib.Graph().parse(out / "vetgraph.ttl", format="turtle")
    assert len(merged) == len(canonical_triples(bundled))

    # The written TriG, read back as input, validates again.
    again = invoke("validate", "--input", str(out / "vetgraph.trig"))
    assert again.exit_code == 0, again.output
    report = json.loads((out / "validation-report.json").read_text())
    assert report["conforms"] is True


def test_outputs_are_readable_by_others(invoke, tmp_path):
    out = tmp_path / "dist"
    assert invoke("build", "--out", str(out), "-q").exit_code == 0
    old = os.umask(0o022)
    os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~old


def test_build_is_deterministic(invoke, tmp_path):
    for name in ("a", "b"):
        assert invoke("build", "-q", "--out", str(tmp_path / name)).exit_code == 0
    for file in ("vetgraph.trig", "vetgraph.ttl"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` and its subfolders (the site's assets), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_build_on_violations_exits_1_and_keeps_previous_output(invoke, tmp_path):
    out = tmp_path / "dist"
    assert invoke("build", "-q", "--out", str(out), "--input", str(BASE)).exit_code == 0
    before = _contents(out)
    bad = FIXTURES / "shapes" / "CallShape" / "invalid.trig"
    result = invoke("build", "--out", str(out), "--input", str(BASE), "--input", str(bad))
    assert result.exit_code == 1
    assert "vg:fixture-call" in result.output
    assert "a call selects no more proposals than it received" in result.output
    assert "left unchanged" in result.stderr
    assert _contents(out) == before


def test_validate_names_entity_rule_and_file(invoke):
    bad = FIXTURES / "checks" / "dangling-reference" / "invalid.trig"
    result = invoke("validate", "--input", str(BASE), "--input", str(bad))
    assert result.exit_code == 1
    assert "Links to entities that are not described" in result.output
    assert "vg:fixture-programe" in result.output
    assert "invalid.trig:" in result.output


def test_validate_json_format(invoke):
    result = invoke("validate", "--input", str(BASE), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["conforms"] is True


def test_syntax_error_exits_2_with_file_line_column_and_no_output(invoke, write, tmp_path):
    bad = write("broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n")
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out), "--input", str(bad))
    assert result.exit_code == 2
    assert re.match(rf"error: {re.escape(str(bad))}:2:\d+: RDF syntax error: ", result.stderr)
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.glob(".dist*")) == []  # no staging folder left behind


def test_missing_input_is_one_line(invoke, tmp_path):
    result = invoke("validate", "--input", str(tmp_path / "nope.trig"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {tmp_path / 'nope.trig'}: no such file"


def test_empty_input_is_one_line(invoke, write):
    empty = write("empty.trig", "")
    result = invoke("validate", "--input", str(empty))
    assert result.exit_code == 2
    assert "holds no triples" in result.stderr


@pytest.mark.parametrize(
    ("errno_code", "message"),
    [
        (errno.EACCES, "cannot write there"),
        (errno.EROFS, "cannot write there"),
        (errno.ENOSPC, "disk is full"),
    ],
)
def test_unwritable_output_exits_4_and_keeps_previous_output(
    invoke, tmp_path, monkeypatch, errno_code, message
):
    out = tmp_path / "dist"
    assert invoke("build", "-q", "--out", str(out)).exit_code == 0
    before = _contents(out)
    real_open = open

    def failing_open(path, mode="r", *args, **kwargs):
        if "w" in mode and str(path).startswith(str(tmp_path)):
            raise OSError(errno_code, os.strerror(errno_code), str(path))
        return real_open(path, mode, *args, **kwargs)

    import vetgraph.outputs

    monkeypatch.setattr(vetgraph.outputs, "open", failing_open, raising=False)
    result = invoke("build", "-q", "--out", str(out))
    assert result.exit_code == 4
    assert message in result.stderr and "nothing was written" in result.stderr
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no staging left


def test_output_folder_under_a_file_exits_4(invoke, tmp_path):
    # Missing parent folders are created (tests/test_output_folder.py); a file in the way is not.
    (tmp_path / "no").write_text("a file")
    result = invoke("build", "-q", "--out", str(tmp_path / "no" / "such" / "dist"))
    assert result.exit_code == 4
    assert f"{tmp_path / 'no'}: exists and is not a folder; nothing was written" in result.stderr


def test_stats_table_and_json(invoke):
    table = invoke("stats")
    assert table.exit_code == 0
    assert "0 without" in table.output
    data = json.loads(invoke("stats", "--format", "json").output)
    assert data["facts_without_locator"] == 0
    assert data["facts"] == data["facts_with_locator"] > 100
    classes = {row["class"]: row["entities"] for row in data["entities_per_class"]}
    assert classes["vet:PilotProject"] == 9  # the four SSA pilots and the five CoVE pilots
    kinds = {row["kind"] for row in data["facts_per_source_kind"]}
    assert "vet:OfficialEUSource" in kinds


def test_internal_errors_say_so_and_debug_shows_traceback(invoke, monkeypatch):
    import vetgraph.check.stats

    def boom(kg):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(vetgraph.check.stats, "compute", boom)
    result = invoke("stats")
    assert result.exit_code == 70
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "Traceback" not in result.stderr
    debug = invoke("--debug", "stats")
    assert "Traceback" in debug.stderr


def test_version_comes_from_package_metadata(invoke):
    from importlib.metadata import version

    from vetgraph.graph.release import DISTRIBUTION

    assert invoke("--version").output.strip().endswith(version(DISTRIBUTION))


def test_stats_counts_facts_without_a_locator(invoke):
    unlocated = FIXTURES / "checks" / "missing-locator" / "invalid.trig"
    data = json.loads(
        invoke("stats", "--input", str(BASE), "--input", str(unlocated), "--format", "json").output
    )
    assert (data["facts_with_locator"], data["facts_without_locator"]) == (2, 1)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "--input", "{tmp}/nope.trig"], 2),
        (["query", "--sparql", "SELECT * WHERE { ?s ?p }"], 2),
        (["query", "--endpoint", "http://127.0.0.1:{port}/sparql", "--sparql", "ASK {}"], 3),
        (["export", "--format", "ttl", "-o", "{tmp}/no/such/file.ttl"], 4),
        (
            [
                "query",
                "--timeout",
                "0.5",
                "--sparql",
                "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            ],
            5,
        ),
    ],
)
def test_each_kind_of_error_is_one_line_and_debug_adds_the_traceback(invoke, tmp_path, args, code):
    from vetgraph.sparql.server import free_port

    port = free_port()
    args = [a.replace("{tmp}", str(tmp_path)).replace("{port}", str(port)) for a in args]
    plain = invoke(*args)
    assert plain.exit_code == code, plain.output
    assert plain.stderr.startswith("error: ") and "Traceback" not in plain.stderr
    # the message and perhaps a hint; a syntax error also shows the query's line with a caret
    said = [x for x in plain.stderr.splitlines() if x.startswith(("error: ", "  hint: "))]
    assert len(said) <= 2
    assert len(plain.stderr.splitlines()) == len(said) + 2 * ("syntax error" in said[0])
    debug = invoke("--debug", *args)
    assert debug.exit_code == code
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().endswith(plain.stderr.rstrip())


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--input", str(BASE), "--format", "json"),
        ("stats", "--input", str(BASE), "--format", "json"),
        ("analyze", "--input", str(BASE), "--format", "json"),
        ("path", "vg:bruges-communique", "vg:cedefop", "--format", "json"),
        ("query", "--sparql", "SELECT * { ?s ?p ?o } LIMIT 2", "--format", "json"),
        ("query", "--sparql", "SELECT * { ?s ?p ?o } LIMIT 0", "--format", "json"),
        ("query", "--sparql", "ASK { ?s ?p ?o }", "--format", "json"),
        ("query", "--sparql", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "--format", "jsonld"),
        ("export", "--input", str(BASE), "--format", "jsonld"),
    ],
    ids=[
        "validate",
        "stats",
        "analyze",
        "path",
        "query-select",
        "query-no-rows",
        "query-ask",
        "query-construct-jsonld",
        "export-jsonld",
    ],
)
def test_every_json_output_ends_with_a_newline(invoke, args):
    # Regression (issue 13.10): `query --format json` ended without one, so the shell's
    # prompt was printed on the same line and `cat a.json b.json` ran two answers together.
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("}\n") or result.stdout.endswith("]\n"), result.stdout[-40:]
    json.loads(result.stdout)
