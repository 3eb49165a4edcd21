"""The local Oxigraph server behind ``vetgraph serve``: finding the ``oxigraph`` command,
loading a store folder with it, and running the server over that folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from vetgraph.errors import InputError, RemoteError


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
    """An Oxigraph server process over a store folder; a context manager that stops it.

    The Oxigraph server from PyPI (``oxigraph``), read only, with the union of all graphs as
    the default graph (``--union-default-graph``), the way vetgraph's own queries see it and
    the way Virtuoso does by default.
    """

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
