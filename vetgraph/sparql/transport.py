"""HTTP to a remote endpoint: separate connect and read timeouts, retries of transient
failures with backoff that honours ``Retry-After``, and every failure as a :class:`RemoteError`.
"""

from __future__ import annotations

import email.utils
import http.client
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vetgraph.errors import RemoteError
from vetgraph.sparql.auth import (
    ENV_AUTH,
    ENV_PASSWORD,
    ENV_USER,
    Credentials,
    challenge_handlers,
    hide_password,
    redact,
    sign,
)
from vetgraph.sparql.opener import build_opener

PROJECT_URL = "https://w3id.org/vetgraph"

_Closed = http.client.RemoteDisconnected | http.client.IncompleteRead
#: HTTP statuses worth another try: the server is busy or a gateway hiccupped.
TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})


def user_agent() -> str:
    """``vetgraph/<version> (+project URL) SPARQLWrapper/<version> Python/<version>``."""
    from importlib.metadata import PackageNotFoundError, version

    from vetgraph.graph.release import version as ours

    try:
        wrapper = version("SPARQLWrapper")
    except PackageNotFoundError:
        wrapper = "?"
    python = ".".join(map(str, sys.version_info[:3]))
    return f"vetgraph/{ours()} (+{PROJECT_URL}) SPARQLWrapper/{wrapper} Python/{python}"


# -- answers and failures -----------------------------------------------------------------


@dataclass
class Response:
    status: int
    content_type: str  # the media type, lower case, without parameters
    body: bytes
    headers: Any = field(repr=False)


class HTTPStatusError(RemoteError):
    """The endpoint answered with an HTTP error status."""

    def __init__(self, status: int, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


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
    text = hide_password(text, credentials)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def status_error(
    code: int,
    body: bytes,
    target: str,
    what: str,
    headers: Any = None,
    credentials: Credentials | None = None,
) -> HTTPStatusError:
    """An HTTP error status in words, with what the server said (never the password)."""
    detail = _excerpt(body, credentials)
    said = f": {detail}" if detail else ""
    location = headers.get("Location") if headers is not None else None
    if 300 <= code < 400 and location:
        return HTTPStatusError(
            code,
            f"{target} redirects to {redact(urllib.parse.urljoin(target, location))} (HTTP {code})",
            hint="give that address instead (a redirected POST would lose the query)",
        )
    if code == 401:
        if credentials is None:
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
        return HTTPStatusError(code, f"{target} rejected the {what} as malformed (HTTP 400){said}")
    return HTTPStatusError(code, f"{target} failed to answer the {what} (HTTP {code}){said}")


# -- sending ------------------------------------------------------------------------------


class Transport:
    """Sends requests to one endpoint: the User-Agent, the credentials (see
    :class:`~vetgraph.sparql.auth.Credentials`), separate connect and read timeouts, retries
    of transient failures (a connection reset, or broken while sending; HTTP 429, 502, 503,
    504) with exponential backoff that honours ``Retry-After``. The body is read whole; what
    the server says is the caller's to check.
    """

    def __init__(
        self,
        url: str,
        credentials: Credentials | None,
        *,
        connect_timeout: float,
        read_timeout: float | None,
        retries: int,
        backoff: float,
        max_wait: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.credentials = credentials
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self.user_agent = user_agent()
        self._opener = build_opener(read_timeout, *challenge_handlers(credentials, url))

    def send(
        self, request: urllib.request.Request, *, what: str = "request", idempotent: bool = True
    ) -> Response:
        """Send a request, retrying transient failures; errors become :class:`RemoteError`.

        A request that is not idempotent (an update, a Graph Store POST) is retried only when
        the server said it did nothing (HTTP 429, 503, ...), never after a dropped connection.
        """
        request.add_header("User-Agent", self.user_agent)
        sign(request, self.credentials)
        target = redact(request.full_url.split("?", 1)[0])
        attempt = 0
        while True:
            delay: float | None = None
            try:
                return self._exchange(request, target)
            except urllib.error.HTTPError as exc:
                delay = self._after_status(exc, target, what, attempt)
            except urllib.error.URLError as exc:
                self._after_unreachable(exc.reason, target, what, attempt, idempotent)
            except TimeoutError:
                raise RemoteError(
                    f"{target} did not answer within {self.read_timeout:g} s",
                    hint="the query may be too slow for this endpoint; raise --timeout "
                    "or simplify the query",
                ) from None
            except (ConnectionResetError, BrokenPipeError, http.client.HTTPException) as exc:
                self._after_drop(exc, target, what, attempt, idempotent)
            if delay is None:
                delay = self.backoff * (2**attempt)
            self._sleep(delay)
            attempt += 1

    def _exchange(self, request: urllib.request.Request, target: str) -> Response:
        started = time.monotonic()
        with self._opener.open(request, timeout=self.connect_timeout) as response:
            body = self._read_body(response, started, target)
            ctype = (response.headers.get_content_type() or "").lower()
            return Response(response.status, ctype, body, response.headers)

    def _after_status(
        self, exc: urllib.error.HTTPError, target: str, what: str, attempt: int
    ) -> float | None:
        """Raise unless the status is worth another try; the wait the server asked for."""
        body = _read_quietly(exc)
        if exc.code not in TRANSIENT_STATUSES or attempt >= self.retries:
            raise status_error(
                exc.code, body, target, what, exc.headers, self.credentials
            ) from None
        delay = _retry_after(exc.headers)
        if delay is not None and delay > self.max_wait:
            raise RemoteError(
                f"{target} is busy (HTTP {exc.code}) and asks to retry after {delay:.0f} s",
                hint="try again later",
            ) from None
        return delay

    def _after_unreachable(
        self, reason: Any, target: str, what: str, attempt: int, idempotent: bool
    ) -> None:
        """Raise unless failing to reach the server is worth another try."""
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
        # A pipe broken while the request was sent is a connection the server dropped: a
        # server that answers (401, 413) before reading a large upload closes it so.
        if not isinstance(reason, TimeoutError | ConnectionResetError | BrokenPipeError):
            raise RemoteError(f"cannot reach {target}: {reason}") from None
        if isinstance(reason, ConnectionResetError | BrokenPipeError) and not idempotent:
            raise _maybe_applied(target, what) from None
        if attempt >= self.retries:
            if isinstance(reason, TimeoutError):
                raise RemoteError(
                    f"{target} did not accept a connection within {self.connect_timeout:g} s",
                    hint="is the server up and reachable?",
                ) from None
            raise RemoteError(f"{target} reset the connection, {attempt + 1} times") from None

    def _after_drop(
        self, exc: Exception, target: str, what: str, attempt: int, idempotent: bool
    ) -> None:
        """Raise unless a connection dropped mid-answer is worth another try."""
        if not isinstance(exc, ConnectionResetError | BrokenPipeError | _Closed):
            raise RemoteError(f"{target} answered something that is not HTTP: {exc}") from None
        if not idempotent:
            raise _maybe_applied(target, what) from None
        if attempt >= self.retries:
            raise RemoteError(
                f"{target} closed the connection before answering, {attempt + 1} times"
            ) from None

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
