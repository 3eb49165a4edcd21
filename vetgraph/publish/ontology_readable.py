"""The ontology page made readable on every screen: pyLODE writes a page for a wide desktop
(a fixed contents column, no viewport tag, small text); :func:`readable` adds the viewport
tag, the page's language, landmarks, styles that give one column on a phone with text of at
least 14 px and wide tables scrolling in their own box, contents folded by section, and for
every class its colour and group of :mod:`vetgraph.explore.palette` (the colour the class has
on every page), with the groups' legend above the classes.

>>> page = '<html>\\n  <head>\\n<title>t</title></head><body><div id="content"></div></body></html>'
>>> out = readable(page)
>>> 'name="viewport"' in out, '<html lang="en">' in out, 'role="main"' in out
(True, True, True)
"""

from __future__ import annotations

import html
import re

from vetgraph.explore import palette

_CSS = """
<style>
/* vetgraph: readable at any width (after pyLODE's own styles) */
body { font-size: 16px; line-height: 1.5; padding: 1.5em 2em 2em 70px; }
#toc { font-size: 15px; width: 230px; }
#content { width: calc(100% - 250px); }
#toc h3, #toc h4 { font-size: 16px; }
#toc details summary { cursor: pointer; color: #005A9C; font-weight: 600; }
#pylode { font-size: 14px; }
#pylode, #pylode span { color: #4a4a4a !important; }
code { font-size: 15px; overflow-wrap: anywhere; }
sup { font-size: 14px; }
.entity table { display: block; overflow-x: auto; max-width: 100%; }
.entity td, .entity th { overflow-wrap: anywhere; }
.vg-group { margin: .2em 0 .5em; }
.vg-swatch { display: inline-block; width: .9em; height: .9em; border-radius: 50%;
             border: 1px solid rgba(0,0,0,.5); vertical-align: -.1em; margin-right: .35em; }
#classes ul.vg-groups { list-style: none; padding: 0; display: flex; flex-wrap: wrap;
                        gap: .3em 1.2em; }
#classes ul.vg-groups li { margin-left: 0; }
:focus-visible { outline: 3px solid #0b63c1; outline-offset: 2px; }
@media (max-width: 760px) {
  body { padding: .75em 1em 2em; }
  #pylode { position: static; transform: none; margin: 0 0 .5em; }
  #toc { position: static; width: auto; height: auto; max-height: none; margin: 0 0 1em;
         border: 1px solid #1d3557; }
  #content { width: auto; }
  h1 { font-size: 1.6em; }
  dl, dd { margin-left: 0; }
  .entity { padding: .5em; }
}
</style>
"""

_CLASS_BLOCK = re.compile(
    r'(<div class="property entity" id="[^"]*">\s*<h3>.*?</h3>)'
    r"(\s*<table>\s*<tr>\s*<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>)",
    re.S,
)


def readable(page: str) -> str:
    """pyLODE's page, readable on a phone and with the class colours (see the module)."""
    page = page.replace("<html>", '<html lang="en">', 1)
    page = re.sub(
        r"<head>",
        '<head>\n    <meta name="viewport" content="width=device-width, initial-scale=1">',
        page,
        count=1,
    )
    page = page.replace("</head>", _CSS + "</head>", 1)
    page = page.replace('<div id="content">', '<div id="content" role="main">', 1)
    page = page.replace(
        '<div id="toc">', '<div id="toc" role="navigation" aria-label="Contents">', 1
    )
    page = page.replace('<div id="pylode">', '<div id="pylode" role="contentinfo">', 1)
    page = _fold_contents(page)
    return _colour_classes(_contents_first(page))


def _contents_first(page: str) -> str:
    """The contents move to the top of the page (pyLODE puts them last, fixed to the right):
    on a phone they are read first; on a desktop they stay where pyLODE's styles put them."""
    start = page.find('<div id="toc"')
    end = page.find("</div>", start) + len("</div>")
    body = page.find("<body>")
    if start == -1 or body == -1 or start < body or "<div" in page[start + 4 : end]:
        return page
    toc = page[start:end]
    page = page[:start] + page[end:]
    at = body + len("<body>")
    return page[:at] + "\n" + toc + page[at:]


def _fold_contents(page: str) -> str:
    """Each section's list of terms in the contents opens from its heading."""
    start = page.find('<div id="toc"')
    if start == -1:
        return page
    end = page.find("</div>", start)
    toc = page[start:end]

    def fold(match: re.Match[str]) -> str:
        count = match[2].count("<li>")
        if not count:
            return match[0]
        return (
            f"<h4>{match[1]}</h4>\n<details><summary>list ({count})</summary>"
            f'<ul class="second">{match[2]}</ul></details>'
        )

    toc = re.sub(
        r'<h4>\s*(<a href="#[^"]*">[^<]*</a>)\s*</h4>\s*<ul class="second">(.*?)</ul>',
        fold,
        toc,
        flags=re.S,
    )
    return page[:start] + toc + page[end:]


def _colour_classes(page: str) -> str:
    """Each class of the Classes section shows its palette group; a legend opens the section."""
    start = page.find('<div class="section" id="classes">')
    if start == -1:
        return page
    end = page.find('<div class="section" id=', start + 10)
    end = len(page) if end == -1 else end
    section = page[start:end]

    def mark(match: re.Match[str]) -> str:
        group = palette.group_of(html.unescape(match[3]).strip())
        return (
            f'{match[1]}\n<p class="vg-group"><span class="vg-swatch" '
            f'style="background:{group.colour}"></span>{html.escape(group.label)}'
            " (its colour on every vetgraph page)</p>"
            f"{match[2]}"
        )

    section = _CLASS_BLOCK.sub(mark, section)
    legend = "".join(
        f'<li><span class="vg-swatch" style="background:{g.colour}"></span>'
        f"{html.escape(g.label)}: {html.escape(g.description)}</li>"
        for g in palette.GROUPS
    )
    section = section.replace(
        "<h2>Classes</h2>",
        "<h2>Classes</h2>\n<p>Every class belongs to one of ten groups, each with one colour "
        f'on every vetgraph page (network, timeline, entity pages):</p><ul class="vg-groups">'
        f"{legend}</ul>",
        1,
    )
    return page[:start] + section + page[end:]
