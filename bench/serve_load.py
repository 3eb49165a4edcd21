"""Benchmark: the served endpoint under load (`vetgraph serve`).

Starts `vetgraph serve` on 127.0.0.1 (a free port), checks that it refuses updates and
exposes nothing of the file system, then runs concurrent clients for a while, each
sending the query library's queries in turn (every query with its example parameters,
bound as `vetgraph query` binds them) by SPARQL 1.1 Protocol POST on a kept-alive
connection. An answer counts as an error unless it is HTTP 200 with a complete SPARQL
JSON result (SELECT, ASK) or RDF (CONSTRUCT, DESCRIBE) that parses. Reports throughput,
latency percentiles overall and per query, errors by kind, and whether the server is
still up and answering at the end (a crash is an error), then stops it with SIGINT, as
Ctrl-C would, and checks that it exits 0.

    .venv/bin/python -m bench.serve_load                       # 50 clients, 60 s
    .venv/bin/python -m bench.serve_load --clients 10 --duration 10
    .venv/bin/python -m bench.serve_load --input bench/out/generated-100000.trig
    .venv/bin/python -m bench.serve_load --baseline   # and plain `oxigraph serve-read-only`

With ``--baseline`` the same load also runs against plain ``oxigraph serve-read-only`` over
the same graph, in rounds that alternate between the two servers (``--rounds``, 6 by
default, sharing ``--duration``), so that both see the same machine; the report gives the
ratio of the throughputs (vetgraph / plain).

The clients run in several processes (threads in each), so that Python's lock does not
throttle them; they share the machine with the server, so on a small machine the figures
are the whole system's. Not a test: figures depend on the machine. The report is also
written to bench/out/serve_load.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.client
import json
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pyoxigraph as ox

OUT = Path(__file__).parent / "out"
PASSWD = "root:x:0:0"


def library(inputs: list[str]) -> list[tuple[str, str, str]]:
    """(name, form, bound text) for every library query, with its example parameters."""
    from vetgraph.graph.build import load
    from vetgraph.sparql.backend import LocalBackend
    from vetgraph.sparql.library import load_library
    from vetgraph.sparql.running import prepare

    backend = LocalBackend(load(inputs or None))
    found = []
    for q in load_library():
        params = {p.name: p.example for p in q.header.params if p.example}
        try:
            bound = prepare(q, params, backend=backend)
        except Exception as exc:  # an example entity the data does not hold
            print(f"  (left out {q.name}: {exc})", file=sys.stderr)
            continue
        found.append((q.name, bound.form, bound.text))
    return found


# -- the server ---------------------------------------------------------------------------------


def start_server(inputs: list[str], port: int, timeout: int) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "vetgraph.cli", "serve", "--port", str(port)]
    command += ["--timeout", str(timeout)]
    for path in inputs:
        command += ["--input", path]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(x) for x in stdout], daemon=True).start()
    seen = ""
    deadline = time.monotonic() + 300
    while "Press Ctrl-C" not in seen:
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"vetgraph serve did not start: {seen}{process.stderr.read()}")
        with contextlib.suppress(queue.Empty):
            seen += lines.get(timeout=1)
    endpoint = re.search(r"SPARQL endpoint:\s+(\S+)", seen)
    assert endpoint is not None
    return process, endpoint[1]


def oxigraph_pid(parent: int) -> int | None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"oxigraph" in cmdline:
                return int(entry.name)
    return None


def memory_mb(pid: int | None) -> dict[str, float]:
    if pid is None:
        return {}
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, flags=re.M))
    return {key: int(value) / 1024 for key, value in found.items()}


def request(
    url: str, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hardening(endpoint: str) -> list[dict[str, object]]:
    """The served endpoint refuses updates and shows nothing of the file system."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    checks = [
        ("UPDATE refused", "POST", "/update", "update=" + urllib.parse.quote("DROP ALL"), {403}),
        (
            "LOAD <file:///etc/passwd> refused",
            "POST",
            "/update",
            "update=" + urllib.parse.quote("LOAD <file:///etc/passwd>"),
            {403},
        ),
        (
            "LOAD as a query refused",
            "POST",
            "/query",
            "query=" + urllib.parse.quote("LOAD <file:///etc/passwd>"),
            {403},
        ),
        (
            "SERVICE <file:...> reads nothing",
            "POST",
            "/query",
            "query=" + urllib.parse.quote("SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"),
            {200, 400},
        ),
        ("path traversal", "GET", "/../../../../etc/passwd", None, {404}),
        ("encoded path traversal", "GET", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", None, {404}),
        ("file: graph", "GET", "/store?graph=file:///etc/passwd", None, {404}),
        ("Graph Store PUT refused", "PUT", "/store?default", "<x:a> <x:b> <x:c> .", {403}),
    ]
    results = []
    for name, method, path, body, expected in checks:
        headers = form if method == "POST" else {"Content-Type": "application/n-triples"}
        status, answer = request(endpoint, method, path, body.encode() if body else None, headers)
        ok = status in expected and PASSWD.encode() not in answer
        results.append({"check": name, "status": status, "ok": ok})
    return results


