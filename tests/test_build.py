"""Files → graph: loading, named graphs, the claim index, and errors that name file:line:col."""

from __future__ import annotations

import pytest

from vetgraph.errors import InputError, RDFSyntaxError
from vetgraph.graph import build
from vetgraph.graph.namespaces import ONTOLOGY_IRI, PROVENANCE_GRAPH, SOURCES_GRAPH, VET, VG

from .conftest import FIXTURES


def test_bundled_graph_has_ontology_modules_claims_and_reserved_graphs(bundled):
    names = bundled.graph_names()
    assert ONTOLOGY_IRI in names
    assert ONTOLOGY_IRI + "/provenance" in names
    assert ONTOLOGY_IRI + "/alignments/prov" in names
    assert PROVENANCE_GRAPH in names and SOURCES_GRAPH in names
    claims = [n for n in names if "/claim/" in n]
    assert len(claims) > 30


def test_every_named_graph_knows_its_file(bundled):
    for name in bundled.graph_names():
        if name == PROVENANCE_GRAPH:
            continue  # spread over every data file
        assert name in bundled.origins, name
        assert bundled.origins[name].is_file()


def test_claims_are_indexed_with_the_entities_they_are_about(bundled):
    rows = bundled.select(
        f"SELECT ?claim WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?claim a <{VET.Claim}> ; "
        f"<{VET.about}> <{VG['bruges-communique']}> }} }}"
    )
    claims = [r["claim"].value for r in rows]
    assert "https://w3id.org/vetgraph/claim/bruges-communique--calls-for-reform" in claims
    # every claim indexed with the communiqué states something about it (its name says so)
    assert all(c.startswith("https://w3id.org/vetgraph/claim/bruges-communique--") for c in claims)


def test_inputs_replace_the_bundled_data_but_keep_the_ontology():
    kg = build.load([FIXTURES / "base.trig"])
    names = kg.graph_names()
    assert ONTOLOGY_IRI in names
    assert "https://w3id.org/vetgraph/claim/base" in names
    assert not any("bruges" in n for n in names)


def test_a_folder_input_reads_every_rdf_file_in_it(tmp_path):
    (tmp_path / "a.trig").write_text((FIXTURES / "base.trig").read_text())
    (tmp_path / "notes.txt").write_text("not RDF")
    kg = build.load([tmp_path])
    assert kg.files[-1].name == "a.trig"


def test_turtle_syntax_error_names_file_line_and_column(write):
    path = write(
        "broken.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n'
    )
    with pytest.raises(RDFSyntaxError) as caught:
        build.load([path])
    err = caught.value
    assert (err.path, err.line, err.column) == (str(path), 3, 11)
    assert str(err).startswith(f"{path}:3:11: RDF syntax error:")


def test_trig_syntax_error_names_file_line_and_column(write):
    path = write(
        "broken.trig",
        "<http://example.org/g> {\n  <http://example.org/a> <http://example.org/b> .\n}\n",
    )
    with pytest.raises(RDFSyntaxError) as caught:
        build.load([path])
    assert caught.value.line == 2


def test_unknown_extension_lists_the_known_ones(write):
    path = write("data.rdfx", "<a> <b> <c> .")
    with pytest.raises(InputError, match=r"unknown RDF file extension '\.rdfx'") as caught:
        build.load([path])
    assert ".trig" in str(caught.value)


def test_empty_file_is_refused(write):
    path = write("empty.ttl", "@prefix ex: <http://example.org/> .\n# nothing else\n")
    with pytest.raises(InputError, match="holds no triples"):
        build.load([path])


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        build.load([tmp_path / "nope.ttl"])


def test_relative_iri_without_base_is_explained(write):
    path = write("relative.ttl", "<thing> <http://example.org/p> <http://example.org/o> .\n")
    with pytest.raises(RDFSyntaxError, match="relative IRI"):
        build.load([path])


def test_binary_file_is_refused_cleanly(tmp_path):
    path = tmp_path / "image.ttl"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError):
        build.load([path])
