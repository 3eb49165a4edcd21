"""Delta reports: what changed between two versions of the graph, entity by entity.

``compare(old, new)`` reads two files or two folders and reports the triples added and
removed, grouped by the entity they describe and by that entity's class, like the delta
reports that accompany ESCO releases: per class, how many entities were added, removed or
changed, and for each entity the statements that appeared and disappeared.

What is read:

* a file: its triples (any syntax vetgraph reads);
* a folder that holds a build (``vetgraph.trig``): that build's dataset;
* any other folder: every RDF file in it (``data/`` of two checkouts, say).

Triples are compared as the union of all named graphs. A blank node has no name to
compare by, so it is compared by what it says: ``claim:x prov:qualifiedDerivation
[ prov:entity src:y ; vet:section "..." ; vet:sentence 1 ]`` is one statement of four
triples, and it is unchanged whatever label the blank node gets in either file. Named
graphs that appear or disappear (claims, mostly) are listed separately.

>>> a = [ox.Quad(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"),
...              ox.Literal("old"))]
>>> b = [ox.Quad(ox.NamedNode("http://ex.org/a"), ox.NamedNode("http://ex.org/p"),
...              ox.Literal("new"))]
>>> delta = compare_quads(a, b)
>>> delta.triples_added, delta.triples_removed, [e.status for e in delta.entities]
(1, 1, ['changed'])
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.graph.namespaces import RDF, RDFS, SKOS, XSD, curie

NO_CLASS = "(no class)"
_SHORTHAND = {
    XSD.integer: re.compile(r"^[+-]?[0-9]+$"),
    XSD.boolean: re.compile(r"^(true|false)$"),
}
BLANK = "(blank nodes)"
BUILD_FILES = ("vetgraph.trig", "vetgraph.nq")


@dataclass(frozen=True, order=True)
class Statement:
    """One statement about a subject: a triple, or a triple whose object is a blank node
    together with everything that blank node says."""

    subject: str  # IRI, or BLANK for a blank node nobody points to
    text: str  # "vet:startDate \"2014\"^^xsd:gYear", nested blank nodes inline
    triples: int = 1


@dataclass
class EntityChange:
    entity: str  # IRI (or BLANK)
    label: str | None
    classes: tuple[str, ...]  # CURIEs
    status: str  # "added", "removed" or "changed"
    added: list[Statement] = field(default_factory=list)
    removed: list[Statement] = field(default_factory=list)

    @property
    def group(self) -> str:
        return ", ".join(self.classes) if self.classes else NO_CLASS


@dataclass
class Delta:
    old: str
    new: str
    old_triples: int
    new_triples: int
    entities: list[EntityChange]
    graphs_added: list[str]
    graphs_removed: list[str]

    @property
    def triples_added(self) -> int:
        return sum(s.triples for e in self.entities for s in e.added)

    @property
    def triples_removed(self) -> int:
        return sum(s.triples for e in self.entities for s in e.removed)

    @property
    def unchanged(self) -> bool:
        return not self.entities and not self.graphs_added and not self.graphs_removed

    def by_class(self) -> dict[str, list[EntityChange]]:
        groups: dict[str, list[EntityChange]] = defaultdict(list)
        for change in self.entities:
            groups[change.group].append(change)
        return dict(sorted(groups.items(), key=lambda kv: (kv[0] == NO_CLASS, kv[0])))


# -- reading --------------------------------------------------------------------------------


def read(path: Path | str) -> list[ox.Quad]:
    """The quads of a file, a build folder or a folder of RDF files."""
    from vetgraph.graph.build import expand_inputs, parse_file

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        for name in BUILD_FILES:
            if (path / name).is_file():
                return parse_file(path / name)
        return [q for file in expand_inputs([path]) for q in parse_file(file)]
    return parse_file(path)


def compare(old: Path | str, new: Path | str) -> Delta:
    """The delta report between two files or folders (see the module docstring)."""
    delta = compare_quads(read(old), read(new))
    delta.old, delta.new = str(old), str(new)
    return delta


def compare_quads(old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> Delta:
    before, after = _Side(old), _Side(new)
    added = after.statements - before.statements
    removed = before.statements - after.statements
    subjects = sorted({s.subject for s in added | removed})
    changes = []
    for subject in subjects:
        side = after if subject in after.subjects else before
        status = (
            "added"
            if subject not in before.subjects
            else "removed"
            if subject not in after.subjects
            else "changed"
        )
        changes.append(
            EntityChange(
                entity=subject,
                label=after.labels.get(subject) or before.labels.get(subject),
                classes=tuple(sorted(side.classes.get(subject, ()))),
                status=status,
                added=sorted(s for s in added if s.subject == subject),
                removed=sorted(s for s in removed if s.subject == subject),
            )
        )
    return Delta(
        old="old",
        new="new",
        old_triples=len(before.triples),
        new_triples=len(after.triples),
        entities=changes,
        graphs_added=sorted(after.graphs - before.graphs),
        graphs_removed=sorted(before.graphs - after.graphs),
    )


class _Side:
    """One version: its distinct triples, turned into statements about subjects."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.graphs: set[str] = set()
        triples: set[ox.Triple] = set()
        for q in quads:
            if isinstance(q.graph_name, ox.NamedNode):
                self.graphs.add(q.graph_name.value)
            triples.add(ox.Triple(q.subject, q.predicate, q.object))
        self.triples = triples
        self.about: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        referenced: set[ox.BlankNode] = set()
        for t in triples:
            if isinstance(t.subject, ox.BlankNode):
                self.about[t.subject].append(t)
            if isinstance(t.object, ox.BlankNode):
                referenced.add(t.object)
        self.subjects: set[str] = set()
        self.classes: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}
        statements: set[Statement] = set()
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                subject = t.subject.value
                self.subjects.add(subject)
                text, count = self._render_pair(t, frozenset())
                statements.add(Statement(subject, text, count))
                self._note(subject, t)
        for blank in self.about:
            if blank not in referenced:  # a root blank node: nothing points to it
                text, count = self._render_blank(blank, frozenset())
                statements.add(Statement(BLANK, text, count))
                self.subjects.add(BLANK)
        self.statements = statements

    def _note(self, subject: str, t: ox.Triple) -> None:
        if t.predicate.value == RDF.type and isinstance(t.object, ox.NamedNode):
            self.classes[subject].add(curie(t.object.value))
        elif t.predicate.value in (RDFS.label, SKOS.prefLabel) and isinstance(t.object, ox.Literal):
            current = self.labels.get(subject)
            english = (t.object.language or "").startswith("en")
            if current is None or (english and t.predicate.value == RDFS.label):
                self.labels[subject] = t.object.value

    def _render_pair(self, t: ox.Triple, seen: frozenset[ox.BlankNode]) -> tuple[str, int]:
        if isinstance(t.object, ox.BlankNode):
            inner, count = self._render_blank(t.object, seen)
            return f"{curie(t.predicate.value)} {inner}", 1 + count
        return f"{curie(t.predicate.value)} {show(t.object)}", 1

    def _render_blank(self, node: ox.BlankNode, seen: frozenset[ox.BlankNode]) -> tuple[str, int]:
        if node in seen:  # a cycle of blank nodes: say so instead of recursing forever
            return "[ (cycle) ]", 0
        parts, total = [], 0
        for t in self.about.get(node, []):
            text, count = self._render_pair(t, seen | {node})
            parts.append(text)
            total += count
        if not parts:
            return "[]", 0
        return "[ " + " ; ".join(sorted(parts)) + " ]", total


