"""Validation: every shape and every check has a minimal valid and a minimal invalid
fixture, and each invalid fixture trips exactly its own rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from vetgraph.check.validation import render_json, render_text, render_turtle, validate
from vetgraph.graph import build, resources
from vetgraph.graph.namespaces import SH
from vetgraph.sparql.library import load_library

from .conftest import FIXTURES

BASE = FIXTURES / "base.trig"


def _node_shapes() -> list[str]:
    g = rdflib.Graph()
    for path in resources.shape_files().values():
        g.parse(path, format="turtle")
    return sorted(
        str(s).rsplit("#", 1)[-1]
        for s in g.subjects(rdflib.RDF.type, rdflib.URIRef(SH.NodeShape))
        if isinstance(s, rdflib.URIRef)
    )


SHAPES = _node_shapes()
CHECKS = [q.name.removesuffix("-violation") for q in load_library("checks")]


def _report(*paths):
    return validate(build.load([BASE, *paths]))


def test_shapes_and_checks_were_found():
    # A check that finds nothing to check must fail, not pass on zero files.
    assert len(SHAPES) >= 10
    assert len(CHECKS) >= 8
    assert all(q.path.name.endswith("-violation.rq") for q in load_library("checks"))


def test_every_shape_and_check_has_a_fixture_pair():
    for kind, names in (("shapes", SHAPES), ("checks", CHECKS)):
        folders = sorted(p.name for p in (FIXTURES / kind).iterdir())
        assert folders == sorted(names), kind
        for name in names:
            assert (FIXTURES / kind / name / "valid.trig").is_file()
            assert (FIXTURES / kind / name / "invalid.trig").is_file()


def test_base_fixture_conforms():
    report = _report()
    assert report.conforms, render_text(report)
    assert report.findings == []


def test_bundled_data_conforms(bundled):
    report = validate(bundled)
    assert report.conforms, render_text(report)
    assert report.findings == []
    assert report.shapes == len(SHAPES)
    assert len(report.checks) == len(CHECKS)


@pytest.mark.parametrize("shape", SHAPES)
def test_valid_fixture_passes_shape(shape):
    report = _report(FIXTURES / "shapes" / shape / "valid.trig")
    assert report.conforms, render_text(report)


@pytest.mark.parametrize("shape", SHAPES)
def test_invalid_fixture_trips_only_its_shape(shape):
    report = _report(FIXTURES / "shapes" / shape / "invalid.trig")
    assert not report.conforms
    shacl = {f.source for f in report.findings if not f.source.startswith("queries/")}
    assert shacl == {f"vsh:{shape}"}, render_text(report)


@pytest.mark.parametrize("check", CHECKS)
def test_valid_fixture_passes_check(check):
    report = _report(FIXTURES / "checks" / check / "valid.trig")
    assert report.conforms, render_text(report)


@pytest.mark.parametrize("check", CHECKS)
def test_invalid_fixture_trips_only_its_check(check):
    report = _report(FIXTURES / "checks" / check / "invalid.trig")
    checks = {f.source for f in report.findings if f.source.startswith("queries/")}
    assert checks == {f"queries/checks/{check}-violation.rq"}, render_text(report)


def test_finding_names_entity_rule_and_file():
    fixture = FIXTURES / "shapes" / "CountShape" / "invalid.trig"
    report = _report(fixture)
    [finding] = [f for f in report.findings if f.source == "vsh:CountShape"]
    assert finding.entity == "vg:fixture-call"
    assert finding.property == "vet:applicationsReceived"
    assert finding.value == '"-3"^^xsd:integer'
    assert "at least 0" in finding.message
    assert finding.rule == "counts are single non-negative whole numbers"
    assert finding.where == (f"{fixture.relative_to(Path.cwd())}:15",)


def test_renderers_agree(bundled):
    report = _report(FIXTURES / "checks" / "dangling-reference" / "invalid.trig")
    text = render_text(report)
    assert "Links to entities that are not described" in text
    assert "vg:fixture-programe" in text
    payload = json.loads(render_json(report))
    assert payload["conforms"] is False
    assert payload["counts"]["violation"] == len(report.findings)
    graph = rdflib.Graph().parse(data=render_turtle(report), format="turtle")
    results = list(graph.subjects(rdflib.RDF.type, rdflib.URIRef(SH.ValidationResult)))
    assert len(results) == len(report.findings)


def test_public_validate_stays_a_function_after_its_module_is_imported():
    # Regression: the function vetgraph.validate once shared its name with the module
    # vetgraph/validate.py, so importing that module replaced the function.
    import vetgraph
    import vetgraph.publish.pipeline

    report = vetgraph.validate(vetgraph.load([BASE]))
    assert report.conforms


def test_duplicate_entity_check_pairs_same_class_and_label_ignoring_case_only(tmp_path):
    """Which pairs the duplicate-entity check reports (it was rewritten for speed: the
    same answers, in linear time)."""
    import vetgraph

    head = (FIXTURES / "checks" / "duplicate-entity" / "valid.trig").read_text()
    prefixes = "".join(line + "\n" for line in head.splitlines() if line.startswith("@prefix"))
    data = tmp_path / "pairs.trig"
    data.write_text(
        prefixes + "vgg:provenance { claim:pairs prov:qualifiedDerivation [ prov:entity "
        'src:test-source ; vet:section "(main text)" ; vet:sentence 2 ] . }\n'
        "claim:pairs {\n"
        '  vg:a1 a vet:Initiative ; rdfs:label "Shared Name"@en .\n'
        '  vg:a2 a vet:Initiative ; rdfs:label "shared name"@en .\n'  # same, other case
        '  vg:b1 a vet:Initiative ; rdfs:label "Shared Name"@de .\n'  # other language
        '  vg:c1 a vet:Organisation ; rdfs:label "Shared Name"@en .\n'  # other class
        '  vg:d1 a vet:Initiative ; rdfs:label "Third"@en .\n'
        "}\n"
        # the same label without a claim about it: not a claimed entity
        'vg:unclaimed a vet:Initiative ; rdfs:label "Third"@en .\n'
    )
    kg = build.load([BASE, data])
    rows = vetgraph.query("duplicate-entity-violation", kg)
    found = sorted((r["entity"].value.rsplit("/", 1)[-1], r["value"].value) for r in rows)
    assert found == [("a1", "Shared Name"), ("a2", "shared name")]
