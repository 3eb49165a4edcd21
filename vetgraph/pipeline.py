"""The main job, end to end: files → graph → validation → the output files (as bytes).

The CLI writes the files (atomically); this module only computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .store import KnowledgeGraph
from .validate import ValidationReport

#: What ``vetgraph build`` writes, by file name → export format.
GRAPH_OUTPUTS = {"vetgraph.trig": "trig", "vetgraph.ttl": "ttl"}


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
    from .export import serialize
    from .stats import compute
    from .validate import render_json, render_text, validate

    progress("Reading ontology and data")
    kg = load(inputs)
    progress("Validating")
    report = validate(kg)
    figures = compute(kg)
    result = BuildResult(graph=kg, report=report, stats=figures)
    if not report.conforms:
        return result
    for name, fmt in GRAPH_OUTPUTS.items():
        progress(f"Writing {name}")
        result.files[name] = serialize(kg, fmt)
    result.files["validation-report.txt"] = render_text(report).encode()
    result.files["validation-report.json"] = render_json(report).encode()
    return result
