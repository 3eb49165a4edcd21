"""The main job, end to end: files → graph → validation → the output files (as bytes).

The CLI writes the files (atomically); this module only computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vetgraph.check.report import ValidationReport
from vetgraph.graph.store import KnowledgeGraph

if TYPE_CHECKING:
    from vetgraph.check.stats import Stats

Producer = Callable[[KnowledgeGraph, ValidationReport], bytes]


def _export(fmt: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.export import serialize

        return serialize(kg, fmt)

    return produce


def _report(renderer: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.check.report import RENDERERS

        return RENDERERS[renderer](report).encode()

    return produce


def _export_file(fmt: str, name: str) -> Producer:
    """One file of a multi-file export (csv: nodes.csv, edges.csv)."""

    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.export import outputs

        return outputs(kg, fmt)[name]

    return produce


def _page(layout: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.explore.network import to_networkx
        from vetgraph.explore.visualise import render

        if layout == "timeline":
            return render(to_networkx(kg), title="vetgraph timeline", layout=layout).html.encode()
        graph = to_networkx(kg, include_literals=True)  # other names, for the search
        return render(graph, title="vetgraph", layout=layout, links="site").html.encode()

    return produce


def _context(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.graph import resources

    return resources.context_file().read_bytes()


def _void(sparql_endpoint: str | None = None, stats: Stats | None = None) -> Producer:
    """void.ttl; the build passes the figures it has already computed (they are costly)."""

    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.void import describe

        return describe(kg, sparql_endpoint=sparql_endpoint, stats=stats)

    return produce


def _ontology_page(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.publish.ontology_page import ontology_html

    return ontology_html(kg)


def _query_catalogue(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.publish.catalogue import queries_html

    return queries_html(kg, report)  # the checks' answers are the report's findings


#: What ``vetgraph build`` writes into its output folder: file name → producer.
ARTIFACTS: dict[str, Producer] = {
    "vetgraph.trig": _export("trig"),
    "vetgraph.ttl": _export("ttl"),
    "validation-report.txt": _report("text"),
    "validation-report.json": _report("json"),
    # Publishing (issue 6): every export format, the dataset description, the docs.
    "vetgraph.nq": _export("nq"),
    "vetgraph.nt": _export("nt"),
    "vetgraph.jsonld": _export("jsonld"),
    "vetgraph.rdf": _export("rdfxml"),
    "vetgraph.graphml": _export("graphml"),
    "vetgraph.gexf": _export("gexf"),
    "nodes.csv": _export_file("csv", "nodes.csv"),
    "edges.csv": _export_file("csv", "edges.csv"),
    "context.jsonld": _context,
    "void.ttl": _void(),
    "ontology.html": _ontology_page,
    "queries.html": _query_catalogue,
    "graph.html": _page("network"),
    "timeline.html": _page("timeline"),
}


def producers(
    stats: Stats | None = None, *, sparql_endpoint: str | None = None
) -> dict[str, Producer]:
    """The producers a build runs: :data:`ARTIFACTS`, with ``void.ttl`` given the figures
    the build has already computed (they are costly on a large graph) and the endpoint."""
    chosen = dict(ARTIFACTS)
    if "void.ttl" in chosen:
        chosen["void.ttl"] = _void(sparql_endpoint, stats)
    return chosen


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    report: ValidationReport
    stats: object  # vetgraph.check.stats.Stats
    files: dict[str, bytes] = field(default_factory=dict)


def build_outputs(
    inputs: Sequence[Path | str] | None = None,
    progress: Callable[[str], None] = lambda _label: None,
    *,
    sparql_endpoint: str | None = None,
    graph: KnowledgeGraph | None = None,
) -> BuildResult:
    """Load, validate and, when the graph conforms, serialise every output.

    When validation finds a violation, ``files`` stays empty: nothing is to be written.
    ``sparql_endpoint`` is the address the graph is served at, for ``void.ttl``. ``graph``:
    a graph loaded already (from the cache or a store on disk), instead of ``inputs``.
    """
    from vetgraph.check.stats import compute
    from vetgraph.check.validation import validate
    from vetgraph.graph.build import load

    progress("Reading ontology and data")
    kg = graph if graph is not None else load(inputs)
    progress("Validating")
    report = validate(kg)
    figures = compute(kg)
    result = BuildResult(graph=kg, report=report, stats=figures)
    if not report.conforms:
        return result
    for name, produce in producers(figures, sparql_endpoint=sparql_endpoint).items():
        progress(f"Preparing {name}")
        result.files[name] = produce(kg, report)
    return result
