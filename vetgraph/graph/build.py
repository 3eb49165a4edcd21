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
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from vetgraph.errors import InputError, RDFSyntaxError
from vetgraph.graph import resources
from vetgraph.graph.namespaces import OWL, PROVENANCE_GRAPH, RDF, SOURCES_GRAPH, VET
from vetgraph.graph.store import KnowledgeGraph

#: File extensions vetgraph reads, and the RDF syntax of each.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}

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


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension; a clear error for unknown ones."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: unknown RDF file extension {path.suffix or '(none)'!r}",
            hint=f"vetgraph reads {known}; rename the file to match its syntax",
        )
    return fmt


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
        raise _empty(path)
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
            _refuse_dropped_jsonld(path)
        if next(iter(ox.parse(path=str(path), format=fmt)), None) is None:
            raise _empty(path)
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


#: JSON-LD drops, without a word, every statement with an IRI it cannot make absolute and
#: valid. Parsed leniently against this base, such IRIs show up and can be named.
_PROBE_BASE = "http://relative-iri.vetgraph.invalid/"


def _refuse_dropped_jsonld(path: Path) -> None:
    """A JSON-LD file with statements JSON-LD would silently drop: a relative ``@id`` and
    no ``@base``, a key the ``@context`` maps to no IRI, or an IRI that is not valid."""
    parsed = ox.parse(
        path=str(path), format=ox.RdfFormat.JSON_LD, base_iri=_PROBE_BASE, lenient=True
    )
    checked: set[str] = set()
    for quad in parsed:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if not isinstance(term, ox.NamedNode) or term.value in checked:
                continue
            iri = term.value
            checked.add(iri)
            if iri.startswith(_PROBE_BASE):
                raise InputError(
                    f"{path}: the IRI {iri[len(_PROBE_BASE) :]!r} is relative and the file "
                    "declares no @base, so JSON-LD would drop every statement that uses it",
                    hint='write absolute IRIs, or declare "@base" in the @context',
                )
            try:
                ox.NamedNode(iri)
            except ValueError as exc:
                if ":" not in iri:
                    raise InputError(
                        f"{path}: the @context maps {iri!r} to no IRI, so JSON-LD would drop "
                        "every value given under it",
                        hint="map it in the @context (or set @vocab), or write the full IRI",
                    ) from None
                hint = "write it as %20" if " " in iri else "correct it"
                raise InputError(
                    f"{path}: {iri!r} is not a valid IRI ({exc}), so JSON-LD would drop "
                    "every statement that uses it",
                    hint=f'an IRI cannot hold a space or <>"{{}}|^`\\; {hint}',
                ) from None


@contextmanager
def read_errors(path: Path) -> Iterator[None]:
    """Turn every failure to read an RDF file into an error for people."""
    try:
        yield
    except SyntaxError as exc:
        raise _unreadable(path) or syntax_error(exc, path) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text file in UTF-8; is it binary?") from None
    except PermissionError:
        raise InputError(f"{path}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _empty(path: Path) -> InputError:
    return InputError(f"{path}: the file holds no triples", hint="is it empty or all comments?")


def _unreadable(path: Path) -> InputError | None:
    """Why a file that failed to parse is not RDF text at all: empty, binary or not UTF-8.

    Looked at only once parsing has failed, so reading good files costs nothing more.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    if not head.strip():
        return _empty(path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return InputError(
            f"{path}: the file is UTF-16 text; vetgraph reads RDF in UTF-8",
            hint="save it as UTF-8 (most editors: Save As, encoding UTF-8)",
        )
    if b"\x00" in head:
        return InputError(
            f"{path}: a binary file, not RDF text (a NUL byte at offset {head.index(0)})",
            hint="is it the file you meant? RDF files are text",
        )
    return None


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def syntax_error(exc: SyntaxError, path: Path) -> RDFSyntaxError:
    """Oxigraph's SyntaxError ('Parser error at line 3 between columns ...: detail').

    Oxigraph gives no position for RDF/XML errors: :func:`locate_rdfxml_error` finds it.
    """
    message = str(exc.args[0]) if exc.args else str(exc)
    detail = message.split(": ", 1)[1] if message.startswith("Parser error") else message
    line, column = exc.lineno, exc.offset
    if line is None and rdf_format(path) == ox.RdfFormat.RDF_XML:
        line, column = locate_rdfxml_error(path, detail)
    if "No scheme found" in detail or "relative IRI" in detail.lower():
        detail += " (a relative IRI with no @base; write absolute IRIs or declare @base)"
    elif "Invalid IRI code point ' '" in detail:
        detail += " (an IRI cannot hold a space; write it as %20)"
    elif "UTF-8" in detail:
        detail += " (the file is not UTF-8 text; save it as UTF-8)"
    # No raw control characters in a message meant for a terminal.
    detail = _CONTROL.sub(lambda m: repr(m.group())[1:-1], detail)
    return RDFSyntaxError(path, line, column, detail)


def locate_rdfxml_error(path: Path, detail: str) -> tuple[int | None, int | None]:
    """Line and column of an RDF/XML error that Oxigraph reports without a position.

    XML that is not well formed: where expat stops. An element outside any namespace: the
    element. Otherwise the first place where the text the message quotes appears.
    """
    import xml.parsers.expat

    class Found(Exception):
        pass

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    found: list[tuple[int, int]] = []
    quoted = re.search(r"'([^']+)'|`([^`]+)`", detail)
    wanted = (quoted.group(1) or quoted.group(2)) if quoted else None

    def start(name: str, attributes: dict[str, str]) -> None:
        outside = [n for n in (name, *attributes) if " " not in n]  # no namespace
        quotes = wanted is not None and wanted in attributes.values()
        if ("namespaces are required" in detail and outside) or quotes:
            found.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
            raise Found

    parser.StartElementHandler = start
    try:
        with path.open("rb") as handle:
            parser.ParseFile(handle)
    except xml.parsers.expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    except (Found, OSError):
        pass
    if found:
        return found[0]
    if wanted is not None and wanted.strip():
        needle = wanted.strip().splitlines()[0].strip()
        with path.open(encoding="utf-8", errors="replace") as text:
            for number, line in enumerate(text, start=1):
                if needle in line:
                    return number, line.index(needle) + 1
    return None, None


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
    for path in data:
        load_file(kg, path, bulk=bulk)
    index_claims(kg.store, bulk=bulk)
