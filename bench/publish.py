"""How long `vetgraph build` takes, step by step: load, validate, and each output it writes.

    .venv/bin/python bench/publish.py            # the bundled graph, median of 3 runs
    .venv/bin/python bench/publish.py --runs 5
    .venv/bin/python -m bench.generate --triples 100000 --seed 7 -o bench/out/100k.trig
    .venv/bin/python bench/publish.py --runs 1 --input bench/out/100k.trig

Each producer the build runs (vetgraph.publish.pipeline.producers) is timed on its own, after one
warm-up run (first calls pay for imports: pyLODE, networkx). Prints the median seconds per
step and the share of the total; `python -m bench` times the command itself too.
"""

from __future__ import annotations

import argparse
import statistics
import time

from vetgraph.check.stats import compute
from vetgraph.check.validation import validate
from vetgraph.graph.build import load
from vetgraph.publish.pipeline import producers


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure_steps(inputs: list[str] | None, runs: int) -> dict[str, float]:
    """Seconds per step of the build (load, validate, stats, each output), medians of
    ``runs`` after one warm-up run of everything."""
    kg = load(inputs)
    report = validate(kg)
    figures = compute(kg)
    for produce in producers(figures).values():  # warm up: imports and caches
        produce(kg, report)
    steps: dict[str, float] = {}
    steps["load"], kg = median_time(lambda: load(inputs), runs)
    steps["validate"], report = median_time(lambda: validate(kg), runs)
    steps["stats"], figures = median_time(lambda: compute(kg), runs)
    for name, produce in producers(figures).items():
        steps[name], _ = median_time(lambda p=produce: p(kg, report), runs)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--input", action="append", help="data instead of the bundled data")
    args = parser.parse_args()
    start = time.perf_counter()
    steps = measure_steps(args.input, args.runs)
    print(f"{time.perf_counter() - start:.2f} s in all (warm-up included)")
    print(f"median of {args.runs} runs per step, after a warm-up")
    total = sum(steps.values())
    for name, seconds in steps.items():
        print(f"  {name:<24} {seconds:7.3f} s  {seconds / total:6.1%}")
    print(f"  {'total':<24} {total:7.3f} s")


if __name__ == "__main__":
    main()
