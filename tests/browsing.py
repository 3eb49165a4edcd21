"""Shared browser fixtures: headless Chromium (the system's, driven by Playwright), pages
opened with every request that leaves them blocked and recorded, and axe-core.

Import the fixtures into a test module with ``from .browsing import browser, open_page``.
Missing Chromium or Playwright fails under CI=true and skips elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from .conftest import IN_CI, ROOT, require_tool

ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras install it
        message = "playwright is not installed (pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Opened:
    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def left_the_page(self, path: Path) -> list[str]:
        """Every request other than the page's own file."""
        return [url for url in self.requests if url != path.as_uri()]

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_page(browser) -> Iterator[Any]:
    """open_page(path_or_url, width=, height=, allow=(prefixes), stable=True, bypass_csp=False).

    Requests to file:// and to the ``allow`` prefixes go through; every other is aborted
    and recorded. ``stable``: wait for the page's ``body[data-stable="true"]``."""
    contexts = []

    def open_(
        target: Path | str,
        width: int = 1400,
        height: int = 850,
        *,
        allow: tuple[str, ...] = (),
        stable: bool = True,
        bypass_csp: bool = False,
    ) -> Opened:
        context = browser.new_context(
            viewport={"width": width, "height": height}, bypass_csp=bypass_csp
        )
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(route: Any) -> None:
            url = route.request.url
            opened.requests.append(url)
            if url.startswith(("file://", *allow)):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", route)
        page.on(
            "console",
            lambda m: (
                opened.errors.append(f"console {m.type}: {m.text}")
                if m.type in {"error", "assert"}
                else None
            ),
        )
        page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(target.as_uri() if isinstance(target, Path) else target)
        if stable:
            # The page sets body[data-stable] once drawn and still. (wait_for_function
            # would evaluate a string, which the page's CSP rightly refuses.)
            page.wait_for_selector('body[data-stable="true"]', state="attached", timeout=60_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page: Any, *, disable: tuple[str, ...] = ()) -> list[str]:
    """axe-core's violations on the page as it is now, one readable line each.

    The page must be opened with ``bypass_csp=True`` (axe is injected as a script)."""
    page.add_script_tag(path=str(AXE))
    options = {"rules": {rule: {"enabled": False} for rule in disable}}
    result = page.evaluate(
        "async (options) => JSON.stringify(await axe.run(document, options))", options
    )
    violations = json.loads(result)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def screenshot(opened: Opened, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    opened.page.screenshot(path=str(path))
    return path