# -- the clients ---------------------------------------------------------------------------------


def _valid(form: str, body: bytes) -> str | None:
    """None when ``body`` is a complete answer; else what is wrong with it."""
    try:
        if form in ("SELECT", "ASK"):
            data = json.loads(body)
            if form == "ASK" and not isinstance(data.get("boolean"), bool):
                return "no boolean"
            if form == "SELECT" and "bindings" not in data.get("results", {}):
                return "no bindings"
        else:
            list(ox.parse(body, ox.RdfFormat.TURTLE))
    except (ValueError, SyntaxError) as exc:
        return f"unreadable answer ({str(exc)[:60]})"
    return None


def client_process(
    endpoint: str, queries: list[tuple[str, str, str]], threads: int, offset: int, until: float
) -> list[tuple[str, float, str | None]]:
    """``threads`` clients until the wall-clock time ``until``; (query, seconds, error)."""
    parts = urllib.parse.urlsplit(endpoint)
    results: list[tuple[str, float, str | None]] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        index = number
        mine = []
        while time.time() < until:
            name, form, text = queries[index % len(queries)]
            index += 1
            accept = (
                "application/sparql-results+json" if form in ("SELECT", "ASK") else "text/turtle"
            )
            body = urllib.parse.urlencode({"query": text}).encode()
            started = time.perf_counter()
            error = None
            try:
                connection.request(
                    "POST",
                    parts.path,
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": accept,
                    },
                )
                response = connection.getresponse()
                answer = response.read()
                if response.status != 200:
                    error = f"HTTP {response.status}"
                else:
                    error = _valid(form, answer)
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}"
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            mine.append((name, time.perf_counter() - started, error))
        connection.close()
        with lock:
            results.extend(mine)

    workers = [
        threading.Thread(target=client, args=(offset + i,), daemon=True) for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def baseline_server(inputs: list[str], port: int, timeout: int, folder: Path) -> Any:
    """Plain ``oxigraph serve-read-only`` over the same graph (a store loaded from the same
    input), with the union of all graphs as the default graph: the baseline."""
    from vetgraph.graph.build import load
    from vetgraph.sparql.server import OxigraphServer, load_store

    load_store(folder / "store", load(inputs or None).quads())
    return OxigraphServer(folder / "store", port=port, timeout=timeout).start()


def load_run(
    endpoint: str,
    queries: list[tuple[str, str, str]],
    args: argparse.Namespace,
    duration: float | None = None,
    warm: bool = True,
) -> tuple[list[tuple[str, float, str | None]], float]:
    """Every query once (a warm-up that checks each works, unless not ``warm``), then the
    clients for ``duration`` (default ``args.duration``) seconds: (query, seconds, error) of
    every request, and the wall time."""
    for name, _form, text in queries if warm else []:
        status, body = request(
            endpoint,
            "POST",
            urllib.parse.urlsplit(endpoint).path,
            urllib.parse.urlencode({"query": text}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 200, (endpoint, name, status, body[:200])
    until = time.time() + (duration or args.duration)
    share = [args.clients // args.processes] * args.processes
    for i in range(args.clients % args.processes):
        share[i] += 1
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(args.processes) as pool:
        futures = [
            pool.submit(client_process, endpoint, queries, n, sum(share[:i]), until)
            for i, n in enumerate(share)
            if n
        ]
        results = [r for f in futures for r in f.result()]
    return results, time.perf_counter() - started


def interleaved(
    endpoint: str, queries: list[tuple[str, str, str]], args: argparse.Namespace
) -> tuple[list[tuple[str, float, str | None]], float, float, dict[str, int]]:
    """The load in ``args.rounds`` rounds, each first on plain ``oxigraph serve-read-only``
    over the same graph, then on ``endpoint`` (the order swapped every other round), so that
    both see the same machine: on a shared machine the load of other work drifts over a
    minute. Returns vetgraph's results and wall time, and the baseline's throughput per
    second and errors by kind."""
    import tempfile

    from vetgraph.sparql.server import free_port

    share = args.duration / args.rounds
    results: list[tuple[str, float, str | None]] = []
    elapsed = base_elapsed = 0.0
    base_results: list[tuple[str, float, str | None]] = []
    with tempfile.TemporaryDirectory(prefix="vetgraph-baseline-") as tmp:
        server = baseline_server(args.input, free_port(), args.timeout, Path(tmp))
        try:
            for round_ in range(args.rounds):
                order = [(server.query_url, base_results), (endpoint, results)]
                for url, into in order if round_ % 2 == 0 else order[::-1]:
                    got, seconds = load_run(url, queries, args, share, warm=round_ == 0)
                    into.extend(got)
                    if into is results:
                        elapsed += seconds
                    else:
                        base_elapsed += seconds
        finally:
            server.stop()
    errors: dict[str, int] = {}
    for _, _, error in base_results:
        if error is not None:
            errors[error] = errors.get(error, 0) + 1
    return results, elapsed, round(len(base_results) / base_elapsed, 1), errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--processes", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    parser.add_argument("--timeout", type=int, default=30, help="the server's query limit")
    parser.add_argument("--input", action="append", default=[], help="data instead of bundled")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also run the same load on plain `oxigraph serve-read-only` over the same graph "
        "and report the ratio of the throughputs",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=6,
        help="with --baseline: the duration split into this many rounds, alternating "
        "between the two servers",
    )
    args = parser.parse_args()

    from vetgraph.sparql.server import free_port

    queries = library(args.input)
    report: dict[str, object] = {
        "command": " ".join(sys.argv),
        "clients": args.clients,
        "duration_s": args.duration,
        "client_processes": args.processes,
        "queries": len(queries),
        "cpus": os.cpu_count(),
    }
    process, endpoint = start_server(args.input, free_port(), args.timeout)
    try:
        server_pid = oxigraph_pid(process.pid)
        report["hardening_before"] = hardening(endpoint)
        if args.baseline:
            results, elapsed, throughput, base_errors = interleaved(endpoint, queries, args)
            report["baseline_throughput_per_s"] = throughput
            report["baseline_errors"] = base_errors
            report["rounds"] = args.rounds
        else:
            results, elapsed = load_run(endpoint, queries, args)
        report["server_memory_mb"] = memory_mb(server_pid)
        report["front_memory_mb"] = memory_mb(process.pid)  # vetgraph's front, in Python
        report["server_alive_after"] = process.poll() is None
        report["hardening_after"] = hardening(endpoint)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        report["server_exit_code"] = code
    latencies = [seconds for _, seconds, error in results if error is None]
    errors: dict[str, int] = {}
    for _, _, error in results:
        if error is not None:
            errors[error] = errors.get(error, 0) + 1
    per_query: dict[str, list[float]] = {}
    for name, seconds, error in results:
        if error is None:
            per_query.setdefault(name, []).append(seconds)
    report.update(
        requests=len(results),
        throughput_per_s=round(len(results) / elapsed, 1),
        latency_ms={
            "p50": round(percentile(latencies, 50) * 1000, 1),
            "p90": round(percentile(latencies, 90) * 1000, 1),
            "p99": round(percentile(latencies, 99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
        }
        if latencies
        else {},
        errors=errors,
        slowest_queries=[
            {
                "query": name,
                "requests": len(times),
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p99_ms": round(percentile(times, 99) * 1000, 1),
            }
            for name, times in sorted(per_query.items(), key=lambda x: -statistics.median(x[1]))[:8]
        ],
    )
    if args.baseline:
        report["ratio_to_baseline"] = round(
            float(report["throughput_per_s"]) / float(report["baseline_throughput_per_s"]),
            2,  # type: ignore[arg-type]
        )
    OUT.mkdir(exist_ok=True)
    (OUT / "serve_load.json").write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)
    failed = (
        errors
        or not report["server_alive_after"]
        or code != 0
        or not all(c["ok"] for c in report["hardening_before"] + report["hardening_after"])  # type: ignore[operator]
    )
    raise SystemExit(1 if failed else 0)


def print_report(r: dict) -> None:
    print(f"vetgraph serve under load: {r['command']}")
    print(
        f"  {r['clients']} clients in {r['client_processes']} processes for {r['duration_s']:g} s"
        f" over {r['queries']} library queries, on {r['cpus']} CPUs shared with the server"
    )
    print(f"  requests: {r['requests']}  throughput: {r['throughput_per_s']} per second")
    if "baseline_throughput_per_s" in r:
        print(
            f"  plain oxigraph serve-read-only, same load: {r['baseline_throughput_per_s']} "
            f"per second; ratio {r['ratio_to_baseline']}x ({r['rounds']} alternating rounds)"
            + (f" (baseline errors: {r['baseline_errors']})" if r["baseline_errors"] else "")
        )
    lat = r["latency_ms"]
    if lat:
        print(
            f"  latency: p50 {lat['p50']} ms  p90 {lat['p90']} ms  p99 {lat['p99']} ms  "
            f"max {lat['max']} ms"
        )
    print(f"  errors: {sum(r['errors'].values())} {r['errors'] or ''}".rstrip())
    print(
        f"  server: up after the run {r['server_alive_after']}; exit code on Ctrl-C "
        f"{r['server_exit_code']}; memory {r.get('server_memory_mb', {})}; "
        f"front {r.get('front_memory_mb', {})}"
    )
    checks = r["hardening_before"] + r["hardening_after"]
    bad = [c for c in checks if not c["ok"]]
    print(
        f"  hardening: {len(checks) - len(bad)} of {len(checks)} checks passed "
        "(UPDATE, LOAD <file:>, SERVICE <file:>, path traversal, PUT; before and after)"
        + (f"; FAILED: {bad}" if bad else "")
    )
    print("  slowest queries (p50 / p99 ms):")
    for q in r["slowest_queries"]:
        print(
            f"    {q['query']:<34} {q['p50_ms']:>8} / {q['p99_ms']:<8} ({q['requests']} requests)"
        )


if __name__ == "__main__":
    main()
