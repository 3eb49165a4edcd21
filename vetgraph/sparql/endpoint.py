"""Remote SPARQL endpoints and Graph Store upload.

**Querying** (:class:`Endpoint`): SPARQLWrapper builds the SPARQL 1.1 Protocol request
(URL-encoded POST, content negotiation only: no ``format=``/``output=`` parameters);
vetgraph sends it with its own :class:`~vetgraph.sparql.transport.Transport` (timeouts,
retries, authentication), and checks the body, not only the
status (an HTML page or an empty body with HTTP 200 is an error). Results are read into
Oxigraph terms, so a remote answer renders and compares exactly like a local one.

**Uploading** (:meth:`Endpoint.push`): the SPARQL 1.1 Graph Store HTTP Protocol, one named
graph at a time (``PUT`` replaces that graph, so pushing again updates rather than
duplicates; triples outside named graphs are ``POST``\\ed to the default graph, which is
never replaced). When the server does not speak the protocol it falls back to SPARQL Update
(``DROP SILENT GRAPH`` then ``INSERT { GRAPH ... } WHERE {}`` in batches). Batches never
split the triples of one blank node, whose identity only holds within one request.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError, RemoteError
from vetgraph.sparql.auth import ENV_PASSWORD, ENV_USER, Credentials, redact
from vetgraph.sparql.transport import HTTPStatusError, Response, Transport

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.queries import BoundQuery

_RESULTS_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.8, "
    "text/tab-separated-values;q=0.5"
)
_GRAPH_ACCEPT = (
    "text/turtle, application/n-triples;q=0.9, application/n-quads;q=0.8, "
    "application/rdf+xml;q=0.5, application/ld+json;q=0.5"
)


class Endpoint:
    """A remote SPARQL endpoint (or Graph Store), reached over HTTP.

    ``url`` is the query endpoint for :meth:`execute` and the Graph Store endpoint for
    :meth:`push`. Credentials default to the environment (see
    :class:`~vetgraph.sparql.auth.Credentials`).

    SPARQLWrapper builds the SPARQL 1.1 Protocol request (URL-encoded POST, content
    negotiation only: no ``format=``/``output=`` parameters); vetgraph sends it with its own
    :class:`Transport`, which adds what SPARQLWrapper lacks, and checks the body, not only
    the status (an HTML page or an empty body with HTTP 200 is an error). Results are read
    into Oxigraph terms, so a remote answer renders and compares exactly like a local one.
    """

    def __init__(
        self,
        url: str,
        *,
        credentials: Credentials | str | None = "env",
        connect_timeout: float = 10.0,
        read_timeout: float | None = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"{redact(url)!r} is not an http(s) URL", hint="e.g. http://localhost:7878/query"
            )
        if parts.username is not None or parts.password is not None:
            raise InputError(
                "put credentials in the environment, not in the endpoint URL",
                hint=f"set {ENV_USER} and {ENV_PASSWORD}",
            )
        self.url = url
        if isinstance(credentials, str):  # "env": read them from the environment
            credentials = Credentials.from_env()
        self.credentials: Credentials | None = credentials
        self.transport = Transport(
            url,
            credentials,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries=retries,
            backoff=backoff,
            max_wait=max_wait,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def describe(self) -> str:
        return f"the endpoint {self.url}"

    def send(
        self, request: urllib.request.Request, *, what: str = "request", idempotent: bool = True
    ) -> Response:
        """Send a request to this endpoint's server (see :meth:`Transport.send`)."""
        return self.transport.send(request, what=what, idempotent=idempotent)

    # -- queries ----------------------------------------------------------------------------

    def execute(self, query: BoundQuery) -> Any:
        """Run a bound query remotely: ``ox.QuerySolutions``, a bool, or a list of triples."""
        if not query.calls_service:  # parse locally first: line and column, no round trip
            try:
                ox.Store().query(query.text)
            except SyntaxError as exc:
                raise query.syntax_error(exc) from None
        request = self._query_request(query.text, query.form)
        response = self.send(request, what="query")
        return read_results(response, query.form, self.url, self.credentials)

    def _query_request(self, text: str, form: str) -> urllib.request.Request:
        from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.url, agent=self.transport.user_agent)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(JSON if form in ("SELECT", "ASK") else TURTLE)
        _set_query(wrapper, text, form)
        wrapper.addCustomHttpHeader(
            "Accept", _RESULTS_ACCEPT if form in ("SELECT", "ASK") else _GRAPH_ACCEPT
        )
        return wrapper._createRequest()

    def update(self, text: str, *, url: str | None = None) -> Response:
        """Send a SPARQL Update (used by :meth:`push` when the Graph Store Protocol is absent)."""
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(
            self.url, updateEndpoint=url or self.url, agent=self.transport.user_agent
        )
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)
        _set_query(wrapper, text, "INSERT")
        wrapper.addCustomHttpHeader("Accept", "*/*")
        return self.send(wrapper._createRequest(), what="update", idempotent=False)

    # -- upload -----------------------------------------------------------------------------

    def push(
        self,
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
        report = PushReport(url=self.url, graphs=0, triples=0, requests=0, method="")
        use_update = method == "update"
        for index, (name, triples) in enumerate(groups):
            if not use_update:
                try:
                    report.requests += self._put_graph(name, triples, batch_size or 100_000)
                    report.method = "Graph Store Protocol"
                except _NoGraphStore as exc:
                    if method == "gsp" or report.requests:  # it worked before
                        raise RemoteError(
                            f"{redact(self.url)} does not accept Graph Store uploads: {exc.detail}",
                            hint="give the server's Graph Store endpoint, or --method update",
                        ) from None
                    use_update = True
            if use_update:
                size = batch_size or 1_000
                report.requests += self._insert_graph(name, triples, size, update_url)
                report.method = "SPARQL Update"
            report.graphs += 1 if name is not None else 0
            report.triples += len(triples)
            if progress:
                progress(index + 1, len(groups))
        return report

    def _put_graph(self, name: ox.NamedNode | None, triples: list[ox.Triple], size: int) -> int:
        requests = 0
        for number, batch in enumerate(batches(triples, size)):
            target = _graph_url(self.url, name)
            body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
            verb = "PUT" if number == 0 and name is not None else "POST"
            request = urllib.request.Request(target, data=body, method=verb)
            request.add_header("Content-Type", "text/turtle; charset=utf-8")
            try:
                self.send(request, what="upload", idempotent=verb == "PUT")
            except HTTPStatusError as exc:
                if number == 0 and exc.status in (400, 404, 405, 406, 415, 501):
                    raise _NoGraphStore(exc.status, exc.message) from None
                raise
            requests += 1
        return requests

    def _insert_graph(
        self, name: ox.NamedNode | None, triples: list[ox.Triple], size: int, url: str | None
    ) -> int:
        requests = 0
        if name is not None:  # replace the graph, as a Graph Store PUT would
            self.update(f"DROP SILENT GRAPH <{name.value}>", url=url)
            requests += 1
        pending = list(batches(triples, size))
        while pending:
            batch = pending.pop(0)
            try:
                self.update(_insert_text(name, batch), url=url)
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


def _set_query(wrapper: Any, text: str, form: str) -> None:
    # SPARQLWrapper guesses the form with a regular expression that comments fool (a
    # header line mentioning an "address" reads as ADD, an update); vetgraph's lexer knows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper.setQuery(text)
    wrapper.queryType = form


def _insert_text(name: ox.NamedNode | None, batch: list[ox.Triple]) -> str:
    """INSERT DATA, or INSERT {} WHERE {} when the batch has blank nodes (Virtuoso refuses
    blank nodes in INSERT DATA); the graph is named when ``name`` is given."""
    from vetgraph.sparql.queries import sparql_term

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


# -- reading answers -----------------------------------------------------------------------------


def _looks_like_html(response: Response) -> bool:
    if response.content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_results(
    response: Response, form: str, url: str, credentials: Credentials | None = None
) -> Any:
    """Check an endpoint's answer and read it: solutions, a bool, or a list of triples."""
    where = redact(url)
    if not response.body.strip():
        raise RemoteError(
            f"{where} answered HTTP {response.status} with an empty body, not SPARQL results",
            hint="is this the SPARQL endpoint itself? (its address often ends in /sparql "
            "or /query)",
        )
    if _looks_like_html(response):
        raise RemoteError(
            f"{where} answered a web page (HTML), not SPARQL results",
            hint="the URL is probably a web page, not the SPARQL endpoint (its address "
            "often ends in /sparql or /query)",
        )
    ctype = response.content_type
    try:
        if form in ("SELECT", "ASK"):
            return _read_solutions(response.body, ctype, form)
        fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
        if fmt is None:
            raise ValueError(f"the content type {ctype or '(none)'} is not an RDF syntax")
        return [q.triple for q in ox.parse(response.body, fmt)]
    except (ValueError, SyntaxError, KeyError, TypeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        said = _broken_off(response.body)
        raise RemoteError(
            f"{where} answered something vetgraph cannot read as {form} results "
            f"(content type {ctype or 'none'}): {detail}"
            + (f"; the answer breaks off with: {said}" if said else "")
        ) from None


def _broken_off(body: bytes) -> str | None:
    """The error message a server wrote into an answer it had begun (Oxigraph server, on a
    query it cancelled: '...{"bindings":[The SPARQL operation has been cancelled').

    >>> _broken_off(b'{"head":{},"results":{"bindings":[The SPARQL operation has been cancelled')
    'The SPARQL operation has been cancelled'
    >>> _broken_off(b'{"head": {') is None
    True
    """
    tail = body[-300:].decode("utf-8", "replace").rstrip()
    found = re.search(r"[\[{,:]\s*([A-Za-z][^\[\]{}\"]{8,})$", tail)
    return found.group(1).strip() if found else None


def _read_solutions(body: bytes, ctype: str, form: str) -> Any:
    if ctype in ("application/sparql-results+json", "application/json", "text/javascript"):
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("the JSON is not a SPARQL results object")
        if form == "ASK":
            if isinstance(data.get("boolean"), bool):
                return data["boolean"]
            # Virtuoso 7 answers ASK with one solution binding __ASK_RETVAL to 1 or 0.
            names = data.get("head", {}).get("vars", [])
            rows = data.get("results", {}).get("bindings", [])
            if names == ["__ASK_RETVAL"] and len(rows) == 1:
                return rows[0]["__ASK_RETVAL"]["value"] in ("1", "true")
            raise ValueError("an ASK query needs a boolean answer")
        if "boolean" in data:
            raise ValueError("a boolean answer to a SELECT query")
        body = json.dumps(_normalize_json(data)).encode()
        fmt = ox.QueryResultsFormat.JSON
    elif ctype in ("application/sparql-results+xml", "application/xml", "text/xml"):
        fmt = ox.QueryResultsFormat.XML
    elif ctype == "text/tab-separated-values":
        fmt = ox.QueryResultsFormat.TSV
    else:
        raise ValueError(f"the content type {ctype or '(none)'} is not a SPARQL results format")
    parsed = ox.parse_query_results(body, fmt)
    if form == "ASK":
        if not isinstance(parsed, ox.QueryBoolean):
            raise ValueError("an ASK query needs a boolean answer")
        return bool(parsed)
    if not isinstance(parsed, ox.QuerySolutions):
        raise ValueError("a boolean answer to a SELECT query")
    return parsed


def _normalize_json(data: dict[str, Any]) -> dict[str, Any]:
    """Make other engines' JSON results strictly W3C: blank node labels that are valid
    identifiers (Virtuoso writes ``nodeID://b10000``), ``typed-literal`` (SPARQL 1.0 drafts)
    read as ``literal``."""
    labels: dict[str, str] = {}
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            kind = term.get("type")
            if kind == "bnode":
                term["value"] = labels.setdefault(term["value"], f"b{len(labels)}")
            elif kind == "typed-literal":
                term["type"] = "literal"
    return data
