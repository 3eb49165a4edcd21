"""The generated pages: ontology.html documents every term (and the build refuses terms
without a label or definition); queries.html shows every library query with its answer."""

from __future__ import annotations

import html
import logging
import re
import shutil

import pyoxigraph as ox
import pytest

from vetgraph.errors import InputError
from vetgraph.graph import build, resources
from vetgraph.graph.namespaces import RDFS, SKOS, VET, XSD, curie
from vetgraph.publish.catalogue import check_answer, parameter_term, queries_html, run_example
from vetgraph.publish.ontology_page import ontology_html, undocumented_terms
from vetgraph.sparql.library import Parameter, load_library

from .conftest import FIXTURES


def _terms(kg) -> dict[str, str]:
    """Every vet: term of the ontology → its English label."""
    rows = kg.select(
        f"""SELECT ?term ?label WHERE {{
          ?term <{RDFS.isDefinedBy}> ?module ; <{RDFS.label}> ?label .
          FILTER (LANG(?label) = "en" && STRSTARTS(STR(?term), "{VET}"))
        }}"""
    )
    return {r["term"].value: r["label"].value for r in rows}


@pytest.fixture(scope="module")
def ontology_page(bundled) -> str:
    return ontology_html(bundled).decode("utf-8")


def test_ontology_page_documents_every_term(bundled, ontology_page):
    terms = _terms(bundled)
    assert len(terms) > 100
    missing = [
        curie(term)
        for term, label in terms.items()
        if f"<code>{term}</code>" not in ontology_page
        or html.escape(label, quote=False) not in ontology_page
    ]
    assert missing == []


def test_ontology_page_shows_definitions_and_named_individuals(bundled, ontology_page):
    definition = bundled.select(
        f"SELECT ?d WHERE {{ <{VET.SectorSkillsAlliance}> <{SKOS.definition}> ?d }}"
    )[0]["d"].value
    assert html.escape(definition, quote=False) in ontology_page
    assert 'id="named_individuals"' in ontology_page
    assert 'href="#named_individuals"' in ontology_page  # listed in the contents too
    assert "<code>https://w3id.org/vetgraph/ontology#OfficialEUSource</code>" in ontology_page


def test_ontology_page_is_about_the_umbrella_ontology(ontology_page):
    [title] = re.findall(r"<title>(.*?)</title>", ontology_page)
    assert title == "vetgraph ontology"
    assert "https://w3id.org/vetgraph/ontology/0." in ontology_page  # the version IRI
    assert "vetgraph core module" in ontology_page  # modules are named, not merged


def test_ontology_page_is_self_contained(ontology_page):
    assert "<style>" in ontology_page
    for pattern in (r'<link[^>]+href="http', r'<script[^>]+src="http', r'<img[^>]+src="http'):
        assert not re.search(pattern, ontology_page), pattern


def test_ontology_page_is_deterministic(bundled, ontology_page):
    assert ontology_html(build.load()).decode("utf-8") == ontology_page


def test_pylode_leaves_the_logging_setup_alone(bundled):
    root = logging.getLogger()
    before = (list(root.handlers), root.level, logging.root.manager.disable)
    ontology_html(bundled)
    assert (list(root.handlers), root.level, logging.root.manager.disable) == before


def test_a_term_without_definition_or_label_is_refused_with_its_file():
    kg = build.load()
    definition = ox.NamedNode(SKOS.definition)
    [quad] = list(kg.store.quads_for_pattern(ox.NamedNode(VET.Programme), definition, None))
    kg.store.remove(quad)
    orphan = ox.NamedNode(VET.Orphan)
    kg.store.add(
        ox.Quad(
            orphan,
            ox.NamedNode(RDFS.isDefinedBy),
            ox.NamedNode("https://w3id.org/vetgraph/ontology/core"),
            ox.NamedNode("https://w3id.org/vetgraph/ontology/core"),
        )
    )
    found = {p.term: p for p in undocumented_terms(kg)}
    assert found.keys() == {VET.Programme, VET.Orphan}
    assert found[VET.Orphan].missing == ("English rdfs:label", "English skos:definition")
    with pytest.raises(InputError) as caught:
        ontology_html(kg)
    message = str(caught.value)
    assert "programmes.ttl: vet:Programme has no English skos:definition" in message
    assert "core.ttl: vet:Orphan has no English rdfs:label and no English skos:definition" in (
        message
    )


@pytest.fixture
def broken_ontology(tmp_path, monkeypatch):
    """A copy of the ontology folder, to break; load() reads it instead of the real one."""
    copy = tmp_path / "ontology"
    shutil.copytree(resources.folder("ontology"), copy)
    originals = resources.ontology_files()
    root = resources.folder("ontology")
    monkeypatch.setattr(
        resources, "ontology_files", lambda: [copy / p.relative_to(root) for p in originals]
    )
    return copy


