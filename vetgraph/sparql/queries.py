r"""The query library: ``queries/{cq,checks,reports}/*.rq``, each with a comment header.

A header is the run of ``#`` comment lines at the top of the file, one ``key: value`` per
line; a line indented under a key continues it. Keys:

``title`` (required), ``description`` (required), ``shape`` (required: the form of the
answer), ``question`` (competency questions: the question in English), ``param``
(repeatable: ``name (type; default: X; example: Y): what it is``), ``note`` (engine
differences and other remarks).

>>> h = parse_header('''# title: Programmes
... # description: Every programme,
... #   oldest first.
... # param: from (gYear; default: 1990; example: 2000): the first year
... # shape: SELECT ?programme ?label
... SELECT ?programme ?label WHERE { ?programme a ?c }''', "example.rq")
>>> h.title, h.description, h.params[0].name, h.params[0].type, h.params[0].default
('Programmes', 'Every programme, oldest first.', 'from', 'gYear', '1990')

**Parameters are bound as typed RDF terms, never by pasting the user's text.** A value is
first turned into an RDF term of the declared type (an IRI, found by full IRI, CURIE or
exact label; a literal with its datatype or language), then the term, not the text, is
written by :func:`sparql_term` into a ``VALUES`` block that opens the query's outermost
``WHERE`` group. One mechanism for every query form (SELECT with or without the variable
projected, ASK, CONSTRUCT, DESCRIBE) and for every store: the embedded one, Oxigraph server
and Virtuoso see the same query text, so they give the same answers. Scope is that of SPARQL
``VALUES``: the parameter's variable is bound in the top-level group (its triple patterns,
``FILTER``\s, ``OPTIONAL``\s and ``EXISTS``), not inside a sub-``SELECT`` that does not
project it, nor in a nested ``{ }`` group's own ``FILTER``.

>>> print(bind_parameters("SELECT ?class WHERE { ?e a ?class }",
...                       {"e": [NamedNode("https://w3id.org/vetgraph/id/bruges-communique")]}))
SELECT ?class WHERE { VALUES ?e { <https://w3id.org/vetgraph/id/bruges-communique> } ?e a ?class }

The project prefixes (``vg:``, ``vet:``, ``rdfs:``, ... see ``namespaces.PREFIXES``) need no
declaration: those a query uses without declaring are declared for it, on its first line.

Queries are read-only: a SPARQL Update is refused, and so is ``SERVICE`` (a call to a remote
endpoint from inside the query) unless the caller allows it. Both are found by lexing the
query (strings, IRIs and comments are tokens of their own, so text inside them cannot fool
the check), then the query is parsed by Oxigraph, whose errors give line and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyoxigraph import Literal, NamedNode

from vetgraph.errors import QueryError, QuerySyntaxError
from vetgraph.graph import resources
from vetgraph.graph.namespaces import RDFS, XSD, curie, expand
from vetgraph.sparql.results import materialize

if TYPE_CHECKING:
    from vetgraph.graph.store import KnowledgeGraph
    from vetgraph.sparql.results import QueryResult

XSD_STRING = XSD.string

KINDS = ("cq", "checks", "reports")
PARAM_TYPES = ("iri", "string", "langString", "integer", "decimal", "date", "gYear", "boolean")
_REQUIRED = ("title", "description", "shape")
_KEYS = (*_REQUIRED, "question", "param", "note")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*:\s*(?P<doc>.+)$", re.S
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    example: str | None
    description: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class QueryHeader:
    title: str
    description: str
    shape: str
    question: str | None = None
    note: str | None = None
    params: tuple[Parameter, ...] = ()


@dataclass(frozen=True)
class LibraryQuery:
    name: str  # the file name without .rq, e.g. "programme-succession"
    kind: str  # cq, checks or reports
    path: Path
    header: QueryHeader
    text: str = field(repr=False)

    @property
    def title(self) -> str:
        return self.header.title


def parse_header(text: str, where: str) -> QueryHeader:
    """Read the comment header of a query; a clear error names what is missing or wrong."""
    return _parse_header(text, where)


@lru_cache(maxsize=256)  # a library query's header is read once per process while unchanged
def _parse_header(text: str, where: str) -> QueryHeader:
    entries: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and entries:  # an indented line continues the last key
            key, value = entries[-1]
            entries[-1] = (key, f"{value} {body.strip()}")
            continue
        body = body.strip()
        if not body:
            continue
        key, sep, value = body.partition(":")
        key = key.strip().lower()
        if not sep or key not in _KEYS:
            raise QueryError(
                f"{where}:{number}: unknown header line {line!r}",
                hint=f"header keys are {', '.join(_KEYS)}",
            )
        entries.append((key, value.strip()))
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for key, value in entries:
        if key == "param":
            params.append(_parse_param(value, where))
        elif key in fields:
            raise QueryError(f"{where}: header key {key!r} is given twice")
        else:
            fields[key] = value
    missing = [k for k in _REQUIRED if not fields.get(k)]
    if missing:
        raise QueryError(f"{where}: query header lacks {', '.join(missing)}")
    return QueryHeader(
        title=fields["title"],
        description=fields["description"],
        shape=fields["shape"],
        question=fields.get("question"),
        note=fields.get("note"),
        params=tuple(params),
    )


def _parse_param(value: str, where: str) -> Parameter:
    match = _PARAM.match(value)
    if not match:
        raise QueryError(
            f"{where}: cannot read parameter {value!r}",
            hint="write: name (type; default: X; example: Y): what it is",
        )
    parts = [p.strip() for p in match["spec"].split(";") if p.strip()]
    ptype, options = parts[0], dict(p.partition(":")[::2] for p in parts[1:])
    options = {k.strip(): v.strip() for k, v in options.items()}
    if ptype not in PARAM_TYPES:
        raise QueryError(f"{where}: parameter {match['name']!r} has unknown type {ptype!r}")
    default = options.get("default")
    return Parameter(
        name=match["name"],
        type=ptype,
        default=None if default in (None, "", "none", "required") else default,
        example=options.get("example"),
        description=match["doc"].strip(),
    )


def load_library(kind: str | None = None) -> list[LibraryQuery]:
    """Every library query (or those of one kind), with its header read and checked."""
    queries = []
    for path in resources.query_files(kind):
        text = path.read_text(encoding="utf-8")
        queries.append(
            LibraryQuery(
                name=path.stem,
                kind=path.parent.name,
                path=path,
                header=parse_header(text, str(path)),
                text=text,
            )
        )
    return queries


def get_query(name: str) -> LibraryQuery:
    """The library query called ``name``; an unknown name lists the valid ones.

    Listing the folders and reading a query cost more than running a small query on a
    large graph (0.3 ms against 0.1-0.5 ms), so both are remembered: a query file is read
    again when its size or modification time changes, and the folders are listed again
    when a name is not found or its file is gone.
    """
    import difflib

    known = _PATHS.get(name)
    query = _read_query(known) if known is not None else None
    if query is not None:
        return query
    paths = resources.query_files()
    _PATHS.clear()
    for path in paths:
        _PATHS.setdefault(path.stem, path)
    if name in _PATHS:
        query = _read_query(_PATHS[name])
        if query is not None:
            return query
    names = [p.stem for p in paths]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    guess = f"; did you mean {' or '.join(close)}?" if close else ""
    raise QueryError(
        f"no library query is named {name!r}{guess}",
        hint=f"the library has: {', '.join(names)} (`vetgraph queries` lists them with titles)",
    )


_PATHS: dict[str, Path] = {}  # library query name → its file (the first in listing order)
_READ: dict[Path, tuple[tuple[int, int], LibraryQuery]] = {}


def _read_query(path: Path) -> LibraryQuery | None:
    """The query in ``path``, read again only when the file changed; None when it is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _READ.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    text = path.read_text(encoding="utf-8")
    query = LibraryQuery(path.stem, path.parent.name, path, parse_header(text, str(path)), text)
    _READ[path] = (stamp, query)
    return query


