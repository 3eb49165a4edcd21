"""The benchmark's part on a store on disk (bench/store.py), run small, and its caps.

No timing is asserted; what is asserted is that every figure the report promises is
measured (each process ran and exited as it should, each library query ran on both sides
with the same answer), that each target gets a verdict, and that the caps stop a process
or a query that runs too long or takes too much memory.
"""

from __future__ import annotations

import sys
import time

import pytest

from bench import run, store, store_query
from vetgraph.sparql.library import load_library


def test_a_query_past_its_cap_is_stopped_and_reported_as_the_cap():
    seconds, rows = store_query.capped(lambda: time.sleep(30) or 1, 0.2)
    assert (seconds, rows) == (0.2, None)
    seconds, rows = store_query.capped(lambda: 7, 5.0)
    assert rows == 7 and seconds < 5.0


def test_a_process_past_its_time_cap_is_ended():
    command = [sys.executable, "-c", "import time; time.sleep(30)"]
    done = store.capped_process(command, {}, cap_s=0.5, cap_mib=1e6)
    assert done["capped"] == "time" and done["seconds"] < 10


def test_a_process_past_its_memory_cap_is_ended():
    grow = "import time\nx = []\nwhile True:\n    x.append(bytearray(10_000_000)); time.sleep(0.01)"
    done = store.capped_process([sys.executable, "-c", grow], {}, cap_s=60, cap_mib=300)
    assert done["capped"] == "memory" and done["peak_mib"] > 300


def test_a_process_within_its_caps_gives_its_exit_code_and_peak():
    done = store.capped_process([sys.executable, "-c", "exit(3)"], {}, cap_s=60, cap_mib=1e6)
    assert done["capped"] == "" and done["exit_code"] == 3 and done["peak_mib"] > 0


@pytest.mark.slow
def test_the_store_part_measures_every_figure_and_checks_every_target(tmp_path):
    args = ["--sizes", "2k", "--runs", "1", "--cli-runs", "1", "--out", str(tmp_path)]
    args += ["--serve-s", "1", "--query-cap", "30"]
    args += ["--skip", "load", "rdflib", "export", "build", "page", "cli", "queries", "cache"]
    report = run.main(args)
    [size] = report["sizes"]
    s = size["store"]
    assert s["load"]["exit_code"] == 0 and s["load"]["peak_mib"] > 0
    assert "error" not in s["raw_load"]
    wanted = {q.name for q in load_library() if q.kind in ("cq", "reports")}
    assert {q["name"] for q in s["queries"]} == wanted
    assert all(q["vetgraph_rows"] == q["raw_rows"] for q in s["queries"])
    assert not any(q["vetgraph_capped"] or q["raw_capped"] for q in s["queries"])
    for name in ("first", "warm", "raw"):
        assert s["query_cli"][name]["exit_code"] == 0
    assert s["serve"]["requests"] > 0 and s["serve"]["errors"] == 0
    assert s["serve"]["exit_code"] == 0
    assert s["validate"]["exit_code"] in (0, 1) and not s["validate"]["capped"]
    assert len(s["exports"]) == 9
    assert all(e["exit_code"] == 0 and e["bytes"] > 0 for e in s["exports"])
    targets = [t["target"] for t in report["targets"]]
    assert len(targets) == 3, targets
    markdown = (tmp_path / "report.md").read_text()
    assert "## A store on disk at 2k" in markdown
    assert "vetgraph serve --store DIR` answered" in markdown
