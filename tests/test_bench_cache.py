"""The benchmark's part on the cache and stores on disk (bench/cache.py), run small, alone.

No timing is asserted; what is asserted is that every figure the report promises is
measured (each whole process ran and exited 0) and that each target of issue 17 gets a
verdict.
"""

from __future__ import annotations

import pytest

from bench import run
from vetgraph.sparql.library import load_library

pytestmark = pytest.mark.slow


def test_the_cache_part_measures_every_figure_and_checks_every_target(tmp_path):
    args = ["--sizes", "2k", "--runs", "1", "--cli-runs", "1", "--out", str(tmp_path)]
    args += ["--skip", "load", "rdflib", "export", "build", "page", "cli", "queries"]
    report = run.main(args)
    [size] = report["sizes"]
    cache = size["cache"]
    for name in ("cold", "warm", "no_cache", "raw", "load"):
        assert cache[name]["exit_code"] == 0, (name, cache[name])
        assert cache[name]["seconds"] > 0
    assert cache["load"]["peak_mib"] > 0 and "error" not in cache["raw_load"]
    queries = cache["queries"]["queries"]
    assert {q["name"] for q in queries} == {
        q.name for q in load_library() if q.kind in ("cq", "reports")
    }
    assert all(q["vetgraph_rows"] == q["rows"] for q in queries)
    assert report["cache_overhead"]["fresh_ms"] > 0
    targets = [t["target"] for t in report["targets"]]
    assert len(targets) == 5, targets
    markdown = (tmp_path / "report.md").read_text()
    assert "## The cache and stores on disk at 2k" in markdown
    assert "## The cache on the bundled graph" in markdown
