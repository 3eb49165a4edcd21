"""Screenshots of the network and path pages at 1440×900 and 390×844, into docs/.

    .venv/bin/python scripts/screenshots.py

Headless Chromium (the system's), offline: every request leaving the page is refused.
docs/graph.png is the README's figure (Bruges Communiqué's neighbourhood, the communiqué
selected); docs/views/ holds each page at both sizes. Look at them before calling a view done.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from vetgraph.explore.addresses import view_link
from vetgraph.explore.visualise import viz

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SIZES = {"1440": (1440, 900), "390": (390, 844)}
BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def main() -> None:
    (DOCS / "views").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = {
            "graph": viz(title="vetgraph", links="site").save(folder / "graph.html"),
            "bruges": viz(focus="vg:bruges-communique", depth=2).save(folder / "bruges.html"),
            "path": viz(between=("vg:bruges-communique", "vg:ssa-pilot-tourism")).save(
                folder / "path.html"
            ),
        }
        with sync_playwright() as playwright:
            chromium = shutil.which("chromium") or "/usr/bin/chromium"
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            shots = [
                ("graph", "", "graph"),
                ("graph", view_link("", BRUGES), "graph-selected"),
                ("path", "", "path"),
            ]
            for name, fragment, shot in shots:
                for size, (width, height) in SIZES.items():
                    _shoot(
                        browser,
                        pages[name].as_uri() + fragment,
                        width,
                        height,
                        DOCS / "views" / f"{shot}-{size}.png",
                    )
            _shoot(
                browser,
                pages["bruges"].as_uri() + view_link("", BRUGES),
                1440,
                900,
                DOCS / "graph.png",
            )
            browser.close()


def _shoot(browser, url: str, width: int, height: int, target: Path) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(url)
    page.wait_for_selector('body[data-stable="true"]', state="attached")
    page.wait_for_timeout(500)  # the camera's move to a selection
    page.screenshot(path=str(target))
    context.close()
    print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
