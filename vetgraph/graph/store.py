"""The embedded SPARQL store (Oxigraph) and its conversion to and from rdflib.

Oxigraph answers SPARQL; rdflib is used where it is best (the Graph API users expect,
pySHACL, some serialisations). This module is the only one that converts between them.

All facts live in named graphs (one per claim, plus the ontology modules and the reserved
provenance and sources graphs). Queries see the union of all graphs as their default
graph, which is what a researcher expects and what Virtuoso does by default.

>>> kg = KnowledgeGraph()
>>> kg.add_ntriples('<http://ex.org/a> <http://ex.org/p> "x" .', graph="http://ex.org/g")
>>> [row["o"].value for row in kg.select("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
>>> len(kg)
1
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from vetgraph.errors import QueryError, QuerySyntaxError

if TYPE_CHECKING:
    import logging

    import rdflib

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class KnowledgeGraph:
    """The vetgraph dataset: an Oxigraph store plus where each named graph came from.

    ``origins`` maps a named graph IRI to the file it was read from, so that findings
    can name the file a fact sits in. ``location`` is the folder of a store on disk
    (opened read-only: see :mod:`vetgraph.graph.disk`), None for a store in memory.
    """

    store: ox.Store = field(default_factory=ox.Store)
    origins: MutableMapping[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    location: Path | None = None

    def __len__(self) -> int:
        return len(self.store)

    # -- reading -------------------------------------------------------------------------
    def add_ntriples(self, text: str, graph: str | None = None) -> None:
        """Add N-Triples text, into ``graph`` when given (handy in tests and examples)."""
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        self.store.load(input=text.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=target)

    # -- querying ------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        bindings: dict[str, Term] | None = None,
        union: bool = True,
        where: str = "<query>",
    ) -> Any:
        """Run a SPARQL query; ``bindings`` substitute variables with RDF terms (never text).

        Returns Oxigraph's result object: solutions (SELECT), a boolean (ASK) or triples
        (CONSTRUCT/DESCRIBE).
        """
        substitutions: dict[ox.Variable, Term] | None = (
            {ox.Variable(name): value for name, value in bindings.items()} if bindings else None
        )
        try:
            return self.store.query(
                sparql, use_default_graph_as_union=union, substitutions=substitutions
            )
        except SyntaxError as exc:
            raise query_syntax_error(exc, where) from None

    def select(self, sparql: str, **kwargs: Any) -> list[ox.QuerySolution]:
        """Run a SELECT query and return all its solutions as a list."""
        result = self.query(sparql, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        return list(result)

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self.store)

    # -- conversion ----------------------------------------------------------------------
    def to_rdflib_dataset(self) -> rdflib.Dataset:
        """Every quad, named graphs kept, as an rdflib Dataset."""
        return quads_to_rdflib_dataset(self.store)

    def to_rdflib_graph(self, graphs: Iterable[str] | None = None) -> rdflib.Graph:
        """The union of all graphs (or of ``graphs``) merged into one rdflib Graph."""
        import rdflib

        from vetgraph.graph.namespaces import bind_prefixes

        g = bind_prefixes(rdflib.Graph())
        if graphs is None:
            source: Iterable[ox.Quad] = self.store
        else:
            source = (
                q
                for name in graphs
                for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
            )
        for q in source:
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g


def query_syntax_error(exc: SyntaxError, where: str) -> QuerySyntaxError:
    """Turn Oxigraph's SPARQL syntax error ('error at 2:9: ...') into ours."""
    text = str(exc)
    line = column = None
    detail = text
    if text.startswith("error at "):
        pos, _, rest = text[len("error at ") :].partition(": ")
        line_s, _, col_s = pos.partition(":")
        if line_s.isdigit() and col_s.isdigit():
            line, column, detail = int(line_s), int(col_s), rest
    return QuerySyntaxError(where, line, column, detail)


# -- term conversion -------------------------------------------------------------------------

_QUIET_RDFLIB: list[bool] = []  # the rdflib.term filter below is installed once


def _ill_typed_literal_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


def to_rdflib(term: Any) -> Any:
    """Convert an Oxigraph term to the equal rdflib term.

    An ill-typed literal (``"abc"^^xsd:date``) converts as written; rdflib would log a
    warning with a traceback for it, which vetgraph silences: validation reports such
    values, naming the entity and the file.
    """
    import rdflib

    if not _QUIET_RDFLIB:
        import logging

        logging.getLogger("rdflib.term").addFilter(_ill_typed_literal_warning)
        _QUIET_RDFLIB.append(True)

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        # Keep the lexical form exactly; rdflib would normalise some values otherwise.
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=False)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib(term: Any) -> Term:
    """Convert an rdflib term to the equal Oxigraph term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def quads_to_rdflib_dataset(quads: Iterable[ox.Quad]) -> rdflib.Dataset:
    import rdflib

    from vetgraph.graph.namespaces import bind_prefixes

    ds = rdflib.Dataset()
    bind_prefixes(ds)
    for q in quads:
        graph = q.graph_name
        context = (
            ds.default_graph if isinstance(graph, ox.DefaultGraph) else ds.graph(to_rdflib(graph))
        )
        context.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return ds


def from_rdflib_dataset(dataset: rdflib.Dataset | rdflib.Graph) -> KnowledgeGraph:
    """Load an rdflib Graph (into the default graph) or Dataset (graphs kept)."""
    import rdflib

    kg = KnowledgeGraph()
    quads: list[ox.Quad] = []
    if isinstance(dataset, rdflib.Dataset):
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, rdflib.Graph) else g
            gname: Any = (
                ox.DefaultGraph()
                if name is None or name == rdflib.graph.DATASET_DEFAULT_GRAPH_ID
                else from_rdflib(name)
            )
            quads.append(ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), gname))  # type: ignore[arg-type]
    else:
        for s, p, o in dataset:
            quads.append(ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o)))  # type: ignore[arg-type]
    kg.store.extend(quads)
    return kg
