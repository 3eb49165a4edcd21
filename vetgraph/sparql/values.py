"""Parameter values as RDF terms: typed by the query header's declaration, or inferred for a
variable no header declares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pyoxigraph import Literal, NamedNode

from vetgraph.errors import QueryError
from vetgraph.graph.namespaces import XSD
from vetgraph.sparql.backend import Backend
from vetgraph.sparql.binding import LANGTAG, Term
from vetgraph.sparql.entities import HOW_TO_WRITE_IRI, named_node, resolve_entity
from vetgraph.sparql.library import Parameter
from vetgraph.sparql.readonly import QueryShape

_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"),
    "date": re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?"),
    "gYear": re.compile(r"-?[0-9]{4,}(?:Z|[+-][0-9]{2}:[0-9]{2})?"),
    "boolean": re.compile(r"true|false|1|0"),
}
_HOW_TO_WRITE = {
    "iri": HOW_TO_WRITE_IRI,
    "string": "any text",
    "langString": "text@lang, e.g. Bruges Communiqué@en",
    "integer": "a whole number, e.g. 12",
    "decimal": "a decimal number, e.g. 2.5",
    "date": "a date, YYYY-MM-DD",
    "gYear": "a year, e.g. 2012",
    "boolean": "true or false",
}


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
        if not at or not LANGTAG.fullmatch(lang):
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
        return named_node(
            text[1:-1],
            name,
            hint="write an IRI in full between < and >, without spaces or any of "
            '<>"{}|^`\\; any other value is a plain literal',
        )
    return Literal(text)


def declared_bindings(
    declared: tuple[Parameter, ...],
    params: Mapping[str, Any],
    label: str,
    backend: Backend | None,
) -> dict[str, list[Term]]:
    """The terms of each parameter a header declares: typed, defaults filled in."""
    bindings: dict[str, list[Term]] = {}
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
    return bindings


def undeclared_bindings(
    shape: QueryShape, params: Mapping[str, Any], label: str
) -> dict[str, list[Term]]:
    """The terms of parameters no header declares: each must name a variable of the query."""
    bindings: dict[str, list[Term]] = {}
    for key, given in params.items():
        if key not in shape.variables:
            names = ", ".join(sorted(shape.variables)) or "none"
            raise QueryError(f"{label} has no variable ?{key} to bind; its variables are: {names}")
        bindings[key] = [undeclared_value(v, key) for v in _values(given)]
    return bindings


def _values(given: Any) -> list[Any]:
    if isinstance(given, list | tuple | set | frozenset):
        if not given:
            raise QueryError("a parameter needs at least one value")
        return list(given)
    return [given]
