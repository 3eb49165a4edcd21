"""The validation report as data (:class:`ValidationReport` of :class:`Finding` items with
severities) and its renderers: text for people, JSON, and a SHACL report graph in Turtle."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from vetgraph.graph.namespaces import SH

SEVERITIES = ("violation", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, which entity, property and value, and where it is stated."""

    severity: str
    rule: str  # the shape's or check's label
    message: str
    entity: str | None = None
    property: str | None = None
    value: str | None = None
    source: str = ""  # the shape IRI or the check's file name
    where: tuple[str, ...] = ()  # "data/x.trig:12" for each place the entity is stated

    def describe(self) -> str:
        """One line in words, e.g. ``vg:x  vet:date "abc": dates must be ...``."""
        parts = [p for p in (self.entity, self.property, self.value) if p]
        subject = "  ".join(parts) if parts else "(graph)"
        return f"{subject}: {self.message}"


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    triples: int = 0
    shapes: int = 0
    checks: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no finding is a violation (warnings do not fail a build)."""
        return not any(f.severity == "violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counter = Counter(f.severity for f in self.findings)
        return {s: counter.get(s, 0) for s in SEVERITIES}


def findings_by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.rule, []).append(f)
    return grouped


def render_text(report: ValidationReport) -> str:
    counts = report.counts()
    lines = [
        f"Validation: {report.triples} triples, {report.shapes} shapes, "
        f"{len(report.checks)} checks.",
        f"{counts['violation']} violation(s), {counts['warning']} warning(s), "
        f"{counts['info']} info.",
    ]
    by_rule: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault((f.severity, f.rule), []).append(f)
    for (severity, rule), items in by_rule.items():
        lines.append("")
        lines.append(f"{severity.upper()}: {rule} ({len(items)}) [{items[0].source}]")
        for f in items:
            lines.append(f"  - {f.describe()}")
            if f.where:
                lines.append(f"    stated in {', '.join(f.where)}")
    if report.conforms:
        lines.append("")
        lines.append("The graph conforms.")
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport) -> str:
    payload = {
        "conforms": report.conforms,
        "triples": report.triples,
        "shapes": report.shapes,
        "checks": report.checks,
        "counts": report.counts(),
        "findings": [asdict(f) for f in report.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The findings as a SHACL validation report graph (``sh:ValidationReport``)."""
    import rdflib
    from rdflib.namespace import RDF, XSD

    from vetgraph.graph.namespaces import bind_prefixes, expand

    g = bind_prefixes(rdflib.Graph())
    sh = rdflib.Namespace(SH)
    root = rdflib.BNode("report")
    g.add((root, RDF.type, sh.ValidationReport))
    g.add((root, sh.conforms, rdflib.Literal(report.conforms, datatype=XSD.boolean)))
    for i, f in enumerate(report.findings):
        node = rdflib.BNode(f"r{i}")
        g.add((root, sh.result, node))
        g.add((node, RDF.type, sh.ValidationResult))
        g.add((node, sh.resultSeverity, sh[f.severity.capitalize()]))
        g.add((node, sh.resultMessage, rdflib.Literal(f"{f.rule}: {f.message}")))
        for pred, shown in (
            (sh.focusNode, f.entity),
            (sh.resultPath, f.property),
            (sh.value, f.value),
        ):
            term = _term_from_shown(shown, expand)
            if term is not None:
                g.add((node, pred, term))
    return g.serialize(format="turtle")


RENDERERS = {"text": render_text, "json": render_json, "turtle": render_turtle}


def iri_of(shown: str | None) -> str | None:
    from vetgraph.graph.namespaces import expand

    if not shown:
        return None
    if shown.startswith("<") and shown.endswith(">"):
        return shown[1:-1]
    return expand(shown)


def _term_from_shown(shown: str | None, expand: Any) -> Any:
    import rdflib

    if not shown:
        return None
    iri = iri_of(shown)
    if iri is not None:
        return rdflib.URIRef(iri)
    return rdflib.Literal(shown)
