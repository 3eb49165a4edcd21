"""The columns of ``SELECT *``: in the order the query names them.

SPARQL leaves the order of ``SELECT *``'s variables to the engine, and Oxigraph sorts them
by name, so ``SELECT * { ?zeta ?p ?alpha }`` answered with the columns alpha, p, zeta.
People read the columns in the order they wrote the variables (and other engines answer
so), so ``SELECT *`` is written out as an explicit projection of the same variables, in
the order of their first appearance in the WHERE clause. Every backend (here, Oxigraph
server, Virtuoso) and every format then gives the same columns in the same order.

>>> from vetgraph.sparql.binding import bind
>>> print(expand_star(bind("SELECT * WHERE { ?zeta ?p ?alpha }", {})).text)
SELECT ?zeta ?p ?alpha WHERE { ?zeta ?p ?alpha }
"""

from __future__ import annotations

import dataclasses

from vetgraph.sparql.binding import BoundQuery
from vetgraph.sparql.lexer import Token
from vetgraph.sparql.readonly import QueryShape, analyse


def expand_star(bound: BoundQuery) -> BoundQuery:
    """The query with ``SELECT *`` written out in the query's order; any other query as it is.

    Which variables ``*`` stands for (those in scope: not a sub-select's own, not those only
    in a ``FILTER`` or ``MINUS``) is Oxigraph's to say, from the query parsed on an empty
    store (nothing is evaluated, no ``SERVICE`` is called); only their order is changed.
    A query Oxigraph cannot parse is left as it is, for the backend to report.
    """
    if bound.form != "SELECT":
        return bound
    shape = analyse(bound.original, bound.where)
    star = _star(shape)
    if star is None:
        return bound
    import pyoxigraph as ox

    try:
        solutions = ox.Store().query(bound.text)
    except (SyntaxError, ValueError, OSError):
        return bound
    if not isinstance(solutions, ox.QuerySolutions):
        return bound
    in_scope = [v.value for v in solutions.variables]
    first_seen: dict[str, int] = {}
    for token in shape.tokens:
        if token.kind == "var" and token.start > star.start:
            first_seen.setdefault(token.text[1:], len(first_seen))
    ordered = sorted(in_scope, key=lambda v: first_seen.get(v, len(first_seen)))
    # The star's place in the text run: after what was inserted before it (prefixes).
    at = star.start + sum(n for offset, n in bound.insertions if offset <= star.start)
    if not ordered or ordered == in_scope or bound.text[at : at + 1] != "*":
        return bound
    projection = " ".join(f"?{v}" for v in ordered)
    return dataclasses.replace(
        bound,
        text=bound.text[:at] + projection + bound.text[at + 1 :],
        insertions=(*bound.insertions, (star.end, len(projection) - 1)),
    )


def _star(shape: QueryShape) -> Token | None:
    """The ``*`` of the query's own ``SELECT *`` (or ``SELECT DISTINCT *``), if it has one."""
    tokens, i = shape.tokens, shape.form_index + 1
    if i < len(tokens) and tokens[i].keyword in ("DISTINCT", "REDUCED"):
        i += 1
    if i < len(tokens) and tokens[i].kind == "punct" and tokens[i].text == "*":
        return tokens[i]
    return None
