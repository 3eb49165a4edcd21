"""Validation: SHACL shapes and the ``queries/checks/*-violation.rq`` checks → a report.

The report is data (:class:`ValidationReport` with :class:`Finding` items and severities);
``render_text``, ``render_json`` and ``render_turtle`` turn it into text. Nothing here prints.

A check that finds nothing to check fails: the shape files, the check queries and the data
must all be found (see :mod:`vetgraph.graph.resources`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.graph import resources
from vetgraph.graph.namespaces import SH, curie
from vetgraph.graph.store import KnowledgeGraph, to_rdflib
from vetgraph.sparql.library import LibraryQuery, load_library

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


def validate(kg: KnowledgeGraph) -> ValidationReport:
    """Run the SHACL shapes and every check query on the graph."""
    report = ValidationReport(triples=len(kg))
    shapes_graph = _load_shapes()
    report.shapes = len(set(shapes_graph.subjects(_rdf_type(), _uri(SH.NodeShape))))
    report.findings += _run_shacl(kg, shapes_graph)
    checks = load_library("checks")
    report.checks = [q.name for q in checks]
    for query in checks:
        report.findings += _run_check(kg, query)
    report.findings = [_locate(kg, f) for f in report.findings]
    report.findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.rule, f.entity or ""))
    return report


# -- SHACL ----------------------------------------------------------------------------------


def _load_shapes():  # -> rdflib.Graph
    import rdflib

    from vetgraph.graph.build import parse_file

    shapes = rdflib.Graph()
    for path in resources.shape_files().values():
        for q in parse_file(path):
            shapes.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    if not any(True for _ in shapes.subjects(_rdf_type(), _uri(SH.NodeShape))):
        raise InputError("the shape files declare no sh:NodeShape: nothing would be checked")
    return shapes


def _run_shacl(kg: KnowledgeGraph, shapes) -> list[Finding]:
    import pyshacl

    data = kg.to_rdflib_graph()
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    findings = (
        []
        if conforms
        else [
            _shacl_finding(results, shapes, node)
            for node in results.subjects(_rdf_type(), _uri(SH.ValidationResult))
        ]
    )
    return findings + _ill_typed(data, findings)


ILL_TYPED = "literals are valid values of their datatype"


def _ill_typed(data, findings: list[Finding]) -> list[Finding]:
    """Literals whose text is not a value of their datatype (``"abc"^^xsd:date``,
    ``"three"^^xsd:integer``), wherever no shape already reported them.

    Oxigraph and rdflib both accept them when reading, so a file with one still loads.
    """
    import rdflib

    seen = {(f.entity, f.property, f.value) for f in findings}
    found = []
    for s, p, o in data:
        if not (isinstance(o, rdflib.Literal) and o.ill_typed):
            continue
        entity, prop, value = _show(s), _show(p), _show(o)
        if (entity, prop, value) in seen:
            continue
        seen.add((entity, prop, value))
        found.append(
            Finding(
                severity="violation",
                rule=ILL_TYPED,
                message=f'"{o!s}" is not a valid {curie(str(o.datatype))}',
                entity=entity,
                property=prop,
                value=value,
                source="RDF 1.1 (ill-typed literal)",
            )
        )
    return found


def _shacl_finding(results, shapes, node) -> Finding:
    def one(pred: str):
        return results.value(node, _uri(pred))

    severity = str(one(SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1].lower()
    shape = one(SH.sourceShape)
    owner = _node_shape_of(shapes, shape)
    rule = _label(shapes, shape) or _label(shapes, owner) or "SHACL shape"
    path = one(SH.resultPath)
    return Finding(
        severity=severity if severity in SEVERITIES else "violation",
        rule=rule,
        message=str(one(SH.resultMessage) or rule),
        entity=_show(one(SH.focusNode)),
        property=_show(path)
        if path is not None and not _is_blank(path)
        else _path_text(shapes, results, path),
        value=_show(one(SH.value)),
        source=curie(str(owner)) if owner is not None and not _is_blank(owner) else "SHACL",
    )


def _node_shape_of(shapes, shape):
    """The node shape a result comes from: the shape itself, or the one holding it."""
    if shape is None or (shape, _rdf_type(), _uri(SH.NodeShape)) in shapes:
        return shape
    for parent in shapes.subjects(_uri(SH.property), shape):
        return parent
    return shape


def _label(shapes, shape) -> str | None:
    from rdflib.namespace import RDFS

    if shape is None:
        return None
    label = shapes.value(shape, RDFS.label)
    return str(label) if label is not None else None


def _path_text(shapes, results, path) -> str | None:
    if path is None:
        return None
    inverse = results.value(path, _uri(SH.inversePath)) or shapes.value(path, _uri(SH.inversePath))
    return f"^{_show(inverse)}" if inverse is not None else None


# -- checks ---------------------------------------------------------------------------------


def _run_check(kg: KnowledgeGraph, query: LibraryQuery) -> list[Finding]:
    solutions = kg.query(query.text, where=str(query.path))
    if not isinstance(solutions, ox.QuerySolutions):
        raise InputError(f"{query.path}: a check must be a SELECT query")
    names = [v.value for v in solutions.variables]
    if names != ["entity", "property", "value"]:
        raise InputError(
            f"{query.path}: a check must return ?entity ?property ?value, not "
            + " ".join(f"?{n}" for n in names)
        )
    findings = []
    for row in solutions:
        findings.append(
            Finding(
                severity="violation",
                rule=query.title,
                message=query.header.description,
                entity=_show_ox(row["entity"]),
                property=_show_ox(row["property"]),
                value=_show_ox(row["value"]),
                source=f"queries/checks/{query.path.name}",
            )
        )
    return findings


# -- where is it stated? --------------------------------------------------------------------


def _locate(kg: KnowledgeGraph, finding: Finding) -> Finding:
    """Add the files (and lines) in which the finding's entity is stated."""
    iri = _iri_of(finding.entity)
    if iri is None:
        return finding
    files: set[Path] = set()
    for row in kg.select(
        "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
        bindings={"s": ox.NamedNode(iri)},
    ):
        origin = kg.origins.get(row["g"].value) if isinstance(row["g"], ox.NamedNode) else None
        if origin is not None:
            files.add(origin)
    if not files:  # stated only in the default graph: any input file may hold it
        files = {
            f for f in kg.files if f.suffix in {".ttl", ".nt", ".rdf", ".jsonld", ".owl", ".n3"}
        }
    where = tuple(sorted(_line_of(path, iri) for path in files))
    return Finding(**{**asdict(finding), "where": where})


