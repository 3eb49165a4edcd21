"""Result formats: W3C SPARQL 1.1 CSV/TSV/JSON for SELECT, a boolean for ASK, RDF syntaxes
for CONSTRUCT/DESCRIBE, and the human formats (table, md)."""

from __future__ import annotations

import csv
import io
import json
import re

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


# -- fit for a terminal (issue 13.10) ---------------------------------------------------------

#: A few rows with long values: definitions run to 140 characters and more.
DEFINITIONS = "SELECT ?s ?definition ?label WHERE { ?s skos:definition ?definition ; rdfs:label ?label } ORDER BY ?s LIMIT 20"  # noqa: E501


def _table_lines(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_the_table_fits_the_width_it_is_given(invoke):
    # Regression: a row of 430 characters was printed on a 100-column terminal.
    lines = _table_lines(invoke("query", "--sparql", DEFINITIONS, "--width", "80"))
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split() == ["s", "definition", "label"]
    assert any("…" in line for line in lines[2:-1]), "nothing was cut"
    assert lines[-1].startswith("(20 rows;") and "--width 0" in lines[-1]  # says what was cut


def test_a_table_in_a_pipe_keeps_every_cell_whole(invoke, bundled):
    # Not a terminal (a pipe, a file) and no --width: nothing is lost.
    from vetgraph import query

    whole = {r["definition"].value for r in query(DEFINITIONS, bundled)}
    for args in ((), ("--width", "0")):
        text = invoke("query", "--sparql", DEFINITIONS, *args).stdout
        assert max(len(line) for line in text.splitlines()) > 100
        assert all(d.replace("\n", " ") in text for d in whole)
        assert "…" not in text and text.endswith("(20 rows)\n")


def test_on_a_terminal_the_table_fits_the_terminal(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "72"}
    process = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", "query", "--sparql", DEFINITIONS],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the terminal closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.returncode == 0, process.stderr
    lines = b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
    assert len(lines) == 23 and max(len(line) for line in lines) <= 72


def test_rows_past_the_sized_ones_are_cut_too(kg, monkeypatch):
    import vetgraph.sparql.table

    monkeypatch.setattr(vetgraph.sparql.table, "TABLE_WIDTH_ROWS", 1)  # size on row one only
    out = io.BytesIO()
    render(kg.query(SELECT), "table", out, width=30)
    lines = out.getvalue().decode().splitlines()
    assert max(len(line) for line in lines[:-1]) <= 30
    assert lines[2].startswith("vg:a") and "…" in lines[2]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_select_star_keeps_the_order_of_the_query(fmt, invoke):
    # Regression: Oxigraph lists the variables of SELECT * in alphabetical order.
    query = "SELECT * WHERE { ?zeta rdfs:label ?alpha . OPTIONAL { ?zeta skos:definition ?mid } }"
    text = invoke("query", "--sparql", query, "--limit", "2", "--format", fmt).stdout
    if fmt == "json":
        assert json.loads(text)["head"]["vars"] == ["zeta", "alpha", "mid"]
    else:
        header = text.splitlines()[0]
        assert [n for n in re.split(r"[\s,|?]+", header) if n] == ["zeta", "alpha", "mid"]


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("SELECT DISTINCT * { ?b ?a ?c }", ["b", "a", "c"]),
        ("SELECT * { ?b ?a ?c } ORDER BY ?a", ["b", "a", "c"]),
        # a sub-select projects its own order; FILTER-only variables are not columns
        ("SELECT * { { SELECT ?y ?x { ?x ?p ?y } } FILTER(?z) }", ["y", "x"]),
        ("SELECT * { BIND(1 AS ?one) ?s ?p ?o }", ["one", "s", "p", "o"]),
        ("SELECT * { ?s ?p ?o } VALUES ?w { 1 }", ["s", "p", "o", "w"]),
        ("SELECT ?o ?s { ?s ?p ?o }", ["o", "s"]),  # an explicit projection is kept
    ],
)
def test_select_star_columns_in_the_python_api(query, columns, kg):
    from vetgraph import query as run_query

    assert run_query(query, kg).variables == columns


def test_select_star_with_a_parameter_keeps_the_order_of_the_query(invoke):
    text = invoke(
        "query",
        "--sparql",
        "SELECT * WHERE { ?entity rdfs:label ?label ; a ?class }",
        "-p",
        "entity=vg:cedefop",
        "--format",
        "csv",
    ).stdout
    assert text.splitlines()[0] == "entity,label,class"
