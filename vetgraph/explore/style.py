"""How the page looks: a colour per class (colour-blind-friendly palette first), the colours of
a highlighted path, and vis-network's drawing and physics options."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

# Colour-blind-friendly categorical colours (Okabe-Ito, then Tableau 10), in order of use.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
    "#8CD17D",
    "#B6992D",
    "#499894",
)
FADED = "#d5d9de"
PATH_COLOUR = "#C0392B"


def vis_options(*, large: bool, timeline: bool, edges: int) -> dict[str, Any]:
    physics = not large and not timeline
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1b1f23"},
            "scaling": {
                "min": 7,
                "max": 16 if timeline else 34,
                "label": {
                    "enabled": not timeline,
                    "min": 12,
                    "max": 22,
                    "drawThreshold": 7 if large else 4,
                    "maxVisible": 26,
                },
            },
            **({"widthConstraint": {"maximum": 150}} if timeline else {}),
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#8c96a3", "highlight": "#1b1f23", "hover": "#1b1f23"},
            "font": {
                "size": 10,
                "face": "system-ui, sans-serif",
                "align": "middle",
                "color": "#4a525c",
                "strokeWidth": 3,
            },
            "width": 1,
            "smooth": (
                {"enabled": True, "type": "curvedCW", "roundness": 0.15}
                if timeline
                else {"enabled": not large, "type": "continuous"}
            ),
        },
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "springLength": 140,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": physics, "iterations": 300, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large or edges > 2000,
            "keyboard": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": not large and not timeline},
    }


def class_colours(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for _, data in graph.nodes(data=True):
        counts[data["cls"]] = counts.get(data["cls"], 0) + 1
        labels[data["cls"]] = data["class_label"]
    ordered = sorted(counts, key=lambda c: (-counts[c], labels[c], c))
    return {
        cls: {
            "cls": cls,
            "label": labels[cls],
            "count": counts[cls],
            "color": PALETTE[i] if i < len(PALETTE) else _hue(i),
        }
        for i, cls in enumerate(ordered)
    }


def _hue(i: int) -> str:
    """A further distinct colour beyond the palette (golden-angle hues)."""
    import colorsys

    r, g, b = colorsys.hls_to_rgb((i * 0.618034) % 1.0, 0.5, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.7):02x}{int(g * 0.7):02x}{int(b * 0.7):02x}"


def group_colours(colours: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """vis-network's ``options.groups``: each class's colours, set once for all its nodes."""
    return {
        cls: {
            "color": {
                "background": c["color"],
                "border": darker(c["color"]),
                "highlight": {"background": c["color"], "border": "#111111"},
                "hover": {"background": c["color"], "border": "#111111"},
            }
        }
        for cls, c in colours.items()
    }
