"""The public API: every name in ``vetgraph.__all__`` imports from ``vetgraph`` itself, is what
its documentation says it is, and importing ``vetgraph`` stays cheap (nothing heavy at import)."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import vetgraph

# The public API as the README and the package docstring promise it. A name added to or taken
# from ``__all__`` must be added or taken here too: the API is a promise, not an accident.
PUBLIC = {
    "load": "function",
    "query": "function",
    "validate": "function",
    "viz": "function",
    "Endpoint": "class",
    "KnowledgeGraph": "class",
    "ValidationReport": "class",
    "Finding": "class",
    "ExitCode": "class",
    "VetgraphError": "exception",
    "InputError": "exception",
    "RDFSyntaxError": "exception",
    "QueryError": "exception",
    "RemoteError": "exception",
    "OutputError": "exception",
}


def test_all_lists_exactly_the_public_names() -> None:
    assert sorted(vetgraph.__all__) == sorted(PUBLIC)
    assert dir(vetgraph) == sorted(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_each_public_name_imports_from_vetgraph(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from vetgraph import {name}", namespace)
    value = namespace[name]
    kind = PUBLIC[name]
    if kind == "function":
        assert inspect.isfunction(value), f"vetgraph.{name} is {value!r}, not a function"
    elif kind == "exception":
        assert inspect.isclass(value) and issubclass(value, vetgraph.VetgraphError)
    else:
        assert inspect.isclass(value)
    assert value.__doc__, f"vetgraph.{name} has no docstring"
    # It lives in one of the package's rooms, not in a leftover flat module.
    assert value.__module__.startswith("vetgraph."), value.__module__


def test_input_errors_are_vetgraph_errors() -> None:
    assert issubclass(vetgraph.RDFSyntaxError, vetgraph.InputError)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'lod'"):
        vetgraph.lod  # noqa: B018


def test_import_is_cheap() -> None:
    """Importing vetgraph imports none of the heavy libraries and no room of the package."""
    code = (
        "import sys, vetgraph\n"
        "heavy = {'pyvis', 'pandas', 'rdflib', 'pyshacl', 'pyoxigraph', 'networkx',"
        " 'SPARQLWrapper'}\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy"
        " or m.startswith('vetgraph.'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
