"""The query library: every .rq has a readable header; headers are checked strictly."""

from __future__ import annotations

import pytest

from vetgraph.errors import QueryError
from vetgraph.graph import resources
from vetgraph.sparql.library import KINDS, load_library, parse_header


def test_every_kind_of_query_is_present():
    for kind in KINDS:
        assert resources.query_files(kind), kind


def test_every_library_query_has_a_complete_header():
    queries = load_library()
    assert len(queries) == len(resources.query_files())
    for q in queries:
        assert q.header.title and q.header.description and q.header.shape, q.path
        assert q.kind in KINDS


def test_query_names_are_unique_across_kinds():
    names = [q.name for q in load_library()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# title: T\n# shape: S\nSELECT * {}", "lacks description"),
        (
            "# title: T\n# description: D\n# shape: S\n# colour: red\nSELECT * {}",
            "unknown header line",
        ),
        (
            "# title: T\n# description: D\n# shape: S\n# param: x (colour): c\nSELECT * {}",
            "unknown type",
        ),
        (
            "# title: T\n# description: D\n# shape: S\n# param: nonsense\nSELECT * {}",
            "cannot read parameter",
        ),
        ("# title: T\n# title: U\n# description: D\n# shape: S\nSELECT * {}", "given twice"),
    ],
)
def test_bad_headers_are_named(header, message):
    with pytest.raises(QueryError, match=message):
        parse_header(header, "example.rq")


def _library(name):
    return next(q for q in load_library() if q.name == name)


def test_which_sources_support_an_entity(bundled):
    import pyoxigraph as ox

    q = _library("sources-of-entity")
    rows = bundled.select(
        q.text, bindings={"entity": ox.NamedNode("https://w3id.org/vetgraph/id/bruges-communique")}
    )
    found = {(r["source"].value, r["section"].value, r["locator"].value) for r in rows}
    assert (
        "https://w3id.org/vetgraph/source/ec-ssa-pilot-projects",
        "What is being done?",
        "sentence 1",
    ) in found
    assert (
        "https://w3id.org/vetgraph/source/eqavet-bruges-communique",
        "(main text)",
        "sentence 2",
    ) in found
    assert all(r["entity"].value.endswith("/bruges-communique") for r in rows)


def test_what_a_source_states(bundled):
    import pyoxigraph as ox

    q = _library("statements-of-source")
    rows = bundled.select(
        q.text,
        bindings={
            "source": ox.NamedNode("https://w3id.org/vetgraph/source/ec-ssa-conference-2014")
        },
    )
    facts = {
        (
            r["subject"].value.rsplit("/", 1)[-1],
            r["predicate"].value.rsplit("#", 1)[-1],
            r["locator"].value,
        )
        for r in rows
    }
    assert ("ssa-conference-2014", "date", "sentence 2") in facts
    assert ("ssa-pilot-tourism", "sector", "sentence 5") in facts
    assert ("brussels", "locatedIn", "sentence 2") in facts
    # the other source's facts are not included
    assert not any(s == "bruges-communique" for s, _, _ in facts)


# -- lexing: what a query is, read from tokens, not from substrings -------------------------

import string  # noqa: E402

import pyoxigraph as ox  # noqa: E402
from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import vetgraph  # noqa: E402
from vetgraph.errors import QuerySyntaxError  # noqa: E402
from vetgraph.graph.namespaces import VG, XSD  # noqa: E402
from vetgraph.graph.store import KnowledgeGraph  # noqa: E402
from vetgraph.sparql.backend import LocalBackend  # noqa: E402
from vetgraph.sparql.binding import bind, sparql_term  # noqa: E402
from vetgraph.sparql.entities import resolve_entity  # noqa: E402
from vetgraph.sparql.lexer import tokenize  # noqa: E402
from vetgraph.sparql.library import get_query  # noqa: E402
from vetgraph.sparql.readonly import analyse  # noqa: E402
from vetgraph.sparql.results import Rows, Triples, materialize  # noqa: E402
from vetgraph.sparql.running import prepare, run  # noqa: E402
from vetgraph.sparql.values import typed_value  # noqa: E402