def test_build_refuses_a_term_without_definition(invoke, broken_ontology, tmp_path):
    module = broken_ontology / "modules" / "programmes.ttl"
    text = module.read_text(encoding="utf-8")
    broken = re.sub(
        r'(vet:Programme a owl:Class ;.*?)\n\s*skos:definition "[^"]*"@en ;',
        r"\1",
        text,
        count=1,
        flags=re.S,
    )
    assert broken != text
    module.write_text(broken, encoding="utf-8")
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out))
    assert result.exit_code == 1
    assert "vet:Programme" in result.output and "skos:definition" in result.output
    assert not out.exists()


def test_build_refuses_an_undeclared_term_without_label(invoke, broken_ontology, tmp_path):
    # Declared only by rdfs:isDefinedBy: no shape targets it, the documentation step must.
    module = broken_ontology / "modules" / "core.ttl"
    module.write_text(
        module.read_text(encoding="utf-8") + "\nvet:loose rdfs:isDefinedBy mod:core .\n",
        encoding="utf-8",
    )
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "core.ttl: vet:loose has no English rdfs:label" in result.stderr
    assert not out.exists()


# -- the query catalogue --------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue(bundled) -> str:
    return queries_html(bundled).decode("utf-8")


def test_catalogue_lists_every_library_query_with_its_text(catalogue):
    queries = load_library()
    assert len(queries) >= 10
    for q in queries:
        assert f'id="{q.kind}-{q.name}"' in catalogue
        assert html.escape(q.title) in catalogue
        assert html.escape(q.header.description) in catalogue
        first_line = next(line for line in q.text.splitlines() if line.startswith("SELECT"))
        assert html.escape(first_line) in catalogue
        for p in q.header.params:
            assert f"<code>?{p.name}</code>" in catalogue


def test_catalogue_runs_each_query_with_its_example(bundled, catalogue):
    [query] = [q for q in load_library("cq") if q.name == "sources-of-entity"]
    answer = run_example(bundled, query)
    assert answer.bindings == {"entity": "vg:bruges-communique"}
    direct = bundled.select(
        query.text,
        bindings={"entity": ox.NamedNode("https://w3id.org/vetgraph/id/bruges-communique")},
    )
    assert answer.total == len(direct) > 0
    assert answer.rows[0][answer.columns.index("entity")] == "vg:bruges-communique"
    assert "with ?entity = vg:bruges-communique" in catalogue


def test_catalogue_shows_report_answers_and_passing_checks(bundled, catalogue):
    [report] = [q for q in load_library("reports") if q.name == "entities-per-class"]
    answer = run_example(bundled, report)
    assert answer.columns == ["class", "label", "entities"]
    assert ["vet:Country", "country", "33"] in answer.rows  # among the first 25 rows shown
    assert catalogue.count("no rows: the graph passes this check") == len(load_library("checks"))


def test_catalogue_is_deterministic(catalogue):
    assert queries_html(build.load()).decode("utf-8") == catalogue


def test_catalogue_of_your_own_data_shows_its_answers():
    small = build.load([FIXTURES / "base.trig"])
    page = queries_html(small).decode("utf-8")
    # the sources report, run on this graph; the source links to its page in the site
    assert '<td><a href="source/test-source.html">src:test-source</a></td>' in page


@pytest.mark.parametrize(
    ("ptype", "value", "term"),
    [
        ("iri", "vg:x", ox.NamedNode("https://w3id.org/vetgraph/id/x")),
        ("iri", "<http://example.org/y>", ox.NamedNode("http://example.org/y")),
        ("string", "Bruges", ox.Literal("Bruges")),
        ("langString", "Brügge@de", ox.Literal("Brügge", language="de")),
        ("langString", "Bruges", ox.Literal("Bruges", language="en")),
        ("integer", "12", ox.Literal("12", datatype=ox.NamedNode(XSD.integer))),
        ("gYear", "2014", ox.Literal("2014", datatype=ox.NamedNode(XSD.gYear))),
        ("boolean", "true", ox.Literal("true", datatype=ox.NamedNode(XSD.boolean))),
    ],
)
def test_parameter_values_become_terms(ptype, value, term):
    param = Parameter(name="p", type=ptype, default=None, example=value, description="")
    assert parameter_term(param, value) == term


def test_checks_in_the_build_catalogue_come_from_the_validation_report():
    from vetgraph.check.validation import validate

    bad = FIXTURES / "checks" / "dangling-reference" / "invalid.trig"
    kg = build.load([FIXTURES / "base.trig", bad])
    report = validate(kg)
    [check] = [q for q in load_library("checks") if q.name == "dangling-reference-violation"]
    from_report = check_answer(check, report)
    run_again = run_example(kg, check)
    assert from_report.total == run_again.total > 0
    assert [row[0] for row in from_report.rows] == [row[0] for row in run_again.rows]
    page = queries_html(kg, report).decode("utf-8")
    article = page.split('id="checks-dangling-reference-violation"', 1)[1].split("</article>")[0]
    assert "vg:fixture-programe" in article
