"""Files → graph: read the ontology and the data into one :class:`KnowledgeGraph`.

How the files become a dataset (see ``ontology/README.md`` for the provenance model):

* each ontology file goes into a named graph called after its ``owl:Ontology`` IRI;
* in a data file, every named graph is a *claim*: a few facts taken from one place in one
  or more sources; the reserved graph ``vgg:provenance`` cites, for each claim, the source
  and the locator (section, sentence, ...), and ``vgg:sources`` describes the sources;
* triples outside any named graph are kept in the default graph, where the
  ``unsourced-fact`` check reports them: every fact needs a source;
* after reading, the build indexes the claims: ``?claim a vet:Claim ; vet:about ?entity``
  for every entity a claim states something about, in ``vgg:provenance``. That index lets
  "which source says X?" be answered even from the flat Turtle export, which has no
  named graphs.

Parse errors carry file, line and column.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from vetgraph.errors import InputError
from vetgraph.graph import resources
from vetgraph.graph.namespaces import OWL, PROVENANCE_GRAPH, RDF, SOURCES_GRAPH, VET
from vetgraph.graph.reading import (
    FORMATS,
    empty_file_error,
    rdf_format,
    read_errors,
    refuse_dropped_jsonld,
)
from vetgraph.graph.store import KnowledgeGraph

#: Into a store on disk, the bulk loader pays from about this size on: it costs 0.1-0.5 s
#: a call whatever the size, where a transaction costs little for a small file and grows
#: faster than the file (1M triples: 33 s against 120 s).
BULK_MIN_BYTES = 1_000_000
BULK_MIN_QUADS = 20_000
BULK_BATCH = 250_000

# The claim index. The claims are the named graphs (the store lists them without a scan),
# less the reserved graphs and any graph that declares an owl:Ontology; what each claim is
# about takes one scan of the claims' triples. One SPARQL INSERT doing both took 2.2-2.9 s
# at 1M triples (its FILTER NOT EXISTS ran once per triple); this takes about 0.8 s. The
# reserved graphs and literal subjects are left out in Python, not by a FILTER: on a store
# on disk the FILTER (run once per triple) made the scan 5.6 s instead of 2.4 s.
_CLAIM_SUBJECTS = "SELECT DISTINCT ?claim ?s WHERE { GRAPH ?claim { ?s ?p ?o } }"


def index_claims(store: ox.Store, *, bulk: bool = False) -> None:
    """Add ``?claim a vet:Claim ; vet:about ?entity`` to ``vgg:provenance`` for every claim
    (a named graph of the data) and every IRI the claim states something about.

    ``bulk``: write with Oxigraph's bulk loader (a store on disk being built)."""
    provenance = ox.NamedNode(PROVENANCE_GRAPH)
    not_claims: set[object] = {provenance, ox.NamedNode(SOURCES_GRAPH)}
    not_claims.update(
        q.graph_name
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(OWL.Ontology))
    )
    is_a, claim_class, about = (
        ox.NamedNode(RDF.type),
        ox.NamedNode(VET.Claim),
        ox.NamedNode(VET.about),
    )
    index = [
        ox.Quad(graph, is_a, claim_class, provenance)
        for graph in store.named_graphs()
        if graph not in not_claims
    ]
    solutions = store.query(_CLAIM_SUBJECTS)
    assert isinstance(solutions, ox.QuerySolutions)
    for claim, subject in solutions:
        if claim not in not_claims and isinstance(subject, ox.NamedNode):
            index.append(ox.Quad(claim, about, subject, provenance))
    if bulk and len(index) >= BULK_MIN_QUADS:
        store.bulk_extend(index)
    else:
        store.extend(index)


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus the RDF files inside named folders (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS)
            if not found:
                raise InputError(
                    f"{path}: folder holds no RDF files",
                    hint=f"expected files ending in {', '.join(sorted(FORMATS))}",
                )
            files += found
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError(f"{path}: not a regular file")
        else:
            raise InputError(f"{path}: no such file", hint="check the path given to --input")
    return files


