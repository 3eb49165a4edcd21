"""The query library: ``queries/{cq,checks,reports}/*.rq``, each with a comment header.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import resources
from .errors import QueryError

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
