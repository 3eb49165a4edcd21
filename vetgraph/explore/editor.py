"""The query editor, ``query.html``: vetgraph's own, written by ``vetgraph build`` into the site.

SPARQL runs in the browser, with Oxigraph's WebAssembly build (vendored in
``vendor/oxigraph``, see its README) over the published dataset (``vetgraph.trig``, beside
the page), the union of all graphs as the default graph, as ``vetgraph query`` and
``vetgraph serve`` see it. So the site needs no server: any static host serves it.

The page knows the project: the prefixes the CLI accepts need no PREFIX line, and the
library queries are its examples, each with a form for its typed parameters. What the CLI
does to bind a parameter is done here in Python where it can be: each library query is
bound, as ``vetgraph query`` binds it, to a placeholder per parameter, so that the page
only writes the user's value as an RDF term in the placeholder's place (see
``templates/editor-sparql.js``); how a value becomes a term (an entity found by IRI,
CURIE, label or title; a literal checked against its type) is done in the browser, on the
same data, by the same rules as :mod:`vetgraph.sparql.values`.

Permalinks: ``query.html#query=SPARQL`` opens a query and runs it;
``query.html#example=NAME&PARAM=VALUE`` opens a library query's form, filled, and runs it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from vetgraph.graph.namespaces import PREFIXES, SRC, VG

TEMPLATES = Path(__file__).parent / "templates"
VENDOR = Path(__file__).parent / "vendor" / "oxigraph"
#: The files the page loads, beside it in the site: site path → file in the package.
ASSETS = {
    "assets/editor/editor.css": TEMPLATES / "editor.css",
    "assets/editor/editor-sparql.js": TEMPLATES / "editor-sparql.js",
    "assets/editor/editor.js": TEMPLATES / "editor.js",
    "assets/editor/oxigraph/web.js": VENDOR / "web.js",
    "assets/editor/oxigraph/web_bg.wasm": VENDOR / "web_bg.wasm",
    "assets/editor/oxigraph/LICENSE-MIT": VENDOR / "LICENSE-MIT",
    "assets/editor/oxigraph/README.md": VENDOR / "README.md",
}
#: The dataset the page loads (an output of the build, beside it).
DATASET = "vetgraph.trig"
#: Stands for a parameter's value in a bound library query: a string literal no query holds.
PLACEHOLDER = "\ue000vetgraph-parameter:"
KIND_LABELS = {"cq": "Competency questions", "reports": "Reports", "checks": "Checks"}


def asset(path: str) -> bytes:
    """One of the page's files (a key of :data:`ASSETS`)."""
    return ASSETS[path].read_bytes()


def library_examples() -> list[dict[str, Any]]:
    """Every library query as the page needs it: header, parameters and its text bound as
    ``vetgraph query`` binds it, each parameter's value a placeholder."""
    from pyoxigraph import Literal

    from vetgraph.sparql.binding import bind
    from vetgraph.sparql.library import load_library
    from vetgraph.sparql.projection import expand_star

    examples = []
    for kind in KIND_LABELS:
        for q in load_library(kind):
            bindings = {p.name: [Literal(PLACEHOLDER + p.name)] for p in q.header.params}
            bound = expand_star(bind(q.text, bindings, where=q.name))
            examples.append(
                {
                    "name": q.name,
                    "kind": q.kind,
                    "title": q.header.title,
                    "question": q.header.question,
                    "description": q.header.description,
                    "note": q.header.note,
                    "form": bound.form,
                    "text": q.text,
                    "template": bound.text,
                    "params": [
                        {
                            "name": p.name,
                            "type": p.type,
                            "default": p.default,
                            "example": p.example,
                            "description": p.description,
                            "cls": p.cls,
                        }
                        for p in q.header.params
                    ],
                }
            )
    return examples


def editor_data() -> dict[str, Any]:
    """What the page's scripts read: prefixes, where pages live, the dataset, the examples."""
    return {
        "prefixes": PREFIXES,
        "pages": {str(VG): "id/", str(SRC): "source/"},
        "dataset": DATASET,
        "placeholder": PLACEHOLDER,
        "kinds": KIND_LABELS,
        "examples": library_examples(),
    }


def editor_html(kg: object = None) -> bytes:
    """The page, ``query.html`` (the same for every graph: the data comes from the site)."""
    content = editor_data()
    data = json.dumps(content, ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c")  # nothing in it can close the script element
    options = []
    examples = content["examples"]
    for kind, label in KIND_LABELS.items():
        items = "".join(
            f'<option value="{html.escape(e["name"])}">{html.escape(e["title"])}</option>'
            for e in examples
            if e["kind"] == kind
        )
        options.append(f'<optgroup label="{html.escape(label)}">{items}</optgroup>')
    prefixes = "\n".join(f"PREFIX {p}: &lt;{html.escape(iri)}&gt;" for p, iri in PREFIXES.items())
    page = (TEMPLATES / "editor.html").read_text(encoding="utf-8")
    page = page.replace("{{examples}}", "".join(options))
    page = page.replace("{{prefixes}}", prefixes)
    page = page.replace("{{data}}", data)
    return page.encode("utf-8")
