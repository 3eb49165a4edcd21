"""Where the project's folders are: in a checkout, or inside an installed wheel.

The root folders ``ontology/``, ``shapes/``, ``data/`` and ``queries/`` are the source of
truth. The wheel carries a copy under ``vetgraph/_resources/`` (see ``pyproject.toml``).
This is the only module that knows either location.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from vetgraph.errors import InputError

FOLDERS = ("ontology", "shapes", "data", "queries")
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def root() -> Path:
    """The folder that holds ``ontology/``, ``shapes/``, ``data/`` and ``queries/``."""
    installed = _PACKAGE_DIR / "_resources"
    if all((installed / name).is_dir() for name in FOLDERS):
        return installed
    checkout = _PACKAGE_DIR.parent
    if all((checkout / name).is_dir() for name in FOLDERS):
        return checkout
    raise InputError(
        f"vetgraph's bundled folders ({', '.join(FOLDERS)}) were found neither in "
        f"{installed} nor in {checkout}",
        hint="reinstall vetgraph, or run it from a complete checkout",
    )


def folder(name: str) -> Path:
    """One of the bundled folders, by name."""
    if name not in FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}; expected one of {FOLDERS}")
    return root() / name


def ontology_files() -> list[Path]:
    """The umbrella ontology, its modules and its alignments, in a stable order."""
    base = folder("ontology")
    files = [base / "vet.ttl"]
    files += sorted((base / "modules").glob("*.ttl"))
    files += sorted((base / "alignments").glob("*.ttl"))
    return _require(files, "ontology files", base)


def data_files() -> list[Path]:
    """The curated data files (TriG and Turtle), sorted by name."""
    base = folder("data")
    files = sorted(p for p in base.iterdir() if p.suffix in {".trig", ".ttl"})
    return _require(files, "data files", base)


def shape_files() -> dict[str, Path]:
    """The SHACL shapes: ``ontology`` (shapes of the terms) and ``data`` (of the instances)."""
    base = folder("shapes")
    shapes = {"ontology": base / "ontology.ttl", "data": base / "data.ttl"}
    _require([p for p in shapes.values()], "shape files", base)
    return shapes


def query_files(kind: str | None = None) -> list[Path]:
    """Library queries, all or of one kind (``cq``, ``checks``, ``reports``)."""
    base = folder("queries")
    kinds = [kind] if kind else ["cq", "checks", "reports"]
    files: list[Path] = []
    for k in kinds:
        files += sorted((base / k).glob("*.rq"))
    return _require(files, f"{kind or 'library'} queries", base)


def context_file() -> Path:
    """The JSON-LD ``@context`` published with the exports (``ontology/context.jsonld``)."""
    path = folder("ontology") / "context.jsonld"
    return _require([path], "JSON-LD context", path.parent)[0]


def changelog() -> Path | None:
    """``CHANGELOG.md`` (the wheel carries a copy); None when it is missing."""
    path = root() / "CHANGELOG.md"
    return path if path.is_file() else None


def _require(files: list[Path], what: str, where: Path) -> list[Path]:
    # A check that finds nothing to check must fail, not pass on zero files.
    missing = [p for p in files if not p.is_file()]
    if not files or missing:
        detail = f"missing: {', '.join(map(str, missing))}" if missing else "none found"
        raise InputError(f"no usable {what} in {where} ({detail})")
    return files