def _line_of(path: Path, iri: str) -> str:
    """``path:line`` of the first line that names the IRI (in full or as a CURIE)."""
    shown = _display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return shown
    prefixes = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", text, flags=re.I))
    forms = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and iri != namespace:
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    pattern = re.compile("|".join(re.escape(f) + r"(?![\w.-]*[\w-])" for f in forms))
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line) and not line.lstrip().startswith(
            ("@prefix", "#", "vgg:provenance")
        ):
            return f"{shown}:{number}"
    return shown


def _display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -- rendering ------------------------------------------------------------------------------


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


# -- small helpers --------------------------------------------------------------------------


def _uri(iri: str):
    import rdflib

    return rdflib.URIRef(iri)


def _rdf_type():
    from rdflib.namespace import RDF

    return RDF.type


def _is_blank(term) -> bool:
    import rdflib

    return isinstance(term, rdflib.BNode)


def _show(term) -> str | None:
    """A term for people: CURIE for IRIs, N-Triples-like for literals, _:b for blanks."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return curie(str(term))
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)[:8]
    if isinstance(term, rdflib.Literal):
        return _literal_text(
            str(term), term.language, str(term.datatype) if term.datatype else None
        )
    return str(term)


def _show_ox(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value[:8]
    if isinstance(term, ox.Literal):
        return _literal_text(term.value, term.language, term.datatype.value)
    return str(term)


def _literal_text(value: str, language: str | None, datatype: str | None) -> str:
    text = json.dumps(value if len(value) <= 120 else value[:117] + "...", ensure_ascii=False)
    if language:
        return f"{text}@{language}"
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"{text}^^{curie(datatype)}"
    return text


def _iri_of(shown: str | None) -> str | None:
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
    iri = _iri_of(shown)
    if iri is not None:
        return rdflib.URIRef(iri)
    return rdflib.Literal(shown)


def findings_by_rule(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.rule, []).append(f)
    return grouped
