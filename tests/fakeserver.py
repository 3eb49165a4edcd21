"""A tiny scripted HTTP server on 127.0.0.1 for faults a real SPARQL server will not produce
on demand: refusals, slowness, HTML or empty answers, busy signals, odd authentication."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang_up: bool = False  # close the connection without answering
    drip: float = 0.0  # seconds between the body's bytes: a slow drip
    declared_length: int | None = None  # a Content-Length other than the body's (truncation)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(self.body.decode())

    @property
    def query(self) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)


Script = Callable[[Seen], Reply]


class FakeServer:
    """Answers each request with ``script(seen)``, or the next of a list of replies."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.replies: list[Reply] = []
        self.script: Script | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
                )
                outer.seen.append(seen)
                if outer.script is not None:
                    reply = outer.script(seen)
                else:
                    reply = outer.replies.pop(0) if len(outer.replies) > 1 else outer.replies[0]
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.hang_up:
                    self.close_connection = True
                    return
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    length = reply.declared_length
                    self.send_header(
                        "Content-Length", str(len(reply.body) if length is None else length)
                    )
                    self.end_headers()
                    if not reply.drip:
                        self.wfile.write(reply.body)
                    for i in range(len(reply.body) if reply.drip else 0):
                        self.wfile.write(reply.body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                    if length is not None:
                        self.close_connection = True
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


SELECT_JSON = (
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"1"}}]}}'
)
JSON = {"Content-Type": "application/sparql-results+json"}
