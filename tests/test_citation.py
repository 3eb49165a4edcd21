"""CITATION.cff is valid Citation File Format 1.2.0 and names the current release."""

from __future__ import annotations

import json

import jsonschema
import yaml

from vetgraph.graph import release

from .conftest import FIXTURES, ROOT

SCHEMA = json.loads((FIXTURES / "citation" / "cff-1.2.0.schema.json").read_text())


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_is_valid_cff_1_2_0():
    validator = jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(_citation()), key=lambda e: list(e.path))
    assert [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors] == []


def test_the_schema_catches_a_broken_citation():
    broken = {**_citation(), "date-released": "25 November 2026", "authors": []}
    assert not jsonschema.Draft7Validator(SCHEMA).is_valid(broken)


def test_citation_names_the_current_release():
    citation = _citation()
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == release.version()
    assert citation["date-released"] == release.release_date()
    assert citation["license"] == "CC-BY-4.0"
    assert citation["type"] == "dataset"
