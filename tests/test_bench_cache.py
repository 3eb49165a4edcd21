"""The benchmark's part on the cache and stores on disk (bench/cache.py), run small, alone.

No timing is asserted; what is asserted is that every figure the report promises is
measured (each whole process ran and exited 0) and that each target of issue 17 gets a
verdict.
"""

from __future__ import annotations

import pytest

from bench import run

pytestmark = pytest.mark.slow


def test_the_cache_part_measures_every_figure_and_checks_every_target(tmp_path):
    args = ["--sizes", "2k", "--runs", "1", "--cli-runs", "1", "--out", str(tmp_path)]
    args += ["--skip", "load", "rdflib", "export", "build", "page", "cli", "queries", "store"]
    report = run.main(args)
    [size] = report["sizes"]
    cache = size["cache"]
    for name in ("cold", "warm", "no_cache", "raw"):
        assert cache[name]["exit_code"] == 0, (name, cache[name])
        assert cache[name]["seconds"] > 0
    assert "store" not in size
    assert report["cache_overhead"]["fresh_ms"] > 0
    targets = [t["target"] for t in report["targets"]]
    assert len(targets) == 3, targets
    markdown = (tmp_path / "report.md").read_text()
    assert "## The cache at 2k" in markdown
    assert "## The cache on the bundled graph" in markdown