def test_tokens_keep_strings_iris_and_comments_whole():
    text = (
        "SELECT ?s # SERVICE <http://x> { }\n"
        'WHERE { ?s ?p """INSERT\n{ SERVICE }""" , \'DROP\' , <http://e/SERVICE> , ex:SERVICE }'
    )
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert ("string", '"""INSERT\n{ SERVICE }"""') in kinds
    assert ("iri", "<http://e/SERVICE>") in kinds
    assert ("pname", "ex:SERVICE") in kinds
    assert not [t for t in tokenize(text) if t.keyword in ("SERVICE", "INSERT", "DROP")]


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/s> <http://e/p> 1 }",
        "PREFIX ex: <http://e/>\n# a comment with SELECT in it\ndelete where { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/data.ttl>",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "BASE <http://e/> CREATE GRAPH <g>",
        "COPY DEFAULT TO <http://e/g>",
    ],
)
def test_sparql_update_is_refused(update, bundled):
    with pytest.raises(QueryError, match=r"SPARQL Update \(\w+\), which vetgraph does not run"):
        prepare(update, backend=LocalBackend(bundled))


def test_update_refused_through_the_cli_with_a_clear_message(invoke):
    result = invoke("query", "--sparql", "# read only?\nDROP ALL")
    assert result.exit_code == 2
    assert "--sparql:2:1: this is a SPARQL Update (DROP)" in result.output
    assert "Traceback" not in result.output


def test_words_inside_strings_and_comments_do_not_look_like_updates(bundled):
    text = 'SELECT ?x WHERE { BIND ("DROP ALL ; INSERT DATA {}" AS ?x) } # DELETE'
    rows = materialize(run(text, backend=LocalBackend(bundled)))
    assert rows[0]["x"].value == "DROP ALL ; INSERT DATA {}"


def test_service_is_refused_with_its_position_unless_allowed(bundled):
    text = "SELECT * WHERE {\n  SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}"
    with pytest.raises(QueryError, match=r"<query>:2:3: this query calls a remote endpoint"):
        prepare(text, backend=LocalBackend(bundled))
    assert prepare(text, backend=LocalBackend(bundled), allow_service=True).calls_service


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?x WHERE { BIND ("SERVICE <http://e/> { }" AS ?x) }',
        "SELECT ?x WHERE { BIND (<http://e/SERVICE> AS ?x) } # SERVICE <http://e/> { }",
        "PREFIX service: <http://e/> SELECT ?service WHERE { BIND (service:x AS ?service) }",
    ],
)
def test_service_inside_strings_iris_names_and_comments_is_not_a_service(text, bundled):
    assert len(materialize(run(text, backend=LocalBackend(bundled)))) == 1


def test_service_refused_through_the_cli(invoke):
    result = invoke("query", "--sparql", "ASK { SERVICE <http://example.org/sparql> { } }")
    assert result.exit_code == 2
    assert "--allow-service" in result.output


# -- binding: one mechanism for every query form ---------------------------------------------

BRUGES = ox.NamedNode(VG["bruges-communique"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SELECT with the variable projected, and without it
        ("SELECT ?e ?label WHERE { ?e rdfs:label ?label }", {"Bruges Communiqué"}),
        ("SELECT ?label WHERE { ?e rdfs:label ?label }", {"Bruges Communiqué"}),
        # a FILTER in the top group sees the parameter
        ("SELECT ?label WHERE { ?x rdfs:label ?label FILTER (?x = ?e) }", {"Bruges Communiqué"}),
        # the WHERE group is a sub-select
        (
            "SELECT ?label WHERE { SELECT ?e ?label WHERE { ?e rdfs:label ?label } }",
            {"Bruges Communiqué"},
        ),
        # a projection expression with braces comes before the WHERE group
        (
            "SELECT (EXISTS { ?e a ?c } AS ?typed) ?label WHERE { ?e rdfs:label ?label }",
            {"Bruges Communiqué"},
        ),
    ],
)
def test_parameters_bind_select_queries(text, expected, bundled):
    text = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + text
    rows = materialize(run(text, {"e": "<" + BRUGES.value + ">"}, backend=LocalBackend(bundled)))
    assert {r["label"].value for r in rows} == expected


