"""Every export round-trips: RDF formats parse back (with two parsers, and with rapper) to
an isomorphic graph or dataset; GraphML, GEXF and CSV load back into networkx with the same
nodes, edges and attributes; the same graph always gives the same bytes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

from vetgraph.errors import InputError, OutputError
from vetgraph.explore import projection
from vetgraph.graph import build
from vetgraph.graph.build import parse_file
from vetgraph.graph.store import KnowledgeGraph, from_rdflib_dataset
from vetgraph.publish import export, jsonld

from .conftest import FIXTURES, OXIGRAPH_SYNTAX, require_tool

AWKWARD = FIXTURES / "export" / "awkward.trig"
RDF_FORMATS = sorted(n for n, f in export.FORMATS.items() if f.family == "rdf")
NETWORK_FORMATS = sorted(n for n, f in export.FORMATS.items() if f.family == "network")
RDFLIB_SYNTAX = {
    "trig": "trig",
    "nq": "nquads",
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "rdfxml": "rdfxml"}


def _read_exactly(path: Path) -> KnowledgeGraph:
    """A file's quads as they are (no ontology, no claim index)."""
    kg = KnowledgeGraph()
    kg.store.extend(parse_file(path))
    return kg


@pytest.fixture(scope="module")
def awkward() -> KnowledgeGraph:
    return _read_exactly(AWKWARD)


def _canonical(quads, *, merge_graphs: bool = False) -> set[ox.Quad]:
    """Dataset isomorphism as set equality: canonical blank-node labels on both sides."""
    if merge_graphs:
        quads = {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def test_the_registry_has_every_format_the_build_writes():
    assert RDF_FORMATS == ["jsonld", "nq", "nt", "rdfxml", "trig", "ttl"]
    assert NETWORK_FORMATS == ["csv", "gexf", "graphml"]
    names = [n for f in export.FORMATS.values() for n in f.file_names]
    rdf = ["vetgraph.trig", "vetgraph.nq", "vetgraph.ttl", "vetgraph.nt", "vetgraph.jsonld"]
    network = ["vetgraph.graphml", "vetgraph.gexf", "nodes.csv", "edges.csv"]
    assert sorted(names) == sorted([*rdf, "vetgraph.rdf", *network])


# -- RDF: export → parse → isomorphic ------------------------------------------------------


@pytest.mark.parametrize("graph", ["bundled", "awkward"])
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_parses_back_isomorphic_with_oxigraph(fmt, graph, request):
    kg = request.getfixturevalue(graph)
    spec = export.FORMATS[fmt]
    parsed = list(ox.parse(export.serialize(kg, fmt), format=OXIGRAPH_SYNTAX[fmt]))
    merge = not spec.keeps_graphs
    assert _canonical(parsed, merge_graphs=merge) == _canonical(kg.store, merge_graphs=merge)
    if spec.keeps_graphs:
        names = {q.graph_name for q in parsed if not isinstance(q.graph_name, ox.DefaultGraph)}
        assert {g.value for g in names if isinstance(g, ox.NamedNode)} == set(kg.graph_names())


@pytest.mark.parametrize("graph", ["bundled", "awkward"])
@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_parses_back_isomorphic_with_rdflib(fmt, graph, request, monkeypatch):
    # rdflib would rewrite lexical forms on parsing ("1000"^^xsd:double → "1000.0"):
    # compare the literals exactly as written.
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    kg = request.getfixturevalue(graph)
    data = export.serialize(kg, fmt)
    if export.FORMATS[fmt].keeps_graphs:
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=RDFLIB_SYNTAX[fmt])
        # Every named graph, and blank nodes shared between graphs, as rdflib read them:
        # compared by canonical blank-node labels (rdflib's own isomorphism check needs
        # minutes for the thousands of citation blank nodes of the bundled graph).
        names = {str(g.identifier) for g in parsed.graphs() if len(g)}
        assert names >= set(kg.graph_names())
        assert _canonical(from_rdflib_dataset(parsed).store) == _canonical(kg.store)
    else:
        parsed_graph = rdflib.Graph().parse(data=data, format=RDFLIB_SYNTAX[fmt])
        parsed_store = from_rdflib_dataset(parsed_graph).store
        assert _canonical(parsed_store, merge_graphs=True) == _canonical(
            kg.store, merge_graphs=True
        )


