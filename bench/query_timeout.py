"""Benchmark: what the query time limit costs per query (`vetgraph query --timeout`).

A query with a time limit runs in a forked child that writes its answer into a pipe (see
vetgraph/deadline.py). This measures, for every library query run with its example
parameters, the time from the bound query to the rendered answer (the query's default
format, into memory) three ways:

* ``in-process``: ``render(backend.execute(query))``, what ``--timeout 0`` does;
* ``thread``: the same in a thread the main thread waits for, what the ``vetgraph`` command
  does with a time limit (the default, 30 s);
* ``fork``: the same in a forked child that writes through a pipe, what a time limit
  costs when the CLI is called in-process (tests, a notebook);

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

from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.deadline import in_child, in_thread
from vetgraph.sparql.library import load_library
from vetgraph.sparql.results import default_format, render
from vetgraph.sparql.running import prepare

OUT = Path(__file__).parent / "out"
SLOW = 5.0  # seconds: a query slower than this is left out (the fork's cost is noise there)


def _examples(kind: str | None = None):
    for q in load_library(kind):
        params = {p.name: p.example for p in q.header.params if p.example}
        yield q, params


def measure(kg, runs: int) -> list[tuple[str, float, float, float]]:
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
        timings: dict[str, list[float]] = {"in-process": [], "thread": [], "fork": []}
        for _ in range(runs):
            for how, times in timings.items():
                out = io.BytesIO()
                started = time.perf_counter()
                if how == "in-process":
                    answer(out)
                elif how == "thread":
                    in_thread(answer, out, 30.0, q.name)
                else:
                    in_child(answer, out, 30.0, q.name)
                times.append(time.perf_counter() - started)
        rows.append((q.name, *(statistics.median(times) for times in timings.values())))
    return rows


def report(title: str, kg, rows: list[tuple[str, float, float, float]]) -> None:
    print(f"\n{title}: {len(kg):,} triples, {len(rows)} queries (median of the runs, ms)")
    print(f"  {'query':<34} {'in-process':>10} {'thread':>8} {'added':>7} {'fork':>8} {'added':>7}")
    for name, plain, thread, fork in rows:
        print(
            f"  {name:<34} {plain * 1000:>10.2f} {thread * 1000:>8.2f} "
            f"{(thread - plain) * 1000:>+7.2f} {fork * 1000:>8.2f} {(fork - plain) * 1000:>+7.2f}"
        )
    total = [sum(row[i] for row in rows) for i in (1, 2, 3)]
    for index, how in ((2, "thread"), (3, "fork")):
        added = [row[index] - row[1] for row in rows]
        print(
            f"  {how}: added per query median {statistics.median(added) * 1000:+.2f} ms, "
            f"max {max(added) * 1000:+.2f} ms; all queries {total[index - 1]:.3f} s vs "
            f"{total[0]:.3f} s in-process ({total[index - 1] / total[0]:.2f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from bench.generate import write
    from vetgraph.graph.build import load

    bundled = load()
    report("bundled graph", bundled, measure(bundled, args.runs))
    path = OUT / f"generated-{args.triples}.trig"
    if not path.exists():
        write(path, args.triples, seed=1)
    generated = load([path])
    report(f"generated ({path.name})", generated, measure(generated, args.runs))


if __name__ == "__main__":
    main()
