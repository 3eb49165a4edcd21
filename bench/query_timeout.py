"""Benchmark: what the query time limit costs per query (`vetgraph query --timeout`).

A query with a time limit runs in a forked child that writes its answer into a pipe (see
vetgraph/deadline.py). This measures, for every library query run with its example
parameters, the time from the bound query to the rendered answer (the query's default
format, into memory) two ways:

* ``in-process``: ``render(backend.execute(query))``, what ``--timeout 0`` does;
* ``deadline``: the same inside ``run_with_deadline(..., 30)``, what every query does by
  default (fork, evaluate and write in the child, copy through the pipe, reap);

on the bundled graph and on a generated one (bench/generate.py), and reports the median
per query and the added milliseconds. Queries slower than 5 s on a graph are left out.

    .venv/bin/python -m bench.query_timeout                     # bundled + 100k triples
    .venv/bin/python -m bench.query_timeout --triples 1000000 --runs 5

Not a test: figures depend on the machine. Generated data goes to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from vetgraph.deadline import run_with_deadline
from vetgraph.queries import LocalBackend, load_library, prepare
from vetgraph.results import default_format, render

OUT = Path(__file__).parent / "out"
SLOW = 5.0  # seconds: a query slower than this is left out (the fork's cost is noise there)


def _examples(kind: str | None = None):
    for q in load_library(kind):
        params = {p.name: p.example for p in q.header.params if p.example}
        yield q, params


def measure(kg, runs: int) -> list[tuple[str, float, float]]:
    backend = LocalBackend(kg)
    rows = []
    for q, params in _examples():
        try:
            bound = prepare(q, params, backend=backend)
        except Exception:  # an example entity that the generated data does not hold
            continue

        def answer(out, bound=bound):
            result = backend.execute(bound)
            render(result, default_format(result), out)

        started = time.perf_counter()
        answer(io.BytesIO())
        if time.perf_counter() - started > SLOW:
            print(f"  (skipped {q.name}: over {SLOW:g} s on this graph)")
            continue
        timings: dict[str, list[float]] = {"in-process": [], "deadline": []}
        for _ in range(runs):
            for how in timings:
                out = io.BytesIO()
                started = time.perf_counter()
                if how == "in-process":
                    answer(out)
                else:
                    run_with_deadline(answer, out, 30.0)
                timings[how].append(time.perf_counter() - started)
        rows.append(
            (
                q.name,
                statistics.median(timings["in-process"]),
                statistics.median(timings["deadline"]),
            )
        )
    return rows


def report(title: str, kg, rows: list[tuple[str, float, float]]) -> None:
    print(f"\n{title}: {len(kg):,} triples, {len(rows)} queries")
    print(f"  {'query':<34} {'in-process':>11} {'deadline':>10} {'added':>9}")
    for name, plain, limited in rows:
        print(
            f"  {name:<34} {plain * 1000:>9.2f}ms {limited * 1000:>8.2f}ms "
            f"{(limited - plain) * 1000:>+7.2f}ms"
        )
    added = [limited - plain for _, plain, limited in rows]
    total_plain = sum(p for _, p, _ in rows)
    total_limited = sum(d for _, _, d in rows)
    print(
        f"  added per query: median {statistics.median(added) * 1000:.2f} ms, "
        f"max {max(added) * 1000:.2f} ms; all queries: {total_plain:.3f} s in-process, "
        f"{total_limited:.3f} s with the deadline ({total_limited / total_plain:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from bench.generate import write
    from vetgraph.build import load

    bundled = load()
    report("bundled graph", bundled, measure(bundled, args.runs))
    path = OUT / f"generated-{args.triples}.trig"
    if not path.exists():
        write(path, args.triples, seed=1)
    generated = load([path])
    report(f"generated ({path.name})", generated, measure(generated, args.runs))


if __name__ == "__main__":
    main()
