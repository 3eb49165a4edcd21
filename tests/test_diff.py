"""vetgraph diff: a change to one data file shows up as exactly that change, grouped by
entity and class; blank nodes compare by content; bad input names the file and place."""

from __future__ import annotations

import re
import shutil

import pyoxigraph as ox
import pytest

from vetgraph.graph import resources
from vetgraph.graph.build import parse_file
from vetgraph.graph.namespaces import SOURCES_GRAPH, VET
from vetgraph.publish import diff

from .conftest import FIXTURES

NEW_CLAIM = """
<https://w3id.org/vetgraph/graph/provenance> {{
  <https://w3id.org/vetgraph/claim/diff-test--identity>
    <http://www.w3.org/ns/prov#qualifiedDerivation> [
      <http://www.w3.org/ns/prov#entity> <{source}> ;
      <https://w3id.org/vetgraph/ontology#section> "(main text)" ;
      <https://w3id.org/vetgraph/ontology#sentence> 1 ] .
}}
<https://w3id.org/vetgraph/claim/diff-test--identity> {{
  <https://w3id.org/vetgraph/id/diff-test-initiative>
    a <https://w3id.org/vetgraph/ontology#Initiative> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Delta report test initiative"@en ;
    <http://purl.org/dc/terms/description> "An initiative added to test the delta report."@en .
}}
"""
LABEL = re.compile(r'(rdfs:label\s+)"([^"]+)"@en')


@pytest.fixture(scope="module")
def changed_data(tmp_path_factory):
    """The bundled data before and after a change to one data file: a label reworded
    and a new claim (a new entity, cited) appended."""
    root = tmp_path_factory.mktemp("versions")
    old, new = root / "old", root / "new"
    shutil.copytree(resources.folder("data"), old)
    shutil.copytree(resources.folder("data"), new)
    target = next(
        p
        for p in sorted(new.glob("*.trig"))
        if p.name != "sources.trig" and LABEL.search(p.read_text())
    )
    text = target.read_text(encoding="utf-8")
    match = LABEL.search(text)
    assert match is not None
    old_label, new_label = match[2], match[2] + " (renamed)"
    text = text[: match.start()] + f'{match[1]}"{new_label}"@en' + text[match.end() :]
    source = next(
        q.subject.value
        for q in parse_file(resources.folder("data") / "sources.trig")
        if q.graph_name == ox.NamedNode(SOURCES_GRAPH)
        and q.object == ox.NamedNode(VET.SourceDocument)
    )
    target.write_text(text + NEW_CLAIM.format(source=source), encoding="utf-8")
    # The entity whose label changed: the subject of that label in the old file.
    relabelled = next(
        q.subject.value
        for q in parse_file(old / target.name)
        if isinstance(q.object, ox.Literal) and q.object.value == old_label
    )
    return {
        "old": old,
        "new": new,
        "file": target.name,
        "old_label": old_label,
        "new_label": new_label,
        "relabelled": relabelled,
    }


@pytest.fixture(scope="module")
def builds(changed_data, tmp_path_factory):
    from click.testing import CliRunner

    from vetgraph.cli import cli

    root = tmp_path_factory.mktemp("builds")
    runner = CliRunner()
    for side in ("old", "new"):
        result = runner.invoke(
            cli,
            ["build", "-q", "--input", str(changed_data[side]), "--out", str(root / side)],
            obj={},
        )
        assert result.exit_code == 0, result.output
    return root / "old", root / "new"


def _texts(statements) -> set[tuple[str, str]]:
    return {(s.subject, s.text) for s in statements}


