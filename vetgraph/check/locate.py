"""Where a finding is stated: the file and line of each place its entity (or claim) is written,
so that a report names ``my-data.trig:4`` rather than leaving the user to search."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox

from vetgraph.check.report import Finding, iri_of
from vetgraph.graph.store import KnowledgeGraph


def locate(kg: KnowledgeGraph, finding: Finding) -> Finding:
    """Add the files (and lines) in which the finding's entity is stated: the files of the
    named graphs it is the subject of, or that it names (a claim); failing those, the input
    files whose text mentions it."""
    iri = iri_of(finding.entity)
    if iri is None:
        return finding
    files: set[Path] = set()
    if iri in kg.origins:  # the entity is a named graph: a claim
        files.add(kg.origins[iri])
    for row in kg.select(
        "SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
        bindings={"s": ox.NamedNode(iri)},
    ):
        origin = kg.origins.get(row["g"].value) if isinstance(row["g"], ox.NamedNode) else None
        if origin is not None:
            files.add(origin)
    if not files:  # stated only in the default graph: the input files that mention it
        files = {f for f in kg.files if f.suffix in _TRIPLE_SUFFIXES}
    found = (_line_of(path, iri) for path in sorted(files))
    where = tuple(sorted(line for line in found if line is not None))
    return Finding(**{**asdict(finding), "where": where})


_TRIPLE_SUFFIXES = {".ttl", ".nt", ".rdf", ".jsonld", ".owl", ".n3", ".trig", ".nq"}


def _line_of(path: Path, iri: str) -> str | None:
    """``path:line`` of the first line that names the IRI (in full or as a CURIE); the path
    alone when the file cannot be searched; None when its text does not name the IRI."""
    shown = _display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return shown
    prefixes = dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", text, flags=re.I))
    forms = [f"<{iri}>", f'"{iri}"']  # Turtle/N-Triples, and JSON-LD or RDF/XML
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and iri != namespace:
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    pattern = re.compile("|".join(re.escape(f) + r"(?![\w.-]*[\w-])" for f in forms))
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line) and not line.lstrip().startswith(
            ("@prefix", "#", "vgg:provenance")
        ):
            return f"{shown}:{number}"
    return None


def _display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