def parse_file(path: Path, *, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse one (small) RDF file completely; errors are explained (see :func:`read_errors`)."""
    fmt = rdf_format(path)
    with read_errors(path):
        quads = list(ox.parse(path=str(path), format=fmt, base_iri=base_iri))
    if not quads:
        raise empty_file_error(path)
    return quads


def load_file(kg: KnowledgeGraph, path: Path, *, bulk: bool = False) -> None:
    """Stream one RDF file into the store (named graphs kept) without holding it in Python.

    The first statement is parsed on its own first, so an empty file is refused before the
    store is touched; the load itself is transactional: all or nothing. ``bulk`` uses
    Oxigraph's bulk loader instead for a file of :data:`BULK_MIN_BYTES` or more; it is not
    transactional: for a store on disk being built in a folder of its own (see
    :mod:`vetgraph.graph.disk`).
    """
    fmt = rdf_format(path)
    with read_errors(path):
        if fmt == ox.RdfFormat.JSON_LD:
            refuse_dropped_jsonld(path)
        if next(iter(ox.parse(path=str(path), format=fmt)), None) is None:
            raise empty_file_error(path)
        if bulk and path.stat().st_size >= BULK_MIN_BYTES:
            _bulk_in_batches(kg.store, path, fmt)
        else:
            kg.store.load(path=str(path), format=fmt)
    # Graphs read from earlier files are in origins already: the first file keeps a graph.
    for graph in kg.store.named_graphs():
        if isinstance(graph, ox.NamedNode):
            kg.origins.setdefault(graph.value, path)
    kg.files.append(path)


def _bulk_in_batches(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Oxigraph's bulk loader, given the file's quads :data:`BULK_BATCH` at a time: given
    the whole file it keeps buffers that grow with it (1M triples: 920 MiB at its peak,
    10M: 4.8 GB). In batches of 250k quads: 386 MiB for 1M triples (in batches of 1M:
    1.4 GB), 454 MiB for 10M (207 s, against 119 s for the whole file)."""
    quads = ox.parse(path=str(path), format=fmt)
    while batch := list(itertools.islice(quads, BULK_BATCH)):
        store.bulk_extend(batch)


def ontology_iri(quads: Iterable[ox.Quad], path: Path) -> str:
    ontology = ox.NamedNode(OWL.Ontology)
    for q in quads:
        is_declaration = q.predicate.value == RDF.type and q.object == ontology
        if is_declaration and isinstance(q.subject, ox.NamedNode):
            return q.subject.value
    raise InputError(f"{path}: an ontology file must declare one owl:Ontology IRI")


def load(
    inputs: Sequence[Path | str] | Path | str | None = None,
    *,
    with_ontology: bool = True,
    cache: bool = False,
    store: Path | str | None = None,
    notice: Callable[[str], None] | None = None,
) -> KnowledgeGraph:
    """Read the ontology and the data (the bundled data, or ``inputs`` instead of it).

    ``cache=True``: files of your own are kept in an Oxigraph store on disk, in the user's
    cache folder, and later loads of the same unchanged files reopen it at once (see
    :mod:`vetgraph.graph.cache`; ``notice`` receives its one-line messages). ``store``: open
    a store that ``vetgraph load --store`` built (see :mod:`vetgraph.graph.disk`).

    >>> kg = load()
    >>> len(kg) > 0 and "https://w3id.org/vetgraph/ontology" in kg.graph_names()
    True
    """
    if isinstance(inputs, str | Path):
        inputs = [inputs]
    if store is not None:
        if inputs:
            raise InputError(
                "--input and --store exclude each other",
                hint="a store holds its files already; give one or the other",
            )
        from vetgraph.graph.disk import open_store

        return open_store(Path(store))
    data = expand_inputs(inputs) if inputs else resources.data_files()
    if cache and inputs:
        from vetgraph.graph.cache import load_cached

        return load_cached(data, with_ontology=with_ontology, notice=notice)
    kg = KnowledgeGraph()
    fill(kg, data, with_ontology=with_ontology)
    return kg


def fill(
    kg: KnowledgeGraph, data: Sequence[Path], *, with_ontology: bool = True, bulk: bool = False
) -> None:
    """Read the ontology modules (each into its own graph), then ``data``, into ``kg``, and
    index the claims. ``bulk``: the data with Oxigraph's bulk loader (a new store on disk)."""
    modules: list[ox.NamedNode] = []
    if with_ontology:
        for path in resources.ontology_files():
            # Read up to the owl:Ontology declaration, then let the store load the file
            # into that graph (faster than quads through Python: 2.1 ms against 3.4 ms).
            fmt = rdf_format(path)
            with read_errors(path):
                name = ontology_iri(ox.parse(path=str(path), format=fmt), path)
                kg.store.load(path=str(path), format=fmt, to_graph=ox.NamedNode(name))
            kg.origins[name] = path
            kg.files.append(path)
            modules.append(ox.NamedNode(name))
    for path in data:
        load_file(kg, path, bulk=bulk)
    drop_restated_ontology(kg.store, modules)
    index_claims(kg.store, bulk=bulk)


def drop_restated_ontology(store: ox.Store, modules: Sequence[ox.NamedNode]) -> None:
    """Take out of the bundled ontology's graphs every triple the inputs state themselves.

    The default graph is the union of all graphs, and SPARQL wants it to be a set, but
    Oxigraph's union keeps one copy per graph. A published ``vetgraph.ttl`` or ``.nt``
    already holds the ontology: loaded beside the bundled ontology, each ontology triple
    would be counted twice (regression, issue 13.4). The inputs' copy is kept, so every
    triple is still there once. (Blank nodes cannot be matched across files; vetgraph's
    ontology has none.)
    """
    for module in modules:
        restated = [
            quad
            for quad in store.quads_for_pattern(None, None, None, module)
            if any(
                other.graph_name != module
                for other in store.quads_for_pattern(quad.subject, quad.predicate, quad.object)
            )
        ]
        for quad in restated:
            store.remove(quad)
        if next(iter(store.quads_for_pattern(None, None, None, module)), None) is None:
            store.remove_graph(module)  # an empty graph would pass for a claim