def test_the_awkward_fixture_covers_what_it_claims(awkward):
    objects = [q.object for q in awkward.store if isinstance(q.object, ox.Literal)]
    assert {o.language for o in objects} >= {"de", "fr-ca", "ar", "he", "hi"}
    assert any("\n" in o.value and '"' in o.value and "\r" in o.value for o in objects)
    assert any("中文" in o.value for o in objects) and any("🎓" in o.value for o in objects)
    datatypes = {o.datatype.value.rsplit("#", 1)[-1] for o in objects if not o.language}
    assert datatypes >= {"date", "gYear", "gYearMonth", "dateTime", "decimal", "double"}
    assert datatypes >= {"integer", "boolean", "anyURI", "customType"}
    assert any(isinstance(q.subject, ox.BlankNode) for q in awkward.store)
    assert len(awkward.graph_names()) == 3


@pytest.mark.parametrize("fmt", RDF_FORMATS + NETWORK_FORMATS)
def test_same_graph_same_bytes(fmt):
    first = export.outputs(build.load(), fmt)
    second = export.outputs(build.load(), fmt)
    assert first == second
    assert all(len(data) > 1000 for data in first.values())


def test_blank_nodes_get_stable_names():
    inputs = [FIXTURES / "base.trig", FIXTURES / "shapes/MonetaryAmountShape/valid.trig"]
    a = export.serialize(build.load(inputs), "trig")
    b = export.serialize(build.load(inputs), "trig")
    assert a == b
    assert b"_:" in a


def test_rdfxml_refuses_control_characters_xml_cannot_hold():
    kg = KnowledgeGraph()
    kg.add_ntriples('<http://ex.org/a> <http://ex.org/p> "bell\\u0007" .')
    with pytest.raises(OutputError, match=r"XML 1\.0 cannot represent"):
        export.serialize(kg, "rdfxml")
    assert "bell" in export.serialize(kg, "nt").decode()  # the other formats can


# -- independent parser: rapper (raptor2) --------------------------------------------------


