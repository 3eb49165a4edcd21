"""A scaled, policy-shaped vetgraph data set for benchmarks, deterministic from a seed.

It uses the real vocabulary (vetgraph's classes and properties) and the real provenance
model (one claim per entity, a PROV-O citation with a locator for every claim, the
sources described in ``vgg:sources``), with realistic fan-out: alliances with 7-25 partners
in 5-15 countries, sectors, calls with applications and selections, programmes in a
succession chain, dated policy documents with builds-on chains, labels in two or three
languages, budgets in euro. The result validates against vetgraph's shapes and checks.

    python -m bench.generate --triples 100000 --seed 7 -o bench/out/100k.trig

``generate(target)`` yields quads until about ``target`` quads have been produced (the
build later adds the claim index, about one triple per claim). The same seed and target
always give the same quads in the same order.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from vetgraph.graph.namespaces import (
    CLAIM,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    SRC,
    VET,
    VG,
    VGG,
    XSD,
)

_N = ox.NamedNode
_TYPE = _N(RDF.type)
_LABEL = _N(RDFS.label)
_PROVENANCE = _N(VGG.provenance)
_SOURCES = _N(VGG.sources)
_COUNTRY_TABLE = "http://publications.europa.eu/resource/authority/country/"
_LANGS = ("en", "de", "fr")
_SECTOR_WORDS = (
    "tourism",
    "automotive",
    "elderly care",
    "construction",
    "maritime",
    "textiles",
    "steel",
    "batteries",
    "microelectronics",
    "agriculture",
    "software",
    "blockchain",
    "rail",
    "health",
    "energy",
    "logistics",
    "retail",
    "media",
    "chemicals",
    "aerospace",
    "food",
    "water",
    "forestry",
    "fisheries",
    "mining",
    "printing",
    "furniture",
    "glass",
    "paper",
    "defence",
)
_ALLIANCE_WORD = {
    "en": "Skills alliance for",
    "de": "Kompetenzallianz für",
    "fr": "Alliance des compétences pour",
}


def _lit(value: str, datatype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    if datatype:
        return ox.Literal(value, datatype=_N(datatype))
    return ox.Literal(value)


class _Writer:
    """Emits the quads of claims and their citations, counting as it goes."""

    def __init__(self, rng: random.Random, n_sources: int) -> None:
        self.rng = rng
        self.count = 0
        self.n_sources = n_sources
        self.claims = 0

    def claim(
        self, name: str, triples: list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, object]]
    ) -> Iterator[ox.Quad]:
        graph = _N(CLAIM[name])
        self.claims += 1
        citation = ox.BlankNode(f"c{self.claims}")
        source = _N(SRC[f"bench-source-{self.rng.randrange(self.n_sources)}"])
        section = f"Section {self.rng.randint(1, 12)}"
        sentence = _lit(str(self.rng.randint(1, 40)), XSD.integer)
        for quad in (
            ox.Quad(graph, _N(PROV.qualifiedDerivation), citation, _PROVENANCE),
            ox.Quad(citation, _N(PROV.entity), source, _PROVENANCE),
            ox.Quad(citation, _N(VET.section), _lit(section), _PROVENANCE),
            ox.Quad(citation, _N(VET.sentence), sentence, _PROVENANCE),
        ):
            self.count += 1
            yield quad
        for s, p, o in triples:
            self.count += 1
            yield ox.Quad(s, p, o, graph)  # type: ignore[arg-type]


def _labels(subject: ox.NamedNode, texts: dict[str, str], rng: random.Random) -> list[tuple]:
    langs = ["en", *rng.sample(_LANGS[1:], rng.randint(1, 2))]
    return [(subject, _LABEL, _lit(texts[lang], lang=lang)) for lang in langs]


def generate(target: int, seed: int = 1) -> Iterator[ox.Quad]:
    """Yield about ``target`` quads of a policy-shaped vetgraph dataset."""
    rng = random.Random(seed)
    scale = max(1, target // 10_000)
    n_sources = 20 * scale
    n_countries = min(40, 10 + 2 * scale)
    n_sectors = min(len(_SECTOR_WORDS), 10 + scale)
    n_programmes = 6 + scale
    n_documents = 10 + 4 * scale
    n_organisations = 150 * scale
    n_calls = 5 * scale
    out = _Writer(rng, n_sources)

    for i in range(n_sources):
        s = _N(SRC[f"bench-source-{i}"])
        for p, o in (
            (_TYPE, _N(VET.SourceDocument)),
            (_N("http://purl.org/dc/terms/title"), _lit(f"Benchmark source {i}", lang="en")),
            (_N(VET.url), _lit(f"https://example.org/source/{i}", XSD.anyURI)),
            (_N(VET.publisherName), _lit("Benchmark publisher")),
            (
                _N(VET.sourceKind),
                _N(VET[rng.choice(["OfficialEUSource", "ThirdPartySource", "ProjectSite"])]),
            ),
            (_N(VET.retrievedOn), _lit("2026-11-25", XSD.date)),
        ):
            out.count += 1
            yield ox.Quad(s, p, o, _SOURCES)

    countries = [_N(VG[f"bench-country-{i}"]) for i in range(n_countries)]
    for i, c in enumerate(countries):
        code = chr(65 + i // 26) + chr(65 + i % 26)
        yield from out.claim(
            f"bench-country-{i}",
            [
                (c, _TYPE, _N(VET.Country)),
                (c, _LABEL, _lit(f"Country {code}", lang="en")),
                (c, _N(VET.iso3166Alpha2), _lit(code)),
                # the EU country-table link the shapes require; "9" keeps the code synthetic
                (c, _N(OWL.sameAs), _N(f"{_COUNTRY_TABLE}{code}9")),
            ],
        )
    sectors = [_N(VG[f"bench-sector-{i}"]) for i in range(n_sectors)]
    for i, s in enumerate(sectors):
        word = _SECTOR_WORDS[i]
        yield from out.claim(
            f"bench-sector-{i}",
            [
                (s, _TYPE, _N(VET.Sector)),
                (s, _LABEL, _lit(word, lang="en")),
                (s, _N(SKOS.prefLabel), _lit(word, lang="en")),
                (s, _N(SKOS.inScheme), _N(VET.sectorScheme)),
            ],
        )
    programmes = [_N(VG[f"bench-programme-{i}"]) for i in range(n_programmes)]
    for i, p in enumerate(programmes):
        start = 1990 + 7 * i
        triples = [
            (p, _TYPE, _N(VET.Programme)),
            *_labels(p, {lang: f"Programme {i} ({lang})" for lang in _LANGS}, rng),
            (p, _N(VET.startDate), _lit(str(start), XSD.gYear)),
            (p, _N(VET.endDate), _lit(str(start + 6), XSD.gYear)),
        ]
        if i:
            triples.append((p, _N(VET.succeeds), programmes[i - 1]))
        yield from out.claim(f"bench-programme-{i}", triples)
    documents = [_N(VG[f"bench-document-{i}"]) for i in range(n_documents)]
    kinds = ["Communique", "Declaration", "Conclusions", "Recommendation", "Communication"]
    for i, d in enumerate(documents):
        year = 1995 + (30 * i) // n_documents
        triples = [
            (d, _TYPE, _N(VET[kinds[i % len(kinds)]])),
            *_labels(d, {lang: f"Policy document {i} ({lang})" for lang in _LANGS}, rng),
            (
                d,
                _N(VET.date),
                _lit(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", XSD.date),
            ),
            (
                d,
                _N("http://purl.org/dc/terms/description"),
                _lit(f"Synthetic policy text number {i}.", lang="en"),
            ),
        ]
        for back in sorted(
            {rng.randint(max(0, i - 5), i - 1) for _ in range(rng.randint(1, 2))} if i else set()
        ):
            triples.append((d, _N(VET.buildsOn), documents[back]))
        yield from out.claim(f"bench-document-{i}", triples)
    organisations = [_N(VG[f"bench-organisation-{i}"]) for i in range(n_organisations)]
    for i, org in enumerate(organisations):
        yield from out.claim(
            f"bench-organisation-{i}",
            [
                (org, _TYPE, _N(VET.Organisation)),
                (org, _LABEL, _lit(f"Organisation {i}", lang="en")),
                (org, _N(VET.basedIn), rng.choice(countries)),
            ],
        )
    calls = [_N(VG[f"bench-call-{i}"]) for i in range(n_calls)]
    for i, call in enumerate(calls):
        received = rng.randint(20, 200)
        yield from out.claim(
            f"bench-call-{i}",
            [
                (call, _TYPE, _N(VET.CallForProposals)),
                (call, _LABEL, _lit(f"Call {i}", lang="en")),
                (call, _N(VET.callReference), _lit(f"BENCH/{i:04d}")),
                (call, _N(VET.date), _lit(str(2012 + i % 12), XSD.gYear)),
                (call, _N(VET.applicationsReceived), _lit(str(received), XSD.integer)),
                (
                    call,
                    _N(VET.proposalsSelected),
                    _lit(str(rng.randint(1, received // 4)), XSD.integer),
                ),
                (call, _N(VET.fundedBy), rng.choice(programmes)),
            ],
        )

    i = 0
    while out.count < target:
        a = _N(VG[f"bench-alliance-{i}"])
        sector = rng.randrange(n_sectors)
        start = rng.randint(2013, 2024)
        partners = rng.sample(organisations, min(len(organisations), rng.randint(7, 25)))
        nations = rng.sample(countries, min(len(countries), rng.randint(5, 15)))
        budget = ox.BlankNode(f"budget{i}")
        word = _SECTOR_WORDS[sector]
        triples = [
            (a, _TYPE, _N(VET.SectorSkillsAlliance)),
            *_labels(a, {lang: f"{_ALLIANCE_WORD[lang]} {word} {i}" for lang in _LANGS}, rng),
            (
                a,
                _N("http://purl.org/dc/terms/description"),
                _lit(f"Synthetic alliance {i} working on {word} skills.", lang="en"),
            ),
            (a, _N(VET.startDate), _lit(f"{start}-{rng.randint(1, 12):02d}", XSD.gYearMonth)),
            (a, _N(VET.endDate), _lit(str(start + rng.randint(2, 4)), XSD.gYear)),
            (a, _N(VET.sector), sectors[sector]),
            (a, _N(VET.coordinator), partners[0]),
            *[(a, _N(VET.partner), p) for p in partners],
            *[(a, _N(VET.country), c) for c in nations],
            (a, _N(VET.partnerCount), _lit(str(len(partners)), XSD.integer)),
            (a, _N(VET.countryCount), _lit(str(len(nations)), XSD.integer)),
            (a, _N(VET.fundedBy), rng.choice(programmes)),
            (a, _N(VET.selectedInCall), rng.choice(calls)),
            (a, _N(VET.projectNumber), _lit(f"{600000 + i}-BENCH-{start}")),
            (a, _N(VET.budget), budget),
            (budget, _TYPE, _N(VET.MonetaryAmount)),
            (budget, _N(VET.amount), _lit(f"{rng.randint(300, 4000) * 1000}", XSD.decimal)),
            (budget, _N(VET.currency), _lit("EUR")),
        ]
        yield from out.claim(f"bench-alliance-{i}", triples)
        i += 1


def write(path: Path, target: int, seed: int = 1) -> int:
    """Write the data set to ``path`` (.trig/.nq keep graphs; .ttl/.nt merge); returns quads."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise SystemExit(f"{path}: unknown extension; use .trig, .nq, .ttl or .nt")
    count = 0

    def counted() -> Iterator[ox.Quad]:  # streamed: 10M quads held at once took gigabytes
        nonlocal count
        for count, quad in enumerate(generate(target, seed), 1):  # noqa: B007
            yield quad

    quads = counted()
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt.supports_datasets:
        ox.serialize(quads, str(path), fmt, prefixes=PREFIXES)
    else:
        ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in quads),
            str(path),
            fmt,
            prefixes=PREFIXES,
        )
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--triples", type=int, default=10_000, help="about how many quads to generate"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help=".trig, .nq, .ttl or .nt")
    args = parser.parse_args()
    n = write(args.output, args.triples, args.seed)
    print(f"{args.output}: {n} quads (seed {args.seed})")


if __name__ == "__main__":
    main()
