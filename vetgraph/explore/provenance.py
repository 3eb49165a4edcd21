"""Provenance a reader can check quickly: a fact's citations grouped by source document, each
document once, with its kind (official EU, national authority, project, third party), the date
the curators read it and every place in it that supports the fact.

Shared by every page that shows sources: the views' details, the entity and source pages.

>>> cites = [
...     {"source": "s:a", "title": "A", "url": "u", "kind": "vet:OfficialEUSource",
...      "retrieved": "2026-11-25", "section": "1", "locator": "sentence 2", "claim": "c:1"},
...     {"source": "s:a", "title": "A", "url": "u", "kind": "vet:OfficialEUSource",
...      "retrieved": "2026-11-25", "section": "1", "locator": "sentence 2", "claim": "c:2"},
...     {"source": "s:a", "title": "A", "url": "u", "kind": "vet:OfficialEUSource",
...      "retrieved": "2026-11-25", "section": "2", "locator": "sentence 1", "claim": "c:1"},
... ]
>>> [(d["title"], d["kind_label"], d["places"]) for d in by_document(cites)]
[('A', 'official EU', ['1, sentence 2', '2, sentence 1'])]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Source kind (CURIE) → the words a page shows, in the order of trust.
KIND_LABELS = {
    "vet:OfficialEUSource": "official EU",
    "vet:NationalAuthoritySource": "national authority",
    "vet:ProjectSite": "project",
    "vet:ThirdPartySource": "third party",
}
_RANK = {kind: rank for rank, kind in enumerate(KIND_LABELS)}


def kind_label(kind: str | None) -> str:
    """The words for a source kind (``vet:ThirdPartySource`` → ``third party``)."""
    if kind is None:
        return "kind not recorded"
    return KIND_LABELS.get(kind, kind.split(":")[-1])


def place(citation: dict[str, Any]) -> str:
    """Where in its document a citation points: section and locator, as one phrase."""
    parts = [part for part in (citation.get("section"), citation.get("locator")) if part]
    return ", ".join(parts) if parts else "the whole document"


def by_document(citations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Citations (dicts as :func:`vetgraph.explore.network.citations_of` gives them) grouped
    by source document: one dict per document (source, title, url, kind, kind_label,
    retrieved, places), official sources first, then by title; places without repeats."""
    documents: dict[str, dict[str, Any]] = {}
    for citation in citations:
        document = documents.setdefault(
            citation["source"],
            {
                "source": citation["source"],
                "title": citation.get("title") or citation["source"],
                "url": citation.get("url"),
                "kind": citation.get("kind"),
                "kind_label": kind_label(citation.get("kind")),
                "retrieved": citation.get("retrieved"),
                "places": [],
            },
        )
        where = place(citation)
        if where not in document["places"]:
            document["places"].append(where)
    return sorted(
        documents.values(),
        key=lambda d: (_RANK.get(d["kind"], len(_RANK)), d["title"].casefold(), d["source"]),
    )
