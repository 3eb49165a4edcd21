"""The benchmark suite's smoke run: `python -m bench` at 10k triples, every part once.

No timing is asserted (figures depend on the machine; see bench/run.py). What is asserted
is that the suite measures what it claims to: every library query through the three
paths with the same answers, every load method and format, every export format, the
page, the whole-process commands, and a verdict on every target.
"""

from __future__ import annotations

import json

import pytest

from bench import run
from vetgraph.publish.export import FORMATS
from vetgraph.sparql.library import load_library

from .conftest import require_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    require_tool("chromium")
    out = tmp_path_factory.mktemp("bench")
    args = ["--sizes", "10k", "--runs", "1", "--rdflib-cap", "15", "--cli-runs", "1"]
    args += ["--page-nodes", "120", "--page-runs", "1", "--out", str(out)]
    args += ["--skip", "store"]  # tests/test_bench_store.py runs it
    result = run.main(args)
    assert json.loads((out / "report.json").read_text()) == json.loads(json.dumps(result))
    return result, (out / "report.md").read_text()


def test_every_library_query_runs_three_ways_with_the_same_answers(report):
    result, _ = report
    (size,) = result["sizes"]
    queries = size["queries"]["queries"]
    expected = {q.name for q in load_library() if q.kind in ("cq", "reports")}
    assert {q["name"] for q in queries} == expected
    for q in queries:
        assert q["vetgraph_rows"] == q["rows"], q["name"]
        assert q["vetgraph_s"] > 0 and q["raw_s"] > 0 and q["vetgraph_csv_s"] > 0
        # rdflib runs every query, or says why it cannot (a construct its engine lacks)
        assert "rdflib_s" in q or q["rdflib_error"], q["name"]
        if "rdflib_s" in q and not q["rdflib_capped"]:  # rdflib finished: the same rows
            assert q["rdflib_rows"] == q["rows"], q["name"]
    assert any(q["rows"] > 0 for q in queries)


def test_every_load_method_and_format_and_every_export_are_measured(report):
    result, _ = report
    (size,) = result["sizes"]
    measured = {(r["format"], r["method"]) for r in size["loads"] if "error" not in r}
    wanted = {(f, m) for f in run.FORMATS for m in (*run.LOAD_METHODS, "rdflib")}
    assert measured == wanted
    for r in size["loads"]:
        if not r.get("capped"):
            assert r["quads"] >= 10_000 and r["peak_mib"] > 0
    assert {e["format"] for e in size["queries"]["exports"]} == set(FORMATS)
    assert all(e["bytes"] > 0 for e in size["queries"]["exports"])


def test_the_page_the_build_and_whole_commands_are_measured(report):
    result, _ = report
    (page,) = result["pages"]
    assert page["nodes"] > 0 and page["render_s"] > 0 and page["size_mb"] > 0 and page["cpu_s"] > 0
    assert result["build"]["whole"]["exit_code"] == 0
    assert {"load", "validate", "graph.html"} <= set(result["build"]["steps"])
    commands = [c["command"] for c in result["cli"]]
    assert "vetgraph --help" in commands
    assert any(c.startswith("vetgraph query entities-per-class") for c in commands)
    assert all(c["exit_code"] == 0 for c in result["cli"]), result["cli"]


def test_every_target_gets_a_verdict_and_the_markdown_shows_them(report):
    result, markdown = report
    targets = result["targets"]
    assert len(targets) >= 10
    for t in targets:
        assert t["met"] in (True, False)
        assert t["met"] or t["miss"], t  # a miss says by how much
        assert t["target"] in markdown
    for heading in ("## Targets", "### Load", "### Library queries", "### Export"):
        assert heading in markdown
    assert "`vetgraph build` on the bundled graph" in markdown
    assert "The network page" in markdown


def test_sizes_are_read_like_people_write_them():
    assert [run.parse_size(s) for s in ("10k", "100K", "1M", "2500", "1.5m")] == [
        10_000,
        100_000,
        1_000_000,
        2_500,
        1_500_000,
    ]
    assert [run.size_label(n) for n in (10_000, 1_000_000, 2_500)] == ["10k", "1M", "2500"]
