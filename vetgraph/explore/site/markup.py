"""The pieces every page of the site shares: the page shell (header with the site's
navigation, landmarks, the shared stylesheet, a Content-Security-Policy), escaping, values in
words, and a fact's sources grouped by document.

Every text that comes from the graph passes through :func:`esc` (labels and descriptions
may come from a researcher's own input).
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from typing import Any

import pyoxigraph as ox

from vetgraph.explore.addresses import page_path
from vetgraph.explore.provenance import by_document
from vetgraph.graph.namespaces import XSD, curie

#: The site's views and documents, as the header links them (path, words).
NAVIGATION = (
    ("index.html", "Search"),
    ("graph.html", "Network"),
    ("timeline.html", "Timeline"),
    ("query.html", "Query"),
    ("queries.html", "Queries"),
    ("ontology.html", "Ontology"),
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


#: Copies the IRI shown on a page, and centres the neighbourhood drawing on a narrow screen
#: (the only script of an entity or source page).
COPY_SCRIPT = (
    "document.querySelectorAll('button[data-copy]').forEach(function(b){"
    "b.hidden=false;b.addEventListener('click',function(){"
    "var t=document.getElementById(b.dataset.copy).textContent;"
    "var done=function(){b.textContent='Copied';};"
    "if(navigator.clipboard){navigator.clipboard.writeText(t).then(done,function(){});}"
    "});});"
    # a drawing wider than a phone opens on its middle (the entity), not its left edge
    "document.querySelectorAll('.scroll').forEach(function(s){"
    "s.scrollLeft=(s.scrollWidth-s.clientWidth)/2;});"
)


def page(
    *, title: str, root: str, body: str, head: str = "", scripts: tuple[str, ...] = ()
) -> bytes:
    """A whole page: ``root`` is the way back to the site's folder ("" or "../")."""
    csp = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
        "form-action 'none'; script-src " + (" ".join(map(script_hash, scripts)) or "'none'")
    )
    nav = "".join(f'<li><a href="{root}{path}">{words}</a></li>' for path, words in NAVIGATION)
    inline = "".join(f"<script>{script}</script>" for script in scripts)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<title>{esc(title)} · vetgraph</title>"
        f'<link rel="stylesheet" href="{root}assets/site/site.css">{head}</head><body>'
        '<a class="skip" href="#main">Skip to the content</a>'
        f'<header class="site"><a class="brand" href="{root}index.html">vetgraph</a>'
        f'<nav aria-label="Site"><ul>{nav}</ul></nav></header>'
        f'<main id="main">{body}</main>'
        '<footer class="site"><p>vetgraph: EU vocational education and training policy as a '
        "knowledge graph. Every statement names the documents it comes from.</p></footer>"
        f"{inline}</body></html>\n"
    ).encode()


def web_link(url: str | None, words: str) -> str:
    """A link to a web address (http or https only: a ``javascript:`` address from hostile
    input is shown as text, never made clickable)."""
    if not url:
        return ""
    if not url.startswith(("http://", "https://")):
        return f"<span>{esc(url)}</span>"
    return f'<a href="{esc(url)}" rel="external">{esc(words)}</a>'


def link_to(iri: str, words: str, root: str) -> str:
    """A link to ``iri``'s page when it has one, else the words (and the IRI as a title)."""
    path = page_path(iri)
    if path is None:
        return f'<span title="{esc(iri)}">{esc(words)}</span>'
    return f'<a href="{root}{path}">{esc(words)}</a>'


def literal(value: ox.Literal) -> str:
    """A literal in words: dates as dates, numbers grouped, the language tag shown."""
    text, datatype = value.value, value.datatype.value if value.datatype else ""
    shown = esc(text)
    if datatype == XSD.date and len(text) == 10:
        shown = f'<time datetime="{esc(text)}">{_date_words(text)}</time>'
    elif datatype == XSD.gYearMonth and len(text) == 7:
        shown = f'<time datetime="{esc(text)}">{_date_words(text + "-00")}</time>'
    elif datatype in (XSD.integer, XSD.decimal, XSD.nonNegativeInteger, XSD.positiveInteger):
        shown = esc(_number(text))
    elif datatype == XSD.anyURI and text.startswith(("http://", "https://")):
        shown = f'<a href="{esc(text)}" rel="external">{esc(text)}</a>'
    if value.language:
        shown += f' <span class="lang" title="language">{esc(value.language)}</span>'
    return shown


def _date_words(text: str) -> str:
    year, month, day = text[:4], text[5:7], text[8:10]
    try:
        words = _MONTHS[int(month) - 1]
    except (ValueError, IndexError):
        return esc(text)
    return esc(f"{int(day)} {words} {year}" if day.strip("0") else f"{words} {year}")


def _number(text: str) -> str:
    whole, dot, part = text.partition(".")
    try:
        grouped = f"{int(whole):,}".replace(",", "\u202f")
    except ValueError:
        return text
    return grouped + (dot + part if part.strip("0") else "")


def sources_list(citations: list[dict[str, Any]], root: str) -> str:
    """A fact's sources, grouped by document, each once: title (to its source page), kind,
    places in it, date read, link to the original."""
    if not citations:
        return '<p class="nosource">No source recorded for this statement.</p>'
    items = []
    for doc in by_document(citations):
        places = "; ".join(doc["places"])
        original = f" · {web_link(doc['url'], 'original')}" if doc["url"] else ""
        read = f" · read {esc(doc['retrieved'])}" if doc["retrieved"] else ""
        items.append(
            f"<li>{link_to(doc['source'], doc['title'], root)}"
            f' <span class="kind kind-{esc(doc["kind_label"].replace(" ", "-"))}">'
            f"{esc(doc['kind_label'])}</span>"
            f'<span class="where"> · {esc(places)}{read}{original}</span></li>'
        )
    return f'<ul class="sources">{"".join(items)}</ul>'


#: Words for the outside terms every entity uses (the ontology labels its own terms).
_COMMON = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "is a",
    "http://www.w3.org/2000/01/rdf-schema#label": "name",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "preferred name",
    "http://www.w3.org/2004/02/skos/core#altLabel": "other name",
    "http://purl.org/dc/terms/description": "description",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
}


def term_words(iri: str, labels: dict[str, str]) -> str:
    """A property in words: its English label, or the CURIE when it has none."""
    return labels.get(iri) or _COMMON.get(iri) or curie(iri)


def json_script(data: object) -> str:
    """JSON to embed in a page's ``<script type="application/json">``: every ``<`` escaped,
    so no text in it (``</script>``, ``<!--``) can end or change the script block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c")  # no tag, comment or script end can start in it
