"""Reading RDF files safely: every failure to read one (a syntax error with file, line and
column; an empty, binary or unreadable file; JSON-LD that would silently drop statements)
becomes an error for people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from vetgraph.errors import InputError, RDFSyntaxError

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


#: JSON-LD drops, without a word, every statement with an IRI it cannot make absolute and
#: valid. Parsed leniently against this base, such IRIs show up and can be named.
_PROBE_BASE = "http://relative-iri.vetgraph.invalid/"


def refuse_dropped_jsonld(path: Path) -> None:
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


def empty_file_error(path: Path) -> InputError:
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
        return empty_file_error(path)
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
