"""Coverage figures: entities per class, facts per kind of source, facts with and without a
locator. Each figure comes from a report query in ``queries/reports/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from vetgraph.graph.namespaces import curie
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.sparql.library import load_library


@dataclass
class Stats:
    triples: int
    facts_with_locator: int
    facts_without_locator: int
    entities_per_class: list[tuple[str, str, int]] = field(default_factory=list)
    facts_per_source_kind: list[tuple[str, str, int]] = field(default_factory=list)
    sources: list[tuple[str, str, str, int]] = field(default_factory=list)

    @property
    def facts(self) -> int:
        return self.facts_with_locator + self.facts_without_locator

    @property
    def entities(self) -> int:
        return sum(n for _, _, n in self.entities_per_class)

    def as_dict(self) -> dict[str, object]:
        return {
            "triples": self.triples,
            "facts": self.facts,
            "facts_with_locator": self.facts_with_locator,
            "facts_without_locator": self.facts_without_locator,
            "entities_per_class": [
                {"class": c, "label": label, "entities": n}
                for c, label, n in self.entities_per_class
            ],
            "facts_per_source_kind": [
                {"kind": k, "label": label, "facts": n}
                for k, label, n in self.facts_per_source_kind
            ],
            "sources": [
                {"source": s, "title": t, "kind": k, "facts": n} for s, t, k, n in self.sources
            ],
        }


def compute(kg: KnowledgeGraph) -> Stats:
    reports = {q.name: q for q in load_library("reports")}

    def rows(name: str) -> list[ox.QuerySolution]:
        query = reports[name]
        return kg.select(query.text, where=str(query.path))

    located = rows("facts-by-locator")[0]
    return Stats(
        triples=len(kg),
        facts_with_locator=_int(located["withLocator"]),
        facts_without_locator=_int(located["withoutLocator"]),
        entities_per_class=[
            (curie(r["class"].value), _str(r["label"]), _int(r["entities"]))
            for r in rows("entities-per-class")
        ],
        facts_per_source_kind=[
            (curie(r["kind"].value), _str(r["label"]), _int(r["facts"]))
            for r in rows("facts-per-source-kind")
        ],
        sources=[
            (curie(r["source"].value), _str(r["title"]), curie(r["kind"].value), _int(r["facts"]))
            for r in rows("sources-cited")
        ],
    )


def _int(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def _str(term: ox.Literal | None) -> str:
    return term.value if term is not None else ""
