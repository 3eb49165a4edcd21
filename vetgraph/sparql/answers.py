"""Reading a remote endpoint's answer: the body checked (not a web page, not empty), then
SPARQL results or RDF read into Oxigraph terms, other engines' dialects made standard.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox

from vetgraph.errors import RemoteError
from vetgraph.sparql.auth import Credentials, redact
from vetgraph.sparql.transport import Response


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
