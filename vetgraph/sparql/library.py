"""The query library: the ``queries/{cq,checks,reports}/*.rq`` files, their comment headers,
and the cache that reads a query file again only when it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vetgraph.errors import QueryError
from vetgraph.graph import resources

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
    """Read the comment header of a query; a clear error names what is missing or wrong.

    A header is the run of ``#`` comment lines at the top of the file, one ``key: value``
    per line; a line indented under a key continues it. Keys:

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
    """
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
