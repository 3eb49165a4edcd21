"""The project's one colour scheme: few groups, far apart, every class of the ontology in one."""

from __future__ import annotations

import itertools

import pytest

from vetgraph.explore import palette
from vetgraph.explore.provenance import by_document, kind_label
from vetgraph.graph.build import load
from vetgraph.graph.namespaces import curie


def test_at_most_ten_groups_each_far_from_every_other():
    assert 2 <= len(palette.GROUPS) <= 10
    assert len({g.key for g in palette.GROUPS}) == len(palette.GROUPS)
    for first, second in itertools.combinations(palette.GROUPS, 2):
        assert palette.delta_e(first.colour, second.colour) >= 20, (first, second)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("#000000", "#000000", 0.0), ("#FFFFFF", "#000000", 100.0), ("#ff0000", "#0000ff", 52.9)],
)
def test_delta_e_matches_published_values(first, second, expected):
    # Sharma, Wu and Dalal's CIEDE2000 test data gives 52.88 for sRGB red against blue.
    assert palette.delta_e(first, second) == pytest.approx(expected, abs=0.1)


def test_every_class_of_the_ontology_has_a_group_other_than_other():
    kg = load()
    rows = kg.select(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>"
        " PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
        " SELECT ?c WHERE { ?c a owl:Class ; rdfs:isDefinedBy ?m"
        " FILTER STRSTARTS(STR(?c), 'https://w3id.org/vetgraph/') }"
    )
    classes = [curie(row["c"].value) for row in rows]
    assert len(classes) > 40
    assert [c for c in classes if palette.group_of(c).key == "other"] == []


def test_documents_share_a_group_and_a_colour_whatever_the_page_shows():
    kinds = ["vet:Communique", "vet:Recommendation", "vet:Regulation", "vet:PolicyDocument"]
    assert {palette.group_of(k).key for k in kinds} == {"documents"}
    assert palette.colour_of("https://w3id.org/vetgraph/ontology#Communique") == palette.colour_of(
        "vet:Communique"
    )
    assert palette.group_of("vet:PolicyObjective").key == "aims"
    assert palette.group_of("http://example.org/Survey").key == "other"


def test_sources_grouped_by_document_once_with_kind_and_date():
    cite = {"title": "T", "url": None, "retrieved": "2026-11-25", "claim": "c"}
    rows = [
        {**cite, "source": "b", "kind": "vet:ThirdPartySource", "section": "1", "locator": None},
        {**cite, "source": "a", "kind": "vet:OfficialEUSource", "section": None, "locator": None},
        {**cite, "source": "b", "kind": "vet:ThirdPartySource", "section": "1", "locator": None},
    ]
    documents = by_document(rows)
    assert [d["source"] for d in documents] == ["a", "b"]
    assert documents[1]["places"] == ["1"] and documents[0]["places"] == ["the whole document"]
    assert kind_label("vet:ProjectSite") == "project" and kind_label(None) == "kind not recorded"
