"""The static site: a page for every entity and source, with every fact and its sources, RDF
beside each page holding the claims with their provenance, and the index's browse-by-class.

Expected values come from SPARQL on the graph, never from hard-coded counts.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.conftest import FIXTURES
from tests.sample_graphs import HOSTILE
from tests.site_html import parse
from vetgraph.explore.addresses import page_path
from vetgraph.explore.site import site_files
from vetgraph.graph.namespaces import PROVENANCE_GRAPH, SOURCES_GRAPH, curie, sparql_prologue
from vetgraph.graph.store import KnowledgeGraph

BRUGES = "https://w3id.org/vetgraph/id/bruges-communique"
HEADING = {"rdf:type", "rdfs:label", "skos:prefLabel", "skos:altLabel", "dcterms:description"}


@pytest.fixture(scope="module")
def files(bundled):
    return site_files(bundled)


def select(kg, query: str) -> list[dict[str, str]]:
    result = kg.store.query(sparql_prologue() + query)
    names = [variable.value for variable in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def entities(kg) -> set[str]:
    return {
        r["e"]
        for r in select(
            kg,
            f"SELECT DISTINCT ?e WHERE {{ GRAPH <{PROVENANCE_GRAPH}> "
            "{ ?claim vet:about ?e } FILTER(STRSTARTS(STR(?e), STR(vg:))) }",
        )
    }


def cited(kg) -> dict[str, set[str]]:
    """claim → the source documents it cites."""
    found: dict[str, set[str]] = defaultdict(set)
    for r in select(
        kg,
        f"SELECT ?claim ?source WHERE {{ GRAPH <{PROVENANCE_GRAPH}> "
        "{ ?claim prov:qualifiedDerivation/prov:entity ?source } }",
    ):
        found[r["claim"]].add(r["source"])
    return found


def about(kg, iri: str) -> list[dict[str, str]]:
    """Every claimed triple with ``iri`` as subject or object."""
    return select(
        kg,
        f"""SELECT ?claim ?s ?p ?o ?literal WHERE {{
          GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?s }}
          {{ GRAPH ?claim {{ ?s ?p ?o FILTER(?s = <{iri}>) }} }}
          UNION {{ GRAPH ?claim {{ ?s ?p ?o FILTER(?o = <{iri}>) }} }}
          BIND(isLiteral(?o) AS ?literal)
        }}""",
    )


def source_link(iri: str) -> str:
    return "../" + page_path(iri)


# -- every entity and source has its page and RDF -----------------------------------------------


def test_every_entity_has_a_page_and_its_rdf(bundled, files):
    found = entities(bundled)
    assert len(found) > 100
    for iri in found:
        for suffix in (".html", ".ttl", ".nt", ".jsonld"):
            assert page_path(iri, suffix) in files, (iri, suffix)


def test_every_cited_source_has_a_page(bundled, files):
    sources = set().union(*cited(bundled).values())
    assert sources
    for iri in sources:
        assert page_path(iri) in files, iri


# -- an entity page against the graph ----------------------------------------------------------


def test_an_entity_page_lists_every_fact_with_every_cited_document(bundled, files):
    page = parse(files[page_path(BRUGES)])
    facts = page.find_all("li", cls="fact")
    citations = cited(bundled)
    rows = [r for r in about(bundled, BRUGES) if curie(r["p"]) not in HEADING]
    assert rows and {r["literal"] for r in rows} == {"true", "false"}  # both kinds checked
    for row in rows:
        mine = [f for f in facts if row["claim"] in f.attrs["data-claims"].split()]
        other = row["o"] if row["s"] == BRUGES else row["s"]
        if row["literal"] == "false":
            mine = [f for f in mine if "../" + page_path(other) in f.links()]
        assert mine, f"no fact on the page for {row}"
        for source in citations[row["claim"]]:
            assert any(source_link(source) in f.links() for f in mine), (row, source)
    distinct = {(r["s"], r["p"], r["o"]) for r in rows}
    assert len(facts) == len(distinct)


def test_the_heading_shows_labels_class_and_the_sources_of_them(bundled, files):
    page = parse(files[page_path(BRUGES)])
    [label] = select(bundled, f"SELECT ?l WHERE {{ GRAPH ?g {{ <{BRUGES}> rdfs:label ?l }} }}")
    assert page.find_all("h1")[0].text() == label["l"]
    [details] = page.find_all("details", cls="heading-sources")
    citations = cited(bundled)
    for row in about(bundled, BRUGES):
        if row["s"] == BRUGES and curie(row["p"]) in HEADING:
            for source in citations[row["claim"]]:
                assert source_link(source) in details.links()


def test_a_literal_fact_shows_its_source_and_its_date_in_words(bundled, files):
    [row] = select(
        bundled, f"SELECT ?claim ?d WHERE {{ GRAPH ?claim {{ <{BRUGES}> vet:date ?d }} }}"
    )
    page = parse(files[page_path(BRUGES)])
    [fact] = [
        f
        for f in page.find_all("li", cls="fact")
        if f.attrs["data-claims"] == row["claim"] and f.find_all("time")
    ]
    assert fact.find_all("time")[0].attrs["datetime"] == row["d"]
    assert re.search(
        r"\b(January|February|March|April|May|June|July|August|September|October"
        r"|November|December) \d{4}",
        fact.text(),
    )
    sources = [link for link in fact.links() if "/source/" in link]
    assert sources and all(
        link in sources for link in map(source_link, cited(bundled)[row["claim"]])
    )


def test_each_fact_names_kind_place_and_date_read_of_its_sources(bundled, files):
    page = parse(files[page_path(BRUGES)])
    [item] = page.find_all("li", cls="fact")[:1]
    text = item.find_all("ul", cls="sources")[0].text()
    assert re.search(r"official EU|national authority|project|third party", text)
    assert re.search(r"read \d{4}-\d{2}-\d{2}", text)
    assert re.search(r"sentence|paragraph|recital|article|section|whole document|\(", text)


def test_incoming_facts_are_phrased_from_the_other_side(bundled, files):
    incoming = [r for r in about(bundled, BRUGES) if r["o"] == BRUGES]
    assert incoming
    page = parse(files[page_path(BRUGES)])
    [section] = [
        s for s in page.find_all("section") if s.attrs.get("aria-labelledby") == "incoming"
    ]
    for row in incoming:
        [fact] = [
            f
            for f in section.find_all("li", cls="fact")
            if row["claim"] in f.attrs["data-claims"].split()
            and "../" + page_path(row["s"]) in f.links()
        ]
        statement = fact.find_all("p", cls="statement")[0].text()
        assert re.fullmatch(r".+ — .+ → this", statement.strip()), statement


def test_the_neighbourhood_is_drawn_with_links_and_a_text_alternative(bundled, files):
    page = parse(files[page_path(BRUGES)])
    [svg] = page.find_all("svg")
    assert svg.attrs["aria-label"] and page.find_all("figcaption")
    neighbours = {
        r["o"] if r["s"] == BRUGES else r["s"]
        for r in about(bundled, BRUGES)
        if r["literal"] == "false" and "/id/" in (r["o"] if r["s"] == BRUGES else r["s"])
    }
    drawn = set(svg.links())
    assert drawn and drawn <= {"../" + page_path(n) for n in neighbours}
    assert all(a.attrs.get("aria-label") for a in svg.find_all("a"))


def test_the_page_links_to_the_views_the_editor_and_its_rdf(files):
    links = parse(files[page_path(BRUGES)]).links()
    encoded = "https%3A%2F%2Fw3id.org%2Fvetgraph%2Fid%2Fbruges-communique"
    assert f"../graph.html#select={encoded}" in links
    assert f"../timeline.html#select={encoded}" in links
    assert any(link.startswith("../query.html#query=") and encoded in link for link in links)
    for suffix in (".ttl", ".nt", ".jsonld"):
        assert "bruges-communique" + suffix in links


# -- a source page -----------------------------------------------------------------------------


def test_a_source_page_lists_every_statement_citing_it(bundled, files):
    citations = cited(bundled)
    source = max(
        sorted(set().union(*citations.values())),
        key=lambda s: sum(s in c for c in citations.values()),
    )
    claims = {claim for claim, sources in citations.items() if source in sources}
    statements = {
        (r["s"], r["p"], r["o"])
        for r in select(
            bundled,
            "SELECT ?s ?p ?o WHERE { VALUES ?g { "
            + " ".join(f"<{c}>" for c in claims)
            + " } GRAPH ?g { ?s ?p ?o } }",
        )
    }
    page = parse(files[page_path(source)])
    facts = page.find_all("li", cls="fact")
    assert len(facts) == len(statements) > 1
    listed = {c for f in facts for c in f.attrs["data-claims"].split()}
    assert claims <= listed
    subjects = {s for s, _, _ in statements}
    for subject in subjects:
        assert "../" + page_path(subject) in page.links()
    [title] = select(
        bundled, f"SELECT ?t WHERE {{ GRAPH <{SOURCES_GRAPH}> {{ <{source}> dcterms:title ?t }} }}"
    )
    assert page.find_all("h1")[0].text() == title["t"]


# -- RDF beside the pages ----------------------------------------------------------------------


def test_the_rdf_files_parse_and_hold_the_claims_with_their_provenance(bundled, files):
    rows = [r for r in about(bundled, BRUGES) if r["s"] == BRUGES]
    citations = cited(bundled)
    name = page_path(BRUGES, "")
    turtle = rdflib.Graph().parse(data=files[name + ".ttl"], format="turtle")
    triples = rdflib.Graph().parse(data=files[name + ".nt"], format="nt")
    assert isomorphic(turtle, triples)
    assert len(list(ox.parse(files[name + ".ttl"], format=ox.RdfFormat.TURTLE))) == len(turtle)
    for row in rows:
        query = f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
            PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?source ?title WHERE {{
              ?st a rdf:Statement ; rdf:subject <{row["s"]}> ; rdf:predicate <{row["p"]}> ;
                  dcterms:isPartOf <{row["claim"]}> .
              <{row["claim"]}> prov:qualifiedDerivation/prov:entity ?source .
              ?source dcterms:title ?title }}"""
        found = {str(r.source) for r in turtle.query(query)}
        assert found == citations[row["claim"]], row
    quads = list(ox.parse(files[name + ".jsonld"], format=ox.RdfFormat.JSON_LD))
    for row in rows:  # each claimed triple in its own named graph
        assert any(
            (q.subject.value, q.predicate.value, q.object.value, q.graph_name.value)
            == (BRUGES, row["p"], row["o"], row["claim"])
            for q in quads
            if isinstance(q.graph_name, ox.NamedNode)
        ), row
    provenance = [q for q in quads if q.graph_name == ox.NamedNode(PROVENANCE_GRAPH)]
    derived = {
        q.subject.value for q in provenance if q.predicate.value.endswith("#qualifiedDerivation")
    }
    assert {r["claim"] for r in rows} <= derived
    dataset = rdflib.Dataset()
    dataset.parse(data=files[name + ".jsonld"], format="json-ld")
    for claim in {r["claim"] for r in rows}:
        assert len(dataset.graph(rdflib.URIRef(claim))) > 0, claim


