"""The ontology's structure: an umbrella importing every module and alignment file, each
term defined by the module whose file declares it."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from vetgraph.graph import resources
from vetgraph.graph.namespaces import ONTOLOGY_IRI, VET


def _parse(path):
    return rdflib.Graph().parse(path, format="turtle")


def test_umbrella_imports_exactly_the_module_and_alignment_files():
    files = resources.ontology_files()
    umbrella = _parse(files[0])
    imports = {str(o) for o in umbrella.objects(rdflib.URIRef(ONTOLOGY_IRI), OWL.imports)}
    declared = set()
    for path in files[1:]:
        [iri] = list(_parse(path).subjects(RDF.type, OWL.Ontology))
        declared.add(str(iri))
    assert imports == declared
    assert len(declared) >= 12


def test_each_term_is_defined_by_the_module_that_declares_it():
    for path in resources.ontology_files()[1:]:
        g = _parse(path)
        [module] = list(g.subjects(RDF.type, OWL.Ontology))
        for term, defined_by in g.subject_objects(RDFS.isDefinedBy):
            assert defined_by == module, f"{term} in {path.name} says {defined_by}"


def test_terms_are_declared_once_and_only_in_modules():
    seen: dict[str, str] = {}
    for path in resources.ontology_files():
        g = _parse(path)
        for term in g.subjects(RDFS.isDefinedBy, None):
            assert str(term) not in seen, (
                f"{term} declared in {seen.get(str(term))} and {path.name}"
            )
            seen[str(term)] = path.name
            assert str(term).startswith(str(VET))
        if "alignments" in path.parts:
            assert not list(g.subjects(RDFS.isDefinedBy, None)), "alignments declare no terms"
    assert len(seen) > 100


def test_version_follows_pyproject():
    from vetgraph.graph.release import version

    umbrella = _parse(resources.ontology_files()[0])
    info = umbrella.value(rdflib.URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    iri = umbrella.value(rdflib.URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    assert str(info) == version() != "0+unknown"
    assert str(iri) == f"{ONTOLOGY_IRI}/{version()}"
