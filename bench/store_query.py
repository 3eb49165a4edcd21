"""One library query on a store on disk, in a process of its own, with a time cap.

``bench/store.py`` starts one of these per query and per side, so that a query that scans
for minutes is stopped at the cap (Oxigraph cannot cancel a query, and a signal does not
interrupt a call into Rust: the process ends instead), and every side gets the same cap::

    python -m bench.store_query '{"store": DIR, "name": "countries", "side": "raw",
                                  "text": "SELECT ...", "cap": 60, "runs": 3}'

Sides: ``vetgraph`` is ``vetgraph.query(name, kg, **examples)`` on ``load(store=DIR)`` (find
the query, bind its example values, run, read every solution into rows); ``raw`` is
``list(store.query(text, use_default_graph_as_union=True))`` on ``Store.read_only`` with the
text vetgraph bound. Opening the store is not timed. The first run is the figure when it
takes a second or more; a quicker query runs ``runs`` more times (the median). Prints one
line of JSON: ``seconds``, ``rows``, ``capped`` (the figure is then the cap: a lower bound).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any


def answer(spec: dict[str, Any]) -> Callable[[], int]:
    """The side's work, returning the number of rows (or the boolean as 0/1)."""
    if spec["side"] == "raw":
        import pyoxigraph as ox

        store = ox.Store.read_only(os.path.join(spec["store"], "oxigraph"))

        def raw() -> int:
            result = store.query(spec["text"], use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                return int(bool(result))
            return len(list(result))

        return raw
    import vetgraph
    from vetgraph.graph.build import load
    from vetgraph.sparql.library import get_query

    kg = load(store=spec["store"])
    query = get_query(spec["name"])
    params = {p.name: p.example for p in query.header.params if p.example}

    def through_vetgraph() -> int:
        rows = vetgraph.query(query.name, kg, **params)
        if isinstance(rows, bool):
            return int(rows)
        return len(rows) if hasattr(rows, "__len__") else sum(1 for _ in rows)

    return through_vetgraph


def capped(fn: Callable[[], int], cap: float) -> tuple[float, int | None]:
    """The seconds ``fn`` took and its answer; (cap, None) when it runs past the cap."""
    done: dict[str, Any] = {}

    def work() -> None:
        start = time.perf_counter()
        done["rows"] = fn()
        done["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(cap)
    if thread.is_alive():
        return cap, None
    if "seconds" not in done:
        raise SystemExit("the query failed (see above)")
    return done["seconds"], done["rows"]


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    fn = answer(spec)
    seconds, rows = capped(fn, spec["cap"])
    if rows is None:
        return {"seconds": spec["cap"], "rows": None, "capped": True, "runs": 1}
    times = [seconds]
    if seconds < 1.0:
        times = [capped(fn, spec["cap"])[0] for _ in range(spec.get("runs", 3))]
    return {"seconds": statistics.median(times), "rows": rows, "capped": False, "runs": len(times)}


def main() -> None:
    result = measure(json.loads(sys.argv[1]))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # a capped query still runs in its thread: end without waiting for it


if __name__ == "__main__":
    main()
