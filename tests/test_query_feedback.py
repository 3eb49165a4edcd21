"""What a person types, and what vetgraph says back (issue 13, items 8 and 9).

Parameters that name the wrong kind of thing are refused with what they are and what would
fit; sources are named by title; names match regardless of case and accents. SPARQL text
gets feedback: an unknown prefix is named, a ``vet:`` term the ontology does not declare is
warned about, and a syntax error is shown on its line with a caret.
"""

from __future__ import annotations

import pytest

import vetgraph
from vetgraph.errors import QuerySyntaxError
from vetgraph.graph.namespaces import PREFIXES

# -- SPARQL feedback: unknown prefixes (item 9) ----------------------------------------------


def test_an_unknown_prefix_is_named_and_the_known_ones_are_listed(invoke):
    result = invoke("query", "--sparql", "SELECT ?x WHERE { ?x a vgx:Thing }")
    assert result.exit_code == 2
    message, line, caret, hint = result.stderr.splitlines()
    assert message == (
        "error: --sparql:1:24: SPARQL syntax error: unknown prefix vgx:; did you mean vg:?"
    )
    assert (line, caret) == ("  SELECT ?x WHERE { ?x a vgx:Thing }", "  " + " " * 23 + "^")
    assert hint.startswith("  hint: the known prefixes, which need no PREFIX line: vet: vg: ")
    assert all(f" {prefix}:" in hint for prefix in PREFIXES)
    assert "PREFIX vgx: <" in hint


def test_an_unknown_prefix_in_the_python_api(bundled):
    with pytest.raises(QuerySyntaxError, match="unknown prefix foo:") as err:
        vetgraph.query("SELECT * WHERE { ?s foo:p ?o }", bundled)
    assert "vet: vg:" in (err.value.hint or "")


# -- SPARQL feedback: terms the ontology does not declare --------------------------------------


def test_an_undeclared_vet_term_is_warned_about_and_the_query_runs(invoke):
    result = invoke("query", "--sparql", "SELECT ?p WHERE { ?p a vet:Programm } LIMIT 1")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: --sparql:1:24: vet:Programm is not in the ontology; did you mean vet:Programme?\n"
    )
    assert result.stdout.startswith("p\n")


def test_terms_by_any_prefix_or_full_iri_are_checked(invoke, write):
    query = write(
        "terms.rq",
        "PREFIX v: <https://w3id.org/vetgraph/ontology#>\n"
        "SELECT ?p WHERE { ?p a v:Programme ; v:startdate ?d .\n"
        "  ?p <https://w3id.org/vetgraph/ontology#succeds> ?q }\n",
    )
    result = invoke("query", "--file", str(query))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {query}:2:38: vet:startdate is not in the ontology; did you mean vet:startDate?",
        f"warning: {query}:3:6: vet:succeds is not in the ontology; did you mean vet:succeeds?",
    ]


def test_declared_terms_get_no_warning(invoke):
    result = invoke(
        "query", "--sparql", "SELECT ?p WHERE { ?p a vet:Programme ; vet:startDate ?d }"
    )
    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_query_that_does_not_parse_gets_its_error_and_no_warning(invoke):
    result = invoke("query", "--sparql", "SELECT ?p WHERE { ?p a vet:Programm")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --sparql:1:36: SPARQL syntax error")
    assert "warning" not in result.stderr


def test_the_python_api_warns_about_undeclared_terms(bundled):
    from vetgraph.sparql.feedback import UnknownTermWarning

    with pytest.warns(UnknownTermWarning, match=r"vet:Programm is not in the ontology; did"):
        rows = vetgraph.query("SELECT ?p WHERE { ?p a vet:Programm }", bundled)
    assert len(rows) == 0


def test_library_queries_are_not_checked_for_terms(bundled, invoke, monkeypatch):
    from vetgraph.sparql import feedback

    def refuse(*args, **kwargs):
        raise AssertionError("a library query's terms were checked")

    monkeypatch.setattr(feedback, "unknown_terms", refuse)
    assert len(vetgraph.query("sources-of-entity", bundled, entity="vg:bruges-communique"))
    result = invoke("query", "sources-of-entity", "-p", "entity=vg:bruges-communique")
    assert result.exit_code == 0, result.output


# -- SPARQL feedback: a syntax error shown on its line -----------------------------------------


def test_a_syntax_error_shows_the_line_with_a_caret_under_the_column(invoke):
    result = invoke("query", "--sparql", "SELECT ?x\nWHERE { ?x a vet:Thing")
    assert result.exit_code == 2
    message, line, caret = result.stderr.splitlines()
    assert message.startswith("error: --sparql:2:23: SPARQL syntax error: expected one of")
    assert line == "  WHERE { ?x a vet:Thing"
    assert caret == "  " + " " * 22 + "^"


def test_the_caret_is_under_the_users_text_across_a_values_block_and_tabs(invoke):
    text = "SELECT ?s WHERE {\n\t?s ?p ?o .\n\tFILTER (?o = ) }"
    result = invoke("query", "--sparql", text, "-p", "s=<http://e/x>")  # VALUES on line 1
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:] == ["  \tFILTER (?o = ) }", "  \t" + " " * 16 + "^"]


def test_a_syntax_error_in_the_python_api_shows_the_line(bundled):
    with pytest.raises(QuerySyntaxError) as err:
        vetgraph.query("SELECT * WHERE { ?s ?p }", bundled)
    assert str(err.value).splitlines()[1:] == [
        "  SELECT * WHERE { ?s ?p }",
        "  " + " " * 24 + "^",
    ]


def test_a_long_line_is_shown_around_the_column():
    from vetgraph.sparql.feedback import caret_excerpt

    line = "SELECT * WHERE { " + "?s ?p ?o . " * 40 + "?x }"
    excerpt = caret_excerpt(line, 1, 300)
    assert excerpt is not None
    shown, caret = excerpt.splitlines()
    assert len(shown) < 110 and shown.startswith("  …") and shown.endswith("…")
    assert shown[caret.index("^")] == line[299]
