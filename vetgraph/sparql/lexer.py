"""Lexing SPARQL: just enough of it to know what a query is and where its WHERE group opens;
strings, IRIs and comments are tokens of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_TOKEN_PATTERN = "|".join(
    [
        r"(?P<ws>\s+)",
        r"(?P<comment>#[^\n\r]*)",
        r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
        r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
        r"|'(?:[^'\\\n\r]|\\.)*'"
        r'|"(?:[^"\\\n\r]|\\.)*")',
        r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
        f"(?P<var>[?$]{VARNAME})",
        f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
        f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
        r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
        r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
        r"(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)",
        r"(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!*/+\-|^])",
        r"(?P<other>.)",
    ]
)
#: Compiled when first needed: the full pattern's Unicode classes take 25 ms to compile,
#: a tenth of a whole `vetgraph query`. An ASCII text is read with the same pattern less
#: its characters above U+007F, which cannot match in it: the same tokens, at once.
_COMPILED: dict[bool, re.Pattern[str]] = {}


def _token_pattern(ascii_only: bool) -> re.Pattern[str]:
    pattern = _COMPILED.get(ascii_only)
    if pattern is None:
        text = _ascii_classes(_TOKEN_PATTERN) if ascii_only else _TOKEN_PATTERN
        pattern = _COMPILED[ascii_only] = re.compile(text, re.S)
    return pattern


def _ascii_classes(pattern: str) -> str:
    """The pattern with every range and character above U+007F taken out of its classes
    (the classes keep an ASCII member each, so none becomes empty; no range spans U+007F).

    >>> _ascii_classes("[A-Z\u00c0-\u00d6\u00b7_]")
    '[A-Z_]'
    """
    kept, i = [], 0
    while i < len(pattern):
        if pattern[i] > "\x7f":
            ranged = pattern[i + 1 : i + 2] == "-" and pattern[i + 2 : i + 3] > "\x7f"
            i += 3 if ranged else 1
            continue
        kept.append(pattern[i])
        i += 1
    return "".join(kept)


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, bnode, pname, word, langtag, number, punct, other
    text: str
    start: int  # offset in the query text
    end: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokenize(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments.

    >>> [t.text for t in tokenize('SELECT ?s { ?s ?p "SERVICE # not a comment" } # SERVICE')]
    ['SELECT', '?s', '{', '?s', '?p', '"SERVICE # not a comment"', '}']
    """
    tokens = []
    for match in _token_pattern(text.isascii()).finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
    return tokens


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1) of an offset in ``text``, for messages."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
