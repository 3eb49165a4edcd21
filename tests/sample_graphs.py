"""Graphs built by hand for the page tests: hostile labels, and synthetic graphs of any size
in the node and edge schema of ``vetgraph.explore.network.to_networkx``."""

from __future__ import annotations

import itertools

import networkx as nx

from bench.page import sparse_graph_of
from vetgraph.explore.network import node_attributes

#: ``n`` entities in clusters of 20 chained together, as policy data is: the benchmark's
#: sparse page graph (one generator for tests and benchmark).
synthetic_graph = sparse_graph_of

#: Labels that would run code if a page put them into HTML unescaped.
HOSTILE = (
    '<script>window.__pwned = "script"</script>',
    "<img src=x onerror=\"window.__pwned='img'\">",
    "\"double\" and 'single' quotes & an &amp; entity",
    '</script><script>window.__pwned = "closed"</script>',
    "<!-- <svg onload=window.__pwned=1> -->",
    "line\u2028separator </SCRIPT >",
)


def hostile_graph() -> nx.MultiDiGraph:
    """Every label, title, description, class and source field is hostile text."""
    g = nx.MultiDiGraph()
    source = {
        "claim": "urn:claim:1",
        "source": "urn:source:1",
        "title": HOSTILE[1],
        "url": "javascript:window.__pwned='link'",
        "kind": None,
        "section": HOSTILE[0],
        "locator": "sentence 1",
    }
    good = {
        **source,
        "source": "urn:source:2",
        "title": HOSTILE[2],
        "url": "https://example.org/?a=1&b=<2>",
    }
    for i, label in enumerate(HOSTILE):
        iri = f"https://w3id.org/vetgraph/id/hostile-{i}"
        g.add_node(
            iri,
            **node_attributes(
                iri,
                label,
                cls="vet:Thing" if i % 2 else "vet:Other",
                class_label=HOSTILE[(i + 3) % len(HOSTILE)],
                description=HOSTILE[(i + 1) % len(HOSTILE)],
                dates={"date": f"{2000 + i}-01-01"} if i % 3 else {},
                year=2000 + i if i % 3 else None,
                sources=[source, good],
            ),
        )
    nodes = sorted(g)
    for i, (a, b) in enumerate(itertools.pairwise(nodes)):
        g.add_edge(
            a,
            b,
            key="vet:buildsOn",
            predicate="urn:p",
            curie="vet:buildsOn",
            label=HOSTILE[i % len(HOSTILE)],
            claim="urn:claim:1",
            sources=[source, good],
        )
    return g


#: Markup that must stay text wherever vetgraph shows data: script, event handlers on
#: several elements, a closing script tag, an attribute break-out, a javascript: link.
HOSTILE_TEXTS = (
    *HOSTILE,
    '"><svg/onload="window.__pwned=\'svg\'">',
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<a href=\"javascript:window.__pwned='href'\">click</a>",
    "<body onload=\"window.__pwned='body'\"><style>*{display:none}</style>",
    "{{ 7*7 }} ${7*7} <%= 7*7 %>",  # template syntax stays as written too
)
#: A valid IRI that would break out of a single-quoted attribute if pasted into one.
HOSTILE_URL = "https://example.org/x'onmouseover='window.__pwned=1'(%22%3E%3Cscript%3E"
#: A label and a description far longer than anything real.
LONG_LABEL = "Long label " + "x" * 100_000
LONG_DESCRIPTION = "Long description. " * 60_000  # about a million characters


def hostile_trig() -> str:
    """A valid vetgraph data set (it builds and validates) whose every label, title,
    description and source URL is hostile or very long; TriG written by Oxigraph, so the
    escaping is the syntax's, not ours."""
    import pyoxigraph as ox

    from vetgraph.graph.namespaces import (
        CLAIM,
        DCTERMS,
        PREFIXES,
        PROV,
        RDF,
        RDFS,
        SRC,
        VET,
        VG,
        VGG,
    )

    n, lit = ox.NamedNode, ox.Literal
    xsd = "http://www.w3.org/2001/XMLSchema#"
    source = n(f"{SRC}hostile-source")
    quads = [
        ox.Quad(source, n(RDF.type), n(VET.SourceDocument), n(VGG.sources)),
        ox.Quad(source, n(DCTERMS["title"]), lit(HOSTILE_TEXTS[0], language="en"), n(VGG.sources)),
        ox.Quad(
            source,
            n(VET.url),
            lit(
                HOSTILE_URL,
                datatype=n(f"{xsd}anyURI"),
            ),
            n(VGG.sources),
        ),
        ox.Quad(source, n(VET.publisherName), lit(HOSTILE_TEXTS[1]), n(VGG.sources)),
        ox.Quad(source, n(VET.sourceKind), n(VET.ThirdPartySource), n(VGG.sources)),
        ox.Quad(
            source, n(VET.retrievedOn), lit("2026-11-25", datatype=n(f"{xsd}date")), n(VGG.sources)
        ),
    ]
    texts = [*HOSTILE_TEXTS, LONG_LABEL]
    for i, label in enumerate(texts):
        entity, claim = n(f"{VG}hostile-{i}"), n(f"{CLAIM}hostile-{i}")
        citation = ox.BlankNode(f"citation{i}")
        quads += [
            ox.Quad(claim, n(PROV.qualifiedDerivation), citation, n(VGG.provenance)),
            ox.Quad(citation, n(PROV.entity), source, n(VGG.provenance)),
            ox.Quad(citation, n(VET.section), lit(texts[(i + 2) % len(texts)]), n(VGG.provenance)),
            ox.Quad(
                citation,
                n(VET.sentence),
                lit(str(i + 1), datatype=n(f"{xsd}integer")),
                n(VGG.provenance),
            ),
            ox.Quad(entity, n(RDF.type), n(VET.Initiative), claim),
            ox.Quad(entity, n(RDFS.label), lit(label, language="en"), claim),
            ox.Quad(
                entity,
                n(DCTERMS["description"]),
                lit(
                    LONG_DESCRIPTION if i == len(texts) - 1 else texts[(i + 1) % len(texts)],
                    language="en",
                ),
                claim,
            ),
            ox.Quad(entity, n(VET.startDate), lit(str(2000 + i), datatype=n(f"{xsd}gYear")), claim),
        ]
        if i:
            quads.append(ox.Quad(entity, n(VET.buildsOn), n(f"{VG}hostile-{i - 1}"), claim))
    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    assert data is not None
    return data.decode()
