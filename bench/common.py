"""What the benchmark's modules share: sizes, logging, fresh processes, number formats."""

from __future__ import annotations

import json
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


def parse_size(text: str) -> int:
    """``10k``, ``1M`` or a number."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def geomean(values: list[float]) -> float:
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child(task: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run ``bench.child TASK`` in a fresh Python process and return its result."""
    with tempfile.TemporaryDirectory(prefix="vetgraph-bench-") as tmp:
        spec_path, result_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_path.write_text(json.dumps(spec))
        command = [sys.executable, "-m", "bench.child", task, str(spec_path), str(result_path)]
        try:
            # stderr is shared: the child's progress lines and any traceback show as they come
            done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"no answer within {timeout:.0f} s"}
        if done.returncode != 0:
            return {"error": f"{task} failed (exit {done.returncode}; its messages are above)"}
        return json.loads(result_path.read_text())


def vetgraph_command() -> list[str]:
    """The installed ``vetgraph`` script next to this Python (what users run), or the one
    ``$VETGRAPH`` names (to measure another install, such as an earlier version)."""
    if os.environ.get("VETGRAPH"):
        return [os.environ["VETGRAPH"]]
    script = Path(sys.executable).parent / "vetgraph"
    if script.exists():
        return [str(script)]
    found = shutil.which("vetgraph")
    if found:
        return [found]
    raise SystemExit("bench: the vetgraph command is not installed (pip install -e .)")


def whole_process(args: list[str], runs: int, cwd: Path) -> dict[str, Any]:
    """Wall time of a whole command (start, work, exit): median after a warm-up run."""
    times = []
    done = None
    for i in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True)
        if i:
            times.append(time.perf_counter() - start)
    assert done is not None
    return {
        "command": shlex.join(["vetgraph", *args[1:]]),
        "seconds": statistics.median(times),
        "min_s": min(times),
        "exit_code": done.returncode,
        "output_bytes": len(done.stdout),
        "error": done.stderr.decode(errors="replace").strip()[-300:] if done.returncode else "",
    }


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1e3:,.2f}" if seconds < 0.1 else f"{seconds * 1e3:,.0f}"


def ratio(value: float | None, lower: bool = False) -> str:
    if value is None or math.isnan(value):
        return "–"
    return (
        f"{'≥' if lower else ''}{value:,.2f}x"
        if value < 10
        else f"{'≥' if lower else ''}{value:,.0f}x"
    )
