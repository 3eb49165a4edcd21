"""The bad-input catalogue, RDF files: each broken, hostile or odd file is answered with a
message a person can act on (file, line, column), exit code 2, and no output touched.

Each case runs `vetgraph build --out DIR` over a DIR that holds a previous output, and
checks that the previous output is still there, byte for byte, with nothing beside it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vetgraph.errors import InputError, RDFSyntaxError
from vetgraph.graph import build
from vetgraph.outputs import MANIFEST

from .conftest import FIXTURES

BASE = FIXTURES / "base.trig"
PREFIXES = (
    "@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
RDF_XML_HEAD = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:ex="http://example.org/">\n'
)


@pytest.fixture
def previous(tmp_path) -> Path:
    """An output folder from an earlier, good build (its content stands in for one)."""
    out = tmp_path / "dist"
    out.mkdir()
    (out / "vetgraph.trig").write_text("# the previous good build\n", encoding="utf-8")
    (out / MANIFEST).write_text(json.dumps({"files": ["vetgraph.trig"]}), encoding="utf-8")
    return out


def assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "vetgraph.trig"]
    assert (out / "vetgraph.trig").read_text(encoding="utf-8") == "# the previous good build\n"
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


def build_with(invoke, out: Path, *inputs: Path):
    result = invoke("build", "-q", "--out", str(out), *(f"--input={p}" for p in inputs))
    assert "Traceback" not in result.output
    return result


# -- syntax errors in every syntax vetgraph reads: file, line and column --------------------------

SYNTAX_ERRORS = {
    "ttl": (PREFIXES + 'ex:a ex:b ex:c .\nex:a ex:b "open .\n', 4, 11, "Unexpected end of file"),
    "trig": (
        "<http://example.org/g> {\n  <http://example.org/a> <http://example.org/b> .\n}\n",
        2,
        49,
        "is not a valid RDF object",
    ),
    "nt": (
        '<http://example.org/a> <http://example.org/b> "x" .\n'
        '<http://example.org/a> <http://example.org/b> "y"\n',
        3,
        1,
        "must be followed by a dot",
    ),
    "nq": (
        "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
        '<http://example.org/a> <http://example.org/b> "x" <http://example.org/g> "g" .\n',
        2,
        74,
        "must be an IRI or a blank node",
    ),
    "rdf": (
        RDF_XML_HEAD + '  <rdf:Description rdf:about="http://example.org/a">\n'
        "    <ex:p>x</ex:q>\n  </rdf:Description>\n</rdf:RDF>\n",
        4,
        14,  # the closing tag that does not match: Oxigraph gives no position, expat does
        "ill-formed document",
    ),
    "jsonld": (
        '{\n  "@id": "http://example.org/a",\n  "http://example.org/b": [1, 2,\n}\n',
        4,
        1,
        "Unexpected closing curly bracket",
    ),
    "n3": (PREFIXES + "ex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n", 4, 16, "A dot is expected"),
}


@pytest.mark.parametrize("ext", sorted(SYNTAX_ERRORS))
def test_a_syntax_error_names_file_line_and_column(ext, invoke, write, previous):
    text, line, column, detail = SYNTAX_ERRORS[ext]
    bad = write(f"broken.{ext}", text)
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    where = re.match(rf"error: {re.escape(str(bad))}:(\d+):(\d+): RDF syntax error: (.+)", first)
    assert where, first
    assert (int(where[1]), int(where[2])) == (line, column)
    assert detail in where[3]
    assert_untouched(previous)


def test_the_other_rdf_xml_extensions_name_the_place_too(write):
    for ext in ("owl", "xml"):
        bad = write(f"broken.{ext}", RDF_XML_HEAD + "  <rdf:Description>\n    <p>x</p>\n")
        with pytest.raises(RDFSyntaxError) as caught:
            build.load([bad], with_ontology=False)
        assert caught.value.line is not None and caught.value.column is not None


@pytest.mark.parametrize(
    ("body", "line", "column", "detail"),
    [
        # an element outside any namespace
        ('  <rdf:Description rdf:about="http://example.org/a">\n    <p>x</p>\n', 4, 5, "XML"),
        # an attribute outside any namespace (about= for rdf:about=)
        ('  <rdf:Description about="http://example.org/a">\n', 3, 3, "XML namespaces"),
        # a language tag that is not one
        (
            '  <rdf:Description rdf:about="http://example.org/a">\n'
            '    <ex:p xml:lang="e n">x</ex:p>\n',
            4,
            5,
            "language tag 'e n'",
        ),
        # text where a property is expected
        ('  <rdf:Description rdf:about="http://example.org/a">\n    stray\n', 4, 5, "text"),
    ],
)
def test_rdf_xml_errors_get_the_position_oxigraph_does_not_give(body, line, column, detail, write):
    closing = "  </rdf:Description>\n</rdf:RDF>\n"
    bad = write("bad.rdf", RDF_XML_HEAD + body + closing)
    with pytest.raises(RDFSyntaxError) as caught:
        build.load([bad], with_ontology=False)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert detail in caught.value.detail
    assert "\n" not in str(caught.value)  # one line, control characters escaped


# -- files that are not RDF text ------------------------------------------------------------------


def test_an_unknown_extension_lists_the_known_ones(invoke, write, previous):
    bad = write("data.rdfx", "<http://example.org/a> <http://example.org/b> 1 .\n")
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    assert f"{bad}: unknown RDF file extension '.rdfx'" in result.stderr
    assert ".jsonld, .n3, .nq, .nt, .owl, .rdf, .trig, .ttl, .xml" in result.stderr
    assert_untouched(previous)


@pytest.mark.parametrize("ext", sorted(SYNTAX_ERRORS))
@pytest.mark.parametrize("content", [b"", b"  \n\n", b"# only a comment\n"])
def test_an_empty_file_holds_no_triples(ext, content, invoke, tmp_path, previous):
    if ext in ("rdf", "jsonld") and content.startswith(b"#"):
        content = b"<!-- a comment -->\n" if ext == "rdf" else b"{}\n"
    empty = tmp_path / f"empty.{ext}"
    empty.write_bytes(content)
    result = build_with(invoke, previous, empty)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {empty}: the file holds no triples"
    assert_untouched(previous)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a binary file, not RDF text"),
        (bytes(range(256)) * 4, "a binary file, not RDF text"),
        (
            "<http://example.org/a> <http://example.org/b> 1 .\n".encode("utf-16"),
            "the file is UTF-16 text; vetgraph reads RDF in UTF-8",
        ),
    ],
)
def test_a_binary_or_utf16_file_is_named_as_such(content, message, invoke, tmp_path, previous):
    bad = tmp_path / "data.ttl"
    bad.write_bytes(content)
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}: {message}")
    assert "\x00" not in result.stderr
    assert_untouched(previous)


def test_latin1_text_is_named_with_its_place(invoke, tmp_path, previous):
    bad = tmp_path / "latin1.nt"
    bad.write_bytes('<http://example.org/a> <http://example.org/b> "café" .\n'.encode("latin-1"))
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    assert re.match(rf"error: {re.escape(str(bad))}:1:\d+: RDF syntax error: ", result.stderr)
    assert "not UTF-8 text; save it as UTF-8" in result.stderr
    assert_untouched(previous)


# -- IRIs: relative ones with no base, ones with spaces -------------------------------------------

RELATIVE = {
    "ttl": ("<thing> <http://example.org/p> 1 .\n", 1, 1),
    "trig": ("<http://example.org/g> { <http://example.org/a> <p> 1 . }\n", 1, 49),
    "nt": ("<http://example.org/a> <http://example.org/p> <thing> .\n", 1, 47),
    "nq": ('<http://example.org/a> <http://example.org/p> "1" <graph> .\n', 1, 51),
    "n3": ("<thing> <http://example.org/p> 1 .\n", 1, 1),
    "rdf": (
        RDF_XML_HEAD + '  <rdf:Description rdf:about="thing">\n'
        "    <ex:p>x</ex:p>\n  </rdf:Description>\n</rdf:RDF>\n",
        3,
        3,
    ),
}


@pytest.mark.parametrize("ext", sorted(RELATIVE))
def test_a_relative_iri_without_a_base_is_explained(ext, invoke, write, previous):
    text, line, column = RELATIVE[ext]
    bad = write(f"relative.{ext}", text)
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert "a relative IRI with no @base; write absolute IRIs or declare @base" in first
    if line is not None:
        assert first.startswith(f"error: {bad}:{line}:{column}: RDF syntax error: ")
    else:
        assert first.startswith(f"error: {bad}:1:")
    assert_untouched(previous)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        # JSON-LD itself drops these statements without a word; vetgraph refuses the file.
        (
            '[{"@id": "http://example.org/a", "http://example.org/p": "kept"},\n'
            ' {"@id": "thing", "http://example.org/p": "dropped"}]',
            "the IRI 'thing' is relative and the file declares no @base, so JSON-LD would "
            "drop every statement that uses it",
        ),
        (
            '{"@id": "http://example.org/a", "label": "dropped"}',
            "the @context maps 'label' to no IRI, so JSON-LD would drop every value given under it",
        ),
        (
            '{"@id": "http://example.org/a b", "http://example.org/p": "dropped"}',
            "'http://example.org/a b' is not a valid IRI (Invalid IRI code point ' '), so "
            "JSON-LD would drop every statement that uses it",
        ),
    ],
)
def test_json_ld_statements_that_would_be_dropped_are_refused(
    document, message, invoke, write, previous
):
    bad = write("data.jsonld", document)
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"error: {bad}: {message}"
    assert_untouched(previous)


def test_json_ld_with_a_base_and_a_context_loads(write):
    good = write(
        "good.jsonld",
        '{"@context": {"@base": "http://example.org/", "label": "http://example.org/label"},'
        ' "@id": "thing", "label": "kept"}',
    )
    kg = build.load([good], with_ontology=False)
    assert [(q.subject.value, q.object.value) for q in kg.quads()] == [
        ("http://example.org/thing", "kept")
    ]


@pytest.mark.parametrize(
    ("ext", "text", "line", "column"),
    [
        ("nt", '<http://example.org/a b> <http://example.org/p> "x" .\n', 1, 1),
        ("ttl", PREFIXES + "ex:a ex:p <http://example.org/b c> .\n", 3, 11),
        ("trig", "<http://example.org/g> { <http://example.org/a> <http://e.org/p q> 1 }\n", 1, 49),
        (
            "rdf",
            RDF_XML_HEAD + '  <rdf:Description rdf:about="http://example.org/a b">\n'
            "  </rdf:Description>\n</rdf:RDF>\n",
            3,
            3,
        ),
    ],
)
def test_an_iri_with_a_space_is_named_with_its_place(ext, text, line, column, invoke, write):
    bad = write(f"space.{ext}", text)
    result = invoke("validate", "--input", str(bad))
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {bad}:{line}:{column}: RDF syntax error: ")
    assert "Invalid IRI code point ' '" in first
    if ext != "rdf":
        assert first.endswith("(an IRI cannot hold a space; write it as %20)")


# -- literals that are not values of their datatype -----------------------------------------------

ILL_TYPED = textwrap.dedent(
    """\
    @prefix vet: <https://w3id.org/vetgraph/ontology#> .
    @prefix vg: <https://w3id.org/vetgraph/id/> .
    @prefix claim: <https://w3id.org/vetgraph/claim/> .
    @prefix src: <https://w3id.org/vetgraph/source/> .
    @prefix vgg: <https://w3id.org/vetgraph/graph/> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

    vgg:provenance { claim:odd prov:qualifiedDerivation
        [ prov:entity src:test-source ; vet:section "(main text)" ; vet:sentence 2 ] . }
    claim:odd {
        vg:base-initiative vet:date "abc"^^xsd:date ;
            vet:memberCount "three"^^xsd:integer .
    }
    """
)


def test_invalid_literals_are_named_with_entity_and_file(invoke, write, previous):
    odd = write("odd.trig", ILL_TYPED)
    result = invoke("validate", "--input", str(BASE), "--input", str(odd))
    assert result.exit_code == 1
    # the date: the date shape names the entity, the property, the value and the file
    assert 'vg:base-initiative  vet:date  "abc"^^xsd:date: vet:date must be one valid' in (
        result.output
    )
    # any other datatype: the ill-typed literal rule
    assert (
        'vg:base-initiative  vet:memberCount  "three"^^xsd:integer: "three" is not a valid '
        "xsd:integer" in result.output
    )
    assert f"{odd}:12" in result.output or "odd.trig:12" in result.output
    assert "Traceback" not in result.output
    # the build refuses it and keeps the previous output
    refused = build_with(invoke, previous, BASE, odd)
    assert refused.exit_code == 1
    assert "left unchanged" in refused.stderr
    assert_untouched(previous)


def test_ill_typed_literal_prints_no_rdflib_traceback(write):
    # Regression: rdflib logged "Failed to convert Literal lexical form to value" with a
    # traceback on standard error for every ill-typed literal, with or without --debug.
    odd = write("odd.trig", ILL_TYPED)
    done = subprocess.run(
        [sys.executable, "-m", "vetgraph.cli", "validate", "--input", str(BASE), "--input", odd],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr
    assert done.stderr == ""


# -- a 200 MB file is streamed, never read whole --------------------------------------------------

_PEAK = """
import sys
from vetgraph.graph.build import load
kg = load(sys.argv[1:])
print(len(kg))
"""


def _peak_rss_mb(*inputs: Path) -> tuple[int, int]:
    """Triples loaded and peak resident memory (MB) of a fresh process loading ``inputs``."""
    process = subprocess.Popen(
        [sys.executable, "-c", _PEAK, *map(str, inputs)], stdout=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stdout is not None
    triples = int(process.stdout.read())
    process.stdout.close()
    assert process.returncode == 0
    return triples, usage.ru_maxrss // 1024


def test_a_200_mb_file_is_streamed_not_read_whole(tmp_path):
    # 200,000 copies of one statement with a 1 kB literal: 200 MB to read, one triple to
    # keep. Reading the file whole would add its 200 MB to the peak memory; streaming adds
    # nothing measurable.
    line = '<http://example.org/a> <http://example.org/p> "' + "x" * 1000 + '" .\n'
    big = tmp_path / "big.nt"
    with big.open("w", encoding="ascii") as out:
        for _ in range(200):
            out.write(line * 1000)
    assert big.stat().st_size > 200_000_000
    small = tmp_path / "small.nt"
    small.write_text(line, encoding="ascii")
    small_triples, small_peak = _peak_rss_mb(small)
    big_triples, big_peak = _peak_rss_mb(big)
    assert big_triples == small_triples
    assert big_peak - small_peak < 60, (small_peak, big_peak)
    big.unlink()


# -- --debug shows the traceback; without it, none ------------------------------------------------


def test_debug_shows_the_traceback_of_an_input_error(invoke, write):
    bad = write("broken.ttl", PREFIXES + "ex:a ex:b .\n")
    quiet = invoke("validate", "--input", str(bad))
    assert quiet.exit_code == 2 and "Traceback" not in quiet.stderr
    assert len(quiet.stderr.splitlines()) == 1
    debug = invoke("--debug", "validate", "--input", str(bad))
    assert debug.exit_code == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().splitlines()[-1] == quiet.stderr.rstrip()
    # --debug after the command works the same
    assert "Traceback" in invoke("validate", "--input", str(bad), "--debug").stderr


def test_input_errors_are_importable_errors_with_exit_code_2(write):
    bad = write("data.rdfx", "x")
    with pytest.raises(InputError) as caught:
        build.load([bad])
    assert int(caught.value.exit_code) == 2


def test_a_source_url_that_is_no_iri_is_a_finding_not_a_crash(invoke, write, previous):
    # Regression: a vet:url such as "https://example.org/a b" passed the shape's pattern
    # (^https?://) and then crashed the build writing void.ttl (internal error, exit 70).
    text = BASE.read_text(encoding="utf-8").replace(
        '"https://example.org/source"^^xsd:anyURI', '"https://example.org/a b"^^xsd:anyURI'
    )
    assert "a b" in text
    bad = write("source.trig", text)
    result = build_with(invoke, previous, bad)
    assert result.exit_code == 1, result.output
    assert 'src:test-source  vet:url  "https://example.org/a b"^^xsd:anyURI' in result.output
    assert "no spaces" in result.output
    assert_untouched(previous)
