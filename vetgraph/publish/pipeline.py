"""The main job, end to end: files → graph → validation → the output files (as bytes).

The CLI writes the files (atomically); this module only computes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vetgraph.check.report import ValidationReport
from vetgraph.graph.store import KnowledgeGraph

if TYPE_CHECKING:
    from vetgraph.check.stats import Stats

#: What a producer gives: one file's bytes, or many files (folder-relative path → bytes, with
#: subfolders allowed: ``id/x.html``), as the site does.
Output = bytes | Mapping[str, bytes]
Producer = Callable[[KnowledgeGraph, ValidationReport], Output]


def _export(fmt: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.export import serialize

        return serialize(kg, fmt)

    return produce


def _report(renderer: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.check.report import RENDERERS

        return RENDERERS[renderer](report).encode()

    return produce


def _export_file(fmt: str, name: str) -> Producer:
    """One file of a multi-file export (csv: nodes.csv, edges.csv)."""

    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.export import outputs

        return outputs(kg, fmt)[name]

    return produce


def _page(layout: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.explore.network import to_networkx
        from vetgraph.explore.visualise import render

        if layout == "timeline":
            return render(to_networkx(kg), title="vetgraph timeline", layout=layout).html.encode()
        graph = to_networkx(kg, include_literals=True)  # other names, for the search
        return render(graph, title="vetgraph", layout=layout, links="site").html.encode()

    return produce


def _timeline(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    """The timeline of the site: items link to their entity pages and the network view."""
    from vetgraph.explore.network import to_networkx
    from vetgraph.explore.timeline_page import render_timeline

    page = render_timeline(to_networkx(kg), title="vetgraph timeline", kg=kg, site=True)
    return page.html.encode("utf-8")


def _context(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.graph import resources

    return resources.context_file().read_bytes()


def _void(sparql_endpoint: str | None = None, stats: Stats | None = None) -> Producer:
    """void.ttl; the build passes the figures it has already computed (they are costly)."""

    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.publish.void import describe

        return describe(kg, sparql_endpoint=sparql_endpoint, stats=stats)

    return produce


def _ontology_page(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.publish.ontology_page import ontology_html

    return ontology_html(kg)


def _query_catalogue(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.publish.catalogue import queries_html

    return queries_html(kg, report)  # the checks' answers are the report's findings


def _site(kg: KnowledgeGraph, report: ValidationReport) -> Mapping[str, bytes]:
    from vetgraph.explore.site import site_files

    return site_files(kg)


#: The name of the producer that writes the site's pages (``--no-site`` leaves it out).
SITE = "site"


def _editor(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
    from vetgraph.explore.editor import editor_html

    return editor_html(kg)


def _editor_asset(path: str) -> Producer:
    def produce(kg: KnowledgeGraph, report: ValidationReport) -> bytes:
        from vetgraph.explore.editor import asset

        return asset(path)

    return produce


#: The query editor's files (``vetgraph.explore.editor.ASSETS``, written out here so that
#: listing the artifacts imports nothing).
EDITOR_ASSETS = (
    "assets/editor/editor.css",
    "assets/editor/editor-sparql.js",
    "assets/editor/editor.js",
    "assets/editor/oxigraph/web.js",
    "assets/editor/oxigraph/web_bg.wasm",
    "assets/editor/oxigraph/LICENSE-MIT",
    "assets/editor/oxigraph/README.md",
)

#: What ``vetgraph build`` writes into its output folder: file name → producer. A producer
#: that returns several files (the site) is keyed by a name for them all; its files' paths
#: are its own (``index.html``, ``id/NAME.html``, ``source/NAME.html``, ``assets/site/``).
ARTIFACTS: dict[str, Producer] = {
    "vetgraph.trig": _export("trig"),
    "vetgraph.ttl": _export("ttl"),
    "validation-report.txt": _report("text"),
    "validation-report.json": _report("json"),
    # Publishing (issue 6): every export format, the dataset description, the docs.
    "vetgraph.nq": _export("nq"),
    "vetgraph.nt": _export("nt"),
    "vetgraph.jsonld": _export("jsonld"),
    "vetgraph.rdf": _export("rdfxml"),
    "vetgraph.graphml": _export("graphml"),
    "vetgraph.gexf": _export("gexf"),
    "nodes.csv": _export_file("csv", "nodes.csv"),
    "edges.csv": _export_file("csv", "edges.csv"),
    "context.jsonld": _context,
    "void.ttl": _void(),
    "ontology.html": _ontology_page,
    "queries.html": _query_catalogue,
    "graph.html": _page("network"),
    "timeline.html": _timeline,
    # The static site (issue 14): index.html, a page and RDF per entity and per source.
    SITE: _site,
    # The query editor (issue 14): SPARQL in the browser over vetgraph.trig.
    "query.html": _editor,
    **{path: _editor_asset(path) for path in EDITOR_ASSETS},
}


def producers(
    stats: Stats | None = None, *, sparql_endpoint: str | None = None, site: bool = True
) -> dict[str, Producer]:
    """The producers a build runs: :data:`ARTIFACTS`, with ``void.ttl`` given the figures
    the build has already computed (they are costly on a large graph) and the endpoint;
    without the site's pages when ``site`` is false."""
    chosen = dict(ARTIFACTS)
    if not site:
        chosen.pop(SITE, None)
    if "void.ttl" in chosen:
        chosen["void.ttl"] = _void(sparql_endpoint, stats)
    return chosen


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    report: ValidationReport
    stats: object  # vetgraph.check.stats.Stats
    files: dict[str, bytes] = field(default_factory=dict)