def test_parameters_bind_ask_construct_and_describe(bundled):
    backend = LocalBackend(bundled)
    iri = {"e": "<" + BRUGES.value + ">"}
    assert run("ASK { ?e a ?c }", iri, backend=backend)
    nothing = {"e": "<https://w3id.org/vetgraph/id/nothing>"}
    assert not run("ASK { ?e a ?c }", nothing, backend=backend)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for text in (
        "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }",
        "CONSTRUCT WHERE { ?e ?p ?o }",  # the short form, written out to take the VALUES
        "DESCRIBE ?e WHERE { }",
    ):
        triples = materialize(run(text, iri, backend=backend))
        assert isinstance(triples, Triples)
        assert {t.subject for t in triples} == {BRUGES}, text
        assert any(t.predicate == label for t in triples), text


def test_a_list_value_binds_several(bundled):
    rows = vetgraph.query(
        "SELECT ?e WHERE { ?e a ?c }",
        bundled,
        e=["<" + BRUGES.value + ">", "<https://w3id.org/vetgraph/id/nothing>"],
    )
    assert [r["e"] for r in rows] == [BRUGES]


HOSTILE = [
    '"> } ; DROP ALL #',
    'it\'s "quoted" \'\'\' """',
    "line one\nline two\r\nthree",
    "back\\slash \\u0022 \\\\u0022 \\n",
    "}} ) ; SELECT * WHERE { ?s ?p ?o }",
    "# not a comment",
    "tab\there, é ü 中文 😀",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_stay_inside_their_slot(value, bundled):
    backend = LocalBackend(bundled)
    for text in ("SELECT ?v WHERE { }", "SELECT ?n WHERE { BIND (STRLEN(?v) AS ?n) }"):
        rows = materialize(run(text, {"v": value}, backend=backend))
        assert len(rows) == 1
    assert materialize(run("SELECT ?v WHERE { }", {"v": value}, backend=backend))[0]["v"] == (
        ox.Literal(value)
    )
    assert run("ASK { FILTER (STR(?v) = ?same) }", {"v": value, "same": value}, backend=backend)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_round_trips_as_a_string_parameter(text):
    # Text written <...> is an IRI by design (undeclared_value); hypothesis found "<>".
    assume(not (text.startswith("<") and text.endswith(">")))
    kg = KnowledgeGraph()
    rows = materialize(run("SELECT ?v WHERE { }", {"v": text}, backend=LocalBackend(kg)))
    assert rows[0]["v"] == ox.Literal(text)


@settings(max_examples=60, deadline=None)
@given(
    st.text(max_size=20, alphabet=st.characters(blacklist_categories=("Cs",))),
    st.sampled_from(["en", "fr-BE", "de-CH-1996"]),
)
def test_any_text_round_trips_as_a_language_string(text, lang):
    term = typed_value("langString", f"{text}@{lang}", name="t")
    kg = KnowledgeGraph()
    rows = materialize(run("SELECT ?v WHERE { }", {"v": term}, backend=LocalBackend(kg)))
    assert rows[0]["v"] == ox.Literal(text, language=lang)


@pytest.mark.parametrize(
    "iri", ["<http://e/a>b>", "<http://e/a b>", '<http://e/a"b>', "<http://e/{x}>", "<rel>"]
)
def test_iris_that_could_leave_their_slot_are_rejected(iri, bundled):
    with pytest.raises(QueryError, match="not a valid IRI"):
        prepare("SELECT ?v WHERE { }", {"v": iri}, backend=LocalBackend(bundled))


def test_sparql_term_writes_no_unicode_escapes():
    # some engines expand \\u escapes before parsing; the serializer never writes one
    written = sparql_term(ox.Literal('\\u0022"\n\u0007'))
    assert written == '"\\\\u0022\\"\\n\u0007"'


# -- typed values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ptype", "value", "term"),
    [
        ("string", "x y", ox.Literal("x y")),
        ("langString", "Bruges@en", ox.Literal("Bruges", language="en")),
        ("langString", "a@b@fr", ox.Literal("a@b", language="fr")),
        ("integer", "-12", ox.Literal("-12", datatype=ox.NamedNode(XSD.integer))),
        ("decimal", "2.50", ox.Literal("2.50", datatype=ox.NamedNode(XSD.decimal))),
        ("date", "2014-04-03", ox.Literal("2014-04-03", datatype=ox.NamedNode(XSD.date))),
        ("gYear", "2012", ox.Literal("2012", datatype=ox.NamedNode(XSD.gYear))),
        ("boolean", "true", ox.Literal("true", datatype=ox.NamedNode(XSD.boolean))),
        ("integer", 7, ox.Literal("7", datatype=ox.NamedNode(XSD.integer))),
    ],
)
def test_typed_values(ptype, value, term):
    assert typed_value(ptype, value, name="p") == term


