"""Remote SPARQL endpoints, Graph Store upload, and the local Oxigraph server.

**Querying** (:class:`Endpoint`): SPARQLWrapper builds the SPARQL 1.1 Protocol request
(URL-encoded POST, content negotiation only: no ``format=``/``output=`` parameters);
vetgraph sends it with its own opener, which adds what SPARQLWrapper lacks: separate
connect and read timeouts, retries of transient failures (connection reset, HTTP 429,
502, 503, 504) with exponential backoff that honours ``Retry-After``, basic and digest
authentication scoped to the endpoint's host, and a check of the body, not only the
status (an HTML page or an empty body with HTTP 200 is an error). Results are read into
Oxigraph terms, so a remote answer renders and compares exactly like a local one.

Credentials come from the environment and are never printed, not even in errors:

* ``VETGRAPH_ENDPOINT_USER`` and ``VETGRAPH_ENDPOINT_PASSWORD``;
* ``VETGRAPH_ENDPOINT_AUTH``: ``auto`` (default: answer the server's challenge, basic or
  digest), ``basic`` (send basic credentials with the first request) or ``digest``.

**Uploading** (:meth:`Endpoint.push`): the SPARQL 1.1 Graph Store HTTP Protocol, one named
graph at a time (``PUT`` replaces that graph, so pushing again updates rather than
duplicates; triples outside named graphs are ``POST``\\ed to the default graph, which is
never replaced). When the server does not speak the protocol it falls back to SPARQL Update
(``DROP SILENT GRAPH`` then ``INSERT { GRAPH ... } WHERE {}`` in batches). Batches never
split the triples of one blank node, whose identity only holds within one request.

**Serving** (:class:`OxigraphServer`): the Oxigraph server from PyPI (``oxigraph``), read
only, with the union of all graphs as the default graph (``--union-default-graph``), the way
vetgraph's own queries see it and the way Virtuoso does by default.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import functools
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError, RemoteError

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.binding import BoundQuery

ENV_USER = "VETGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "VETGRAPH_ENDPOINT_PASSWORD"
ENV_AUTH = "VETGRAPH_ENDPOINT_AUTH"
AUTH_SCHEMES = ("auto", "basic", "digest")
PROJECT_URL = "https://w3id.org/vetgraph"

_Closed = http.client.RemoteDisconnected | http.client.IncompleteRead
#: HTTP statuses worth another try: the server is busy or a gateway hiccupped.
TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})
_RESULTS_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.8, "
    "text/tab-separated-values;q=0.5"
)
_GRAPH_ACCEPT = (
    "text/turtle, application/n-triples;q=0.9, application/n-quads;q=0.8, "
    "application/rdf+xml;q=0.5, application/ld+json;q=0.5"
)


def user_agent() -> str:
    """``vetgraph/<version> (+project URL) SPARQLWrapper/<version> Python/<version>``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("vetgraph")
    except PackageNotFoundError:
        ours = "0+unknown"
    try:
        wrapper = version("SPARQLWrapper")
    except PackageNotFoundError:
        wrapper = "?"
    python = ".".join(map(str, sys.version_info[:3]))
    return f"vetgraph/{ours} (+{PROJECT_URL}) SPARQLWrapper/{wrapper} Python/{python}"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for an endpoint; the password never appears in repr."""

    user: str
    password: str = field(repr=False)
    scheme: str = "auto"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials | None:
        """Read ``VETGRAPH_ENDPOINT_USER``/``_PASSWORD``/``_AUTH``; None when unset."""
        env = os.environ if environ is None else environ
        user, password = env.get(ENV_USER, ""), env.get(ENV_PASSWORD, "")
        scheme = (env.get(ENV_AUTH) or "auto").strip().lower()
        if scheme not in AUTH_SCHEMES:
            raise InputError(
                f"{ENV_AUTH} is {scheme!r}", hint=f"set it to one of {', '.join(AUTH_SCHEMES)}"
            )
        if not user and not password:
            return None
        if not user or not password:
            missing = ENV_USER if not user else ENV_PASSWORD
            raise InputError(
                f"{missing} is not set", hint=f"set both {ENV_USER} and {ENV_PASSWORD}"
            )
        return cls(user, password, scheme)


def redact(url: str) -> str:
    """A URL without its user information (``http://user:pw@host`` → ``http://host``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


# -- transport: timeouts, authentication, retries ------------------------------------------


class _TimedHTTPConnection(http.client.HTTPConnection):
    """Connects within the connect timeout, then waits up to the read timeout per read."""

    def __init__(self, *args: Any, read_timeout: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self._read_timeout)


class _TimedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, read_timeout: float | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()
        self.sock.settimeout(self._read_timeout)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float | None) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_TimedHTTPConnection, read_timeout=self.read_timeout)
        return self.do_open(factory, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float | None) -> None:
        super().__init__()
        self.read_timeout = read_timeout

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_TimedHTTPSConnection, read_timeout=self.read_timeout)
        return self.do_open(factory, req, context=self._context)  # type: ignore[attr-defined]


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects of GET only: a POST turned into a GET would lose its query."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.get_method() != "GET":
            return None  # urllib then raises HTTPError for the 3xx answer
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Response:
    status: int
    content_type: str  # the media type, lower case, without parameters
    body: bytes
    headers: Any = field(repr=False)


