"""Credentials for a remote endpoint: read from the environment, put on the wire (basic or
digest, scoped to the endpoint's host), and never printed, not even in errors.
"""

from __future__ import annotations

import base64
import os
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

from vetgraph.errors import InputError

ENV_USER = "VETGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "VETGRAPH_ENDPOINT_PASSWORD"
ENV_AUTH = "VETGRAPH_ENDPOINT_AUTH"
AUTH_SCHEMES = ("auto", "basic", "digest")


@dataclass(frozen=True)
class Credentials:
    """A user name and password for an endpoint; the password never appears in repr.

    From the environment:

    * ``VETGRAPH_ENDPOINT_USER`` and ``VETGRAPH_ENDPOINT_PASSWORD``;
    * ``VETGRAPH_ENDPOINT_AUTH``: ``auto`` (default: answer the server's challenge, basic or
      digest), ``basic`` (send basic credentials with the first request) or ``digest``.
    """

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


def challenge_handlers(
    credentials: Credentials | None, url: str
) -> list[urllib.request.BaseHandler]:
    """The handlers that answer the server's challenge, for the host of ``url`` only."""
    handlers: list[urllib.request.BaseHandler] = []
    creds = credentials
    if creds is not None and creds.scheme in ("auto", "digest"):
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urllib.parse.urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}/"
        manager.add_password(None, root, creds.user, creds.password)
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        if creds.scheme == "auto":
            handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
    return handlers


def sign(request: urllib.request.Request, credentials: Credentials | None) -> None:
    """Add basic credentials to a request up front, when the scheme is ``basic``."""
    creds = credentials
    if creds is not None and creds.scheme == "basic":
        token = base64.b64encode(f"{creds.user}:{creds.password}".encode()).decode()
        # unredirected: a redirect to another host must not carry the credentials
        request.add_unredirected_header("Authorization", f"Basic {token}")


def hide_password(text: str, credentials: Credentials | None) -> str:
    """``text`` with the password, should a server echo it, replaced by ``***``."""
    if credentials is not None and credentials.password:
        text = text.replace(credentials.password, "***")
    return text
