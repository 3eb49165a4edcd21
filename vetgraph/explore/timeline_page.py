"""The timeline page: the dated entities as a chart a person can read and as a dated list.

One self-contained HTML file (``templates/timeline.html``, ``.js``, ``.css`` inlined) that
makes no network request; its Content-Security-Policy allows only its own script, by hash.
The chart is HTML: the year axis and the lane names are text that stays in view while the
reader zooms and pans. There is one lane per class group of :mod:`vetgraph.explore.palette`
(in ``GROUPS`` order), each item in its group's colour: periods (a start and an end) as bars,
dates as points; inside a lane, items stack in rows so that no two labels overlap. Beside the
chart (below it on a phone) the same items are listed by date, filtered as the chart is.

A selected item shows its dates, description and sources grouped by document
(:func:`vetgraph.explore.provenance.by_document`); with the graph at hand, each date shows the
sources of the claim that states it. ``site=True`` links each item to its entity page
(``id/NAME.html``) and to the network view (``graph.html#select=IRI``), as in a built site;
by default the page stands alone and links the IRI.

Untrusted text (labels, titles, descriptions) travels as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page
builds its DOM with ``textContent``.

>>> import networkx as nx
>>> from vetgraph.explore.network import node_attributes
>>> g = nx.MultiDiGraph()
>>> g.add_node("urn:x:a", **node_attributes("urn:x:a", "A <b>", dates={"date": "2010-06-01"}))
>>> page = render_timeline(g, title="Example")
>>> page.nodes, "<b>" in page.html
(1, False)
"""

from __future__ import annotations

import html
from collections import Counter
from functools import cache
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from vetgraph.explore import palette
from vetgraph.explore.addresses import page_path, view_link
from vetgraph.explore.document import inline_csp, script_json
from vetgraph.explore.provenance import kind_label, place
from vetgraph.explore.views import fractional_year

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.explore.visualise import Page
    from vetgraph.graph.store import KnowledgeGraph

TEMPLATES = Path(__file__).parent / "templates"
#: The date properties (node attribute ``dates``) in the order the details list them.
DATE_ORDER = ("date", "startDate", "endDate", "plannedEndDate")
DATE_WORDS = {
    "date": "date",
    "startDate": "start",
    "endDate": "end",
    "plannedEndDate": "planned end",
}


def render_timeline(
    graph: nx.MultiDiGraph,
    *,
    title: str = "vetgraph timeline",
    subtitle: str = "",
    kg: KnowledgeGraph | None = None,
    site: bool = False,
) -> Page:
    """The timeline page of the dated entities of ``graph`` (nodes as ``to_networkx`` makes
    them). ``kg``: the graph they come from, for the sources of each date. ``site``: link
    entity pages and the network view of a built site."""
    from vetgraph.explore.visualise import Page

    model = timeline_model(graph, title=title, subtitle=subtitle, kg=kg, site=site)
    return Page(
        html=timeline_document(model),
        title=title,
        nodes=len(model["items"]),
        edges=0,
    )


def timeline_model(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    subtitle: str = "",
    kg: KnowledgeGraph | None = None,
    site: bool = False,
) -> dict[str, Any]:
    """What the page holds: the groups (lanes), the source table and one item per dated
    entity (sorted by date), as plain data."""
    date_claims = _date_claims(kg) if kg is not None else {}
    sources = _Sources()
    items: list[dict[str, Any]] = []
    classes: Counter[str] = Counter()
    class_labels: dict[str, str] = {}
    group_index = {group.key: i for i, group in enumerate(palette.GROUPS)}
    for node, data in graph.nodes(data=True):
        span = _span(data["dates"])
        if span is None:
            continue
        start, end, planned = span
        classes[data["cls"]] += 1
        class_labels.setdefault(data["cls"], data["class_label"])
        item = {
            "id": node,
            "label": data["label"],
            "cls": data["cls"],
            "class_label": data["class_label"],
            "g": group_index[palette.group_of(data["cls"]).key],
            "s": round(start, 4),
            "e": round(end, 4) if end is not None else None,
            "planned": planned,
            "dates": [[DATE_WORDS.get(k, k), data["dates"][k]] for k in _date_keys(data)],
            "desc": data["description"],
            "cites": sources.cite(data["sources"]),
            "dcites": _date_cites(node, data, date_claims, sources),
            "page": _page_link(node, site),
        }
        if site:
            item["graph"] = view_link("graph.html", node)
        items.append(item)
    items.sort(key=lambda i: (i["s"], i["label"].casefold(), i["id"]))
    return {
        "title": title,
        "subtitle": subtitle,
        "site": site,
        "groups": _groups(classes, class_labels),
        "sources": sources.table,
        "items": items,
        "span": _years(items),
    }


def _span(dates: dict[str, str]) -> tuple[float, float | None, bool] | None:
    """(start, end or None, whether the end is only planned) of an entity's dates."""
    years = {k: y for k, v in dates.items() if (y := fractional_year(v)) is not None}
    if not years:
        return None
    start = min(years.values())
    end_key = next((k for k in ("endDate", "plannedEndDate") if k in years), None)
    ends = [y for y in years.values() if y > start]
    end = years[end_key] if end_key is not None and years[end_key] > start else None
    if end is None and ends:
        end = max(ends)  # a date after the start (e.g. adopted, then in force)
    return start, end, end_key == "plannedEndDate" and end is not None


