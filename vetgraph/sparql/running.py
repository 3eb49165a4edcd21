"""Preparing and running a query: check it, bind its parameters and run it on a backend;
``query()``, the Python API for notebooks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from vetgraph.sparql.backend import Backend, LocalBackend
from vetgraph.sparql.binding import BoundQuery, Term, bind
from vetgraph.sparql.library import LibraryQuery, Parameter, get_query, parse_header
from vetgraph.sparql.readonly import analyse, refuse_services
from vetgraph.sparql.results import materialize
from vetgraph.sparql.values import declared_bindings, undeclared_bindings

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.results import QueryResult


def prepare(
    query: str | LibraryQuery,
    params: Mapping[str, Any] | None = None,
    *,
    backend: Backend | None = None,
    allow_service: bool = False,
    where: str | None = None,
    limit: int | None = None,
) -> BoundQuery:
    """Check a query (library query or SPARQL text) and bind its parameters.

    Declared parameters (a library query's header, or a ``# title:`` header at the top of
    the text) are typed; any other parameter must name a variable of the query and binds it
    to a plain literal, or to an IRI when written ``<...>``. A list value binds several.
    ``limit`` caps a SELECT query at that many solutions.
    """
    params = dict(params or {})
    declared: tuple[Parameter, ...] | None
    if isinstance(query, LibraryQuery):
        text, label, declared = query.text, where or query.name, query.header.params
    else:
        text, label = query, where or "<query>"
        declared = parse_header(text, label).params if _has_header(text) else None
    shape = analyse(text, label)
    if shape.services:  # the scan costs 25 µs a run, a third of vetgraph's own time
        refuse_services(shape, text, label, allow=allow_service)
    if declared is not None:
        bindings = declared_bindings(declared, params, label, backend)
    else:
        bindings = undeclared_bindings(shape, params, label)
    return _bind_once(text, label, tuple((k, tuple(v)) for k, v in bindings.items()), limit)


@lru_cache(maxsize=512)
def _bind_once(
    text: str,
    where: str,
    bindings: tuple[tuple[str, tuple[Term, ...]], ...],
    limit: int | None,
) -> BoundQuery:
    # The same query with the same values gives the same BoundQuery, text object and all:
    # Oxigraph then reuses the text's UTF-8 form. 35 µs a run, a third of vetgraph's own
    # time around a small library query on a large graph.
    return bind(text, dict(bindings), shape=analyse(text, where), where=where, limit=limit)


def _has_header(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("# title:")


def run(
    query: str | LibraryQuery,
    params: Mapping[str, Any] | None = None,
    *,
    backend: Backend,
    allow_service: bool = False,
    where: str | None = None,
) -> Any:
    """Prepare and run a query: ``ox.QuerySolutions``, a bool, or an iterable of triples."""
    bound = prepare(query, params, backend=backend, allow_service=allow_service, where=where)
    return backend.execute(bound)


def query(
    name_or_text: str,
    graph: KnowledgeGraph | Backend | None = None,
    *,
    allow_service: bool = False,
    **params: Any,
) -> QueryResult:
    """Run a library query (by name) or SPARQL text, for notebooks.

    ``graph`` is a loaded graph (``vetgraph.load()``), a remote ``vetgraph.Endpoint``
    or None for the bundled graph (loaded once per process). Keyword arguments are the
    parameters (a list binds several values). Returns :class:`vetgraph.sparql.results.Rows` for
    SELECT (``rows.to_dataframe()`` with pandas installed), a bool for ASK, and
    :class:`vetgraph.sparql.results.Triples` for CONSTRUCT and DESCRIBE.
    """
    backend = _backend(graph)
    source: str | LibraryQuery = name_or_text
    if _QUERY_NAME.fullmatch(name_or_text.strip()):
        source = get_query(name_or_text.strip())
    return materialize(run(source, params, backend=backend, allow_service=allow_service))


_QUERY_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _backend(graph: Any) -> Backend:
    from vetgraph.graph.store import KnowledgeGraph

    if graph is None:
        return LocalBackend(_bundled())
    if isinstance(graph, KnowledgeGraph):
        return LocalBackend(graph)
    if hasattr(graph, "execute"):
        return graph
    raise TypeError(f"graph must be a KnowledgeGraph or an Endpoint, not {type(graph).__name__}")


_BUNDLED: list[KnowledgeGraph] = []


def _bundled() -> KnowledgeGraph:
    if not _BUNDLED:
        from vetgraph.graph.build import load

        _BUNDLED.append(load())
    return _BUNDLED[0]