def test_a_source_files_rdf_holds_what_it_supports(bundled, files):
    citations = cited(bundled)
    source = sorted(set().union(*citations.values()))[0]
    claims = {c for c, s in citations.items() if source in s}
    quads = ox.parse(files[page_path(source, ".jsonld")], format=ox.RdfFormat.JSON_LD)
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert claims <= graphs and str(SOURCES_GRAPH) in graphs


# -- the index ---------------------------------------------------------------------------------


def test_browse_by_class_counts_equal_sparql_counts(bundled, files):
    index = parse(files["index.html"])
    shown = {
        li.attrs["data-class"]: int(li.find_all("span", cls="count")[0].text().replace(",", ""))
        for li in index.find_all("li")
        if "data-class" in li.attrs
    }
    counted = {
        curie(r["c"]): int(r["n"])
        for r in select(
            bundled,
            f"""SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {{
            GRAPH <{PROVENANCE_GRAPH}> {{ ?claim vet:about ?e }} GRAPH ?claim {{ ?e a ?c }}
            FILTER(STRSTARTS(STR(?e), STR(vg:))) }} GROUP BY ?c""",
        )
    }
    assert shown == counted


def test_the_index_carries_every_entity_for_search_and_links_views_and_downloads(bundled, files):
    index = parse(files["index.html"])
    [data] = index.find_all("script", id="vg-search-data")
    entries = json.loads(data.text())["entities"]
    assert {e["p"] for e in entries} == {page_path(e) for e in entities(bundled)}
    links = index.links()
    for name in (
        "graph.html",
        "timeline.html",
        "query.html",
        "queries.html",
        "ontology.html",
        "vetgraph.trig",
        "vetgraph.ttl",
        "vetgraph.nq",
        "vetgraph.nt",
        "vetgraph.jsonld",
        "vetgraph.rdf",
        "vetgraph.graphml",
        "vetgraph.gexf",
        "nodes.csv",
        "edges.csv",
        "void.ttl",
        "context.jsonld",
    ):
        assert name in links, name


