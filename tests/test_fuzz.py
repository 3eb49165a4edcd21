"""Property-based tests (Hypothesis): generated literals, IRIs and small graphs survive
export and parsing in every RDF format, and the page shows them as text; broken input of
any kind is a clear error (exit 2), never a crash.

Bounded for CI: each property runs a fixed number of examples, derandomised under CI=true
(the `ci` profile in conftest.py), so a run is repeatable. Locally the examples are random;
a failure prints its reproduction blob, and each failure found so far is kept below as a
named regression test or an @example. For a longer hunt, scale the examples:

    VETGRAPH_FUZZ_SCALE=50 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vetgraph.errors import OutputError, VetgraphError
from vetgraph.explore import visualise
from vetgraph.explore.network import node_attributes
from vetgraph.graph import build
from vetgraph.graph.namespaces import RDFS, XSD
from vetgraph.graph.store import KnowledgeGraph
from vetgraph.publish import export
from vetgraph.sparql.backend import LocalBackend
from vetgraph.sparql.results import materialize
from vetgraph.sparql.running import prepare

from .conftest import OXIGRAPH_SYNTAX

SCALE = float(os.environ.get("VETGRAPH_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    return max(1, round(n * SCALE))


RDF_FORMATS = sorted(n for n, f in export.FORMATS.items() if f.family == "rdf")
# Characters XML 1.0 cannot hold at all: RDF/XML refuses such literals (OutputError).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# -- strategies -----------------------------------------------------------------------------------

#: Any text a person or a scraper could put in a file: every plane (astral characters
#: included), control characters, quotes, backslashes, line and paragraph separators, BOMs,
#: non-characters; no lone surrogates (they cannot be encoded at all).
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from([*"\"'\\\n\r\t<>&{}@^`|#%;.,:", "\u2028", "\ufeff", "\x00"]),
    ),
    max_size=30,
)
#: Well-formed BCP 47 tags (language, script, region, variant), in any letter case.
LANGUAGE = st.from_regex(
    r"[a-zA-Z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{5,8})?", fullmatch=True
)
#: Characters an IRI may hold unescaped (RFC 3987 iunreserved, sub-delims, ':', '@', '/'),
#: astral ones included, and percent escapes.
IRI_CHARS = st.one_of(
    st.sampled_from(list("abcxyzABC019-._~!$&'()*+,;=:@/")),
    st.characters(min_codepoint=0xA0, max_codepoint=0xD7FF),
    st.characters(min_codepoint=0x10000, max_codepoint=0x1FFFD),
    st.sampled_from(["%20", "%3C", "%22", "%25"]),
)
IRI = st.builds(
    lambda scheme, path: f"{scheme}{path}",
    st.sampled_from(["http://example.org/", "https://w3id.org/vetgraph/id/", "urn:x:"]),
    st.lists(IRI_CHARS, max_size=12).map("".join),
)
DATATYPES = [
    XSD.string,
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.boolean,
    XSD.date,
    XSD.gYear,
    XSD.anyURI,
    "http://example.org/datatype",
]


@st.composite
def literals(draw) -> ox.Literal:
    text = draw(TEXT)
    kind = draw(st.sampled_from(["plain", "lang", "typed"]))
    if kind == "lang":
        return ox.Literal(text, language=draw(LANGUAGE))
    if kind == "typed":  # well- or ill-typed: the lexical form must survive either way
        return ox.Literal(text, datatype=ox.NamedNode(draw(st.sampled_from(DATATYPES))))
    return ox.Literal(text)


NAMED = IRI.map(ox.NamedNode)
BLANK = st.sampled_from(["b0", "b1", "b2"]).map(ox.BlankNode)


@st.composite
def graphs(draw) -> KnowledgeGraph:
    """A small dataset: IRIs and blank nodes, literals of every kind, several graphs."""
    names = draw(st.lists(NAMED, min_size=1, max_size=3))
    quads = draw(
        st.lists(
            st.builds(
                ox.Quad,
                st.one_of(NAMED, BLANK),
                NAMED,
                st.one_of(NAMED, BLANK, literals(), literals()),
                st.sampled_from(names),
            ),
            min_size=1,
            max_size=8,
        )
    )
    kg = KnowledgeGraph()
    kg.store.extend(quads)
    return kg


def canonical(quads, *, merge: bool) -> set[ox.Quad]:
    if merge:
        quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


# -- export → parse: the same graph back, in every RDF format -------------------------------------


def _round_trip(kg: KnowledgeGraph, fmt: str) -> None:
    spec = export.FORMATS[fmt]
    if fmt == "rdfxml" and any(
        isinstance(q.object, ox.Literal) and NOT_XML.search(q.object.value) for q in kg.store
    ):
        with pytest.raises(OutputError, match=r"XML 1\.0 cannot represent"):
            export.serialize(kg, fmt)
        return
    data = export.serialize(kg, fmt)
    parsed = list(ox.parse(data, format=OXIGRAPH_SYNTAX[fmt]))
    merge = not spec.keeps_graphs
    assert canonical(parsed, merge=merge) == canonical(kg.store, merge=merge)
    assert export.serialize(kg, fmt) == data  # deterministic


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kg=graphs())
def test_every_rdf_export_parses_back_to_the_same_graph(fmt, kg):
    _round_trip(kg, fmt)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@settings(max_examples=examples(40), deadline=None)
@given(literal=literals())
@example(literal=ox.Literal("line\u2028separator\r\n\x00", language="en-GB"))
@example(literal=ox.Literal("\ufeff😀\U0010fffd", datatype=ox.NamedNode(XSD.string)))
@example(literal=ox.Literal("12,5", datatype=ox.NamedNode(XSD.decimal)))
@example(literal=ox.Literal("'''\"\"\"\\", datatype=ox.NamedNode("http://example.org/datatype")))
def test_any_literal_survives_every_rdf_export(fmt, literal):
    kg = KnowledgeGraph()
    kg.store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/vetgraph/id/x"),
            ox.NamedNode(RDFS.label),
            literal,
            ox.NamedNode("https://w3id.org/vetgraph/claim/x"),
        )
    )
    _round_trip(kg, fmt)


# -- the page shows any text as text --------------------------------------------------------------

_SCRIPT_BLOCK = re.compile(r'<script type="application/json" id="([\w-]+)">(.*?)</script>', re.S)


def _page_graph(labels: list[str], descriptions: list[str]):
    import networkx as nx

    g = nx.MultiDiGraph()
    for i, (label, description) in enumerate(zip(labels, descriptions, strict=False)):
        iri = f"https://w3id.org/vetgraph/id/fuzz-{i}"
        g.add_node(
            iri,
            **node_attributes(
                iri,
                label,
                cls="vet:Thing",
                class_label=description,
                description=description,
                dates={"date": "2014"},
                year=2014,
                sources=[],
            ),
        )
    return g


@settings(max_examples=examples(60), deadline=None)
@given(
    labels=st.lists(TEXT, min_size=1, max_size=5),
    descriptions=st.lists(TEXT, min_size=5, max_size=5),
    title=TEXT,
)
@example(labels=["</script><script>alert(1)</script>"], descriptions=["<!--"] * 5, title="</title>")
@example(labels=["\u2028\u2029"], descriptions=["</SCRIPT >"] * 5, title="<b>")
def test_the_page_carries_any_text_as_data_only(labels, descriptions, title):
    from vetgraph.explore.netpage import _SCRIPTS

    for layout in ("network", "timeline"):
        html = visualise.render(_page_graph(labels, descriptions), title=title, layout=layout).html
        # only the page's own blocks close: its data blocks and its scripts
        if layout == "network":
            assert len(re.findall(r"</script", html, re.I)) == 1 + len(_SCRIPTS)
        else:
            assert len(re.findall(r"</script", html, re.I)) == 6
        blocks = {name: json.loads(text) for name, text in _SCRIPT_BLOCK.findall(html)}
        for block in _SCRIPT_BLOCK.findall(html):
            assert "<" not in block[1] and "\u2028" not in block[1]
        page = blocks["vg-page"]
        for i, label in enumerate(labels):
            iri = f"https://w3id.org/vetgraph/id/fuzz-{i}"
            if layout == "network":
                k = [n[0] for n in page["nodes"]].index(iri)
                entity = {"label": page["nodes"][k][1], **page["details"][k]}
            else:
                entity = page["entities"][iri]
            assert entity["label"] == label and entity["description"] == descriptions[i]
        assert page["title"] == title


# -- broken input is an error for people, never a crash -------------------------------------------

VALID_TRIG = (
    "@prefix ex: <http://example.org/> .\n"
    'ex:g { ex:a ex:p "x"@en , 12 , ex:b ; ex:q [ ex:r "y" ] . }\n'
)
VALID = {
    "trig": VALID_TRIG,
    "ttl": '@prefix ex: <http://example.org/> .\nex:a ex:p "x"@en , 12 , ex:b .\n',
    "nt": '<http://example.org/a> <http://example.org/p> "x"@en .\n',
    "nq": '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n',
    "rdf": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-'
        'ns#" xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/'
        'a"><ex:p xml:lang="en">x</ex:p></rdf:Description>\n</rdf:RDF>\n'
    ),
    "jsonld": '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}',
    "n3": '@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n',
}


@st.composite
def damaged(draw) -> tuple[str, bytes]:
    """A valid file of some syntax with a few bytes deleted, replaced or inserted."""
    ext = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[ext].encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["delete", "replace", "insert"]))
        piece = draw(
            st.one_of(
                st.binary(min_size=1, max_size=3),
                TEXT.filter(bool).map(lambda t: t.encode("utf-8", "surrogatepass")),
            )
        )
        if what == "delete":
            del data[at : at + len(piece)]
        elif what == "replace":
            data[at : at + len(piece)] = piece
        else:
            data[at:at] = piece
    return ext, bytes(data)


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=damaged())
def test_a_damaged_file_loads_or_is_an_input_error(case, tmp_path):
    ext, data = case
    path = tmp_path / f"damaged.{ext}"
    path.write_bytes(data)
    try:
        build.load([path], with_ontology=False)
    except VetgraphError as error:
        assert int(error.exit_code) == 2
        message = str(error)
        assert message.startswith(str(path))
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", message), message


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ext=st.sampled_from(sorted(build.FORMATS)), data=st.binary(max_size=200))
def test_any_bytes_load_or_are_an_input_error(ext, data, tmp_path):
    path = tmp_path / f"bytes{ext}"
    path.write_bytes(data)
    try:
        build.load([path], with_ontology=False)
    except VetgraphError as error:
        assert int(error.exit_code) == 2


SPARQL_PIECES = st.sampled_from(
    [
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o",
        "<http://e/a>", '"x"', "'''y'''", "#", "\n", ".", ";", ",", "FILTER", "OPTIONAL",
        "VALUES", "LIMIT", "10", "SERVICE", "INSERT", "DATA", "GRAPH", "PREFIX", "ex:",
        "<http://e/>", "rdfs:label", "a", "*", "UNION", "BIND", "AS", "=",
    ]
)  # fmt: skip


@settings(max_examples=examples(200), deadline=None)
@given(
    pieces=st.lists(st.one_of(SPARQL_PIECES, TEXT), max_size=14),
    limit=st.one_of(st.none(), st.integers(0, 5)),
)
@example(pieces=["SELECT", "*", "{", "}", "LIMIT"], limit=3)
@example(pieces=["SELECT", "*", "WHERE", "{", "}", "VALUES"], limit=1)
def test_any_query_text_runs_or_is_a_query_error(pieces, limit):
    text = " ".join(pieces)
    backend = LocalBackend(KnowledgeGraph())
    try:
        bound = prepare(text, backend=backend, limit=limit)
        materialize(backend.execute(bound))
    except VetgraphError as error:
        assert int(error.exit_code) in (2, 3)
