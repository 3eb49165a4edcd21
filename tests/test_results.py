"""Result formats: W3C SPARQL 1.1 CSV/TSV/JSON for SELECT, a boolean for ASK, RDF syntaxes
for CONSTRUCT/DESCRIBE, and the human formats (table, md)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from vetgraph.cli.queries import QUERY_FORMATS
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.sparql.results import GRAPH_FORMATS, SOLUTION_FORMATS, render, to_python

LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
DATA = f"""
<https://w3id.org/vetgraph/id/a> {LABEL} "Line one\\nline \\"two\\", | three"@en .
<https://w3id.org/vetgraph/id/a> <https://w3id.org/vetgraph/ontology#budget> "2.50"^^{DECIMAL} .
<https://w3id.org/vetgraph/id/b> {LABEL} "B" .
"""
SELECT = """
SELECT ?s ?label ?budget WHERE {
  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label
  OPTIONAL { ?s <https://w3id.org/vetgraph/ontology#budget> ?budget }
} ORDER BY ?s
"""


@pytest.fixture
def kg():
    graph = KnowledgeGraph()
    graph.add_ntriples(DATA, graph="https://w3id.org/vetgraph/claim/x")
    return graph


def _render(kg, query, fmt):
    out = io.BytesIO()
    render(kg.query(query), fmt, out)
    return out.getvalue()


def test_the_cli_offers_exactly_the_formats_the_renderer_has():
    assert QUERY_FORMATS == SOLUTION_FORMATS + GRAPH_FORMATS


def test_csv_follows_the_w3c_format(kg):
    body = _render(kg, SELECT, "csv")
    assert body.startswith(b"s,label,budget\r\n")  # names without '?', CRLF line ends
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert rows[1] == [
        "https://w3id.org/vetgraph/id/a",
        'Line one\nline "two", | three',
        "2.5",  # Oxigraph keeps decimals by value: 2.50 reads back as 2.5
    ]
    assert rows[2] == ["https://w3id.org/vetgraph/id/b", "B", ""]  # unbound: empty field


def test_tsv_follows_the_w3c_format(kg):
    lines = _render(kg, SELECT, "tsv").decode().split("\n")
    assert lines[0] == "?s\t?label\t?budget"
    assert lines[1].split("\t")[0] == "<https://w3id.org/vetgraph/id/a>"
    assert lines[1].split("\t")[1] == '"Line one\\nline \\"two\\", | three"@en'
    assert lines[2] == '<https://w3id.org/vetgraph/id/b>\t"B"\t'


def test_json_is_the_w3c_results_format(kg):
    data = json.loads(_render(kg, SELECT, "json"))
    assert data["head"]["vars"] == ["s", "label", "budget"]
    first = data["results"]["bindings"][0]
    assert first["s"] == {"type": "uri", "value": "https://w3id.org/vetgraph/id/a"}
    assert first["label"]["xml:lang"] == "en"
    assert first["budget"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert "budget" not in data["results"]["bindings"][1]
    parsed = ox.parse_query_results(_render(kg, SELECT, "json"), ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == 2


def test_table_and_markdown_are_for_people(kg):
    table = _render(kg, SELECT, "table").decode().splitlines()
    assert table[0].split() == ["s", "label", "budget"]
    assert table[2].startswith("vg:a  ")  # CURIEs for project IRIs
    assert table[-1] == "(2 rows)"
    md = _render(kg, SELECT, "md").decode().splitlines()
    assert md[0] == "| s | label | budget |"
    assert md[2] == '| vg:a | Line one<br>line "two", \\| three | 2.5 |'


def test_ask_is_a_boolean(kg):
    assert _render(kg, "ASK { ?s ?p ?o }", "table") == b"true\n"
    assert json.loads(_render(kg, "ASK { ?s ?p 1 }", "json")) == {"head": {}, "boolean": False}


def test_construct_in_rdf_syntaxes(kg):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    expected = {q.triple for q in kg.store}
    for fmt, syntax in (
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ):
        body = _render(kg, query, fmt)
        assert {q.triple for q in ox.parse(body, syntax)} == expected, fmt
    assert _render(kg, query, "ttl").startswith(b"@prefix")


def test_turtle_prefixes_come_out_in_the_same_order_every_time(kg):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    first = _render(kg, query, "ttl")
    head = [line for line in first.splitlines() if line.startswith(b"@prefix")]
    assert head == sorted(head)


@pytest.mark.parametrize(
    ("query", "fmt", "message"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "ttl", "is for CONSTRUCT and DESCRIBE"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "is for SELECT and ASK"),
    ],
)
def test_formats_that_do_not_fit_the_query_form(kg, query, fmt, message):
    from vetgraph.errors import QueryError

    with pytest.raises(QueryError, match=message):
        _render(kg, query, fmt)


def test_format_mismatch_is_refused_before_running(invoke):
    result = invoke("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "nt")
    assert result.exit_code == 2
    assert "--format nt does not fit a SELECT query; use table, csv, tsv, json or md" in (
        result.output
    )


def test_python_values():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert to_python(ox.Literal("12", datatype=ox.NamedNode(xsd + "integer"))) == 12
    assert to_python(ox.Literal("2012", datatype=ox.NamedNode(xsd + "gYear"))) == 2012
    assert to_python(ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))) is True
    assert to_python(ox.Literal("x", language="en")) == "x"
    assert to_python(ox.NamedNode("http://e/a")) == "http://e/a"
    assert to_python(None) is None
