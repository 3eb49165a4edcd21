"""The release a build describes: its version and its date.

The version lives in one place, ``pyproject.toml``, and is read from the installed
package's metadata under the distribution's name, :data:`DISTRIBUTION` (``vetgraph`` on
PyPI is another project, so vetgraph is installed as ``vetgraph-eu``; the import and the
command keep the name ``vetgraph``). This module is the one place that knows that name; it
stays cheap to import, since ``vetgraph --version`` reads it.

The release date comes from ``CHANGELOG.md`` (``## [0.1.0] - 2026-11-25``), never from the
clock, so that every output that carries a date (``void.ttl``, the GEXF export) is the same
whenever it is built. A version that the changelog does not list yet (work in progress) has
no release date.

>>> release_date("0.1.0", "## [Unreleased]\\n\\n## [0.1.0] - 2026-11-25\\n")
'2026-11-25'
>>> release_date("9.9.9", "## [0.1.0] - 2026-11-25\\n") is None
True
"""

from __future__ import annotations

import re

from vetgraph.graph import resources

#: The name vetgraph is installed under (``pip install vetgraph-eu``), as ``pyproject.toml``
#: declares it; ``vetgraph`` on PyPI is an unrelated project.
DISTRIBUTION = "vetgraph-eu"

_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\]\s*-\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)


def version() -> str:
    """The package version (from ``pyproject.toml`` through the package metadata)."""
    # Imported here: importlib.metadata takes 25 ms to import, a tenth of a whole command.
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _package_version

    try:
        return _package_version(DISTRIBUTION)
    except PackageNotFoundError:  # a checkout that is not installed
        return "0+unknown"


def release_date(of_version: str | None = None, changelog: str | None = None) -> str | None:
    """The date (``YYYY-MM-DD``) the changelog gives for a version, or None if it lists none."""
    wanted = of_version or version()
    text = changelog if changelog is not None else changelog_text()
    for match in _HEADING.finditer(text):
        if match["version"] == wanted:
            return match["date"]
    return None


def changelog_text() -> str:
    path = resources.changelog()
    return path.read_text(encoding="utf-8") if path is not None else ""
