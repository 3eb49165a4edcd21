"""Query results as data, and the formats that render them.

The command line streams: solutions go from Oxigraph's iterator to the output without
being converted (``csv``, ``tsv`` and ``json`` are written by Oxigraph itself, following
the W3C SPARQL 1.1 Query Results CSV/TSV and JSON formats); ``table`` (fitted to a width,
see :mod:`vetgraph.sparql.table`) and ``md`` convert each term to text once. Notebooks get
:class:`Rows` (a list of solutions with ``to_dicts()`` and ``to_dataframe()``), a bool, or
:class:`Triples`.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/vetgraph/id/a"),
...                   ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
...                   ox.Literal("A | b", language="en")))
>>> import io; out = io.BytesIO()
>>> render(store.query("SELECT ?s ?label { ?s ?p ?label }"), "md", out)
>>> print(out.getvalue().decode())
| s | label |
| --- | --- |
| vg:a | A \\| b |
<BLANKLINE>
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, overload

import pyoxigraph as ox

from vetgraph.errors import QueryError
from vetgraph.graph.namespaces import PREFIXES, XSD, curie
from vetgraph.sparql.table import write_table

#: Formats for SELECT (and ASK: a boolean) and for CONSTRUCT/DESCRIBE.
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
_RESULTS_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
_RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
#: Media types of what ``render`` writes, by format name.
MEDIA_TYPES = {
    "table": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}


def form_of(result: Any) -> str:
    """SELECT, ASK or CONSTRUCT (also for DESCRIBE) for a raw or materialized result."""
    if isinstance(result, ox.QuerySolutions | Rows):
        return "SELECT"
    if isinstance(result, bool | ox.QueryBoolean):
        return "ASK"
    return "CONSTRUCT"


def default_format(result: Any) -> str:
    return "ttl" if form_of(result) == "CONSTRUCT" else "table"


def render(result: Any, fmt: str, out: IO[bytes], *, width: int | None = None) -> None:
    """Write a result in ``fmt`` to a binary stream, row by row where the format allows.

    ``width``: the ``table`` format fits this many columns, cutting long values with ``…``
    (None: every value whole). Every format ends with a line break.
    """
    form = form_of(result)
    if form == "CONSTRUCT":
        if fmt not in _RDF_FORMATS:
            raise QueryError(
                f"--format {fmt} is for SELECT and ASK; a CONSTRUCT or DESCRIBE query gives "
                f"triples: use {', '.join(GRAPH_FORMATS)}"
            )
        if fmt != "ttl":
            ox.serialize(result, out, _RDF_FORMATS[fmt])
            if fmt == "jsonld":  # Oxigraph ends JSON without a line break
                out.write(b"\n")
            return
        # Oxigraph writes prefixes in hash order; sort them so equal results print equally.
        text = ox.serialize(result, None, _RDF_FORMATS[fmt], prefixes=PREFIXES) or b""
        lines = text.split(b"\n")
        head = sum(1 for _ in itertools.takewhile(lambda x: x.startswith(b"@prefix"), lines))
        out.write(b"\n".join(sorted(lines[:head]) + lines[head:]))
        return
    if fmt not in SOLUTION_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a {form} query gives "
            f"{'solutions' if form == 'SELECT' else 'a boolean'}: use "
            f"{', '.join(SOLUTION_FORMATS)}"
        )
    if form == "ASK":
        value = bool(result)
        if fmt == "json":
            out.write(b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}\n")
        else:
            out.write(b"true\n" if value else b"false\n")
        return
    if fmt in _RESULTS_FORMATS:
        if isinstance(result, Rows):
            _write_json_like(result, fmt, out)
        else:
            result.serialize(out, _RESULTS_FORMATS[fmt])
        if fmt == "json":  # Oxigraph ends JSON without a line break
            out.write(b"\n")
        return
    if isinstance(result, Rows):
        variables, rows = result.variables, iter(result)
    else:
        variables, rows = [v.value for v in result.variables], iter(result)
    if fmt == "md":
        _write_markdown(variables, rows, out)
    else:
        write_table(variables, rows, out, width=width, cell=cell)


def cell(term: Any) -> str:
    """A term as short text: a CURIE for a project IRI, the lexical form of a literal."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _write_markdown(variables: Sequence[str], rows: Iterator[Any], out: IO[bytes]) -> None:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    out.write(("| " + " | ".join(variables) + " |\n").encode())
    out.write(("| " + " | ".join("---" for _ in variables) + " |\n").encode())
    for row in rows:
        out.write(("| " + " | ".join(esc(cell(row[v])) for v in variables) + " |\n").encode())


