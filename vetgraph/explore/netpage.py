"""The network page as one HTML document: sigma.js and graphology (vendored, bundled with
esbuild: templates/vendor/README.md), our scripts and styles inlined, the data as one JSON
block, and a Content-Security-Policy that allows only those scripts (by hash).

The page makes no network request. Labels, titles and descriptions are untrusted text: they
travel as JSON with ``<``, ``>`` and ``&`` escaped, and the page writes them with
``textContent`` or draws them on a canvas.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vetgraph.explore.document import inline_csp, script_json

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx

    from vetgraph.explore.analytics import Analysis
    from vetgraph.explore.paths import Connection

TEMPLATES = Path(__file__).parent / "templates"
VENDOR = TEMPLATES / "vendor"
RENDERER = "sigma.js 3.0.3, graphology 0.26.0"
#: Above this many entities a graph with one level of communities gets the linear layout.
LEAFY = 3000
_SCRIPTS = (
    "vendor/network-renderer.min.js",
    "network-labels.js",
    "network.js",
    "network-ui.js",
    "network-state.js",
)


def network_html(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str,
    size_by: str,
    links: str,
    highlight: Sequence[Connection] | None,
    analysis: Analysis,
) -> str:
    """The page of ``graph`` (laid out in Python: the page lays out again after a filter)."""
    from vetgraph.explore.layout import layout_positions, quick_positions
    from vetgraph.explore.netmodel import network_data, path_positions
    from vetgraph.explore.network import undirected

    if highlight:
        positions = path_positions(graph, highlight)
    elif len(graph) > LEAFY:
        simple = analysis.simple if analysis.simple is not None else undirected(graph)
        positions = quick_positions(simple, analysis.communities)
    else:
        positions = layout_positions(
            analysis.simple if analysis.simple is not None else graph,
            partitions=analysis.partitions,
            spacing=30.0,
        )
    data = network_data(
        graph,
        analysis,
        positions,
        title=title,
        subtitle=subtitle,
        size_by=size_by,
        links=links,
        highlight=highlight,
    )
    return fill(data, title)


def fill(data: dict[str, Any], title: str) -> str:
    """Our template with the data block, the scripts and the CSP."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    assets = _assets()
    return env.get_template("network.html").render(
        title=title,
        page_json=script_json(data),
        path=data["path"] is not None,
        renderer=RENDERER,
        **assets,
    )


@cache
def _assets() -> dict[str, Any]:
    from markupsafe import Markup

    scripts = [(TEMPLATES / name).read_text(encoding="utf-8") for name in _SCRIPTS]
    return {
        "scripts": [Markup(s) for s in scripts],
        "css": Markup((TEMPLATES / "network.css").read_text(encoding="utf-8")),
        "csp": inline_csp(scripts),
    }
