"""Binding parameters: typed RDF terms written into a ``VALUES`` block that opens the query's
WHERE group, missing project prefixes declared, a SELECT capped at a LIMIT.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from vetgraph.errors import QueryError, QuerySyntaxError
from vetgraph.graph.namespaces import XSD
from vetgraph.sparql.lexer import VARNAME, Token, line_column
from vetgraph.sparql.readonly import QueryShape, analyse

XSD_STRING = XSD.string

_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
Term = NamedNode | Literal


def sparql_term(term: Term) -> str:
    """An IRI or literal written in SPARQL syntax; nothing in its value can leave its slot.

    Only four characters are escaped in a literal (backslash, quote, line feed, carriage
    return), with the short escapes every SPARQL parser reads the same way; no ``\\u``
    escapes are written, since some engines expand those before parsing.

    >>> print(sparql_term(Literal('"> } ; DROP ALL #\\nx')))
    "\\"> } ; DROP ALL #\\nx"
    >>> print(sparql_term(Literal("2012", datatype=NamedNode(XSD.gYear))))
    "2012"^^<http://www.w3.org/2001/XMLSchema#gYear>
    """
    if isinstance(term, NamedNode):
        if _IRI_FORBIDDEN.search(term.value):
            raise QueryError(f"{term.value!r} cannot be written as a SPARQL IRI")
        return f"<{term.value}>"
    if isinstance(term, Literal):
        value = (
            term.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            if not LANGTAG.fullmatch(term.language):
                raise QueryError(f"{term.language!r} is not a language tag")
            return f'"{value}"@{term.language}'
        if term.datatype.value == XSD_STRING:
            return f'"{value}"'
        return f'"{value}"^^{sparql_term(term.datatype)}'
    raise QueryError(f"a parameter must be an IRI or a literal, not {term!r}")


@dataclass(frozen=True)
class BoundQuery:
    """A query ready to run: the text with its parameters' ``VALUES``, and where it came from."""

    text: str  # the text to run or send
    original: str  # the text as the user wrote it
    form: str
    where: str  # the query's name for messages: library name, file or "--sparql"
    insertions: tuple[tuple[int, int], ...] = ()  # (offset in original, length inserted)
    calls_service: bool = False  # the query has a SERVICE clause (it was allowed)

    def syntax_error(self, exc: SyntaxError) -> QuerySyntaxError:
        """Oxigraph's error on the bound text, with line and column in the user's text."""
        from vetgraph.graph.store import query_syntax_error

        error = query_syntax_error(exc, self.where)
        detail = _tidy(error.message.split("SPARQL syntax error: ", 1)[-1])
        if error.line is None or not self.insertions:
            return QuerySyntaxError(self.where, error.line, error.column, detail)
        lines = self.text.split("\n")
        offset = sum(len(x) + 1 for x in lines[: error.line - 1]) + (error.column or 1) - 1
        for at, length in sorted(self.insertions, reverse=True):
            if offset >= at + length:
                offset -= length
            elif offset >= at:
                offset = at
        line, column = line_column(self.original, offset)
        return QuerySyntaxError(self.where, line, column, detail)


def _tidy(detail: str) -> str:
    r"""Oxigraph lists the character classes it expected; a person needs the tokens.

    >>> _tidy('expected one of "[", "{", [\'0\'..=\'9\'], [\'A\' ..= \'Z\'\n| \'a\'], [_]')
    'expected one of "[", "{", or a name or number'
    """
    classes = re.compile(r",\s*\[(?:'[^']*'|[^\]'])*\]", re.S)
    if not classes.search(detail):
        return detail
    tidy = classes.sub("", detail).strip()
    return f"{tidy}, or a name or number" if tidy.startswith("expected") else tidy


