"""The query library: every .rq has a readable header; headers are checked strictly."""

from __future__ import annotations

import pytest

from vetgraph import resources
from vetgraph.errors import QueryError
from vetgraph.queries import KINDS, load_library, parse_header


def test_every_kind_of_query_is_present():
    for kind in KINDS:
        assert resources.query_files(kind), kind


def test_every_library_query_has_a_complete_header():
    queries = load_library()
    assert len(queries) == len(resources.query_files())
    for q in queries:
        assert q.header.title and q.header.description and q.header.shape, q.path
        assert q.kind in KINDS


def test_query_names_are_unique_across_kinds():
    names = [q.name for q in load_library()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# title: T\n# shape: S\nSELECT * {}", "lacks description"),
        (
            "# title: T\n# description: D\n# shape: S\n# colour: red\nSELECT * {}",
            "unknown header line",
        ),
        (
            "# title: T\n# description: D\n# shape: S\n# param: x (colour): c\nSELECT * {}",
            "unknown type",
        ),
        (
            "# title: T\n# description: D\n# shape: S\n# param: nonsense\nSELECT * {}",
            "cannot read parameter",
        ),
        ("# title: T\n# title: U\n# description: D\n# shape: S\nSELECT * {}", "given twice"),
    ],
)
def test_bad_headers_are_named(header, message):
    with pytest.raises(QueryError, match=message):
        parse_header(header, "example.rq")


def _library(name):
    return next(q for q in load_library() if q.name == name)


def test_which_sources_support_an_entity(bundled):
    import pyoxigraph as ox

    q = _library("sources-of-entity")
    rows = bundled.select(
        q.text, bindings={"entity": ox.NamedNode("https://w3id.org/vetgraph/id/bruges-communique")}
    )
    found = {(r["source"].value, r["section"].value, r["locator"].value) for r in rows}
    assert (
        "https://w3id.org/vetgraph/source/ec-ssa-pilot-projects",
        "What is being done?",
        "sentence 1",
    ) in found
    assert (
        "https://w3id.org/vetgraph/source/eqavet-bruges-communique",
        "(main text)",
        "sentence 2",
    ) in found
    assert all(r["entity"].value.endswith("/bruges-communique") for r in rows)


def test_what_a_source_states(bundled):
    import pyoxigraph as ox

    q = _library("statements-of-source")
    rows = bundled.select(
        q.text,
        bindings={
            "source": ox.NamedNode("https://w3id.org/vetgraph/source/ec-ssa-conference-2014")
        },
    )
    facts = {
        (
            r["subject"].value.rsplit("/", 1)[-1],
            r["predicate"].value.rsplit("#", 1)[-1],
            r["locator"].value,
        )
        for r in rows
    }
    assert ("ssa-conference-2014", "date", "sentence 2") in facts
    assert ("ssa-pilot-tourism", "sector", "sentence 5") in facts
    assert ("brussels", "locatedIn", "sentence 2") in facts
    # the other source's facts are not included
    assert not any(s == "bruges-communique" for s, _, _ in facts)
