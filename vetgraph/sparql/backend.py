"""Where a query runs: the ``Backend`` protocol and the embedded store as one of them (a remote
endpoint is ``endpoint.Endpoint``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from vetgraph.sparql.binding import BoundQuery
from vetgraph.sparql.results import materialize

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph


class Backend(Protocol):
    """Where a query runs: the embedded store or a remote endpoint (``endpoint.Endpoint``)."""

    def execute(self, query: BoundQuery) -> Any:
        """Solutions (``ox.QuerySolutions``), a bool (ASK) or triples (CONSTRUCT/DESCRIBE)."""
        ...

    def describe(self) -> str:
        """Where the query ran, for messages."""
        ...


@dataclass
class LocalBackend:
    """The embedded Oxigraph store; the default graph is the union of all graphs."""

    graph: KnowledgeGraph

    def execute(self, query: BoundQuery) -> Any:
        try:
            result = self.graph.store.query(query.text, use_default_graph_as_union=True)
            if query.calls_service:
                # Oxigraph calls the endpoint only as the answer is read: read it here, so
                # that a failing endpoint is an error of this call (exit 3), not a crash
                # while the answer is being written.
                return materialize(result)
            return result
        except SyntaxError as exc:
            raise query.syntax_error(exc) from None
        except OSError as exc:  # only SERVICE calls reach the network
            from vetgraph.errors import RemoteError

            raise RemoteError(f"{query.where}: a SERVICE call failed: {exc}") from None

    def describe(self) -> str:
        return "the graph"
