"""The network exports: the networkx projection flattened for GraphML, GEXF and CSV.

:func:`vetgraph.explore.network.to_networkx` gives nodes and edges rich Python attributes (lists
of classes, dicts of dates, a list of citation dicts). GraphML, GEXF and CSV hold only
scalars, so :func:`flat_graph` flattens them the same way for all three formats:

* **Nodes** (id = the entity's IRI): ``curie label class class_label classes
  description date startDate endDate plannedEndDate year cited_sources citations``.
* **Edges** (id = ``<subject CURIE>--<property CURIE>--<object CURIE>``, unique): ``id
  predicate curie label claim cited_sources citations``.
* A list becomes one string, its items in a fixed order joined by ``" | "``
  (:data:`LIST_SEPARATOR`): ``classes`` most specific first, ``cited_sources`` sorted,
  ``citations`` as ``source, section, locator`` in source order.
* A missing value is left out (GraphML, GEXF) or an empty cell (CSV); ``year`` is an
  integer, everything else a string.

Nodes are added in IRI order and edges in (subject, object, property) order, so the same
graph always gives byte-identical files. The GEXF file's date is the release date from
the changelog (see :mod:`vetgraph.graph.release`), never today's.

>>> from vetgraph.graph.build import load
>>> g = flat_graph(load())
>>> g.nodes["https://w3id.org/vetgraph/id/bruges-communique"]["class"]
'vet:Communique'
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from vetgraph.graph.namespaces import curie

if TYPE_CHECKING:
    import networkx as nx

    from vetgraph.graph.store import KnowledgeGraph

LIST_SEPARATOR = " | "
DATE_KEYS = ("date", "startDate", "endDate", "plannedEndDate")
NODE_COLUMNS = (
    "id",
    "curie",
    "label",
    "class",
    "class_label",
    "classes",
    "description",
    *DATE_KEYS,
    "year",
    "cited_sources",
    "citations",
)
EDGE_COLUMNS = (
    "id",
    "source",
    "target",
    "source_label",
    "target_label",
    "predicate",
    "curie",
    "label",
    "claim",
    "cited_sources",
    "citations",
)


def flat_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The networkx projection with scalar attributes only, in a stable order."""
    import networkx as nx

    from vetgraph.explore.network import to_networkx

    rich = to_networkx(kg)
    flat = nx.MultiDiGraph()
    for iri in sorted(rich.nodes):
        flat.add_node(iri, **flatten_node(rich.nodes[iri]))
    edges = sorted(rich.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for subject, obj, key, data in edges:
        flat.add_edge(subject, obj, key=key, **flatten_edge(subject, obj, data))
    return flat


def flatten_node(data: dict[str, Any]) -> dict[str, Any]:
    """One node's attributes as scalars (see the module docstring)."""
    flat: dict[str, Any] = {
        "curie": data["curie"],
        "label": data["label"],
        "class": data["cls"],
        "class_label": data["class_label"],
        "classes": LIST_SEPARATOR.join(data["classes"]),
        "description": data["description"],
    }
    for key in DATE_KEYS:
        flat[key] = data["dates"].get(key)
    flat["year"] = data["year"]
    flat.update(_provenance(data["sources"]))
    return {k: v for k, v in flat.items() if v is not None and v != ""}


def flatten_edge(subject: str, obj: str, data: dict[str, Any]) -> dict[str, Any]:
    """One edge's attributes as scalars, with an id unique in the graph."""
    flat: dict[str, Any] = {
        "id": f"{curie(subject)}--{data['curie']}--{curie(obj)}",
        "predicate": data["predicate"],
        "curie": data["curie"],
        "label": data["label"],
        "claim": data["claim"],
    }
    flat.update(_provenance(data["sources"]))
    return {k: v for k, v in flat.items() if v is not None and v != ""}


def _provenance(citations: list[dict[str, Any]]) -> dict[str, str]:
    sources = sorted({curie(c["source"]) for c in citations})
    described = [
        ", ".join(
            part for part in (curie(c["source"]), c["section"], c["locator"]) if part is not None
        )
        for c in citations
    ]
    return {
        "cited_sources": LIST_SEPARATOR.join(sources),
        "citations": LIST_SEPARATOR.join(described),
    }


# -- writers --------------------------------------------------------------------------------


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    """GraphML with named keys (``<key id="label" ...>``) and the edges' ids."""
    from networkx.readwrite.graphml import GraphMLWriter

    # The pure-Python writer, not the lxml one: the same bytes whether or not lxml is there.
    writer = GraphMLWriter(
        encoding="utf-8", prettyprint=True, named_key_ids=True, edge_id_from_attribute="id"
    )
    writer.add_graph_element(graph)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (what Gephi reads natively), dated by the release, not by the clock."""
    from networkx.readwrite.gexf import GEXFWriter

    from vetgraph.graph.release import release_date, version

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"vetgraph {version()}"
        issued = release_date()
        if issued:
            meta.set("lastmodifieddate", issued)
        else:
            meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(graph)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def to_csv(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv`` and ``edges.csv`` (UTF-8, a header row, RFC 4180 quoting)."""
    nodes = _table(NODE_COLUMNS, ({"id": iri, **data} for iri, data in graph.nodes(data=True)))
    edges = _table(
        EDGE_COLUMNS,
        (
            {
                "source": u,
                "target": v,
                "source_label": graph.nodes[u].get("label"),
                "target_label": graph.nodes[v].get("label"),
                **data,
            }
            for u, v, data in graph.edges(data=True)
        ),
    )
    return {"nodes.csv": nodes, "edges.csv": edges}


def _table(columns: tuple[str, ...], rows: Any) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
    return buffer.getvalue().encode("utf-8")
