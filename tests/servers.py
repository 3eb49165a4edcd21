"""Real SPARQL servers for the tests: Oxigraph server (PyPI) and Virtuoso 7 (Debian).

Each is started on 127.0.0.1 on free ports with a temporary data folder, and stopped by
the test session. Outside CI a missing server skips its tests; under CI=true it fails
(see ``require_tool`` in conftest).
"""

from __future__ import annotations

import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from vetgraph.sparql.server import OxigraphServer, free_port

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
; Virtuoso cuts result sets at ResultSetMaxRows without saying so: raise it.
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 300
"""


def oxigraph_server(folder: Path) -> OxigraphServer:
    """A read-write Oxigraph server whose default graph is the union of all graphs."""
    return OxigraphServer(
        folder / "oxigraph",
        host="127.0.0.1",
        port=free_port(),
        read_only=False,
        union_default_graph=True,
        log=folder / "oxigraph.log",
    ).start()


class Virtuoso:
    """Virtuoso 7 in the foreground, bound to 127.0.0.1, with a random dba password."""

    def __init__(self, binary: str, isql: str, folder: Path) -> None:
        self.binary, self.isql, self.folder = binary, isql, folder
        self.sql_port, self.http_port = free_port(), free_port()
        self.user, self.password = "dba", secrets.token_urlsafe(12)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.url}/sparql-graph-crud-auth"

    @property
    def update_url(self) -> str:
        return f"{self.url}/sparql-auth"

    def start(self, wait: float = 180.0) -> Virtuoso:
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(dir=self.folder, sql_port=self.sql_port, http_port=self.http_port)
        )
        log = (self.folder / "stdout.log").open("wb")
        self.process = subprocess.Popen(
            [self.binary, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + wait
        probe = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Virtuoso exited at start:\n{self._log()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.25)
        else:
            self.stop()
            raise RuntimeError(f"Virtuoso did not start within {wait:g} s:\n{self._log()}")
        # The default dba password is public; replace it before anything is uploaded.
        self.sql(f"USER_SET_PASSWORD('dba', '{self.password}');", password="dba")
        return self

    def sql(self, statement: str, *, password: str | None = None) -> str:
        done = subprocess.run(
            [
                self.isql,
                f"127.0.0.1:{self.sql_port}",
                self.user,
                password or self.password,
                f"exec={statement}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def _log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