def build_outputs(
    inputs: Sequence[Path | str] | None = None,
    progress: Callable[[str], None] = lambda _label: None,
    *,
    sparql_endpoint: str | None = None,
    graph: KnowledgeGraph | None = None,
    site: bool = True,
) -> BuildResult:
    """Load, validate and, when the graph conforms, serialise every output.

    When validation finds a violation, ``files`` stays empty: nothing is to be written.
    ``sparql_endpoint`` is the address the graph is served at, for ``void.ttl``. ``graph``:
    a graph loaded already (from the cache or a store on disk), instead of ``inputs``.
    ``site``: also the site's pages (an entity page and its RDF for every entity).
    """
    from vetgraph.check.stats import compute
    from vetgraph.check.validation import validate
    from vetgraph.graph.build import load

    progress("Reading ontology and data")
    kg = graph if graph is not None else load(inputs)
    progress("Validating")
    report = validate(kg)
    figures = compute(kg)
    result = BuildResult(graph=kg, report=report, stats=figures)
    if not report.conforms:
        return result
    chosen = producers(figures, sparql_endpoint=sparql_endpoint, site=site)
    for name, produce in chosen.items():
        progress(f"Preparing {'the site pages' if name == SITE else name}")
        add_output(result.files, name, produce(kg, report))
    return result


#: What ``vetgraph serve`` leaves out of the site it builds: the validation report (serve
#: shows the graph it serves, valid or not, without the minutes SHACL takes on a large one).
NOT_SERVED = ("validation-report.txt", "validation-report.json")


def served_outputs(
    kg: KnowledgeGraph, progress: Callable[[str], None] = lambda _label: None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files of the site ``vetgraph serve`` shows for ``kg``, without validating it, and
    the outputs that could not be made for this graph (name → why): a graph of a
    researcher's own without an ``owl:Ontology``, say, has no ontology page."""
    from vetgraph.check.report import ValidationReport

    files: dict[str, bytes] = {}
    left_out: dict[str, str] = {}
    for name, produce in producers().items():
        if name in NOT_SERVED:
            continue
        progress(f"Preparing {'the site pages' if name == SITE else name}")
        try:
            add_output(files, name, produce(kg, ValidationReport()))
        except Exception as error:  # one page's failure must not stop serve
            left_out[name] = str(error).splitlines()[0] or type(error).__name__
    return files, left_out


def add_output(files: dict[str, bytes], name: str, output: Output) -> None:
    """Put a producer's output into ``files``: its bytes under ``name``, or each of its
    files under its own path. Two producers may not write the same path."""
    made = {name: output} if isinstance(output, bytes) else output
    for path, data in made.items():
        if path in files:
            raise ValueError(f"two outputs of the build are both named {path}")
        files[path] = data
