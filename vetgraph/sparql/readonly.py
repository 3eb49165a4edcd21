"""The read-only guard: what a query is (form, variables), refusing SPARQL Update and SERVICE
calls (unless allowed, and then to http(s) endpoints only), with line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from vetgraph.errors import QueryError, QuerySyntaxError
from vetgraph.sparql.lexer import Token, line_column, tokenize

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH")


@dataclass(frozen=True)
class QueryShape:
    """What a query is: its form, the variables it uses, where its WHERE group opens."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: frozenset[str]
    services: tuple[tuple[int, int], ...]  # (line, column) of each SERVICE keyword
    tokens: tuple[Token, ...] = field(repr=False)
    form_index: int = field(repr=False)


def analyse(text: str, where: str = "<query>") -> QueryShape:
    """Lex a query and say what it is; refuse SPARQL Update; name line and column of errors.

    Queries are read-only: a SPARQL Update is refused, and so is ``SERVICE`` (a call to a
    remote endpoint from inside the query) unless the caller allows it. Both are found by
    lexing the query (strings, IRIs and comments are tokens of their own, so text inside
    them cannot fool the check), then the query is parsed by Oxigraph, whose errors give
    line and column.

    >>> analyse("PREFIX ex: <http://example.org/> ASK { ?s ex:p ?o }").form
    'ASK'
    >>> try:
    ...     analyse("PREFIX ex: <http://example.org/>\\nINSERT DATA { ex:s ex:p 1 }")
    ... except QueryError as error:
    ...     print(error.message)
    <query>:2:1: this is a SPARQL Update (INSERT), which vetgraph does not run
    """
    return _analyse(text, where)


@lru_cache(maxsize=256)  # library queries are lexed once per process, not once per run
def _analyse(text: str, where: str) -> QueryShape:
    tokens = tokenize(text)
    i = 0
    while i < len(tokens) and tokens[i].keyword in ("PREFIX", "BASE"):
        i += 3 if tokens[i].keyword == "PREFIX" else 2
    first = tokens[i] if i < len(tokens) else None
    if first is not None and first.keyword in _UPDATES:
        line, column = line_column(text, first.start)
        raise QueryError(
            f"{where}:{line}:{column}: this is a SPARQL Update ({first.keyword}), "
            "which vetgraph does not run",
            hint="queries here only read the graph; change the data in its source files and "
            "rebuild, or run the update on your own store",
        )
    if first is None or first.keyword not in _FORMS or any(t.kind == "other" for t in tokens):
        check_syntax(text, where)  # names the line and column of the first error
        raise QuerySyntaxError(where, None, None, "expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    services = tuple(line_column(text, t.start) for t in tokens if t.keyword == "SERVICE")
    return QueryShape(
        form=first.keyword,
        variables=frozenset(t.text[1:] for t in tokens if t.kind == "var"),
        services=services,
        tokens=tuple(tokens),
        form_index=i,
    )


def check_syntax(text: str, where: str = "<query>") -> None:
    """Parse a query with Oxigraph (on an empty store); a syntax error names line and column.

    Call it only on queries without SERVICE: an ASK is evaluated, on nothing.
    """
    import pyoxigraph as ox

    from vetgraph.graph.store import query_syntax_error

    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        raise query_syntax_error(exc, where) from None


def refuse_services(shape: QueryShape, text: str, where: str, *, allow: bool) -> None:
    """Refuse a query's SERVICE calls unless ``allow``; allowed ones go to http(s) endpoints
    only, never to a file or another scheme. Call it only when ``shape.services``."""
    if not allow:
        line, column = shape.services[0]
        raise QueryError(
            f"{where}:{line}:{column}: this query calls a remote endpoint (SERVICE)",
            hint="vetgraph does not send queries elsewhere unless you allow it with "
            "--allow-service (Python: allow_service=True)",
        )
    tokens = shape.tokens
    for i, token in enumerate(tokens):
        if token.keyword != "SERVICE":
            continue
        target = (
            tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 1].keyword == "SILENT" else None
        )
        target = target or (tokens[i + 1] if i + 1 < len(tokens) else None)
        if target is None or target.kind != "iri":
            continue
        scheme = target.text[1:-1].split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            line, column = line_column(text, target.start)
            raise QueryError(
                f"{where}:{line}:{column}: SERVICE {target.text} is not an http(s) endpoint",
                hint="SERVICE calls other SPARQL endpoints by their http(s) address only",
            )
