"""Uploading a graph to a remote store: Graph Store Protocol PUT per named graph, or SPARQL
Update in batches that never split a blank node's triples, halved when the store refuses.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError, RemoteError
from vetgraph.sparql.auth import redact
from vetgraph.sparql.transport import HTTPStatusError

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.endpoint import Endpoint


@dataclass
class PushReport:
    url: str
    graphs: int
    triples: int
    requests: int
    method: str


class _NoGraphStore(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(status)
        self.status = status
        self.detail = detail


def _named_node(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"{iri!r} is not a valid graph IRI ({exc})") from None


def _graph_url(store_url: str, name: ox.NamedNode | None) -> str:
    joiner = "&" if "?" in store_url else "?"
    if name is None:
        return f"{store_url}{joiner}default"
    return f"{store_url}{joiner}graph={urllib.parse.quote(name.value, safe='')}"


def _update_term(term: Any, sparql_term: Callable[[Any], str]) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return sparql_term(term)


def _graphs(store: ox.Store) -> list[tuple[ox.NamedNode | None, list[ox.Triple]]]:
    groups: list[tuple[ox.NamedNode | None, list[ox.Triple]]] = []
    default = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    if default:
        groups.append((None, default))
    names = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)
    for name in names:
        groups.append((name, [q.triple for q in store.quads_for_pattern(None, None, None, name)]))
    return groups


def batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Split triples into batches of about ``size``, never splitting a blank node's triples.

    >>> b = ox.BlankNode("b")
    >>> p = ox.NamedNode("http://e/p")
    >>> ts = [ox.Triple(ox.NamedNode("http://e/a"), p, b), ox.Triple(b, p, ox.Literal("1")),
    ...       ox.Triple(ox.NamedNode("http://e/c"), p, ox.Literal("2"))]
    >>> [len(x) for x in batches(ts, 1)]
    [2, 1]
    """
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        nodes = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    groups: dict[Any, list[ox.Triple]] = {}
    for index, t in enumerate(triples):
        blank = next((n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)), None)
        groups.setdefault(root(blank) if blank is not None else index, []).append(t)
    batch: list[ox.Triple] = []
    for group in groups.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def push(
    endpoint: Endpoint,
    kg: KnowledgeGraph,
    *,
    graph: str | None = None,
    update_url: str | None = None,
    method: str = "auto",
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PushReport:
    """Upload every graph of ``kg`` (or all its triples into the one graph ``graph``).

    ``method``: ``auto`` (Graph Store Protocol, SPARQL Update if the server lacks it),
    ``gsp`` or ``update``. ``update_url`` is where updates go (default: ``url``).

    The SPARQL 1.1 Graph Store HTTP Protocol goes one named graph at a time (``PUT``
    replaces that graph, so pushing again updates rather than duplicates; triples outside
    named graphs are ``POST``\\ed to the default graph, which is never replaced). When the
    server does not speak the protocol it falls back to SPARQL Update (``DROP SILENT GRAPH``
    then ``INSERT { GRAPH ... } WHERE {}`` in batches). Batches never split the triples of
    one blank node, whose identity only holds within one request.
    """
    if method not in ("auto", "gsp", "update"):
        raise InputError(f"unknown push method {method!r}; use auto, gsp or update")
    if graph is not None:
        target = _named_node(graph)
        groups: list[tuple[ox.NamedNode | None, list[ox.Triple]]] = [
            (target, [q.triple for q in kg.store])
        ]
    else:
        groups = _graphs(kg.store)
    report = PushReport(url=endpoint.url, graphs=0, triples=0, requests=0, method="")
    use_update = method == "update"
    for index, (name, triples) in enumerate(groups):
        if not use_update:
            try:
                report.requests += _put_graph(endpoint, name, triples, batch_size or 100_000)
                report.method = "Graph Store Protocol"
            except _NoGraphStore as exc:
                if method == "gsp" or report.requests:  # it worked before
                    raise RemoteError(
                        f"{redact(endpoint.url)} does not accept Graph Store uploads: {exc.detail}",
                        hint="give the server's Graph Store endpoint, or --method update",
                    ) from None
                use_update = True
        if use_update:
            size = batch_size or 1_000
            report.requests += _insert_graph(endpoint, name, triples, size, update_url)
            report.method = "SPARQL Update"
        report.graphs += 1 if name is not None else 0
        report.triples += len(triples)
        if progress:
            progress(index + 1, len(groups))
    return report


def _put_graph(
    endpoint: Endpoint, name: ox.NamedNode | None, triples: list[ox.Triple], size: int
) -> int:
    requests = 0
    for number, batch in enumerate(batches(triples, size)):
        target = _graph_url(endpoint.url, name)
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        verb = "PUT" if number == 0 and name is not None else "POST"
        request = urllib.request.Request(target, data=body, method=verb)
        request.add_header("Content-Type", "text/turtle; charset=utf-8")
        try:
            endpoint.send(request, what="upload", idempotent=verb == "PUT")
        except HTTPStatusError as exc:
            if number == 0 and exc.status in (400, 404, 405, 406, 415, 501):
                raise _NoGraphStore(exc.status, exc.message) from None
            raise
        requests += 1
    return requests


def _insert_graph(
    endpoint: Endpoint,
    name: ox.NamedNode | None,
    triples: list[ox.Triple],
    size: int,
    url: str | None,
) -> int:
    requests = 0
    if name is not None:  # replace the graph, as a Graph Store PUT would
        endpoint.update(f"DROP SILENT GRAPH <{name.value}>", url=url)
        requests += 1
    pending = list(batches(triples, size))
    while pending:
        batch = pending.pop(0)
        try:
            endpoint.update(_insert_text(name, batch), url=url)
        except HTTPStatusError as exc:
            # Stores limit the size of one update (Virtuoso: 10000 lines of generated
            # SQL); split the batch, keeping blank nodes together, and try again.
            smaller = list(batches(batch, len(batch) // 2)) if len(batch) > 1 else []
            if exc.status not in (400, 413, 500) or len(smaller) < 2:
                raise
            pending[:0] = smaller
            continue
        requests += 1
    return requests


def _insert_text(name: ox.NamedNode | None, batch: list[ox.Triple]) -> str:
    """INSERT DATA, or INSERT {} WHERE {} when the batch has blank nodes (Virtuoso refuses
    blank nodes in INSERT DATA); the graph is named when ``name`` is given."""
    from vetgraph.sparql.binding import sparql_term

    body = "\n".join(
        " ".join(_update_term(t, sparql_term) for t in (s.subject, s.predicate, s.object)) + " ."
        for s in batch
    )
    if name is not None:
        body = f"GRAPH {sparql_term(name)} {{\n{body}\n}}"
    blank = any(isinstance(n, ox.BlankNode) for s in batch for n in (s.subject, s.object))
    if blank:
        return f"INSERT {{\n{body}\n}} WHERE {{}}"
    return f"INSERT DATA {{\n{body}\n}}"
