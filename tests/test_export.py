"""Exports are deterministic and round-trip to an isomorphic graph."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic

from vetgraph import build, export
from vetgraph.errors import InputError

from .conftest import FIXTURES


@pytest.mark.parametrize("fmt", sorted(export.FORMATS))
def test_export_round_trips(bundled, fmt):
    data = export.serialize(bundled, fmt)
    spec = export.FORMATS[fmt]
    if spec.keeps_graphs:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format={"trig": "trig", "nq": "nquads"}[fmt])
        original = bundled.to_rdflib_dataset()
        for graph in original.graphs():
            if len(graph) == 0:
                continue
            assert isomorphic(graph, parsed.graph(graph.identifier)), graph.identifier
    else:
        parsed = rdflib.Graph().parse(data=data, format={"ttl": "turtle", "nt": "nt"}[fmt])
        assert isomorphic(parsed, bundled.to_rdflib_graph())


def test_blank_nodes_get_stable_names():
    a = export.serialize(
        build.load([FIXTURES / "base.trig", FIXTURES / "shapes/MonetaryAmountShape/valid.trig"]),
        "trig",
    )
    b = export.serialize(
        build.load([FIXTURES / "base.trig", FIXTURES / "shapes/MonetaryAmountShape/valid.trig"]),
        "trig",
    )
    assert a == b
    assert b"_:" in a


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(InputError) as caught:
        export.get_format("xlsx")
    assert "trig" in str(caught.value) and "ttl" in str(caught.value)