def bind_parameters(
    text: str,
    bindings: Mapping[str, Sequence[Term]],
    *,
    shape: QueryShape | None = None,
    where: str = "<query>",
) -> str:
    r"""The query text with a ``VALUES`` block per parameter opening its WHERE group.

    **Parameters are bound as typed RDF terms, never by pasting the user's text.** A value
    is first turned into an RDF term of the declared type (an IRI, found by full IRI, CURIE
    or exact label; a literal with its datatype or language), then the term, not the text,
    is written by :func:`sparql_term` into a ``VALUES`` block that opens the query's
    outermost ``WHERE`` group. One mechanism for every query form (SELECT with or without
    the variable projected, ASK, CONSTRUCT, DESCRIBE) and for every store: the embedded one,
    Oxigraph server and Virtuoso see the same query text, so they give the same answers.
    Scope is that of SPARQL ``VALUES``: the parameter's variable is bound in the top-level
    group (its triple patterns, ``FILTER``\s, ``OPTIONAL``\s and ``EXISTS``), not inside a
    sub-``SELECT`` that does not project it, nor in a nested ``{ }`` group's own ``FILTER``.

    >>> print(bind_parameters("SELECT ?class WHERE { ?e a ?class }",
    ...                       {"e": [NamedNode("https://w3id.org/vetgraph/id/bruges-communique")]}))
    SELECT ?class WHERE { VALUES ?e { <https://w3id.org/vetgraph/id/bruges-communique> } ?e a ?class }
    """  # noqa: E501 (the doctest's expected output is one line)
    return bind(text, bindings, shape=shape, where=where).text


def bind(
    text: str,
    bindings: Mapping[str, Sequence[Term]],
    *,
    shape: QueryShape | None = None,
    where: str = "<query>",
    limit: int | None = None,
) -> BoundQuery:
    """Bind each variable of ``bindings`` to its terms (several terms: one answer set each).

    ``limit`` caps a SELECT query at that many solutions (see :func:`_limit_edit`).
    """
    shape = shape or analyse(text, where)
    inserts: list[tuple[int, str, int]] = []
    prologue = _missing_prefixes(shape)
    if prologue:  # on the first line, so that line numbers stay the user's
        inserts.append((0, prologue, 0))
    if limit is not None:
        edit = _limit_edit(shape, limit)
        if edit is not None:
            inserts.append(edit)
    if not bindings:
        return _apply(text, inserts, shape, where)
    for name in bindings:
        if not re.fullmatch(VARNAME, name):
            raise QueryError(f"{name!r} cannot be a SPARQL variable name")
    block = " ".join(
        f"VALUES ?{name} {{ {' '.join(sparql_term(t) for t in terms)} }}"
        for name, terms in bindings.items()
    )
    tokens = shape.tokens
    start = shape.form_index + 1
    if shape.form == "CONSTRUCT" and start < len(tokens) and tokens[start].text != "{":
        # CONSTRUCT WHERE { T } is short for CONSTRUCT { T } WHERE { T }; a VALUES block is
        # not allowed in the short form, so write the template out.
        brace = _where_brace(tokens, start)
        if brace is None:
            raise QueryError(f"{where}: cannot find the WHERE clause of this CONSTRUCT query")
        close = _matching_brace(tokens, brace)
        template = text[tokens[brace].end : tokens[close].start]
        inserts.append((tokens[shape.form_index].end, f" {{{template}}}", 0))
    else:
        if shape.form == "CONSTRUCT":
            start = _matching_brace(tokens, start) + 1
        brace = _where_brace(tokens, start)
        if brace is None:
            raise QueryError(
                f"{where}: this {shape.form} query has no WHERE clause to bind parameters in"
            )
    after = tokens[brace + 1] if brace + 1 < len(tokens) else None
    if after is not None and after.keyword == "SELECT":  # WHERE { SELECT ... }: a sub-select
        inserts.append((tokens[brace].end, f" {block} {{", 0))
        inserts.append((tokens[_matching_brace(tokens, brace)].start, "} ", 0))
    else:
        inserts.append((tokens[brace].end, f" {block}", 0))
    return _apply(text, inserts, shape, where)


