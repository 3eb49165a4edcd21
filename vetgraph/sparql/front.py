"""The HTTP front of ``vetgraph serve``: the site's files, entity IRIs by content negotiation,
and the SPARQL 1.1 Protocol endpoint at ``/query``, read-only, in front of an Oxigraph server.

Why a front and not pyoxigraph in-process: Oxigraph cannot cancel a query from Python (see
:mod:`vetgraph.sparql.deadline`), while the Oxigraph server has ``--timeout-s``; so queries
go to an Oxigraph server on a private port, over kept-alive connections (one per thread),
and the front adds only what the stock server lacks:

* every update is refused with 403 and a sentence (``/update``, ``update=`` on ``/query``,
  an update sent as a query, any write method);
* the project prefixes (``vg:``, ``vet:``, ...) a query uses without declaring are declared
  for it on its first line, and a syntax error is reported at the user's line and column;
* ``GET /id/NAME`` (and ``/source/NAME``) answers with the page or the RDF beside it by the
  ``Accept`` header (``Vary: Accept``; 406 when nothing fits);
* the site is served from its folder and nothing outside it (``..``, encoded or not, and
  symbolic links leaving the folder answer 404).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import mimetypes
import os
import threading
import urllib.parse
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from vetgraph.errors import QueryError, QuerySyntaxError

#: Media types of the site's files (the system's table misses some RDF ones).
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}
#: What an entity IRI answers with, by media type: the suffix of the file beside its page.
NEGOTIATED = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/turtle": ".ttl",
    "application/x-turtle": ".ttl",
    "application/n-triples": ".nt",
    "text/plain": ".nt",
    "application/ld+json": ".jsonld",
    "application/json": ".jsonld",
}
READ_ONLY = (
    "This endpoint is read-only: it answers SPARQL queries at /query and refuses updates; "
    "change the data in its source files and rebuild."
)
_MAX_BODY = 8 * 1024 * 1024


@lru_cache(maxsize=1024)
def prepared(text: str) -> tuple[str, object]:
    """The query to send (the missing project prefixes declared on its first line) and its
    :class:`~vetgraph.sparql.binding.BoundQuery` (to place a syntax error). Raises
    :class:`QueryError` for an update or a query that does not parse."""
    from vetgraph.sparql.binding import bind

    bound = bind(text, {}, where="query")
    return bound.text, bound


def accepted(header: str | None) -> list[str]:
    """Media types of an ``Accept`` header, best first (q=0 left out).

    >>> accepted("text/html;q=0.9, text/turtle, */*;q=0.1")
    ['text/turtle', 'text/html', '*/*']
    """
    ranked = []
    for position, part in enumerate((header or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                with contextlib.suppress(ValueError):
                    q = float(value)
        if media and q > 0:
            ranked.append((-q, position, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def negotiate(header: str | None, available: list[str]) -> str | None:
    """The suffix (``.html``, ``.ttl``, ...) of the best file for ``Accept``; None: 406.

    >>> negotiate("text/turtle", [".html", ".ttl"]), negotiate("image/png", [".html"])
    ('.ttl', None)
    """
    for media in accepted(header):
        if media in ("*/*", "text/*", "application/*"):
            family = media.split("/")[0]
            for suffix in available:
                if family == "*" or TYPES[suffix].startswith(family + "/"):
                    return suffix
        elif NEGOTIATED.get(media) in available:
            return NEGOTIATED[media]
    return None


class Front(ThreadingHTTPServer):
    """The server: a site folder and an upstream Oxigraph server's address."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], site: Path, upstream: tuple[str, int], folders: list[str]
    ) -> None:
        super().__init__(address, Handler)
        self.site = site.resolve()
        self.upstream = upstream
        self.folders = folders  # the folders of one page per IRI: id, source
        self.local = threading.local()

    def connection(self) -> http.client.HTTPConnection:
        """This thread's kept-alive connection to the Oxigraph server."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(*self.upstream, timeout=None)
            self.local.conn = conn
        return conn

    def drop_connection(self) -> None:
        conn = getattr(self.local, "conn", None)
        self.local.conn = None
        if conn is not None:
            conn.close()


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"
    # Without TCP_NODELAY, Nagle's algorithm and the client's delayed ACK hold back an
    # answer written in two parts by 40 ms.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "vetgraph"

    def log_message(self, format: str, *args: object) -> None:  # quiet, like Oxigraph's
        pass

    # -- dispatch ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/query":
            self._query(urllib.parse.parse_qs(query, keep_blank_values=True), query)
        else:
            self._file(path, head=False)

    def do_HEAD(self) -> None:
        self._file(self.path.partition("?")[0], head=True)

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._body()
        if body is None:
            return
        if path != "/query":
            self._refuse(403 if path in ("/update", "/store") else 404)
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                self._refuse(403)
                return
            params.update(form)
        elif ctype == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif ctype == "application/sparql-update":
            self._refuse(403)
            return
        else:
            self._text(415, "Send a query as application/sparql-query or as a form (query=...).")
            return
        self._query(params, query)

    def do_PUT(self) -> None:
        self._body()
        self._refuse(403)

    do_DELETE = do_PATCH = do_PUT

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._text(413, "The request is too large.")
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _refuse(self, status: int) -> None:
        if status == 403:
            self._text(403, READ_ONLY)
        else:
            self._not_found()

    # -- the endpoint -----------------------------------------------------------------------

    def _query(self, params: dict[str, list[str]], raw: str) -> None:
        if "update" in params:
            self._refuse(403)
            return
        texts = params.get("query")
        if not texts:
            self._text(400, "Give a SPARQL query: /query?query=... or POST it.")
            return
        try:
            text, bound = prepared(texts[0])
        except QuerySyntaxError as exc:
            self._text(400, _explained(exc))
            return
        except QueryError as exc:
            update = "SPARQL Update" in exc.message
            self._text(403 if update else 400, READ_ONLY if update else exc.message)
            return
        others = [(k, v) for k, values in params.items() if k != "query" for v in values]
        target = "/query" + ("?" + urllib.parse.urlencode(others) if others else "")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8"}
        if self.headers.get("Accept"):
            headers["Accept"] = self.headers["Accept"]
        self._forward(target, text.encode("utf-8"), headers, bound)

    def _forward(self, target: str, body: bytes, headers: dict[str, str], bound: object) -> None:
        for attempt in (1, 2):  # a kept-alive connection the server closed: once more
            conn = self.server.connection()
            try:
                conn.request("POST", target, body=body, headers=headers)
                response = conn.getresponse()
                break
            except (OSError, http.client.HTTPException):
                self.server.drop_connection()
                if attempt == 2:
                    self._text(502, "The Oxigraph server behind this endpoint does not answer.")
                    return
        if response.status == 400:
            self._syntax(response.read(), bound)
            return
        try:
            data = response.read()
        except http.client.IncompleteRead as broken:  # it broke off: pass on what came
            data = broken.partial
            self.server.drop_connection()
        except OSError:
            self.server.drop_connection()
            self._text(502, "The Oxigraph server behind this endpoint broke off its answer.")
            return
        self.send_response(response.status)
        for key in ("Content-Type", "Content-Disposition"):
            value = response.getheader(key)
            if value:
                self.send_header(key, value)
        self.send_header("Vary", "Accept")
        self.send_header("Content-Length", str(len(data)))
        self._end(data)

    def _end(self, data: bytes) -> None:
        """End the headers and send them with the body in one write (one packet, for small
        answers, instead of two)."""
        self._headers_buffer.append(b"\r\n" + data)  # type: ignore[attr-defined]
        self.flush_headers()

    def _syntax(self, answer: bytes, bound: object) -> None:
        """Oxigraph's 400, with the position moved back to the user's text."""
        from vetgraph.sparql.binding import BoundQuery

        message = answer.decode("utf-8", "replace")
        if isinstance(bound, BoundQuery):
            import pyoxigraph as ox

            try:
                ox.Store().query(bound.text)
            except SyntaxError as exc:
                error = bound.syntax_error(exc)
                message = _explained(error)
        self._text(400, message)

    # -- the site ---------------------------------------------------------------------------

    def _file(self, raw_path: str, *, head: bool) -> None:
        found = self._locate(raw_path)
        if found is None:
            self._not_found(head=head)
            return
        path, negotiated = found
        if negotiated and path is None:
            self._text(
                406,
                "No form of this resource fits your Accept header; ask for text/html, "
                "text/turtle, application/n-triples or application/ld+json.",
                vary=True,
            )
            return
        assert path is not None
        data = b"" if head else path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(path.suffix) or _guess(path))
        self.send_header("Content-Length", str(path.stat().st_size))
        self.send_header("X-Content-Type-Options", "nosniff")
        if negotiated:
            self.send_header("Vary", "Accept")
            self.send_header("Content-Location", path.name)
        self._end(data)

    def _locate(self, raw_path: str) -> tuple[Path | None, bool] | None:
        """(file, negotiated) for a request path; None when there is no such file."""
        path = urllib.parse.unquote(raw_path)
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return None
        if not parts:
            parts = ["index.html"] if (self.server.site / "index.html").is_file() else []
            parts = parts or ["query.html"]
        candidate = self.server.site.joinpath(*parts)
        if len(parts) == 2 and parts[0] in self.server.folders and not candidate.suffix:
            options = [
                s for s in (".html", ".ttl", ".nt", ".jsonld") if _inside(self, f"{candidate}{s}")
            ]
            if not options:
                return None
            suffix = negotiate(self.headers.get("Accept"), options)
            return (Path(f"{candidate}{suffix}") if suffix else None), True
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return (candidate, False) if _inside(self, str(candidate)) else None

    def _not_found(self, *, head: bool = False) -> None:
        wants_html = "text/html" in (self.headers.get("Accept") or "")
        if not wants_html:
            self._text(404, f"Nothing here: {self.path}. The SPARQL endpoint is /query.")
            return
        shown = html.escape(urllib.parse.unquote(self.path))
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Not found · vetgraph</title></head><body>"
            f"<h1>Nothing here</h1><p>This site has no page at <code>{shown}</code>.</p>"
            "<p>Entity pages live at <code>/id/NAME</code> and sources at "
            '<code>/source/NAME</code>. Try the <a href="/">start page</a>, or find it with '
            'the <a href="/query.html">query editor</a>.</p></body></html>'
        ).encode()
        self._send(404, "text/html; charset=utf-8", b"" if head else page, len(page))

    def _text(self, status: int, message: str, *, vary: bool = False) -> None:
        data = (message.rstrip("\n") + "\n").encode("utf-8")
        self._send(status, "text/plain; charset=utf-8", data, len(data), vary=vary)

    def _send(
        self, status: int, ctype: str, data: bytes, length: int, *, vary: bool = False
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        if vary:
            self.send_header("Vary", "Accept")
        self._end(data)


def _explained(error: QuerySyntaxError) -> str:
    """A syntax error as the CLI shows it: where and what, the line with a caret, the hint."""
    parts = [error.message, error.excerpt or "", f"hint: {error.hint}" if error.hint else ""]
    return "\n".join(part for part in parts if part)


def _inside(handler: Handler, path: str) -> bool:
    """Is ``path`` a file inside the site (after following links)?"""
    real = os.path.realpath(path)
    root = str(handler.server.site)
    return real.startswith(root + os.sep) and os.path.isfile(real)


def _guess(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