# -- lexing: just enough of SPARQL to know what a query is and where its WHERE group opens --

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|"(?:[^"\\\n\r]|\\.)*")',
            r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
            f"(?P<var>[?$]{_VARNAME})",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
            r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!*/+\-|^])",
            r"(?P<other>.)",
        ]
    ),
    re.S,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH")


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, bnode, pname, word, langtag, number, punct, other
    text: str
    start: int  # offset in the query text
    end: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokenize(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments.

    >>> [t.text for t in tokenize('SELECT ?s { ?s ?p "SERVICE # not a comment" } # SERVICE')]
    ['SELECT', '?s', '{', '?s', '?p', '"SERVICE # not a comment"', '}']
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
    return tokens


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


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
        line, column = _line_column(text, first.start)
        raise QueryError(
            f"{where}:{line}:{column}: this is a SPARQL Update ({first.keyword}), "
            "which vetgraph does not run",
            hint="queries here only read the graph; change the data in its source files and "
            "rebuild, or run the update on your own store",
        )
    if first is None or first.keyword not in _FORMS or any(t.kind == "other" for t in tokens):
        check_syntax(text, where)  # names the line and column of the first error
        raise QuerySyntaxError(where, None, None, "expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    services = tuple(_line_column(text, t.start) for t in tokens if t.keyword == "SERVICE")
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


# -- binding parameters ----------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANGTAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
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
            if not _LANGTAG.fullmatch(term.language):
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
        line, column = _line_column(self.original, offset)
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
    """The query text with a ``VALUES`` block per parameter opening its WHERE group."""
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
        if not re.fullmatch(_VARNAME, name):
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


# -- typed parameter values --------------------------------------------------------------------

_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    "date": re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?"),
    "gYear": re.compile(r"-?[0-9]{4,}(?:Z|[+-][0-9]{2}:[0-9]{2})?"),
    "boolean": re.compile(r"true|false|1|0"),
}
_HOW_TO_WRITE = {
    "iri": "a full IRI, a CURIE such as vg:bruges-communique, or an exact label",
    "string": "any text",
    "langString": "text@lang, e.g. Bruges Communiqué@en",
    "integer": "a whole number, e.g. 12",
    "decimal": "a decimal number, e.g. 2.5",
    "date": "a date, YYYY-MM-DD",
    "gYear": "a year, e.g. 2012",
    "boolean": "true or false",
}
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(//|(?<=urn:)|(?<=mailto:)|(?<=tag:))\S*")


class Backend(Protocol):
    """Where a query runs: the embedded store or a remote endpoint (``endpoint.Endpoint``)."""

    def execute(self, query: BoundQuery) -> Any:
        """Solutions (``ox.QuerySolutions``), a bool (ASK) or triples (CONSTRUCT/DESCRIBE)."""
        ...

    def describe(self) -> str:
        """Where the query ran, for messages."""
        ...


@dataclass
class LocalBackend:
    """The embedded Oxigraph store; the default graph is the union of all graphs."""

    graph: KnowledgeGraph

    def execute(self, query: BoundQuery) -> Any:
        try:
            result = self.graph.store.query(query.text, use_default_graph_as_union=True)
            if query.calls_service:
                # Oxigraph calls the endpoint only as the answer is read: read it here, so
                # that a failing endpoint is an error of this call (exit 3), not a crash
                # while the answer is being written.
                return materialize(result)
            return result
        except SyntaxError as exc:
            raise query.syntax_error(exc) from None
        except OSError as exc:  # only SERVICE calls reach the network
            from vetgraph.errors import RemoteError

            raise RemoteError(f"{query.where}: a SERVICE call failed: {exc}") from None

    def describe(self) -> str:
        return "the graph"


def typed_value(ptype: str, value: Any, *, name: str, backend: Backend | None = None) -> Term:
    """One parameter value as an RDF term of the declared type; clear errors otherwise."""
    if isinstance(value, NamedNode | Literal):
        return _check_term(ptype, value, name, backend)
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = str(value)
    if ptype == "iri":
        return resolve_entity(text, backend, name=name)
    if ptype == "string":
        return Literal(text)
    if ptype == "langString":
        body, at, lang = text.rpartition("@")
        if not at or not _LANGTAG.fullmatch(lang):
            raise _bad_value(name, ptype, text)
        return Literal(body, language=lang)
    if not _LEXICAL[ptype].fullmatch(text.strip()):
        raise _bad_value(name, ptype, text)
    text = text.strip()
    if ptype == "date":
        match = _LEXICAL["date"].fullmatch(text)
        assert match is not None
        month, day = int(match[2]), int(match[3])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise _bad_value(name, ptype, text)
        if len(match[1]) == 4:
            import datetime

            try:
                datetime.date(int(match[1]), month, day)
            except ValueError:
                raise _bad_value(name, ptype, text) from None
    return Literal(text, datatype=NamedNode(XSD[ptype]))


def _check_term(ptype: str, term: Term, name: str, backend: Backend | None) -> Term:
    if ptype == "iri":
        if not isinstance(term, NamedNode):
            raise QueryError(f"parameter {name} needs an IRI, not the literal {term}")
        return resolve_entity(f"<{term.value}>", backend, name=name)
    if not isinstance(term, Literal):
        raise QueryError(f"parameter {name} needs a {ptype} literal, not the IRI {term}")
    if ptype == "langString":
        if not term.language:
            raise _bad_value(name, ptype, str(term))
        return term
    if term.datatype.value != XSD[ptype]:
        raise QueryError(f"parameter {name} needs an xsd:{ptype}, not {term}")
    return term


def _bad_value(name: str, ptype: str, text: str) -> QueryError:
    return QueryError(
        f"parameter {name}: {text!r} is not a {ptype}", hint=f"write {_HOW_TO_WRITE[ptype]}"
    )


def undeclared_value(value: Any, name: str = "value") -> Term:
    """A value for a variable no header declares: an IRI when written ``<...>``, else a literal.

    Python values keep their type (int → xsd:integer, float → xsd:double, date → xsd:date).
    """
    import datetime
    import decimal
    import math

    if isinstance(value, NamedNode | Literal):
        return value
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=NamedNode(XSD.boolean))
    if isinstance(value, int):
        return Literal(str(value), datatype=NamedNode(XSD.integer))
    if isinstance(value, float):
        if math.isfinite(value):
            text = repr(value)
        else:  # the xsd:double spellings
            text = "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
        return Literal(text, datatype=NamedNode(XSD.double))
    if isinstance(value, decimal.Decimal):
        return Literal(str(value), datatype=NamedNode(XSD.decimal))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return Literal(value.isoformat(), datatype=NamedNode(XSD.date))
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        return _named_node(
            text[1:-1],
            name,
            hint="write an IRI in full between < and >, without spaces or any of "
            '<>"{}|^`\\; any other value is a plain literal',
        )
    return Literal(text)


def _named_node(iri: str, name: str, hint: str = _HOW_TO_WRITE["iri"]) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise QueryError(
            f"parameter {name}: {iri!r} is not a valid IRI ({exc})", hint=hint
        ) from None


_EXISTS = "ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }"
_BY_LABEL = (
    f"SELECT DISTINCT ?entity WHERE {{ ?entity <{RDFS.label}> ?label "
    "FILTER (STR(?label) = ?text) }"
)
_ALL_LABELS = (
    f"SELECT DISTINCT ?entity ?label WHERE {{ ?entity <{RDFS.label}> ?label }} LIMIT 100000"
)


def resolve_entity(value: str, backend: Backend | None, *, name: str = "entity") -> NamedNode:
    """An entity named by full IRI (``<...>`` or bare), CURIE (project prefixes) or exact
    ``rdfs:label``. An unknown one gets close-match suggestions. Without a backend the IRI
    is not looked up (and labels cannot be used)."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        iri: str | None = text[1:-1]
    else:
        iri = expand(text) or (text if _ABSOLUTE_IRI.fullmatch(text) else None)
    if iri is not None:
        term = _named_node(iri, name)
        if backend is None or _exists(backend, term):
            return term
        raise QueryError(
            f"parameter {name}: {curie(iri)} is not in {backend.describe()}"
            + _suggest(backend, curie(iri), by_iri=True),
            hint="name an entity by full IRI, CURIE (vg:..., src:...) or exact label",
        )
    if backend is None:
        raise QueryError(f"parameter {name}: {text!r} is not an IRI", hint=_HOW_TO_WRITE["iri"])
    found = [
        row["entity"]
        for row in backend.execute(bind(_BY_LABEL, {"text": [Literal(text)]}))
        if isinstance(row["entity"], NamedNode)
    ]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(sorted(curie(t.value) for t in found))
        raise QueryError(
            f"parameter {name}: the label {text!r} names {len(found)} entities: {names}",
            hint="name one of them by its CURIE or IRI",
        )
    from vetgraph.graph.namespaces import PREFIXES

    raise QueryError(
        f"parameter {name}: no entity in {backend.describe()} is labelled {text!r}"
        + _suggest(backend, text, by_iri=False),
        hint="name an entity by full IRI, CURIE (known prefixes: "
        f"{', '.join(PREFIXES)}) or exact label",
    )


def _exists(backend: Backend, entity: NamedNode) -> bool:
    """Is the entity subject or object of a triple? On the embedded store, two index
    lookups (µs) instead of an ASK query (70 µs, as long as a small library query)."""
    if isinstance(backend, LocalBackend):
        store = backend.graph.store
        return any(True for _ in store.quads_for_pattern(entity, None, None)) or any(
            True for _ in store.quads_for_pattern(None, None, entity)
        )
    return _ask(backend, _EXISTS, entity)


def _ask(backend: Backend, text: str, entity: NamedNode) -> bool:
    return bool(backend.execute(bind(text, {"entity": [entity]})))


def _suggest(backend: Backend, text: str, *, by_iri: bool) -> str:
    import difflib

    candidates: dict[str, str] = {}
    for row in backend.execute(bind(_ALL_LABELS, {})):
        entity, label = row["entity"], row["label"]
        if isinstance(entity, NamedNode) and label is not None:
            key = curie(entity.value) if by_iri else label.value
            candidates.setdefault(key, f"{label.value} ({curie(entity.value)})")
    lowered = {k.casefold(): k for k in candidates}
    close = difflib.get_close_matches(text.casefold(), list(lowered), n=5, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean: " + "; ".join(candidates[lowered[c]] for c in close) + "?"


# -- preparing and running ------------------------------------------------------------------------


def prepare(
    query: str | LibraryQuery,
    params: Mapping[str, Any] | None = None,
    *,
    backend: Backend | None = None,
    allow_service: bool = False,
    where: str | None = None,
    limit: int | None = None,
) -> BoundQuery:
    """Check a query (library query or SPARQL text) and bind its parameters.

    Declared parameters (a library query's header, or a ``# title:`` header at the top of
    the text) are typed; any other parameter must name a variable of the query and binds it
    to a plain literal, or to an IRI when written ``<...>``. A list value binds several.
    ``limit`` caps a SELECT query at that many solutions.
    """
    params = dict(params or {})
    declared: tuple[Parameter, ...] | None
    if isinstance(query, LibraryQuery):
        text, label, declared = query.text, where or query.name, query.header.params
    else:
        text, label = query, where or "<query>"
        declared = parse_header(text, label).params if _has_header(text) else None
    shape = analyse(text, label)
    if shape.services and not allow_service:
        line, column = shape.services[0]
        raise QueryError(
            f"{label}:{line}:{column}: this query calls a remote endpoint (SERVICE)",
            hint="vetgraph does not send queries elsewhere unless you allow it with "
            "--allow-service (Python: allow_service=True)",
        )
    if shape.services:  # the scan costs 25 µs a run, a third of vetgraph's own time
        _refuse_local_services(shape, text, label)
    bindings: dict[str, list[Term]] = {}
    if declared is not None:
        known = {p.name: p for p in declared}
        unknown = [k for k in params if k not in known]
        if unknown:
            valid = ", ".join(known) if known else "none"
            raise QueryError(
                f"{label} has no parameter {unknown[0]!r}; its parameters are: {valid}",
                hint=f"`vetgraph queries {label}` shows them" if known else None,
            )
        for p in declared:
            given = params.get(p.name, p.default)
            if given is None:
                example = f" (e.g. --param {p.name}={p.example})" if p.example else ""
                raise QueryError(
                    f"{label} needs parameter {p.name!r} ({p.type}): {p.description}{example}",
                    hint=f"give it with --param {p.name}=VALUE; write {_HOW_TO_WRITE[p.type]}",
                )
            bindings[p.name] = [
                typed_value(p.type, v, name=p.name, backend=backend) for v in _values(given)
            ]
    else:
        for key, given in params.items():
            if key not in shape.variables:
                names = ", ".join(sorted(shape.variables)) or "none"
                raise QueryError(
                    f"{label} has no variable ?{key} to bind; its variables are: {names}"
                )
            bindings[key] = [undeclared_value(v, key) for v in _values(given)]
    return _bind_once(text, label, tuple((k, tuple(v)) for k, v in bindings.items()), limit)


@lru_cache(maxsize=512)
def _bind_once(
    text: str,
    where: str,
    bindings: tuple[tuple[str, tuple[Term, ...]], ...],
    limit: int | None,
) -> BoundQuery:
    # The same query with the same values gives the same BoundQuery, text object and all:
    # Oxigraph then reuses the text's UTF-8 form. 35 µs a run, a third of vetgraph's own
    # time around a small library query on a large graph.
    return bind(text, dict(bindings), shape=analyse(text, where), where=where, limit=limit)


def _refuse_local_services(shape: QueryShape, text: str, where: str) -> None:
    """SERVICE calls go to http(s) endpoints only: never to a file or another scheme."""
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
            line, column = _line_column(text, target.start)
            raise QueryError(
                f"{where}:{line}:{column}: SERVICE {target.text} is not an http(s) endpoint",
                hint="SERVICE calls other SPARQL endpoints by their http(s) address only",
            )


def _has_header(text: str) -> bool:
    return text.lstrip("\ufeff").startswith("# title:")


def _values(given: Any) -> list[Any]:
    if isinstance(given, list | tuple | set | frozenset):
        if not given:
            raise QueryError("a parameter needs at least one value")
        return list(given)
    return [given]


def run(
    query: str | LibraryQuery,
    params: Mapping[str, Any] | None = None,
    *,
    backend: Backend,
    allow_service: bool = False,
    where: str | None = None,
) -> Any:
    """Prepare and run a query: ``ox.QuerySolutions``, a bool, or an iterable of triples."""
    bound = prepare(query, params, backend=backend, allow_service=allow_service, where=where)
    return backend.execute(bound)


def query(
    name_or_text: str,
    graph: KnowledgeGraph | Backend | None = None,
    *,
    allow_service: bool = False,
    **params: Any,
) -> QueryResult:
    """Run a library query (by name) or SPARQL text, for notebooks.

    ``graph`` is a loaded graph (``vetgraph.load()``), a remote ``vetgraph.Endpoint``
    or None for the bundled graph (loaded once per process). Keyword arguments are the
    parameters (a list binds several values). Returns :class:`vetgraph.sparql.results.Rows` for
    SELECT (``rows.to_dataframe()`` with pandas installed), a bool for ASK, and
    :class:`vetgraph.sparql.results.Triples` for CONSTRUCT and DESCRIBE.
    """
    backend = _backend(graph)
    source: str | LibraryQuery = name_or_text
    if _QUERY_NAME.fullmatch(name_or_text.strip()):
        source = get_query(name_or_text.strip())
    return materialize(run(source, params, backend=backend, allow_service=allow_service))


_QUERY_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _backend(graph: Any) -> Backend:
    from vetgraph.graph.store import KnowledgeGraph

    if graph is None:
        return LocalBackend(_bundled())
    if isinstance(graph, KnowledgeGraph):
        return LocalBackend(graph)
    if hasattr(graph, "execute"):
        return graph
    raise TypeError(f"graph must be a KnowledgeGraph or an Endpoint, not {type(graph).__name__}")


_BUNDLED: list[KnowledgeGraph] = []


def _bundled() -> KnowledgeGraph:
    if not _BUNDLED:
        from vetgraph.graph.build import load

        _BUNDLED.append(load())
    return _BUNDLED[0]