@pytest.mark.parametrize("graph", ["bundled", "awkward"])
@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_reads_the_same_triples(fmt, graph, request, tmp_path):
    rapper = require_tool("rapper")
    kg = request.getfixturevalue(graph)
    path = tmp_path / f"export{export.FORMATS[fmt].extension}"
    path.write_bytes(export.serialize(kg, fmt))
    counted = subprocess.run(
        [rapper, "-i", RAPPER_SYNTAX[fmt], "-c", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    [count] = re.findall(r"Parsing returned (\d+) triples", counted.stderr)
    ours = len(export.canonical_triples(kg))
    assert int(count) == ours > 0
    # Not only the count: rapper's N-Triples are our triples.
    converted = subprocess.run(
        [rapper, "-q", "-i", RAPPER_SYNTAX[fmt], "-o", "ntriples", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    theirs = ox.parse(converted, format=ox.RdfFormat.N_TRIPLES)
    assert _canonical(theirs) == _canonical(kg.store, merge_graphs=True)


# -- JSON-LD reads naturally ---------------------------------------------------------------


def test_jsonld_is_compacted_against_the_published_context(bundled):
    document = json.loads(export.serialize(bundled, "jsonld"))
    assert document["@context"] == jsonld.load_context()
    graphs = {g["@id"]: g for g in document["@graph"]}
    [node] = [
        n
        for n in graphs["claim:bruges-communique--calls-for-reform"]["@graph"]
        if n["@id"] == "vg:bruges-communique"
    ]
    assert node["@type"] == "Communique"
    assert node["label"] == "Bruges Communiqué"  # an English label: a plain string
    assert node["callsFor"] == "vg:objective-labour-market-relevant-vet"  # an IRI: a CURIE
    citations = [
        n for n in graphs["vgg:provenance"]["@graph"] if isinstance(n.get("sentence"), int)
    ]
    assert citations, "a sentence number reads as a JSON number"


def test_jsonld_writes_values_that_do_not_fit_their_term_in_full():
    kg = KnowledgeGraph()
    kg.add_ntriples(
        "<https://w3id.org/vetgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"Brügge-Kommuniqué"@de .\n'
        "<https://w3id.org/vetgraph/id/x> <https://w3id.org/vetgraph/ontology#periodEnd> "
        '"2020-06-30"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        "<https://w3id.org/vetgraph/id/x> <https://w3id.org/vetgraph/ontology#periodEnd> "
        '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n'
        '<https://w3id.org/vetgraph/id/x> <http://purl.org/dc/terms/title> "no language" .'
    )
    [node] = json.loads(export.serialize(kg, "jsonld"))["@graph"]
    assert node["label"] == {"@value": "Brügge-Kommuniqué", "@language": "de"}
    # vet:periodEnd is declared a gYear: a year reads as a string, a full date is explicit
    assert node["periodEnd"] == ["2020", {"@value": "2020-06-30", "@type": "xsd:date"}]
    assert node["title"] == {"@value": "no language"}


def test_shipped_context_matches_the_ontology(bundled):
    assert jsonld.build_context(bundled) == jsonld.load_context(), (
        "ontology/context.jsonld is out of date with the ontology; regenerate it with\n"
        "  .venv/bin/python -m vetgraph.publish.jsonld > ontology/context.jsonld\n"
        "and review the diff"
    )


def test_context_gives_object_properties_iri_values(bundled):
    context = jsonld.load_context()
    assert context["vet"] == "https://w3id.org/vetgraph/ontology#"
    assert context["Programme"] == "vet:Programme"
    assert context["callsFor"] == {"@id": "vet:callsFor", "@type": "@id"}
    assert context["label"] == {"@id": "rdfs:label", "@language": "en"}


# -- network formats load back into networkx -----------------------------------------------


def _same_network(loaded: nx.Graph, expected: nx.MultiDiGraph, *, edge_id_attribute: bool):
    assert set(loaded.nodes) == set(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert loaded.nodes[node] == data, node
    found = {(u, v, d["curie"]): d for u, v, d in loaded.edges(data=True)}
    wanted = {(u, v, d["curie"]): d for u, v, d in expected.edges(data=True)}
    assert found.keys() == wanted.keys()
    for key, data in wanted.items():
        got = dict(found[key])
        if not edge_id_attribute:
            got.pop("networkx_key", None)
        assert got == data, key


def test_graphml_loads_back_with_the_same_nodes_edges_and_attributes(bundled):
    expected = projection.flat_graph(bundled)
    loaded = nx.read_graphml(io.BytesIO(export.serialize(bundled, "graphml")))
    _same_network(loaded, expected, edge_id_attribute=True)
    assert expected.number_of_edges() > 20
    assert any("year" in d and isinstance(d["year"], int) for _, d in loaded.nodes(data=True))


def test_gexf_loads_back_with_the_same_nodes_edges_and_attributes(bundled):
    expected = projection.flat_graph(bundled)
    data = export.serialize(bundled, "gexf")
    loaded = nx.read_gexf(io.BytesIO(data))
    _same_network(loaded, expected, edge_id_attribute=False)
    # Gephi reads the release date, never today's.
    assert re.search(rb'lastmodifieddate="\d{4}-\d{2}-\d{2}"', data)


def test_csv_tables_load_back_with_the_same_nodes_edges_and_attributes(bundled):
    expected = projection.flat_graph(bundled)
    files = export.outputs(bundled, "csv")
    assert sorted(files) == ["edges.csv", "nodes.csv"]
    loaded = nx.MultiDiGraph()
    for row in csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8"))):
        node = row.pop("id")
        values = {k: v for k, v in row.items() if v != ""}
        if "year" in values:
            values["year"] = int(values["year"])
        loaded.add_node(node, **values)
    for row in csv.DictReader(io.StringIO(files["edges.csv"].decode("utf-8"))):
        u, v = row.pop("source"), row.pop("target")
        assert row.pop("source_label") == expected.nodes[u]["label"]
        assert row.pop("target_label") == expected.nodes[v]["label"]
        loaded.add_edge(u, v, key=row["curie"], **{k: x for k, x in row.items() if x != ""})
    _same_network(loaded, expected, edge_id_attribute=True)


def test_lists_are_flattened_in_a_fixed_order(bundled):
    rich = build.load()
    from vetgraph.explore.network import to_networkx

    node = next(d for _, d in to_networkx(rich).nodes(data=True) if len(d["sources"]) > 1)
    flat = projection.flatten_node(node)
    assert flat["classes"] == projection.LIST_SEPARATOR.join(node["classes"])
    assert flat["citations"].count(projection.LIST_SEPARATOR) == len(node["sources"]) - 1


def test_csv_is_two_files_and_serialize_says_so(bundled):
    with pytest.raises(InputError, match=r"nodes\.csv, edges\.csv"):
        export.serialize(bundled, "csv")


# -- bad input -----------------------------------------------------------------------------


def test_unknown_format_lists_the_valid_ones():
    with pytest.raises(InputError) as caught:
        export.get_format("xlsx")
    for name in export.FORMATS:
        assert name in str(caught.value)


def test_aliases_name_the_same_formats():
    assert export.get_format("Turtle") is export.FORMATS["ttl"]
    assert export.get_format("json-ld") is export.FORMATS["jsonld"]
    assert export.get_format("rdf/xml") is export.FORMATS["rdfxml"]
