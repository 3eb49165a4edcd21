"""A remote SPARQL endpoint as a place to run vetgraph's queries and to push its graph: the
SPARQL 1.1 Protocol request built by SPARQLWrapper, sent by :class:`Transport`.
"""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.sparql.answers import read_results
from vetgraph.sparql.auth import ENV_PASSWORD, ENV_USER, Credentials, redact
from vetgraph.sparql.push import PushReport, push
from vetgraph.sparql.transport import Response, Transport

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.binding import BoundQuery

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
        """Upload every graph of ``kg`` (or all its triples into the one graph ``graph``);
        see :func:`vetgraph.sparql.push.push`."""
        return push(
            self,
            kg,
            graph=graph,
            update_url=update_url,
            method=method,
            batch_size=batch_size,
            progress=progress,
        )


def _set_query(wrapper: Any, text: str, form: str) -> None:
    # SPARQLWrapper guesses the form with a regular expression that comments fool (a
    # header line mentioning an "address" reads as ADD, an update); vetgraph's lexer knows.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper.setQuery(text)
    wrapper.queryType = form
