"""vetgraph: an open knowledge graph of EU vocational education and training policy.

The public API (imported lazily, so that ``import vetgraph`` stays cheap)::

    kg = vetgraph.load()                 # the bundled graph (or load([paths]))
    kg = vetgraph.load("big.ttl", cache=True)   # kept in a store on disk: reopened at once
    kg = vetgraph.load(store="big-store")        # a store built by `vetgraph load --store`
    report = vetgraph.validate(kg)       # SHACL shapes + check queries → a report
    report.conforms, report.findings
    page = vetgraph.viz(kg, focus="vg:bruges-communique", depth=2)   # shows inline in Jupyter
    page.save("bruges.html")
    rows = vetgraph.query("sources-of-entity", entity="Bruges Communiqué")
    rows.to_dataframe()                  # with pandas (pip install 'vetgraph-eu[pandas]')
    vetgraph.query("SELECT ...", graph=vetgraph.Endpoint("http://host/sparql"))
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "Endpoint",
    "ExitCode",
    "Finding",
    "InputError",
    "KnowledgeGraph",
    "OutputError",
    "QueryError",
    "RDFSyntaxError",
    "RemoteError",
    "ValidationReport",
    "VetgraphError",
    "load",
    "query",
    "validate",
    "viz",
]

_LAZY = {
    "load": ("vetgraph.graph.build", "load"),
    "validate": ("vetgraph.check.validation", "validate"),
    "viz": ("vetgraph.explore.visualise", "viz"),
    "query": ("vetgraph.sparql.running", "query"),
    "Endpoint": ("vetgraph.sparql.endpoint", "Endpoint"),
    "KnowledgeGraph": ("vetgraph.graph.store", "KnowledgeGraph"),
    "ValidationReport": ("vetgraph.check.report", "ValidationReport"),
    "Finding": ("vetgraph.check.report", "Finding"),
    "ExitCode": ("vetgraph.errors", "ExitCode"),
    "VetgraphError": ("vetgraph.errors", "VetgraphError"),
    "InputError": ("vetgraph.errors", "InputError"),
    "RDFSyntaxError": ("vetgraph.errors", "RDFSyntaxError"),
    "QueryError": ("vetgraph.errors", "QueryError"),
    "RemoteError": ("vetgraph.errors", "RemoteError"),
    "OutputError": ("vetgraph.errors", "OutputError"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'vetgraph' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
