"""The error hierarchy: every failure a user can cause or meet, with a message for people.

Each error knows its exit code, so the CLI maps any of them to the documented codes
without a table of its own. Messages say what went wrong, where, and what to do.

>>> err = RDFSyntaxError("data/x.ttl", 3, 11, "Unexpected end of file")
>>> str(err)
'data/x.ttl:3:11: RDF syntax error: Unexpected end of file'
>>> int(err.exit_code)
2
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes of the ``vetgraph`` command (documented in the README)."""

    OK = 0
    FINDINGS = 1  # validation found violations
    BAD_INPUT = 2  # a file, option, query or parameter the user gave is unusable
    REMOTE = 3  # a remote SPARQL endpoint failed or answered something unusable
    OUTPUT = 4  # an output could not be written (missing, read-only or full disk)
    TIMEOUT = 5  # a query ran longer than its time limit and was stopped
    INTERRUPTED = 130


class VetgraphError(Exception):
    """Base class: an error that vetgraph explains to its user."""

    exit_code: int = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its state, not its constructor (subclasses take other arguments), so
        # that an error raised in a child process is raised again, whole, in the parent.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[VetgraphError], args: tuple[object, ...], state: dict) -> VetgraphError:
    """
    >>> import pickle
    >>> err = pickle.loads(pickle.dumps(RDFSyntaxError("x.ttl", 3, 11, "Unexpected end")))
    >>> str(err), err.line, int(err.exit_code)
    ('x.ttl:3:11: RDF syntax error: Unexpected end', 3, 2)
    """
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(VetgraphError):
    """A file or option the user gave cannot be used."""


class RDFSyntaxError(InputError):
    """An RDF file does not parse; names the file, line and column."""

    def __init__(
        self, path: str | Path | None, line: int | None, column: int | None, detail: str
    ) -> None:
        self.path = str(path) if path is not None else "<input>"
        self.line = line
        self.column = column
        self.detail = detail
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: RDF syntax error: {detail}")


class QueryError(InputError):
    """A SPARQL query is invalid, refused, or asks for something unknown."""


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; names the line and column in the query.

    ``excerpt`` (the line of the query with a caret under the column) is shown under the
    message, before the hint.

    >>> print(QuerySyntaxError("q.rq", 1, 8, "expected a name", excerpt="  ASK { ?\\n         ^"))
    q.rq:1:8: SPARQL syntax error: expected a name
      ASK { ?
             ^
    """

    def __init__(
        self,
        where: str,
        line: int | None,
        column: int | None,
        detail: str,
        *,
        excerpt: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.where = where
        self.line = line
        self.column = column
        self.detail = detail
        self.excerpt = excerpt
        loc = where
        if line is not None:
            loc += f":{line}"
            if column is not None:
                loc += f":{column}"
        super().__init__(f"{loc}: SPARQL syntax error: {detail}", hint=hint)

    def __str__(self) -> str:
        lines = [self.message, *([self.excerpt] if self.excerpt else [])]
        return "\n".join(lines + ([f"  hint: {self.hint}"] if self.hint else []))


class QueryTimeout(VetgraphError):
    """A query ran past its time limit and was stopped."""

    exit_code = ExitCode.TIMEOUT


class RemoteError(VetgraphError):
    """A remote SPARQL endpoint failed, refused, or answered something unusable."""

    exit_code = ExitCode.REMOTE


class OutputError(VetgraphError):
    """An output file or folder could not be written; nothing partial was left."""

    exit_code = ExitCode.OUTPUT
