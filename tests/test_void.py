"""void.ttl: the dataset description is computed from the real graph (its counts equal
``vetgraph stats``), is dated by the changelog, and lists licences, sources and files."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from vetgraph.graph import build, release
from vetgraph.graph.namespaces import DCTERMS, OWL, RDF, XSD, expand
from vetgraph.publish import export, void

from .conftest import FIXTURES, ROOT

VOID = void.VOID
DCAT = void.DCAT
DATASET = ox.NamedNode(void.DATASET)


class Description:
    """void.ttl parsed, with small helpers to read it."""

    def __init__(self, data: bytes) -> None:
        self.store = ox.Store()
        self.store.load(data, format=ox.RdfFormat.TURTLE)

    def objects(self, subject: ox.NamedNode, predicate: str) -> list:
        return [
            q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)
        ]

    def one(self, subject: ox.NamedNode, predicate: str):
        [value] = self.objects(subject, predicate)
        return value

    def number(self, subject: ox.NamedNode, predicate: str) -> int:
        value = self.one(subject, predicate)
        assert value.datatype == ox.NamedNode(XSD.integer)
        return int(value.value)


@pytest.fixture(scope="module")
def described(bundled) -> Description:
    return Description(void.describe(bundled))


def test_counts_equal_vetgraph_stats(described, invoke):
    stats = json.loads(invoke("stats", "--format", "json").output)
    assert described.number(DATASET, VOID.triples) == stats["triples"]
    partitions = {}
    for partition in described.objects(DATASET, VOID.classPartition):
        cls = described.one(partition, VOID["class"]).value
        partitions[cls] = described.number(partition, VOID.entities)
    assert partitions == {expand(r["class"]): r["entities"] for r in stats["entities_per_class"]}
    assert described.number(DATASET, VOID.classes) == len(stats["entities_per_class"])


def test_property_partitions_add_up_to_the_triples(described, bundled):
    shares = [
        described.number(p, VOID.triples)
        for p in described.objects(DATASET, VOID.propertyPartition)
    ]
    assert sum(shares) == described.number(DATASET, VOID.triples) == len(bundled)
    assert described.number(DATASET, VOID.properties) == len(shares)


def test_class_partitions_count_the_triples_about_their_entities(described, bundled):
    alliances = next(
        p
        for p in described.objects(DATASET, VOID.classPartition)
        if described.one(p, VOID["class"]).value.endswith("#SectorSkillsAlliance")
    )
    [row] = bundled.select(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a "
        "<https://w3id.org/vetgraph/ontology#SectorSkillsAlliance> }"
    )
    expected = int(row["n"].value)
    assert expected >= 4  # the four pilots at least
    assert described.number(alliances, VOID.entities) == expected
    # Each alliance has a type, a label and more: at least three triples each.
    assert described.number(alliances, VOID.triples) >= 3 * expected


def test_counts_follow_your_own_data():
    small = build.load([FIXTURES / "base.trig"])
    description = Description(void.describe(small))
    assert description.number(DATASET, VOID.triples) == len(small)
    assert description.number(DATASET, VOID.triples) != len(build.load())


def test_version_and_issued_date_come_from_pyproject_and_the_changelog(described):
    assert described.one(DATASET, OWL.versionInfo).value == release.version()
    assert described.one(DATASET, DCAT.version).value == release.version()
    issued = described.one(DATASET, DCTERMS.issued)
    assert issued.datatype == ox.NamedNode(XSD.date)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{release.version()}] - {issued.value}" in changelog


def test_the_changelog_has_a_dated_entry_for_the_package_version():
    assert release.release_date() is not None, (
        f"CHANGELOG.md has no '## [{release.version()}] - YYYY-MM-DD' heading for the version "
        "in pyproject.toml"
    )


def test_an_unreleased_version_has_no_issued_date(bundled, monkeypatch):
    monkeypatch.setattr(release, "version", lambda: "99.0.0")
    description = Description(void.describe(bundled))
    assert description.objects(DATASET, DCTERMS.issued) == []
    assert description.one(DATASET, OWL.versionInfo).value == "99.0.0"


def test_licences_for_data_and_code(described):
    assert described.one(DATASET, DCTERMS.license) == ox.NamedNode(void.DATA_LICENSE)
    software = described.one(DATASET, DCTERMS.relation)
    assert described.one(software, DCTERMS.license) == ox.NamedNode(void.CODE_LICENSE)
    rights = described.one(DATASET, DCTERMS.rights).value
    assert "CC BY 4.0" in rights and "MIT" in rights
    publisher = described.one(DATASET, DCTERMS.publisher)
    assert described.one(publisher, void.FOAF.name).value == void.PUBLISHER_NAME


def test_title_description_examples_and_sources(described, bundled):
    assert described.one(DATASET, DCTERMS["title"]).language == "en"
    assert described.one(DATASET, DCTERMS.description).language == "en"
    examples = described.objects(DATASET, VOID.exampleResource)
    assert 1 <= len(examples) <= void.EXAMPLES
    about = ox.NamedNode("https://w3id.org/vetgraph/ontology#about")
    for example in examples:  # each is an entity the claims describe
        assert list(bundled.store.quads_for_pattern(None, about, example, None))
    sources = {
        s.value
        for s in (
            q.subject
            for q in bundled.store.quads_for_pattern(
                None,
                ox.NamedNode(RDF.type),
                ox.NamedNode("https://w3id.org/vetgraph/ontology#SourceDocument"),
            )
        )
    }
    listed = {s.value for s in described.objects(DATASET, DCTERMS.source)}
    assert listed == sources and len(sources) >= 2
    for source in described.objects(DATASET, DCTERMS.source):
        assert described.one(source, DCTERMS["title"]).value
        assert described.one(source, void.FOAF.page).value.startswith("http")


def test_every_export_file_is_a_distribution_with_its_media_type(described):
    distributions = {
        d.value.rsplit("/", 1)[-1]: d for d in described.objects(DATASET, DCAT.distribution)
    }
    expected = {name: f for f in export.FORMATS.values() for name in f.file_names}
    assert distributions.keys() == expected.keys()
    for name, dist in distributions.items():
        fmt = expected[name]
        assert dist.value == f"{void.RELEASES}{release.version()}/{name}"
        assert described.one(dist, DCTERMS["format"]).value == fmt.media_type
        media = described.objects(dist, DCAT.mediaType)
        if fmt.iana:
            assert [m.value.rsplit("media-types/", 1)[-1] for m in media] == [fmt.media_type]
        else:
            assert media == []
    dumps = {d.value.rsplit("/", 1)[-1] for d in described.objects(DATASET, VOID.dataDump)}
    assert dumps == {n for n, f in expected.items() if f.family == "rdf"}


def test_sparql_endpoint_only_when_served(described, bundled):
    assert described.objects(DATASET, VOID.sparqlEndpoint) == []
    url = "http://127.0.0.1:7878/query"
    served = Description(void.describe(bundled, sparql_endpoint=url))
    assert served.one(DATASET, VOID.sparqlEndpoint) == ox.NamedNode(url)
    assert served.one(ox.NamedNode(url), DCAT.servesDataset) == DATASET


def test_description_is_deterministic_and_has_no_blank_nodes(bundled):
    first = void.describe(bundled)
    assert first == void.describe(build.load())
    assert b"_:" not in first