def show(term: object) -> str:
    """A term as in Turtle, with the project's prefixes."""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.Literal):
        text = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        shorthand = _SHORTHAND.get(term.datatype.value)
        if shorthand is not None and shorthand.match(term.value):
            return term.value  # as Turtle writes it: 12, true
        if term.datatype.value != XSD.string:
            return f"{text}^^{curie(term.datatype.value)}"
        return text
    if isinstance(term, ox.BlankNode):
        return "[]"
    return str(term)


# -- rendering ------------------------------------------------------------------------------

_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def render_text(delta: Delta) -> str:
    lines = [
        f"vetgraph diff: {delta.old} -> {delta.new}",
        f"  triples: {delta.old_triples} -> {delta.new_triples} "
        f"(+{delta.triples_added} added, -{delta.triples_removed} removed)",
        f"  entities: {_count(delta, 'added')} added, {_count(delta, 'removed')} removed, "
        f"{_count(delta, 'changed')} changed",
        f"  named graphs: +{len(delta.graphs_added)} added, -{len(delta.graphs_removed)} removed",
    ]
    if delta.unchanged:
        lines += ["", "No differences."]
        return "\n".join(lines) + "\n"
    for group, changes in delta.by_class().items():
        lines += ["", f"{group} ({_summary(changes)})"]
        for change in changes:
            label = f"  {json.dumps(change.label, ensure_ascii=False)}" if change.label else ""
            lines.append(f"  {_SIGN[change.status]} {_name(change.entity)}{label}")
            lines += [f"      - {s.text}" for s in change.removed]
            lines += [f"      + {s.text}" for s in change.added]
    for title, graphs in (
        ("Named graphs added", delta.graphs_added),
        ("Named graphs removed", delta.graphs_removed),
    ):
        if graphs:
            lines += ["", f"{title} ({len(graphs)}):"]
            lines += [f"  {curie(g)}" for g in graphs]
    return "\n".join(lines) + "\n"