def _maybe_applied(target: str, what: str) -> RemoteError:
    return RemoteError(
        f"{target} dropped the connection during the {what}; it may or may not have been applied",
        hint="push again: vetgraph replaces each named graph, so nothing is duplicated",
    )


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Endpoint:
    """A remote SPARQL endpoint (or Graph Store), reached over HTTP.

    ``url`` is the query endpoint for :meth:`execute` and the Graph Store endpoint for
    :meth:`push`. Credentials default to the environment (see the module docstring).
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
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self.user_agent = user_agent()
        self._opener = self._build_opener()

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def describe(self) -> str:
        return f"the endpoint {self.url}"

    def _build_opener(self) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [
            _HTTPHandler(self.read_timeout),
            _HTTPSHandler(self.read_timeout),
            _RedirectHandler(),
        ]
        creds = self.credentials
        if creds is not None and creds.scheme in ("auto", "digest"):
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            parts = urllib.parse.urlsplit(self.url)
            root = f"{parts.scheme}://{parts.netloc}/"
            manager.add_password(None, root, creds.user, creds.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
            if creds.scheme == "auto":
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
        return urllib.request.build_opener(*handlers)

    def _prepare(self, request: urllib.request.Request) -> urllib.request.Request:
        request.add_header("User-Agent", self.user_agent)
        creds = self.credentials
        if creds is not None and creds.scheme == "basic":
            token = base64.b64encode(f"{creds.user}:{creds.password}".encode()).decode()
            # unredirected: a redirect to another host must not carry the credentials
            request.add_unredirected_header("Authorization", f"Basic {token}")
        return request

    def send(
        self, request: urllib.request.Request, *, what: str = "request", idempotent: bool = True
    ) -> Response:
        """Send a request, retrying transient failures; errors become :class:`RemoteError`.

        A request that is not idempotent (an update, a Graph Store POST) is retried only when
        the server said it did nothing (HTTP 429, 503, ...), never after a dropped connection.
        """
        request = self._prepare(request)
        target = redact(request.full_url.split("?", 1)[0])
        attempt = 0
        while True:
            delay: float | None = None
            started = time.monotonic()
            try:
                with self._opener.open(request, timeout=self.connect_timeout) as response:
                    body = self._read_body(response, started, target)
                    ctype = (response.headers.get_content_type() or "").lower()
                    return Response(response.status, ctype, body, response.headers)
            except urllib.error.HTTPError as exc:
                body = _read_quietly(exc)
                if exc.code not in TRANSIENT_STATUSES or attempt >= self.retries:
                    raise self._http_error(exc.code, body, target, what, exc.headers) from None
                delay = _retry_after(exc.headers)
                if delay is not None and delay > self.max_wait:
                    raise RemoteError(
                        f"{target} is busy (HTTP {exc.code}) and asks to retry after {delay:.0f} s",
                        hint="try again later",
                    ) from None
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, ConnectionRefusedError):
                    raise RemoteError(
                        f"{target} refused the connection",
                        hint="is the server running, and is the host and port right?",
                    ) from None
                if isinstance(reason, socket.gaierror):
                    raise RemoteError(
                        f"cannot find the host of {target} ({reason.strerror})",
                        hint="check the URL; vetgraph needs a network to reach it",
                    ) from None
                if not isinstance(reason, TimeoutError | ConnectionResetError):
                    raise RemoteError(f"cannot reach {target}: {reason}") from None
                if isinstance(reason, ConnectionResetError) and not idempotent:
                    raise _maybe_applied(target, what) from None
                if attempt >= self.retries:
                    if isinstance(reason, TimeoutError):
                        raise RemoteError(
                            f"{target} did not accept a connection within "
                            f"{self.connect_timeout:g} s",
                            hint="is the server up and reachable?",
                        ) from None
                    raise RemoteError(
                        f"{target} reset the connection, {attempt + 1} times"
                    ) from None
            except TimeoutError:
                raise RemoteError(
                    f"{target} did not answer within {self.read_timeout:g} s",
                    hint="the query may be too slow for this endpoint; raise --timeout "
                    "or simplify the query",
                ) from None
            except (ConnectionResetError, http.client.HTTPException) as exc:
                if not isinstance(exc, ConnectionResetError | _Closed):
                    raise RemoteError(
                        f"{target} answered something that is not HTTP: {exc}"
                    ) from None
                if not idempotent:
                    raise _maybe_applied(target, what) from None
                if attempt >= self.retries:
                    raise RemoteError(
                        f"{target} closed the connection before answering, {attempt + 1} times"
                    ) from None
            if delay is None:
                delay = self.backoff * (2**attempt)
            self._sleep(delay)
            attempt += 1

    def _read_body(self, response: http.client.HTTPResponse, started: float, target: str) -> bytes:
        """The whole body, within the read timeout in all: each read waits at most that long,
        and a server that drips its answer gets no more time than one that says nothing."""
        if self.read_timeout is None:
            return response.read()
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(1 << 16):
            chunks.append(chunk)
            size += len(chunk)
            elapsed = time.monotonic() - started
            if elapsed > self.read_timeout:
                raise RemoteError(
                    f"{target} sent its answer too slowly: {size:,} bytes in {elapsed:.1f} s, "
                    f"past the limit of {self.read_timeout:g} s",
                    hint="raise --timeout, or ask for less (a LIMIT, --limit N)",
                )
        if response.length:  # the server closed the connection before the end
            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        return b"".join(chunks)

    def _http_error(
        self, code: int, body: bytes, target: str, what: str, headers: Any = None
    ) -> HTTPStatusError:
        detail = _excerpt(body, self.credentials)
        said = f": {detail}" if detail else ""
        location = headers.get("Location") if headers is not None else None
        if 300 <= code < 400 and location:
            return HTTPStatusError(
                code,
                f"{target} redirects to {redact(urllib.parse.urljoin(target, location))} "
                f"(HTTP {code})",
                hint="give that address instead (a redirected POST would lose the query)",
            )
        if code == 401:
            if self.credentials is None:
                return HTTPStatusError(
                    code,
                    f"{target} requires authentication (HTTP 401)",
                    hint=f"set {ENV_USER} and {ENV_PASSWORD} (and {ENV_AUTH}=basic or digest "
                    "if needed)",
                )
            return HTTPStatusError(
                code,
                f"{target} refused the credentials in {ENV_USER}/{ENV_PASSWORD} (HTTP 401)",
                hint=f"check them, and {ENV_AUTH} (auto, basic or digest)",
            )
        if code == 403:
            return HTTPStatusError(code, f"{target} refused the {what} (HTTP 403 Forbidden){said}")
        if code == 404:
            return HTTPStatusError(
                code, f"nothing at {target} (HTTP 404)", hint="check the endpoint's address"
            )
        if code == 400:
            return HTTPStatusError(
                code, f"{target} rejected the {what} as malformed (HTTP 400){said}"
            )
        return HTTPStatusError(code, f"{target} failed to answer the {what} (HTTP {code}){said}")

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

        wrapper = SPARQLWrapper(self.url, agent=self.user_agent)
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

        wrapper = SPARQLWrapper(self.url, updateEndpoint=url or self.url, agent=self.user_agent)
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


def _set_query(wrapper: Any, text: str, form: str) -> None:
    # SPARQLWrapper guesses the form with a regular expression that comments fool (a
    # header line mentioning an "address" reads as ADD, an update); vetgraph's lexer knows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper.setQuery(text)
    wrapper.queryType = form


@dataclass
class PushReport:
    url: str
    graphs: int
    triples: int
    requests: int
    method: str


class HTTPStatusError(RemoteError):
    """The endpoint answered with an HTTP error status."""

    def __init__(self, status: int, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


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


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read() or b""
    except (OSError, AttributeError, http.client.HTTPException):
        return b""
    finally:
        exc.close()


def _excerpt(body: bytes, credentials: Credentials | None, limit: int = 300) -> str:
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text) if "<html" in text[:500].lower() else text
    text = " ".join(text.split())
    if credentials is not None and credentials.password:
        text = text.replace(credentials.password, "***")
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# -- the local Oxigraph server -------------------------------------------------------------------


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed with the PyPI package ``oxigraph``."""
    found = shutil.which("oxigraph")
    if found:
        return found
    for scripts in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = scripts / "oxigraph"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise InputError(
        "the Oxigraph server (the `oxigraph` command) is not installed",
        hint="install it with: pip install oxigraph (a dependency of vetgraph)",
    )


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now (for tests and examples)."""
    with socket.socket(socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def load_store(location: Path, quads: Iterable[ox.Quad]) -> None:
    """Write quads into a new on-disk Oxigraph store with the ``oxigraph load`` command."""
    location.mkdir(parents=True, exist_ok=True)
    dump = location.parent / f"{location.name}.nq"
    with dump.open("wb") as out:
        ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    done = subprocess.run(
        [oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)],
        capture_output=True,
        text=True,
        check=False,
    )
    dump.unlink()
    if done.returncode != 0:
        raise RemoteError(f"oxigraph load failed: {done.stderr.strip()[-500:]}")


class OxigraphServer:
    """An Oxigraph server process over a store folder; a context manager that stops it."""

    def __init__(
        self,
        location: Path | None,
        *,
        host: str = "127.0.0.1",
        port: int = 7878,
        read_only: bool = True,
        union_default_graph: bool = True,
        log: Path | None = None,
        timeout: float | None = None,
    ) -> None:
        self.location = location
        self.host = host
        self.port = port
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.log = log
        self.timeout = timeout  # seconds; the server cancels a query that runs longer
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def command(self) -> list[str]:
        if self.read_only:
            if self.location is None:
                raise InputError("a read-only Oxigraph server needs a store folder")
            cmd = [oxigraph_binary(), "serve-read-only", "--location", str(self.location)]
        else:
            cmd = [oxigraph_binary(), "serve"]
            if self.location is not None:
                cmd += ["--location", str(self.location)]
        cmd += ["--bind", f"{self.host}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        if self.timeout:
            cmd += ["--timeout-s", str(max(1, round(self.timeout)))]
        return cmd

    def start(self, wait: float = 30.0) -> OxigraphServer:
        """Start the server and wait until it accepts connections."""
        if not port_is_free(self.host, self.port):
            raise InputError(
                f"port {self.port} on {self.host} is in use",
                hint="choose another with --port, or stop what uses it",
            )
        log = self.log.open("wb") if self.log else subprocess.DEVNULL
        try:
            # A session of its own: Ctrl-C in a terminal reaches vetgraph, which then stops
            # the server cleanly, rather than both racing to exit.
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            if self.log:
                log.close()  # type: ignore[union-attr]
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RemoteError(
                    f"the Oxigraph server stopped as it started (exit {self.process.returncode})"
                    + self._log_tail()
                )
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=0.5),
            ):
                return self
            time.sleep(0.05)
        self.stop()
        raise RemoteError(f"the Oxigraph server did not start within {wait:g} s" + self._log_tail())

    def _log_tail(self) -> str:
        if not self.log or not self.log.exists():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace").strip()
        return f": {text.splitlines()[-1]}" if text else ""

    def wait(self) -> int:
        """Block until the server exits; its exit code."""
        assert self.process is not None
        return self.process.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> OxigraphServer:
        return self if self.process is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
