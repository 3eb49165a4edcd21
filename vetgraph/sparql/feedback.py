"""Feedback on SPARQL a person wrote: syntax errors shown on the line with a caret (an unknown
prefix named as such), and warnings for ``vet:`` terms the graph's ontology does not declare.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from vetgraph.errors import QuerySyntaxError
from vetgraph.graph.namespaces import PREFIXES, RDFS, VET, curie
from vetgraph.sparql.lexer import Token, line_column, tokenize

if TYPE_CHECKING:
    from vetgraph.sparql.binding import BoundQuery

_EXCERPT_WIDTH = 100  # characters of a long line shown around the column
_ONTOLOGY_TERMS = f"SELECT DISTINCT ?term WHERE {{ ?term <{RDFS.isDefinedBy}> ?module }}"


class UnknownTermWarning(UserWarning):
    """A query names a ``vet:`` term that the graph's ontology does not declare."""


def syntax_error(
    exc: SyntaxError,
    where: str,
    original: str,
    text: str | None = None,
    insertions: Sequence[tuple[int, int]] = (),
) -> QuerySyntaxError:
    """Oxigraph's error on ``text`` (the query as sent: ``original`` with ``insertions``,
    (offset in original, length inserted)), placed in the user's ``original`` and shown
    on its line with a caret."""
    from vetgraph.graph.store import query_syntax_error

    error = query_syntax_error(exc, where)
    detail = tidy(error.message.split("SPARQL syntax error: ", 1)[-1])
    if error.line is None:
        return QuerySyntaxError(where, None, None, detail)
    sent = original if text is None else text
    lines = sent.split("\n")
    offset = sum(len(x) + 1 for x in lines[: error.line - 1]) + (error.column or 1) - 1
    for at, length in sorted(insertions, reverse=True):
        if offset >= at + length:
            offset -= length
        elif offset >= at:
            offset = at
    hint = None
    if "Prefix not found" in detail:
        prefix, offset = _unknown_prefix(original, offset)
        detail, hint = _prefix_message(prefix)
    line, column = line_column(original, offset)
    excerpt = caret_excerpt(original, line, column)
    return QuerySyntaxError(where, line, column, detail, excerpt=excerpt, hint=hint)


def tidy(detail: str) -> str:
    r"""Oxigraph lists the character classes it expected; a person needs the tokens.

    >>> tidy('expected one of "[", "{", [\'0\'..=\'9\'], [\'A\' ..= \'Z\'\n| \'a\'], [_]')
    'expected one of "[", "{", or a name or number'
    """
    import re

    classes = re.compile(r",\s*\[(?:'[^']*'|[^\]'])*\]", re.S)
    if not classes.search(detail):
        return detail
    tidy = classes.sub("", detail).strip()
    return f"{tidy}, or a name or number" if tidy.startswith("expected") else tidy


def caret_excerpt(text: str, line: int, column: int) -> str | None:
    """The line of ``text`` with a caret under ``column`` (both from 1), indented by two.

    >>> print(caret_excerpt("SELECT ?x\\nWHERE { ?x a vet:Thing", 2, 14))
      WHERE { ?x a vet:Thing
                   ^
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1].rstrip("\r")
    column = min(max(column, 1), len(source) + 1)
    start = max(0, column - 1 - _EXCERPT_WIDTH // 2)
    shown = source[start : start + _EXCERPT_WIDTH]
    lead = "…" if start else ""
    tail = "…" if start + _EXCERPT_WIDTH < len(source) else ""
    # a tab stays a tab under the line, so the caret lines up however tabs are shown
    pad = "".join(c if c == "\t" else " " for c in lead + source[start : column - 1])
    return f"  {lead}{shown}{tail}\n  {pad}^"


def _unknown_prefix(text: str, offset: int) -> tuple[str, int]:
    """The prefix Oxigraph did not find (it points after the prefixed name) and where the
    name starts."""
    for token in tokenize(text):
        if token.kind == "pname" and token.start < offset <= token.end:
            return token.text.split(":", 1)[0] + ":", token.start
    return "", offset


def _prefix_message(prefix: str) -> tuple[str, str]:
    """What to say of an unknown prefix (``vgx:``), and the hint: the known ones."""
    close = difflib.get_close_matches(prefix[:-1], list(PREFIXES), n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]}:?" if close else ""
    known = " ".join(f"{p}:" for p in PREFIXES)
    return f"unknown prefix {prefix}{guess}", (
        f"the known prefixes, which need no PREFIX line: {known}; declare any other with "
        f"a PREFIX line, e.g. PREFIX {prefix or 'ex:'} <http://example.org/ns#>"
    )


def unknown_terms(text: str, backend: Any, where: str = "<query>") -> list[str]:
    """A warning for each ``vet:`` term of ``text`` that the graph's ontology does not
    declare, with the closest declared term; none when the graph has no ontology or is
    remote (its ontology may be another version).

    For SPARQL a person wrote, not for library queries: it costs a query on the graph.
    """
    from vetgraph.sparql.backend import LocalBackend

    if not isinstance(backend, LocalBackend):
        return []
    tokens = tokenize(text)
    used = list(_vet_terms(tokens))
    if not used:
        return []
    declared = _ontology_terms(backend.graph.store)
    if not declared:
        return []
    warnings, seen = [], set()
    for local, start in used:
        if local in declared or local in seen:
            continue
        seen.add(local)
        line, column = line_column(text, start)
        close = difflib.get_close_matches(local, sorted(declared), n=1, cutoff=0.6)
        guess = f"; did you mean {curie(VET[close[0]])}?" if close else ""
        warnings.append(
            f"{where}:{line}:{column}: {curie(VET[local])} is not in the ontology{guess}"
        )
    return warnings


def _ontology_terms(store: Any) -> set[str]:
    """The local names of the terms the graph's ontology declares in the ``vet:`` namespace
    (each has ``rdfs:isDefinedBy``, as the ontology's shapes require): one query, 1 ms."""
    return {
        row["term"].value[len(VET) :]
        for row in store.query(_ONTOLOGY_TERMS, use_default_graph_as_union=True)
        if row["term"].value.startswith(VET)
    }


def _vet_terms(tokens: Sequence[Token]) -> Iterator[tuple[str, int]]:
    """(local name, offset) of each term in the ontology's namespace, by prefixed name
    (the project's ``vet:`` or the query's own prefix for it) or full IRI."""
    prefixes = dict(PREFIXES)
    for i, token in enumerate(tokens[:-2]):
        if token.keyword == "PREFIX" and tokens[i + 2].kind == "iri":
            prefixes[tokens[i + 1].text[:-1]] = tokens[i + 2].text[1:-1]
    for i, token in enumerate(tokens):
        if i >= 2 and tokens[i - 2].keyword == "PREFIX":
            continue  # the IRI of a PREFIX declaration
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            iri = prefixes.get(prefix, "") + local if prefix in prefixes else ""
        else:
            iri = token.text[1:-1] if token.kind == "iri" else ""
        if iri.startswith(VET) and len(iri) > len(VET):
            yield iri[len(VET) :], token.start


def check_parses(bound: BoundQuery) -> None:
    """Parse a bound query (on an empty store, so nothing runs); a syntax error is raised
    with the user's line and column. Not for queries with SERVICE: those would be called."""
    import pyoxigraph as ox

    if bound.calls_service:
        return
    try:
        ox.Store().query(bound.text)
    except SyntaxError as exc:
        raise bound.syntax_error(exc) from None