def _limit_edit(shape: QueryShape, limit: int) -> tuple[int, str, int] | None:
    """How to cap a SELECT query at ``limit`` solutions: (offset, new text, characters it
    replaces). A top-level ``LIMIT`` above ``limit`` is lowered; without one, ``LIMIT n`` is
    added after the solution modifiers (before a final ``VALUES`` block). The engine then
    stops early, and Oxigraph's own writers still write the answer.

    >>> shape = analyse("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 100 # the first")
    >>> _limit_edit(shape, 10), _limit_edit(shape, 1000)
    ((40, '10', 3), None)
    >>> _limit_edit(analyse("SELECT * { ?s ?p ?o } VALUES ?s { 1 }"), 5)
    (22, 'LIMIT 5 ', 0)
    """
    if shape.form != "SELECT":
        return None
    tokens = shape.tokens
    brace = _where_brace(tokens, shape.form_index + 1)
    if brace is None:
        return None  # not a query Oxigraph will parse: it will say where
    try:
        close = _matching_brace(tokens, brace)
    except QueryError:
        return None
    depth = 0
    for i in range(close + 1, len(tokens)):
        token = tokens[i]
        depth += {"(": 1, ")": -1}.get(token.text, 0) if token.kind == "punct" else 0
        if depth:
            continue
        if token.keyword == "VALUES":
            return (token.start, f"LIMIT {limit} ", 0)
        if token.keyword == "LIMIT" and i + 1 < len(tokens) and tokens[i + 1].text.isdigit():
            number = tokens[i + 1]
            if int(number.text) <= limit:
                return None
            return (number.start, str(limit), number.end - number.start)
    return (tokens[-1].end, f" LIMIT {limit}", 0)


def _apply(
    text: str, inserts: list[tuple[int, str, int]], shape: QueryShape, where: str
) -> BoundQuery:
    pieces, last = [], 0
    for at, piece, replaced in sorted(inserts, key=lambda x: x[0]):
        pieces += [text[last:at], piece]
        last = at + replaced
    pieces.append(text[last:])
    return BoundQuery(
        "".join(pieces),
        text,
        shape.form,
        where,
        # an insertion of len(piece) - replaced characters after the replaced ones
        tuple((at + replaced, len(p) - replaced) for at, p, replaced in inserts),
        calls_service=bool(shape.services),
    )


def _missing_prefixes(shape: QueryShape) -> str:
    """PREFIX declarations for the project prefixes a query uses without declaring them.

    The project prefixes (``vg:``, ``vet:``, ``rdfs:``, ... see ``namespaces.PREFIXES``)
    need no declaration: those a query uses without declaring are declared for it, on its
    first line.

    >>> _missing_prefixes(analyse("PREFIX vg: <x:> SELECT * { vg:a rdfs:label ?l }"))
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
    """
    from vetgraph.graph.namespaces import PREFIXES

    tokens = shape.tokens
    declared = {
        tokens[i + 1].text[:-1]
        for i in range(shape.form_index)
        if tokens[i].keyword == "PREFIX" and i + 1 < len(tokens)
    }
    used = {t.text.split(":", 1)[0] for t in tokens if t.kind == "pname"}
    missing = sorted(p for p in used - declared if p in PREFIXES)
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}> " for p in missing)


def _where_brace(tokens: Sequence[Token], start: int) -> int | None:
    depth = 0
    for i in range(start, len(tokens)):
        text = tokens[i].text
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0 and tokens[i].kind == "punct":
            return i
    return None


def _matching_brace(tokens: Sequence[Token], open_index: int) -> int:
    depth = 0
    for i in range(open_index, len(tokens)):
        if tokens[i].kind != "punct":
            continue
        if tokens[i].text == "{":
            depth += 1
        elif tokens[i].text == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("unbalanced braces in the query")