@pytest.mark.parametrize(
    ("ptype", "value", "hint"),
    [
        ("integer", "12.5", "a whole number"),
        ("decimal", "2,5", "a decimal number"),
        ("date", "2014-02-30", "YYYY-MM-DD"),
        ("date", "3 April 2014", "YYYY-MM-DD"),
        ("gYear", "'12", "a year"),
        ("boolean", "yes", "true or false"),
        ("langString", "no language", "text@lang"),
        ("langString", "x@not a tag", "text@lang"),
    ],
)
def test_bad_typed_values_say_what_to_write(ptype, value, hint):
    with pytest.raises(QueryError, match=f"is not a {ptype}") as err:
        typed_value(ptype, value, name="p")
    assert hint in str(err.value)


# -- entities: full IRI, CURIE or exact label ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "vg:bruges-communique",
        "https://w3id.org/vetgraph/id/bruges-communique",
        "<https://w3id.org/vetgraph/id/bruges-communique>",
        "Bruges Communiqué",
    ],
)
def test_entities_by_iri_curie_or_label(name, bundled):
    assert resolve_entity(name, LocalBackend(bundled)) == BRUGES


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Bruges comunique", "Bruges Communiqué (vg:bruges-communique)"),
        ("vg:bruges-comunique", "Bruges Communiqué (vg:bruges-communique)"),
    ],
)
def test_unknown_entities_get_close_matches(name, suggestion, bundled):
    with pytest.raises(QueryError, match="did you mean") as err:
        resolve_entity(name, LocalBackend(bundled))
    assert suggestion in str(err.value)


def test_a_label_two_entities_share_is_refused_with_both():
    kg = KnowledgeGraph()
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    kg.add_ntriples(
        f'<{VG.a}> {label} "Twin"@en .\n<{VG.b}> {label} "Twin"@fr .', graph="http://e/g"
    )
    with pytest.raises(QueryError, match=r"names 2 entities: vg:a, vg:b"):
        resolve_entity("Twin", LocalBackend(kg))


# -- names, parameters, errors -----------------------------------------------------------


def test_unknown_query_lists_the_library_and_suggests(invoke):
    result = invoke("query", "sources-of-entty")
    assert result.exit_code == 2
    assert "no library query is named 'sources-of-entty'; did you mean sources-of-entity" in (
        result.output
    )
    for q in load_library():
        assert q.name in result.output