def _date_keys(data: dict[str, Any]) -> list[str]:
    known = [k for k in DATE_ORDER if k in data["dates"]]
    return known + sorted(k for k in data["dates"] if k not in DATE_ORDER)


def _years(items: list[dict[str, Any]]) -> list[int] | None:
    if not items:
        return None
    first = min(i["s"] for i in items)
    last = max(i["e"] if i["e"] is not None else i["s"] for i in items)
    return [int(first), int(last)]


def _groups(classes: Counter[str], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Every group in ``GROUPS`` order, with the classes of the page's items in it."""
    found = []
    for group in palette.GROUPS:
        members = sorted(
            (c for c in classes if palette.group_of(c).key == group.key),
            key=lambda c: (-classes[c], labels[c].casefold(), c),
        )
        found.append(
            {
                "key": group.key,
                "label": group.label,
                "colour": group.colour,
                "dark": palette.darker(group.colour, 0.55),
                "classes": [{"curie": c, "label": labels[c], "count": classes[c]} for c in members],
            }
        )
    return found


class _Sources:
    """The page's table of source documents, each listed once and cited by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.table: list[dict[str, Any]] = []

    def cite(self, citations: list[dict[str, Any]]) -> list[list[Any]]:
        """[[source index, [places]], ...] grouped by document, official sources first."""
        by_source: dict[int, list[str]] = {}
        for c in citations:
            if c["source"] not in self.index:
                self.index[c["source"]] = len(self.table)
                self.table.append(
                    {
                        "iri": c["source"],
                        "title": c.get("title") or c["source"],
                        "url": _safe_url(c.get("url")),
                        "kind": kind_label(c.get("kind")),
                        "rank": _rank(c.get("kind")),
                        "retrieved": c.get("retrieved"),
                    }
                )
            places = by_source.setdefault(self.index[c["source"]], [])
            if (where := place(c)) not in places:
                places.append(where)
        order = sorted(
            by_source,
            key=lambda i: (self.table[i]["rank"], self.table[i]["title"].casefold(), i),
        )
        return [[i, by_source[i]] for i in order]


def _rank(kind: str | None) -> int:
    from vetgraph.explore.provenance import KIND_LABELS

    return list(KIND_LABELS).index(kind) if kind in KIND_LABELS else len(KIND_LABELS)


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links (no ``javascript:``, ``data:`` or file URLs)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _page_link(iri: str, site: bool) -> str | None:
    if site and (path := page_path(iri)) is not None:
        return path
    return _safe_url(iri)


_DATE_CLAIMS = """
PREFIX vet: <https://w3id.org/vetgraph/ontology#>
SELECT ?entity ?property ?claim WHERE {
  GRAPH <PROVENANCE> { ?claim vet:about ?entity }
  GRAPH ?claim { ?entity ?property ?value }
  VALUES ?property { vet:date vet:startDate vet:endDate vet:plannedEndDate }
}
"""


def _date_claims(kg: KnowledgeGraph) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(entity, date key) → the citations of the claims that state that date."""
    from vetgraph.explore.network import citations_of, citations_query
    from vetgraph.graph.namespaces import PROVENANCE_GRAPH, SOURCES_GRAPH, VET

    citations = citations_of(
        kg.select(citations_query(f"GRAPH <{PROVENANCE_GRAPH}>", f"GRAPH <{SOURCES_GRAPH}>"))
    )
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    query = _DATE_CLAIMS.replace("PROVENANCE", str(PROVENANCE_GRAPH))
    for row in kg.select(query):
        key = row["property"].value[len(str(VET)) :]
        found.setdefault((row["entity"].value, key), []).extend(
            citations.get(row["claim"].value, [])
        )
    return found


def _date_cites(
    node: str,
    data: dict[str, Any],
    date_claims: dict[tuple[str, str], list[dict[str, Any]]],
    sources: _Sources,
) -> list[list[list[Any]]] | None:
    """Per date (in the order of ``dates``), its citations; None when not known."""
    if not date_claims:
        return None
    return [sources.cite(date_claims.get((node, k), [])) for k in _date_keys(data)]


def timeline_document(model: dict[str, Any]) -> str:
    """The HTML page of a timeline model: template, styles and script inlined."""
    assets = _assets()
    title = model["title"]
    return Template(assets["html"]).substitute(
        csp=html.escape(assets["csp"]),
        title=html.escape(title, quote=False),
        heading=html.escape(title, quote=False),
        subtitle=html.escape(model["subtitle"] or "", quote=False),
        css=assets["css"],
        data=str(script_json(model)),
        script=assets["script"],
    )


@cache
def _assets() -> dict[str, str]:
    script = (TEMPLATES / "timeline.js").read_text(encoding="utf-8")
    return {
        "html": (TEMPLATES / "timeline.html").read_text(encoding="utf-8"),
        "css": (TEMPLATES / "timeline.css").read_text(encoding="utf-8"),
        "script": script,
        "csp": inline_csp([script]),
    }
