"""An entity's neighbourhood drawn as inline SVG, in Python: the entity in the middle, the
entities it links to or is linked from on a ring around it, coloured by their palette
group, each a link to its page. No script: it reads on any static host and in print.

>>> svg = neighbourhood_svg(
...     ("vg:a", "A", "vet:Communique"),
...     [("vg:b", "B <b>", "vet:Programme", "out")],
...     link=lambda iri: "b.html",
... )
>>> "B &lt;b&gt;" in svg and 'href="b.html"' in svg
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from vetgraph.explore.palette import darker, group_of
from vetgraph.explore.site.markup import esc

#: At most this many neighbours are drawn; the lists on the page hold them all.
MAX_NEIGHBOURS = 20
_WIDTH, _HEIGHT = 940, 470
_LABEL = 26  # characters of a label shown before it is shortened


def _short(text: str) -> str:
    """The label as drawn: shortened with an ellipsis hidden from screen readers, so the
    visible words stay part of the link's accessible name (the whole label)."""
    if len(text) <= _LABEL:
        return esc(text)
    cut = text[: _LABEL - 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut  # whole words only
    return esc(cut.rstrip(" ,;:-(")) + '<tspan aria-hidden="true">…</tspan>'


def neighbourhood_svg(
    centre: tuple[str, str, str],
    neighbours: Sequence[tuple[str, str, str, str]],
    link: Callable[[str], str | None],
) -> str:
    """``centre`` (iri, label, class CURIE); ``neighbours`` (iri, label, class CURIE,
    direction "out", "in" or "both"); ``link(iri)`` the href of an entity's page."""
    shown = list(neighbours)[:MAX_NEIGHBOURS]
    cx, cy = _WIDTH / 2, _HEIGHT / 2
    # an ellipse, wider than high: the labels beside the nodes need the room
    rx, ry = (235, 175) if len(shown) > 6 else (170, 120)
    lines, nodes = [], []
    for index, (iri, label, cls, direction) in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(shown), 1)
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        lines.append(_line(cx, cy, x, y, direction))
        nodes.append(_node(iri, label, cls, x, y, angle, link(iri)))
    iri, label, cls = centre
    centre_node = _node(iri, label, cls, cx, cy, None, None)
    return (
        f'<svg class="neighbourhood" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" '
        f'height="{_HEIGHT}" role="group" aria-label="{esc(label)} and the entities '
        f'it is linked with" xmlns="http://www.w3.org/2000/svg">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
        'fill="#6b7280"/></marker></defs>'
        f"{''.join(lines)}{''.join(nodes)}{centre_node}</svg>"
    )


def _line(cx: float, cy: float, x: float, y: float, direction: str) -> str:
    """A link from the centre to a neighbour, the arrow pointing the way the fact reads."""
    length = math.hypot(x - cx, y - cy) or 1
    ux, uy = (x - cx) / length, (y - cy) / length
    x1, y1, x2, y2 = cx + ux * 16, cy + uy * 16, x - ux * 11, y - uy * 11
    markers = {
        "out": ' marker-end="url(#arrow)"',
        "in": ' marker-start="url(#arrow)"',
        "both": ' marker-start="url(#arrow)" marker-end="url(#arrow)"',
    }[direction]
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="#9aa3ad" stroke-width="1.5"{markers}/>'
    )


def _node(
    iri: str, label: str, cls: str, x: float, y: float, angle: float | None, href: str | None
) -> str:
    group = group_of(cls)
    r = 14 if angle is None else 9
    circle = (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{group.colour}" '
        f'stroke="{darker(group.colour)}" stroke-width="1.5"/>'
    )
    if angle is None:  # the centre: its label under it, bold
        text = (
            f'<text x="{x:.1f}" y="{y + r + 18:.1f}" text-anchor="middle" '
            f'class="centre">{_short(label)}</text>'
        )
    else:
        dx, dy = math.cos(angle), math.sin(angle)
        beside = abs(dx) >= 0.05  # only the nodes straight above or below get it centred
        anchor = "middle" if not beside else ("start" if dx > 0 else "end")
        tx = x + (r + 6) * (1 if dx > 0 else -1) if beside else x
        ty = y + 5 if beside else y + (r + 18 if dy > 0 else -(r + 6))
        text = f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">{_short(label)}</text>'
    inner = f"<title>{esc(label)}</title>{circle}{text}"
    if href is None:
        return f"<g>{inner}</g>"
    return f'<a href="{esc(href)}" aria-label="{esc(label)}">{inner}</a>'