def test_unknown_parameter_lists_the_valid_ones(invoke):
    result = invoke("query", "sources-of-entity", "--param", "entty=vg:bruges-communique")
    assert result.exit_code == 2
    assert "sources-of-entity has no parameter 'entty'; its parameters are: entity" in (
        result.output
    )


def test_missing_parameter_says_which(invoke):
    result = invoke("query", "sources-of-entity")
    assert result.exit_code == 2
    assert "sources-of-entity needs parameter 'entity' (iri)" in result.output
    assert "--param entity=vg:bruges-communique" in result.output


def test_undeclared_parameter_must_be_a_variable(invoke):
    result = invoke("query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=1")
    assert result.exit_code == 2
    assert "has no variable ?x to bind; its variables are: o, p, s" in result.output


def test_undeclared_parameters_are_plain_literals_or_iris(invoke):
    result = invoke(
        "query",
        "--sparql",
        "SELECT ?a ?b ?kind WHERE { BIND (IF(isIRI(?b), 'iri', DATATYPE(?b)) AS ?kind) }",
        "-p",
        "a=12",
        "-p",
        f"b=<{BRUGES.value}>",
        "--format",
        "tsv",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == f'"12"\t<{BRUGES.value}>\t"iri"'


def test_syntax_errors_name_line_and_column_of_the_users_text(invoke, write):
    # the parameter's VALUES block is inserted on line 2; the error stays where the user put it
    query = write(
        "bad.rq",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { ?e rdfs:label ?label . ?e rdfs:label }\n",
    )
    result = invoke("query", "--file", str(query), "-p", "e=<http://e/x>")
    assert result.exit_code == 2
    assert f"{query}:2:60: SPARQL syntax error: expected one of" in result.output
    assert "\\u{" not in result.output  # no character classes, just the tokens
    broken = write("broken.rq", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER (?o = \n}")
    plain = invoke("query", "--file", str(broken))
    bound = invoke("query", "--file", str(broken), "-p", "s=<http://e/x>")
    assert plain.exit_code == bound.exit_code == 2
    assert f"{broken}:4:2: SPARQL syntax error" in plain.output
    assert bound.output == plain.output


def test_syntax_error_position_is_mapped_back_across_the_values_block(bundled):
    text = "SELECT ?s WHERE { ?s ?p ?o . ?o ?q }"
    with pytest.raises(QuerySyntaxError) as plain:
        prepare(text, backend=LocalBackend(bundled)).where  # noqa: B018
        run(text, backend=LocalBackend(bundled))
    with pytest.raises(QuerySyntaxError) as bound:
        run(text, {"s": "<http://e/x>"}, backend=LocalBackend(bundled))
    assert (bound.value.line, bound.value.column) == (plain.value.line, plain.value.column)


# -- the library as a whole ---------------------------------------------------------------


def test_every_declared_parameter_is_a_variable_with_an_example():
    for q in load_library():
        shape = analyse(q.text, q.name)
        for p in q.header.params:
            assert p.name in shape.variables, f"{q.name}: ?{p.name} is not in the query"
            assert p.example, f"{q.name}: parameter {p.name} has no example"
            # vetgraph.query(name, graph=..., **params): a parameter cannot be called graph
            assert p.name not in ("graph", "allow_service"), q.name


@pytest.mark.parametrize("query", load_library(), ids=lambda q: q.name)
def test_every_library_query_runs_with_its_examples(query, bundled):
    params = {p.name: p.example for p in query.header.params}
    result = materialize(run(query, params, backend=LocalBackend(bundled)))
    if query.kind == "checks":
        assert isinstance(result, Rows) and result.variables == ["entity", "property", "value"]
        assert len(result) == 0, f"{query.name} finds violations in the bundled data"
    elif query.kind == "cq" and query.header.params:
        assert len(result) > 0, f"{query.name} gives nothing for its example parameters"


def test_get_query_reads_the_one_file():
    q = get_query("sources-of-entity")
    assert q.kind == "cq" and q.header.params[0].name == "entity"


def test_bind_inserts_values_at_the_outer_where_group():
    text = "SELECT ?x WHERE { { SELECT ?y WHERE { ?y ?p ?o } } ?x ?q ?y }"
    bound = bind(text, {"x": [ox.Literal("1")]})
    assert bound.text == (
        'SELECT ?x WHERE { VALUES ?x { "1" } { SELECT ?y WHERE { ?y ?p ?o } } ?x ?q ?y }'
    )


# -- the Python API ---------------------------------------------------------------------


def test_python_api_runs_a_library_query_by_name(bundled):
    rows = vetgraph.query("sources-of-entity", bundled, entity="Bruges Communiqué")
    assert isinstance(rows, Rows) and len(rows) >= 1
    dicts = rows.to_dicts()
    assert {d["entity"] for d in dicts} == {BRUGES.value}
    assert all(d["locator"] for d in dicts)  # every citation has a locator


def test_python_api_to_dataframe(bundled):
    import pandas as pd  # a test extra: the notebook path is tested in CI, never skipped

    frame = vetgraph.query("entities-per-class", bundled).to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["class", "label", "entities"]
    assert frame["entities"].dtype.kind == "i" and frame["entities"].sum() > 0


def test_to_dataframe_without_pandas_says_how_to_install_it(bundled, monkeypatch):
    rows = vetgraph.query("SELECT ?x WHERE { BIND (1 AS ?x) }", bundled)
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'vetgraph-eu\[pandas\]'"):
        rows.to_dataframe()


def test_python_api_ask_and_construct(bundled):
    assert vetgraph.query("ASK { ?s a ?c }", bundled) is True
    triples = vetgraph.query("CONSTRUCT WHERE { ?e a ?c }", bundled, e=f"<{BRUGES.value}>")
    assert isinstance(triples, Triples) and len(triples) == 1
    assert b"vg:bruges-communique a vet:Communique" in triples.serialize("ttl")


def test_python_api_uses_the_bundled_graph_by_default():
    assert vetgraph.query("ASK { ?s ?p ?o }") is True


def test_importing_vetgraph_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, vetgraph; vetgraph.query; "
        "print(sorted(m for m in ('rdflib', 'pandas', 'SPARQLWrapper', 'pyvis') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_query_command_needs_no_rdflib():
    import subprocess
    import sys

    code = (
        "import sys\nfrom vetgraph.cli import cli\n"
        "try:\n    cli.main(['query', 'entities-per-class', '--format', 'csv'], obj={})\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('rdflib', 'pandas', 'SPARQLWrapper', 'pyshacl', 'rich') "
        "if m in sys.modules), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert out.stderr.strip() == b"[]"
    assert out.stdout.startswith(b"class,label,entities\r\n")  # W3C CSV: CRLF


_ = string  # (imported for readability of test data)


def test_project_prefixes_need_no_declaration(bundled):
    backend = LocalBackend(bundled)
    text = "SELECT ?label WHERE { vg:bruges-communique rdfs:label ?label }"
    assert [r["label"].value for r in materialize(run(text, backend=backend))] == [
        "Bruges Communiqué"
    ]
    # a prefix the query declares itself is left alone
    own = "PREFIX vg: <http://e/> ASK { vg:bruges-communique ?p ?o }"
    assert not run(own, backend=backend)
    # and errors keep their place on the first line
    with pytest.raises(QuerySyntaxError) as err:
        run("SELECT * WHERE { vg:x rdfs:label }", backend=backend)
    assert (err.value.line, err.value.column) == (1, 34)


def test_a_users_file_with_a_header_has_typed_parameters(invoke, write):
    query = write(
        "mine.rq",
        "# title: Things with a label in a language\n"
        "# description: Labels in one language.\n"
        "# param: lang (string; default: en; example: fr): the language\n"
        "# param: thing (iri; example: vg:bruges-communique): the thing\n"
        "# shape: SELECT ?label\n"
        "SELECT ?label WHERE { ?thing rdfs:label ?label FILTER (LANG(?label) = ?lang) }\n",
    )
    ok = invoke("query", "--file", str(query), "-p", "thing=Bruges Communiqué", "--format", "csv")
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines() == ["label", "Bruges Communiqué"]
    unknown = invoke("query", "--file", str(query), "-p", "thing=vg:x", "-p", "colour=red")
    assert unknown.exit_code == 2
    assert f"{query} has no parameter 'colour'; its parameters are: lang, thing" in unknown.output


def test_get_query_sees_queries_added_changed_and_removed(tmp_path, monkeypatch):
    # get_query keeps the folder listing between calls (issue 7); edits must still show.
    from vetgraph.graph import resources
    from vetgraph.sparql.library import get_query

    real = resources.folder
    monkeypatch.setattr(
        resources, "folder", lambda name: tmp_path if name == "queries" else real(name)
    )
    for kind in ("cq", "checks", "reports"):
        (tmp_path / kind).mkdir()
    header = "# title: {t}\n# description: d\n# shape: SELECT ?s\nSELECT ?s {{ ?s ?p ?o }}\n"
    (tmp_path / "cq" / "first.rq").write_text(header.format(t="First"))
    assert get_query("first").title == "First"
    (tmp_path / "cq" / "first.rq").write_text(header.format(t="Changed"))
    (tmp_path / "reports" / "second.rq").write_text(header.format(t="Second"))
    assert get_query("first").title == "Changed"
    assert get_query("second").title == "Second"
    (tmp_path / "cq" / "first.rq").unlink()
    with pytest.raises(QueryError, match="no library query is named 'first'"):
        get_query("first")


def test_show_names_a_query_file_that_exists_from_anywhere(invoke, tmp_path, monkeypatch):
    # Regression (issue 13.10): `vetgraph queries NAME` printed `file: queries/cq/...rq`,
    # relative to the folder the queries are in, which is nowhere near the user's in an
    # installed copy (site-packages/vetgraph/_resources/queries/...).
    from pathlib import Path

    expected = (resources.folder("queries") / "cq" / "sources-of-entity.rq").resolve()
    installed = tmp_path / "site-packages" / "vetgraph"  # a wheel's layout
    (installed / "_resources").mkdir(parents=True)
    for name in resources.FOLDERS:
        (installed / "_resources" / name).symlink_to(resources.folder(name))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(resources, "_PACKAGE_DIR", installed)
            resources.root.cache_clear()
            assert resources.root() == installed / "_resources"
            patch.chdir(elsewhere)
            result = invoke("queries", "sources-of-entity")
            assert result.exit_code == 0, result.output
            [shown] = [
                line.removeprefix("file: ")
                for line in result.stdout.splitlines()
                if line.startswith("file: ")
            ]
            assert Path(shown).is_file(), shown
            assert Path(shown).resolve() == expected
    finally:
        resources.root.cache_clear()


def test_the_lexer_reads_an_ascii_text_as_the_full_pattern_does():
    """An ASCII text is read with a pattern compiled without the Unicode classes (25 ms
    saved on every command): it must give the same tokens; a non-ASCII text the full ones."""
    from vetgraph.sparql import lexer

    full, ascii_only = lexer._token_pattern(False), lexer._token_pattern(True)
    texts = [q.text for q in load_library()] + ['SELECT ?x_1 { _:b0 ex:a-b.c "é" } # ü']
    for text in (t for t in texts if t.isascii()):
        assert [(m.lastgroup, m.group()) for m in ascii_only.finditer(text)] == [
            (m.lastgroup, m.group()) for m in full.finditer(text)
        ]
    tokens = lexer.tokenize("SELECT ?données { vg:Brügge rdfs:label ?é }")
    assert [t.kind for t in tokens] == ["word", "var", "punct", "pname", "pname", "var", "punct"]