def test_every_page_has_the_site_navigation_and_a_viewport(files):
    for name, data in files.items():
        if name.endswith(".html"):
            text = data.decode()
            assert 'name="viewport"' in text and 'aria-label="Site"' in text, name
            assert '<main id="main">' in text and "Content-Security-Policy" in text, name


# -- hostile input -----------------------------------------------------------------------------


def hostile_graph() -> KnowledgeGraph:
    from vetgraph.graph.build import index_claims

    n = ox.NamedNode
    vg, vet, claim = (
        "https://w3id.org/vetgraph/id/",
        "https://w3id.org/vetgraph/ontology#",
        "https://w3id.org/vetgraph/claim/",
    )
    rdfs, prov, dc = (
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/ns/prov#",
        "http://purl.org/dc/terms/",
    )
    source = n("https://w3id.org/vetgraph/source/hostile")
    quads = [
        ox.Quad(source, n(dc + "title"), ox.Literal(HOSTILE[1]), n(SOURCES_GRAPH)),
        ox.Quad(
            source, n(vet + "url"), ox.Literal("javascript:window.__pwned='link'"), n(SOURCES_GRAPH)
        ),
        ox.Quad(source, n(vet + "consultedCopy"), ox.Literal(HOSTILE[4]), n(SOURCES_GRAPH)),
    ]
    for i, text in enumerate(HOSTILE):
        entity, graph = n(f"{vg}hostile-{i}"), n(f"{claim}hostile-{i}")
        citation = ox.BlankNode(f"c{i}")
        quads += [
            ox.Quad(
                entity,
                n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                n(vet + "Programme"),
                graph,
            ),
            ox.Quad(entity, n(rdfs + "label"), ox.Literal(text), graph),
            ox.Quad(entity, n(dc + "description"), ox.Literal(HOSTILE[(i + 1) % 6]), graph),
            ox.Quad(entity, n(vet + "buildsOn"), n(f"{vg}hostile-{(i + 1) % 6}"), graph),
            ox.Quad(graph, n(prov + "qualifiedDerivation"), citation, n(PROVENANCE_GRAPH)),
            ox.Quad(citation, n(prov + "entity"), source, n(PROVENANCE_GRAPH)),
            ox.Quad(citation, n(vet + "section"), ox.Literal(HOSTILE[0]), n(PROVENANCE_GRAPH)),
        ]
    kg = KnowledgeGraph()
    kg.store.extend(quads)
    index_claims(kg.store)
    return kg


