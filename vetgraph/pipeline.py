"""The main job, end to end: files → graph → validation → the output files (as bytes).

The CLI writes the files (atomically); this module only computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .store import KnowledgeGraph
from .validation import ValidationReport

Producer = Callable[[KnowledgeGraph, ValidationReport], bytes]


def _export(fmt: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from .export import serialize

        return serialize(kg, fmt)

    return produce


def _report(renderer: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from .validation import RENDERERS

        return RENDERERS[renderer](report).encode()

    return produce


def _page(layout: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from .network import to_networkx
        from .visualise import render

        title = "vetgraph timeline" if layout == "timeline" else "vetgraph"
        return render(to_networkx(kg), title=title, layout=layout).html.encode("utf-8")

    return produce


#: What ``vetgraph build`` writes into its output folder: file name → producer.
ARTIFACTS: dict[str, Producer] = {
    "vetgraph.trig": _export("trig"),
    "vetgraph.ttl": _export("ttl"),
    "validation-report.txt": _report("text"),
    "validation-report.json": _report("json"),
    "graph.html": _page("network"),
    "timeline.html": _page("timeline"),
}


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    report: ValidationReport
    stats: object  # vetgraph.stats.Stats
    files: dict[str, bytes] = field(default_factory=dict)


def build_outputs(
    inputs: Sequence[Path | str] | None = None,
    progress: Callable[[str], None] = lambda _label: None,
) -> BuildResult:
    """Load, validate and, when the graph conforms, serialise every output.

    When validation finds a violation, ``files`` stays empty: nothing is to be written.
    """
    from .build import load
    from .stats import compute
    from .validation import validate

    progress("Reading ontology and data")
    kg = load(inputs)
    progress("Validating")
    report = validate(kg)
    figures = compute(kg)
    result = BuildResult(graph=kg, report=report, stats=figures)
    if not report.conforms:
        return result
    for name, produce in ARTIFACTS.items():
        progress(f"Preparing {name}")
        result.files[name] = produce(kg, report)
    return result