def _write_json_like(rows: Rows, fmt: str, out: IO[bytes]) -> None:
    # Materialized rows: re-read them into Oxigraph's writer through the JSON format.
    import json

    data = {
        "head": {"vars": rows.variables},
        "results": {
            "bindings": [
                {v: _json_term(row[v]) for v in rows.variables if row[v] is not None}
                for row in rows
            ]
        },
    }
    parsed = ox.parse_query_results(json.dumps(data).encode(), ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    parsed.serialize(out, _RESULTS_FORMATS[fmt])


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


# -- Python values, for notebooks ------------------------------------------------------------

_INTEGERS = {
    XSD[t]
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_FLOATS = {XSD.decimal, XSD.double, XSD.float}


def to_python(term: Any) -> Any:
    """A term as a plain Python value: IRI → str, number → int/float, xsd:date → date,
    xsd:gYear → int, boolean → bool, other literals → their text, unbound → None.

    >>> to_python(ox.Literal("2.50", datatype=ox.NamedNode(XSD.decimal)))
    2.5
    >>> to_python(ox.Literal("2014-04-03", datatype=ox.NamedNode(XSD.date)))
    datetime.date(2014, 4, 3)
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal) or term.language:
        return getattr(term, "value", term)
    datatype, text = term.datatype.value, term.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype in _FLOATS:
            return float(text)
        if datatype == XSD.boolean:
            return text in ("true", "1")
        if datatype == XSD.date:
            return datetime.date.fromisoformat(text[:10])
        if datatype == XSD.dateTime:
            return datetime.datetime.fromisoformat(text)
        if datatype == XSD.gYear:
            return int(text[:4] if text[0] != "-" else text[:5])
    except ValueError:
        return text
    return text


class Rows(Sequence[ox.QuerySolution]):
    """The solutions of a SELECT query, kept as lossless RDF terms.

    ``rows[0]["entity"]`` is an Oxigraph term; ``rows.to_dicts()`` gives plain Python
    values; ``rows.to_dataframe()`` a pandas DataFrame (``pip install 'vetgraph-eu[pandas]'``).
    """

    def __init__(self, variables: Sequence[str], solutions: Iterable[ox.QuerySolution]):
        self.variables = list(variables)
        self._rows = list(solutions)

    @overload
    def __getitem__(self, index: int) -> ox.QuerySolution: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ox.QuerySolution]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._rows[index]

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"<Rows {len(self)} × ({', '.join(self.variables)})>"

    def to_dicts(self) -> list[dict[str, Any]]:
        """One dict per solution, variable → plain Python value (None where unbound)."""
        return [{v: to_python(row[v]) for v in self.variables} for row in self._rows]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one column per variable, values as in ``to_dicts()``."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "Rows.to_dataframe() needs pandas, which is not installed; "
                "install it with: pip install 'vetgraph-eu[pandas]'"
            ) from None
        return pd.DataFrame.from_records(self.to_dicts(), columns=self.variables)


class Triples(list):
    """The triples of a CONSTRUCT or DESCRIBE query (Oxigraph ``Triple`` objects)."""

    def serialize(self, fmt: str = "ttl") -> bytes:
        """The triples in ``ttl``, ``nt`` or ``jsonld``."""
        import io

        out = io.BytesIO()
        render(self, fmt, out)
        return out.getvalue()

    def to_rdflib(self) -> Any:
        """The triples as an rdflib Graph with the project prefixes bound."""
        import rdflib

        from vetgraph.graph.namespaces import bind_prefixes
        from vetgraph.graph.store import to_rdflib

        graph = bind_prefixes(rdflib.Graph())
        for t in self:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph


QueryResult = Rows | bool | Triples


def materialize(result: Any) -> QueryResult:
    """Read a raw result to the end: Rows, bool or Triples."""
    if isinstance(result, ox.QuerySolutions):
        return Rows([v.value for v in result.variables], result)
    if isinstance(result, bool | ox.QueryBoolean):
        return bool(result)
    return Triples(result)
