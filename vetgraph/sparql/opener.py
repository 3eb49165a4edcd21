"""The urllib opener for remote endpoints: connect and read timeouts kept apart (each read
waits up to the read timeout), and redirects followed for GET only.
"""

from __future__ import annotations

import functools
import http.client
import urllib.request
from typing import Any


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


def build_opener(
    read_timeout: float | None, *handlers: urllib.request.BaseHandler
) -> urllib.request.OpenerDirector:
    """An opener whose connections wait up to ``read_timeout`` per read, with ``handlers``."""
    return urllib.request.build_opener(
        _HTTPHandler(read_timeout), _HTTPSHandler(read_timeout), _RedirectHandler(), *handlers
    )