def test_hostile_labels_and_sources_are_escaped_everywhere():
    made = site_files(hostile_graph())
    pages = {name: data.decode() for name, data in made.items() if name.endswith(".html")}
    assert "id/hostile-0.html" in pages and "source/hostile.html" in pages
    for name, text in pages.items():
        for hostile in HOSTILE:
            if "<" in hostile:
                assert hostile not in text, (name, hostile)
        assert 'href="javascript:' not in text, name
        assert text.count("<script") == text.count("</script>") <= 2, name
    [data] = parse(pages["index.html"]).find_all("script", id="vg-search-data")
    labels = {entry["l"] for entry in json.loads(data.text())["entities"]}
    assert labels == set(HOSTILE)
    turtle = rdflib.Graph().parse(data=made["id/hostile-0.ttl"], format="turtle")
    assert {str(o) for o in turtle.objects(None, rdflib.RDFS.label)} >= {HOSTILE[0]}


# -- the build ---------------------------------------------------------------------------------


def test_build_writes_the_site_and_no_site_leaves_it_out(invoke, tmp_path):
    base = str(FIXTURES / "base.trig")
    out = tmp_path / "dist"
    result = invoke("build", "--out", str(out), "--input", base)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "assets" / "site" / "site.css").is_file()
    pages = list((out / "id").glob("*.html"))
    assert pages and re.search(rf"{re.escape(str(out / 'id'))}/ \(\d[\d,]* files\)", result.output)
    bare = tmp_path / "bare"
    result = invoke("build", "-q", "--no-site", "--out", str(bare), "--input", base)
    assert result.exit_code == 0, result.output
    assert (bare / "vetgraph.trig").is_file()
    assert not (bare / "index.html").exists() and not (bare / "id").exists()
    assert "--no-site" in invoke("build", "--help").output
