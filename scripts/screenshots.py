"""Screenshots of the site's pages for docs/screenshots/ (run through scripts/screenshots).

Builds the site with ``vetgraph build`` into a temporary folder (and the path page with
``vetgraph path --html``), serves it as a static host would (``python -m http.server`` on
127.0.0.1), opens each page in headless Chromium with every request off that server
blocked, and writes ``<page>-<width>.png`` at 1440×900 and 390×844. A page the build does
not make (yet) is listed and skipped; external requests and console errors are reported
and make the exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VETGRAPH = ROOT / ".venv" / "bin" / "vetgraph"
SIZES = ((1440, 900), (390, 844))
#: Screenshot name → (the page in the build folder, what to add to its address).
PAGES = {
    "index": ("index.html", ""),
    "graph": ("graph.html", ""),
    "graph-selected": (
        "graph.html",
        "#select=https%3A%2F%2Fw3id.org%2Fvetgraph%2Fid%2Fbruges-communique",
    ),
    "timeline": ("timeline.html", ""),
    "timeline-selected": (
        "timeline.html",
        "#select=https%3A%2F%2Fw3id.org%2Fvetgraph%2Fid%2Fbruges-communique",
    ),
    "path": ("path.html", ""),
    "queries": ("queries.html", ""),
    "ontology": ("ontology.html", ""),
    "entity": ("id/bruges-communique.html", ""),
    "query": ("query.html", "#example=sources-of-entity&entity=vg%3Abruges-communique"),
}
PATH_ENDS = ("vg:bruges-communique", "vg:ssa-pilot-tourism")


def build(folder: Path) -> None:
    """The site into ``folder``, and the path page beside it."""
    site = folder / "site"
    run([str(VETGRAPH), "build", "-q", "--out", str(site)])
    run([str(VETGRAPH), "path", *PATH_ENDS, "--html", str(site / "path.html")])


def run(command: list[str]) -> None:
    print("$ vetgraph", " ".join(command[1:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # path exits 1 when not connected
        sys.exit(f"scripts/screenshots: {' '.join(command)} failed:\n{done.stderr}")


@contextlib.contextmanager
def static_host(site: Path):
    """``python -m http.server`` on a free port of 127.0.0.1 serving ``site``; its base URL."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "-d", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(base, timeout=2).close()
                break
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(site: Path, out: Path, names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("scripts/screenshots: chromium is not installed (apt-get install chromium)")
    problems = 0
    out.mkdir(parents=True, exist_ok=True)
    with static_host(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for name in names:
            file, suffix = PAGES[name]
            if not (site / file).exists():
                print(f"skipped {name}: the build has no {file}")
                continue
            for width, height in SIZES:
                problems += _one(
                    browser, base, file + suffix, out / f"{name}-{width}.png", width, height
                )
        browser.close()
    return problems


def _one(browser, base: str, address: str, target: Path, width: int, height: int) -> int:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    blocked: list[str] = []
    errors: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + address)
    # the views mark themselves stable once drawn, the editor once it has answered;
    # other pages are ready at load
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector(
            'body[data-stable="true"], body[data-runs]', state="attached", timeout=15_000
        )
    page.wait_for_timeout(300)
    page.screenshot(path=str(target))
    context.close()
    note = f"{target.relative_to(ROOT)}"
    if blocked or errors:
        print(f"{note}: blocked {blocked[:3]} errors {errors[:3]}")
        return 1
    print(note)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--only", action="append", choices=sorted(PAGES), help="a page (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vetgraph-screens-") as folder:
        build(Path(folder))
        return (
            1 if shoot(Path(folder) / "site", args.out.resolve(), args.only or list(PAGES)) else 0
        )


if __name__ == "__main__":
    sys.exit(main())
