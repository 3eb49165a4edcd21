"""The benchmark generator: deterministic, close to the asked size, and valid vetgraph data
(so benchmarks measure the real model, and schema drift shows up here)."""

from __future__ import annotations

import pyoxigraph as ox

from bench.generate import generate, write
from vetgraph.check.report import render_text
from vetgraph.check.validation import validate
from vetgraph.graph import build
from vetgraph.graph.namespaces import PREFIXES


def test_same_seed_same_quads_other_seed_other_quads():
    assert list(generate(3000, seed=3)) == list(generate(3000, seed=3))
    assert list(generate(3000, seed=3)) != list(generate(3000, seed=4))


def test_size_is_close_to_the_target():
    n = len(list(generate(20_000, seed=1)))
    assert 20_000 <= n < 20_000 * 1.01


def test_generated_data_validates(tmp_path):
    path = tmp_path / "bench.trig"
    quads = write(path, 10_000, seed=2)
    kg = build.load([path])
    assert len(kg) > quads  # the build adds the claim index
    report = validate(kg)
    assert report.conforms, render_text(report)[:2000]


def test_fan_out_is_policy_shaped():
    store = ox.Store()
    store.extend(generate(10_000, seed=5))
    partners = [
        int(r["n"].value)
        for r in store.query(
            "SELECT ?a (COUNT(?p) AS ?n) WHERE { GRAPH ?g { ?a vet:partner ?p } } GROUP BY ?a",
            prefixes=PREFIXES,
        )
    ]
    assert partners and min(partners) >= 7 and max(partners) <= 25
    langs = {
        r["l"].value
        for r in store.query(
            "SELECT DISTINCT (LANG(?label) AS ?l) WHERE "
            "{ GRAPH ?g { ?a a vet:SectorSkillsAlliance ; rdfs:label ?label } }",
            prefixes=PREFIXES,
        )
    }
    assert langs == {"en", "de", "fr"}
