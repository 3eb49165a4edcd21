"""What a person types, and what vetgraph says back (issue 13, items 8 and 9).

Parameters that name the wrong kind of thing are refused with what they are and what would
fit; sources are named by title; names match regardless of case and accents. SPARQL text
gets feedback: an unknown prefix is named, a ``vet:`` term the ontology does not declare is
warned about, and a syntax error is shown on its line with a caret.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import vetgraph
from vetgraph.errors import QueryError, QuerySyntaxError
from vetgraph.graph.namespaces import PREFIXES, RDFS, VET, VG
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.entities import resolve_entity
from vetgraph.sparql.library import parse_header

BRUGES = "<https://w3id.org/vetgraph/id/bruges-communique>"
SRC = "https://w3id.org/vetgraph/source/"


def _column(result, name: str) -> set[str]:
    """The values of one column of a --format tsv answer."""
    header, *rows = result.stdout.splitlines()
    index = header.split("\t").index(f"?{name}")
    return {row.split("\t")[index] for row in rows}


# -- parameters that name the wrong kind of thing (item 8) -----------------------------------


def test_an_entity_given_for_a_source_says_what_it_is_and_offers_sources(invoke):
    result = invoke("query", "statements-of-source", "--param", "source=Riga Conclusions")
    assert result.exit_code == 2
    assert result.stdout == ""
    message, hint = result.stderr.splitlines()
    assert message.startswith(
        "error: parameter source: 'Riga Conclusions' is an entity (vg:riga-conclusions, "
        "a vet:Conclusions), not a source (vet:SourceDocument); did you mean: "
        "Riga Conclusions on VET (src:asoo-riga-conclusions);"
    )
    assert hint.startswith("  hint: source takes a vet:SourceDocument (e.g. src:")


def test_an_entity_curie_given_for_a_source_is_refused_with_sources_about_it(invoke):
    result = invoke("query", "statements-of-source", "-p", "source=vg:bruges-communique")
    assert result.exit_code == 2
    assert (
        "error: parameter source: vg:bruges-communique is an entity (a vet:Communique), "
        "not a source (vet:SourceDocument); did you mean: "
        "Bruges Communiqué (src:eqavet-bruges-communique);"
    ) in result.stderr


def test_every_declared_class_is_checked_in_the_python_api_too(bundled):
    with pytest.raises(QueryError, match=r"is an entity \(a vet:Programme\), not a country"):
        vetgraph.query("projects-in-country", bundled, country="vg:erasmus-plus")
    with pytest.raises(QueryError, match=r"not a programme \(vet:Programme\)"):
        vetgraph.query("programme-predecessors", bundled, programme=ox.NamedNode(VG.italy))


@pytest.mark.parametrize(
    "title",
    [
        "Sector Skills Alliances – Selected pilot projects",
        "sector skills alliances - selected pilot projects",  # any case, a plain hyphen
    ],
)
def test_a_source_is_named_by_its_title(title, invoke):
    result = invoke("query", "statements-of-source", "-p", f"source={title}", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert _column(result, "source") == {f"<{SRC}ec-ssa-pilot-projects>"}


def test_a_name_that_is_a_label_and_a_title_goes_by_the_parameters_class(invoke):
    # "Bruges Communiqué" labels the communiqué and titles a source (an EQAVET page)
    source = invoke(
        "query", "statements-of-source", "-p", "source=Bruges Communiqué", "--format", "tsv"
    )
    assert source.exit_code == 0, source.output
    assert _column(source, "source") == {f"<{SRC}eqavet-bruges-communique>"}
    entity = invoke(
        "query", "sources-of-entity", "-p", "entity=Bruges Communiqué", "--format", "tsv"
    )
    assert entity.exit_code == 0, entity.output
    assert _column(entity, "entity") == {BRUGES}  # no class: the label wins


@pytest.mark.parametrize("name", ["bruges communique", "BRUGES COMMUNIQUÉ", " Bruges  Communiqué"])
def test_labels_match_regardless_of_case_and_accents(name, invoke):
    result = invoke("query", "sources-of-entity", "-p", f"entity={name}", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert _column(result, "entity") == {BRUGES}


def test_names_that_fold_to_the_same_text_stay_ambiguous():
    kg = KnowledgeGraph()
    label = f"<{RDFS.label}>"
    kg.add_ntriples(f'<{VG.a}> {label} "Café"@fr .\n<{VG.b}> {label} "cafe"@en .', graph="x:g")
    with pytest.raises(QueryError, match=r"'CAFE' names 2 entities: vg:a, vg:b") as err:
        resolve_entity("CAFE", LocalBackend(kg))
    assert err.value.hint == "name one of them by its CURIE or IRI"


def test_two_sources_with_one_title_are_ambiguous(invoke):
    result = invoke("query", "statements-of-source", "-p", "source=Eldicare 2.0")
    assert result.exit_code == 2
    assert "names 2 entities: src:ean-eldicare-2, src:esn-eldicare-2" in result.stderr


def test_a_header_declares_a_parameters_class():
    header = parse_header(
        "# title: t\n# description: d\n# shape: s\n"
        "# param: source (iri; class: vet:SourceDocument; example: src:x): the source\n"
        "SELECT * { ?source ?p ?o }",
        "q.rq",
    )
    assert header.params[0].cls == VET.SourceDocument
    for spec, message in [
        ("gYear; class: vet:Programme", "only an iri has a class"),
        ("iri; class: Programme", "is not an IRI"),
    ]:
        with pytest.raises(QueryError, match=message):
            parse_header(f"# title: t\n# description: d\n# shape: s\n# param: p ({spec}): p\n", "q")


def test_the_library_declares_the_class_of_its_source_parameter(invoke):
    result = invoke("queries", "statements-of-source")
    assert "source (iri; class: vet:SourceDocument; required; example:" in result.output


def test_a_users_file_may_declare_a_class(invoke, write):
    query = write(
        "mine.rq",
        "# title: Things in a country\n# description: d\n# shape: SELECT ?thing\n"
        "# param: place (iri; class: vet:Country; example: vg:italy): the country\n"
        "SELECT ?thing WHERE { ?thing vet:country ?place }\n",
    )
    fits = invoke("query", "--file", str(query), "-p", "place=Italy")
    assert fits.exit_code == 0, fits.output
    wrong = invoke("query", "--file", str(query), "-p", "place=Erasmus+")
    assert wrong.exit_code == 2
    assert "'Erasmus+' is an entity (vg:erasmus-plus, a vet:Programme), not a place" in (
        wrong.stderr
    )


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