def render_markdown(delta: Delta) -> str:
    lines = [
        f"# Delta report: `{delta.old}` → `{delta.new}`",
        "",
        "| | before | after | added | removed |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| triples | {delta.old_triples} | {delta.new_triples} | {delta.triples_added} "
        f"| {delta.triples_removed} |",
        f"| named graphs | | | {len(delta.graphs_added)} | {len(delta.graphs_removed)} |",
        "",
    ]
    if delta.unchanged:
        lines.append("No differences.")
        return "\n".join(lines) + "\n"
    groups = delta.by_class()
    lines += [
        "## Summary by class",
        "",
        "| class | entities added | entities removed | entities changed "
        "| triples added | triples removed |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for group, changes in groups.items():
        plus = sum(s.triples for c in changes for s in c.added)
        minus = sum(s.triples for c in changes for s in c.removed)
        counts = " | ".join(
            str(sum(c.status == k for c in changes)) for k in ("added", "removed", "changed")
        )
        lines.append(f"| {_md(group)} | {counts} | {plus} | {minus} |")
    for group, changes in groups.items():
        lines += ["", f"## {_md(group)}"]
        for change in changes:
            label = f" — {_md(change.label)}" if change.label else ""
            lines += ["", f"### `{_name(change.entity)}`{label} ({change.status})", "", "```diff"]
            lines += [f"- {s.text}" for s in change.removed]
            lines += [f"+ {s.text}" for s in change.added]
            lines.append("```")
    for title, graphs in (
        ("Named graphs added", delta.graphs_added),
        ("Named graphs removed", delta.graphs_removed),
    ):
        if graphs:
            lines += ["", f"## {title}", ""]
            lines += [f"- `{curie(g)}`" for g in graphs]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "md": render_markdown}


def _count(delta: Delta, status: str) -> int:
    return sum(e.status == status for e in delta.entities)


def _summary(changes: list[EntityChange]) -> str:
    parts = []
    for status in ("added", "removed", "changed"):
        n = sum(c.status == status for c in changes)
        if n:
            parts.append(f"{n} {status}")
    return ", ".join(parts)


def _name(entity: str) -> str:
    return entity if entity == BLANK else curie(entity)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
