"""The HTML document: our template filled through pyvis, with vis-network, our script and our
styles inlined and a Content-Security-Policy that allows only those scripts (by hash). The only
module that imports pyvis."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vetgraph.explore.pagemodel import PageModel

TEMPLATES = Path(__file__).parent / "templates"
VIS_VERSION = "9.1.2"


def html_document(model: PageModel, title: str) -> str:
    """Fill our template through pyvis: its lists and options, our data and assets.

    pyvis holds the node and edge lists and renders our template (``templates/page.html``);
    its own template links bootstrap from a CDN even with ``cdn_resources="in_line"``, so it
    is not used.
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", heading=title)
    net.nodes = model.nodes
    net.node_ids = [item["id"] for item in model.nodes]
    net.node_map = {item["id"]: item for item in model.nodes}
    net.edges = model.edges
    net.options = model.options
    assets = _assets()
    net.templateEnv = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    net.path = "page.html"
    net.templateEnv.filters["script_json"] = script_json
    net.templateEnv.globals.update(
        page=model.data,
        page_json=script_json(model.data),
        title=title,
        scripts=assets["scripts"],
        css=assets["css"],
        csp=assets["csp"],
    )
    return str(net.generate_html())


@cache
def _assets() -> dict[str, Any]:
    """vis-network (from pyvis's bundled copy) and our script and styles, with the CSP."""
    from markupsafe import Markup
    from pyvis import network as pyvis_network

    vis_dir = Path(pyvis_network.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    scripts = [
        (vis_dir / "vis-network.min.js").read_text(encoding="utf-8"),
        (TEMPLATES / "page.js").read_text(encoding="utf-8"),
    ]
    return {
        "scripts": [Markup(s) for s in scripts],
        "css": Markup((TEMPLATES / "page.css").read_text(encoding="utf-8")),
        "csp": inline_csp(scripts),
    }


def inline_csp(scripts: list[str]) -> str:
    """The Content-Security-Policy of a page whose only scripts are ``scripts``, inlined:
    each allowed by its hash, nothing from the network. Refuses a script that would end its
    ``<script>`` block early."""
    for script in scripts:
        if "</script" in script.lower() or "<!--" in script:
            raise RuntimeError("an inlined script would end its <script> block early")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def script_json(value: Any) -> Any:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``.

    >>> str(script_json({"label": "</script><b>&"}))
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    from markupsafe import Markup

    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)