def test_a_change_to_one_data_file_shows_exactly_that_change(builds, changed_data):
    delta = diff.compare(*builds)
    entity = "https://w3id.org/vetgraph/id/diff-test-initiative"
    claim = "https://w3id.org/vetgraph/claim/diff-test--identity"
    relabelled = changed_data["relabelled"]
    assert {e.entity: e.status for e in delta.entities} == {
        relabelled: "changed",
        entity: "added",
        claim: "added",
    }
    added = _texts(s for e in delta.entities for s in e.added)
    removed = _texts(s for e in delta.entities for s in e.removed)
    assert removed == {(relabelled, f'rdfs:label "{changed_data["old_label"]}"@en')}
    assert (relabelled, f'rdfs:label "{changed_data["new_label"]}"@en') in added
    assert (entity, "rdf:type vet:Initiative") in added
    assert (entity, 'rdfs:label "Delta report test initiative"@en') in added
    assert (claim, "rdf:type vet:Claim") in added  # the claim index the build adds
    assert (claim, "vet:about vg:diff-test-initiative") in added
    [citation] = [text for subject, text in added if text.startswith("prov:qualifiedDerivation")]
    assert 'vet:section "(main text)"' in citation and "vet:sentence 1" in citation
    # label, 3 about the entity, 1 + 3 for the citation, 2 in the claim index
    assert delta.triples_added == 10 and delta.triples_removed == 1
    assert delta.new_triples - delta.old_triples == 9
    assert delta.graphs_added == [claim] and delta.graphs_removed == []


def test_the_data_folders_show_the_same_change_without_the_index(changed_data):
    delta = diff.compare(changed_data["old"], changed_data["new"])
    assert delta.triples_added == 8 and delta.triples_removed == 1
    assert {e.status for e in delta.entities} == {"added", "changed"}


def test_diff_of_two_files(changed_data):
    name = changed_data["file"]
    delta = diff.compare(changed_data["old"] / name, changed_data["new"] / name)
    assert delta.triples_added == 8 and delta.triples_removed == 1


def test_report_groups_by_class_in_text_and_markdown(builds, invoke, changed_data):
    old, new = builds
    text = invoke("diff", str(old), str(new))
    assert text.exit_code == 0, text.stderr
    assert "(+10 added, -1 removed)" in text.output
    assert "entities: 2 added, 0 removed, 1 changed" in text.output
    assert re.search(r"^vet:Initiative \(1 added", text.output, flags=re.M)
    assert "  + vg:diff-test-initiative" in text.output
    assert f'      - rdfs:label "{changed_data["old_label"]}"@en' in text.output
    md = invoke("diff", "--format", "md", str(old), str(new))
    assert md.exit_code == 0
    assert "## Summary by class" in md.output
    assert "| vet:Initiative | 1 | 0 | 0 | 3 | 0 |" in md.output
    assert "```diff" in md.output
    assert "- `claim:diff-test--identity`" in md.output  # the new named graph


def test_the_same_build_has_no_differences(builds, invoke):
    old, _ = builds
    result = invoke("diff", str(old), str(old / "vetgraph.nq"))
    assert result.exit_code == 0
    assert "No differences." in result.output


def test_blank_nodes_compare_by_what_they_say(bundled):
    quads = list(bundled.store)
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            return renamed.setdefault(term, ox.BlankNode())
        return term

    relabelled = [
        ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads
    ]
    assert any(isinstance(q.subject, ox.BlankNode) for q in quads)
    assert diff.compare_quads(quads, relabelled).unchanged


def test_a_changed_locator_is_one_statement_of_four_triples():
    base = parse_file(FIXTURES / "base.trig")
    sentence = ox.NamedNode(VET.sentence)
    moved = [
        ox.Quad(q.subject, q.predicate, ox.Literal("2", datatype=q.object.datatype), q.graph_name)
        if q.predicate == sentence and isinstance(q.object, ox.Literal)
        else q
        for q in base
    ]
    delta = diff.compare_quads(base, moved)
    [change] = delta.entities
    assert change.entity.startswith("https://w3id.org/vetgraph/claim/")
    assert [s.triples for s in change.added] == [4] and [s.triples for s in change.removed] == [4]
    assert "vet:sentence 2" in change.added[0].text


def test_unparsable_input_names_file_and_position(invoke, write, changed_data):
    bad = write("broken.trig", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ex:d .\n")
    result = invoke("diff", str(changed_data["old"]), str(bad))
    assert result.exit_code == 2
    assert re.match(rf"error: {re.escape(str(bad))}:2:\d+: RDF syntax error: ", result.stderr)
    assert "Traceback" not in result.stderr


def test_missing_input_exits_2(invoke, tmp_path):
    result = invoke("diff", str(tmp_path / "nope"), str(tmp_path / "nope2"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
