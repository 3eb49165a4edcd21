"""How long `vetgraph build` takes, step by step: load, validate, and each output it writes.

    .venv/bin/python bench/publish.py            # the bundled graph, best of 3 runs
    .venv/bin/python bench/publish.py --runs 5

Each producer in vetgraph.pipeline.ARTIFACTS is timed on its own, after one warm-up run
(first calls pay for imports: pyLODE, networkx). Prints seconds per step and the share of
the total; the end-to-end time of the command itself is measured with `time vetgraph build`.
"""

from __future__ import annotations

import argparse
import time

from vetgraph.build import load
from vetgraph.pipeline import ARTIFACTS
from vetgraph.validation import validate


def best(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    start = time.perf_counter()
    kg = load()
    report = validate(kg)
    for produce in ARTIFACTS.values():  # warm up: imports and caches
        produce(kg, report)
    print(f"warm-up (imports included): {time.perf_counter() - start:.2f} s")
    steps: dict[str, float] = {}
    steps["load"], kg = best(load, runs)
    steps["validate"], report = best(lambda: validate(kg), runs)
    for name, produce in ARTIFACTS.items():
        steps[name], _ = best(lambda p=produce: p(kg, report), runs)
    total = sum(steps.values())
    print(f"{len(kg)} triples; best of {runs} runs per step")
    for name, seconds in steps.items():
        print(f"  {name:<24} {seconds:7.3f} s  {seconds / total:6.1%}")
    print(f"  {'total':<24} {total:7.3f} s")


if __name__ == "__main__":
    main()
