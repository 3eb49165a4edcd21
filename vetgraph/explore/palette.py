"""One colour scheme for the whole project: every class belongs to one of ten groups, taken
from the ontology's modules, and each group has one colour on every page (network, timeline,
path, entity pages, the site).

Groups follow the module that defines a class (``rdfs:isDefinedBy``); the policy module is
split in two, its documents (``vet:PolicyDocument`` and its subclasses) and what policy aims at
or does (objectives, targets, problems, measures). A class from outside the ontology (a
researcher's own) is in "Other". The mapping is read once from the bundled ontology files, so
it does not depend on which entities a page shows: a communiqué is always the same blue.

The colours are Okabe and Ito's colour-blind-safe palette with two greys and black; any two
differ by a CIEDE2000 ΔE of at least 20 (:func:`delta_e`, checked by the tests).

>>> group_of("vet:Communique").label, group_of("vet:Communique").colour
('Policy documents', '#0072B2')
>>> group_of("vet:Programme").key, group_of("ex:MySurveyWave").key
('programmes', 'other')
>>> len(GROUPS) <= 10
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from vetgraph.graph.namespaces import OWL, RDF, RDFS, VET, curie

_MODULE = "https://w3id.org/vetgraph/ontology/"


@dataclass(frozen=True)
class Group:
    """A group of classes: a stable ``key``, a ``label`` for legends, its ``colour`` (hex)."""

    key: str
    label: str
    colour: str
    description: str


#: The groups, in the order legends list them.
GROUPS: tuple[Group, ...] = (
    Group("documents", "Policy documents", "#0072B2", "communiqués, recommendations, acts"),
    Group("aims", "Policy aims and measures", "#56B4E9", "objectives, targets, problems"),
    Group("programmes", "Programmes and alliances", "#D55E00", "programmes, calls, projects"),
    Group("instruments", "Tools and frameworks", "#009E73", "EQF, ECVET, EQAVET, Europass"),
    Group("agents", "Bodies and organisations", "#E69F00", "institutions, agencies, partners"),
    Group("events", "Events", "#CC79A7", "meetings, conferences, releases"),
    Group("sectors", "Sectors", "#F0E442", "economic sectors"),
    Group("core", "Countries, places, amounts", "#555555", "countries, cities, sums"),
    Group("provenance", "Sources and claims", "#000000", "the documents facts cite"),
    Group("other", "Other", "#BBBBBB", "classes from outside the ontology"),
)
_BY_KEY = {group.key: group for group in GROUPS}
#: Module local name → group key (the policy module is split by class below).
_MODULES = {
    "policy": "aims",
    "programmes": "programmes",
    "instruments": "instruments",
    "agents": "agents",
    "events": "events",
    "sectors": "sectors",
    "core": "core",
    "provenance": "provenance",
}


def group_of(class_curie: str) -> Group:
    """The group of a class, given as a CURIE (``vet:Communique``) or a full IRI."""
    name = curie(class_curie) if "://" in class_curie else class_curie
    key = _class_groups().get(name, "other")
    return _BY_KEY[key]


def colour_of(class_curie: str) -> str:
    """The colour of a class on every page."""
    return group_of(class_curie).colour


def groups_by_key() -> dict[str, Group]:
    return dict(_BY_KEY)


def class_groups() -> dict[str, str]:
    """Every class of the bundled ontology (CURIE) → its group key."""
    return dict(_class_groups())


@lru_cache(maxsize=1)
def _class_groups() -> dict[str, str]:
    import pyoxigraph as ox

    from vetgraph.graph import resources

    defined: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    classes: set[str] = set()
    for path in resources.ontology_files():
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
            if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.NamedNode):
                continue
            if predicate == RDFS.isDefinedBy and obj.value.startswith(_MODULE):
                defined[subject.value] = obj.value[len(_MODULE) :]
            elif predicate == RDF.type and obj.value == OWL.Class:
                classes.add(subject.value)
            elif predicate == RDFS.subClassOf:
                parents.setdefault(subject.value, set()).add(obj.value)
    found: dict[str, str] = {}
    for term, module in defined.items():
        if module not in _MODULES or term not in classes:
            continue
        key = _MODULES[module]
        if key == "aims" and _is_document(term, parents):
            key = "documents"
        found[curie(term)] = key
    return found


def _is_document(term: str, parents: dict[str, set[str]]) -> bool:
    seen, todo = set(), [term]
    while todo:
        current = todo.pop()
        if current == VET.PolicyDocument:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return False


def darker(colour: str, factor: float = 0.7) -> str:
    """The colour darkened (for borders and text on a light ground)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * factor):02x}{int(g * factor):02x}{int(b * factor):02x}"


def delta_e(first: str, second: str) -> float:
    """The CIEDE2000 colour difference of two hex colours (sRGB, D65).

    >>> round(delta_e("#0072B2", "#56B4E9"), 1) >= 20
    True
    """
    l1, a1, b1 = _lab(first)
    l2, a2, b2 = _lab(second)
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    h_mean = h1 + h2 if c1 * c2 == 0 else (h1 + dh / 2) % 360
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def _lab(colour: str) -> tuple[float, float, float]:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))
