"""The competency questions answer with what the sources say, on the bundled graph.

One test per query in ``queries/cq``: each asserts facts of EU VET policy (who succeeded
whom, what the pilot call selected, which tools alliances must apply...) so that a wrong
fact in ``data/`` or a wrong query fails here. Parameters are bound as RDF terms, the way
the CLI binds them.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from vetgraph.graph.namespaces import XSD, curie, expand
from vetgraph.sparql.library import load_library

CQS = {q.name: q for q in load_library("cq")}


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:"
    return term.value


def ask(kg, name: str, **params: str) -> list[dict[str, str | None]]:
    """Run one CQ; parameters are CURIEs (vg:x) or gYear literals (year=2014)."""
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for key, value in params.items():
        iri = expand(value)
        if iri is not None:
            bindings[key] = ox.NamedNode(iri)
        else:
            bindings[key] = ox.Literal(value, datatype=ox.NamedNode(XSD.gYear))
    query = CQS[name]
    rows = kg.select(query.text, bindings=bindings or None)
    names = _variables(query.text)
    return [{v: _short(row[v]) for v in names} for row in rows]


def _variables(text: str) -> list[str]:
    """The projected variables of a library query (its shape line lists them)."""
    shape = next(line for line in text.splitlines() if line.startswith("# shape: SELECT"))
    head = shape.removeprefix("# shape: SELECT").split(";", 1)[0]
    return [word.lstrip("?") for word in head.split() if word.startswith("?")]


def column(rows, name: str) -> list[str | None]:
    return [row[name] for row in rows]


def pairs(rows, *names: str) -> set[tuple[str | None, ...]]:
    return {tuple(row[n] for n in names) for row in rows}


# -- the library itself ---------------------------------------------------------------------


def test_there_are_at_least_25_competency_questions():
    assert len(CQS) >= 25


@pytest.mark.parametrize("name", sorted(CQS))
def test_every_cq_asks_a_question_in_english(name):
    header = CQS[name].header
    assert header.question and header.question.endswith("?"), name
    assert all(p.example for p in header.params), f"{name}: every parameter needs an example"


@pytest.mark.parametrize("name", sorted(CQS))
def test_every_cq_answers_its_example(bundled, name):
    query = CQS[name]
    bindings = {}
    for p in query.header.params:
        iri = expand(p.example)
        if p.type == "iri":
            assert iri is not None, p.example
            bindings[p.name] = ox.NamedNode(iri)
        else:
            bindings[p.name] = ox.Literal(p.example, datatype=ox.NamedNode(XSD[p.type]))
    rows = bundled.select(query.text, bindings=bindings or None)
    assert rows, f"{name} gives no answer for its example"
    projected = {v for row in rows[:1] for v in _variables(query.text) if row[v] is not None}
    assert projected, name
    for p in query.header.params:  # parameters come back in the answer (they are projected)
        assert all(row[p.name] == bindings[p.name] for row in rows), (name, p.name)


# -- programmes -----------------------------------------------------------------------------


def test_programme_succession(bundled):
    rows = ask(bundled, "programme-succession")
    assert pairs(rows, "programme", "relation", "predecessor") == {
        ("vg:leonardo-da-vinci-ii", "vet:succeeds", "vg:leonardo-da-vinci-i"),
        ("vg:lifelong-learning-programme", "vet:succeeds", "vg:leonardo-da-vinci-ii"),
        ("vg:erasmus-plus-2014-2020", "vet:replaces", "vg:lifelong-learning-programme"),
        ("vg:erasmus-plus-2021-2027", "vet:succeeds", "vg:erasmus-plus-2014-2020"),
    }
    # oldest successor first
    assert column(rows, "programme") == [
        "vg:leonardo-da-vinci-ii",
        "vg:lifelong-learning-programme",
        "vg:erasmus-plus-2014-2020",
        "vg:erasmus-plus-2021-2027",
    ]
    llp = next(r for r in rows if r["programme"] == "vg:lifelong-learning-programme")
    assert (llp["start"], llp["end"]) == ("2007", "2013")


def test_programme_predecessors_follow_the_chain(bundled):
    rows = ask(bundled, "programme-predecessors", programme="vg:erasmus-plus-2021-2027")
    assert column(rows, "predecessor") == [
        "vg:erasmus-plus-2014-2020",
        "vg:lifelong-learning-programme",
        "vg:leonardo-da-vinci-ii",
        "vg:leonardo-da-vinci-i",
    ]
    rows = ask(bundled, "programme-predecessors", programme="vg:lifelong-learning-programme")
    assert set(column(rows, "predecessor")) == {"vg:leonardo-da-vinci-ii", "vg:leonardo-da-vinci-i"}
    assert ask(bundled, "programme-predecessors", programme="vg:leonardo-da-vinci-i") == []


def test_programme_parts(bundled):
    rows = ask(bundled, "programme-parts", programme="vg:erasmus-plus")
    parts = set(column(rows, "part"))
    assert {
        "vg:erasmus-plus-2014-2020",
        "vg:erasmus-plus-2021-2027",
        "vg:erasmus-plus-ssa-action",
        "vg:erasmus-plus-ka2",
        "vg:blueprint-sectoral-cooperation",
        "vg:ntg",
        "vg:construction-blueprint",  # funded through the Sector Skills Alliances action
        "vg:construction-blueprint-2",  # through the 2021-2027 alliances action
    } <= parts
    # the four pilots were funded by the Lifelong Learning Programme, not by Erasmus+
    assert not any(p and p.startswith("vg:ssa-pilot-") for p in parts)
    rows = ask(bundled, "programme-parts", programme="vg:leonardo-da-vinci")
    assert set(column(rows, "part")) == {
        "vg:leonardo-da-vinci-i",
        "vg:leonardo-da-vinci-ii",
        "vg:leonardo-da-vinci-llp",
        "vg:leonardo-call-1995",
    }


def test_budgets_with_currency(bundled):
    rows = ask(bundled, "budgets")
    amounts = {(r["thing"], r["kind"]): (float(r["amount"] or 0), r["currency"]) for r in rows}
    assert amounts[("vg:lifelong-learning-programme", "vet:budget")] == (6_970_000_000, "EUR")
    assert amounts[("vg:erasmus-plus-2014-2020", "vet:budget")] == (14_775_000_000, "EUR")
    assert amounts[("vg:erasmus-plus-2021-2027", "vet:budget")] == (26_200_000_000, "EUR")
    assert amounts[("vg:leonardo-da-vinci-i", "vet:budget")] == (620_000_000, "XEU")
    assert amounts[("vg:ntg", "vet:euContribution")] == (4_000_000, "EUR")
    euros = [float(r["amount"] or 0) for r in rows if r["currency"] == "EUR"]
    assert euros == sorted(euros, reverse=True)
    assert rows[0]["thing"] == "vg:erasmus-plus-2021-2027"


# -- the Copenhagen process and other documents ---------------------------------------------


def test_copenhagen_process_documents_in_order(bundled):
    rows = ask(bundled, "copenhagen-process-documents")
    assert column(rows, "document") == [
        "vg:copenhagen-declaration",
        "vg:maastricht-communique",
        "vg:helsinki-communique",
        "vg:bordeaux-communique",
        "vg:bruges-communique",
        "vg:riga-conclusions",
    ]
    by = {r["document"]: r for r in rows}
    assert by["vg:bruges-communique"]["date"] == "2010-12-07"
    assert by["vg:bruges-communique"]["place"] == "vg:bruges"
    assert (by["vg:bruges-communique"]["periodStart"], by["vg:bruges-communique"]["periodEnd"]) == (
        "2011",
        "2020",
    )
    assert by["vg:maastricht-communique"]["date"] == "2004-12-14"
    counts = {d: r["countries"] for d, r in by.items()}
    assert counts["vg:copenhagen-declaration"] == "31"
    assert counts["vg:maastricht-communique"] == "32"
    assert counts["vg:helsinki-communique"] == "33"
    assert counts["vg:bruges-communique"] == "33"
    assert by["vg:riga-conclusions"]["replacedBy"] == "vg:osnabrueck-declaration"
    assert by["vg:riga-conclusions"]["class"] == "vet:Conclusions"


def test_what_a_document_builds_on(bundled):
    rows = ask(bundled, "document-builds-on", item="vg:riga-conclusions")
    assert column(rows, "earlier") == [
        "vg:bruges-communique",
        "vg:council-resolution-2002-vet",
        "vg:copenhagen-declaration",
    ]
    rows = ask(bundled, "document-builds-on", item="vg:blueprint-sectoral-cooperation")
    assert set(column(rows, "earlier")) == {
        "vg:erasmus-plus-ssa-action",
        "vg:ssa-pilot-call-2012",
        "vg:leonardo-da-vinci",
    }
    assert ask(bundled, "document-builds-on", item="vg:council-resolution-2002-vet") == []


def test_communique_lineage(bundled):
    rows = ask(bundled, "communique-lineage")
    lineage = pairs(rows, "document", "earlier")
    assert ("vg:helsinki-communique", "vg:maastricht-communique") in lineage
    assert ("vg:helsinki-communique", "vg:copenhagen-declaration") in lineage
    assert ("vg:riga-conclusions", "vg:council-resolution-2002-vet") in lineage
    assert ("vg:copenhagen-declaration", "vg:council-resolution-2002-vet") in lineage
    # nothing builds on a later document
    assert ("vg:maastricht-communique", "vg:helsinki-communique") not in lineage
    assert ("vg:bruges-communique", "vg:riga-conclusions") not in lineage
    assert len(lineage) == 11


def test_who_adopted_each_document(bundled):
    rows = ask(bundled, "document-adopters")
    adopted = pairs(rows, "document", "party")
    assert {
        ("vg:copenhagen-declaration", "vg:ministers-for-vet"),
        ("vg:copenhagen-declaration", "vg:european-commission"),
        ("vg:copenhagen-declaration", "vg:european-social-partners"),
        ("vg:council-resolution-2002-vet", "vg:council-of-the-eu"),
        ("vg:eqf-recommendation-2008", "vg:european-parliament"),
        ("vg:eqf-recommendation-2008", "vg:council-of-the-eu"),
        ("vg:bruges-communique", "vg:turkey"),
        ("vg:riga-conclusions", "vg:norway"),
    } <= adopted
    # the 2017 EQF and 2020 VET recommendations are the Council's alone
    assert {p for d, p in adopted if d == "vg:eqf-recommendation-2017"} == {"vg:council-of-the-eu"}
    assert {p for d, p in adopted if d == "vg:vet-recommendation-2020"} == {"vg:council-of-the-eu"}
    assert column(rows, "date") == sorted(column(rows, "date"), key=lambda d: d or "")


def test_legal_bases_with_identifiers(bundled):
    rows = ask(bundled, "legal-bases")
    acts = pairs(rows, "thing", "act")
    assert {
        ("vg:eqf", "vg:eqf-recommendation-2008"),
        ("vg:eqf", "vg:eqf-recommendation-2017"),
        ("vg:ecvet", "vg:ecvet-recommendation-2009"),
        ("vg:eqavet", "vg:eqavet-recommendation-2009"),
        ("vg:europass", "vg:europass-decision-2004"),
        ("vg:europass", "vg:europass-decision-2018"),
        ("vg:lifelong-learning-programme", "vg:llp-decision-2006"),
        ("vg:erasmus-plus-2014-2020", "vg:erasmus-plus-regulation-2013"),
        ("vg:erasmus-plus-2021-2027", "vg:erasmus-plus-regulation-2021"),
        ("vg:leonardo-da-vinci-i", "vg:council-decision-94-819"),
        ("vg:cedefop", "vg:cedefop-regulation-1975"),
    } <= acts
    celex = {r["act"]: r["celex"] for r in rows if r["celex"]}
    assert celex["vg:erasmus-plus-regulation-2013"] == "32013R1288"
    assert celex["vg:erasmus-plus-regulation-2021"] == "32021R0817"
    assert celex["vg:eqf-recommendation-2008"] == "32008H0506(01)"
    assert celex["vg:ecvet-recommendation-2009"] == "32009H0708(02)"
    assert celex["vg:eqavet-recommendation-2009"] == "32009H0708(01)"
    assert celex["vg:llp-decision-2006"] == "32006D1720"


def test_which_act_repealed_which(bundled):
    rows = ask(bundled, "legal-act-history")
    assert {
        (a, o) for a, r, o in pairs(rows, "act", "relation", "other") if r == "vet:repeals"
    } == {
        ("vg:eqf-recommendation-2017", "vg:eqf-recommendation-2008"),
        ("vg:erasmus-plus-regulation-2013", "vg:llp-decision-2006"),
        ("vg:erasmus-plus-regulation-2021", "vg:erasmus-plus-regulation-2013"),
        ("vg:europass-decision-2018", "vg:europass-decision-2004"),
    }
    proposals = {a: o for a, r, o in pairs(rows, "act", "relation", "other") if r != "vet:repeals"}
    assert proposals["vg:vet-recommendation-2020"] == "vg:com-2020-275"
    assert proposals["vg:ecvet-recommendation-2009"] == "vg:com-2008-180"


def test_tool_timeline(bundled):
    rows = ask(bundled, "tool-timeline")
    esco = [(r["version"], r["date"]) for r in rows if r["tool"] == "vg:esco"]
    assert esco == [("v0", "2013-10"), ("v1", "2017-07-28")]
    eqf = [r["milestone"] for r in rows if r["tool"] == "vg:eqf"]
    assert eqf == ["vg:eqf-recommendation-2008", "vg:eqf-recommendation-2017"]
    assert {r["tool"] for r in rows} == {
        "vg:eqf",
        "vg:ecvet",
        "vg:eqavet",
        "vg:europass",
        "vg:esco",
    }


# -- Sector Skills Alliances ----------------------------------------------------------------


def test_tools_that_sector_skills_alliances_must_apply(bundled):
    rows = ask(bundled, "ssa-required-tools")
    assert set(column(rows, "action")) == {"vg:erasmus-plus-ssa-action"}
    assert set(column(rows, "acronym")) == {"EQF", "ECVET", "EQAVET"}
    assert {r["legalAct"] for r in rows if r["tool"] == "vg:eqf"} == {
        "vg:eqf-recommendation-2008",
        "vg:eqf-recommendation-2017",
    }


def test_the_sectors_of_the_four_pilots(bundled):
    rows = ask(bundled, "pilot-sectors")
    assert set(column(rows, "call")) == {"vg:ssa-pilot-call-2012"}
    assert pairs(rows, "project", "sectorLabel") == {
        ("vg:ssa-pilot-automotive-manufacturing", "automotive manufacturing"),
        ("vg:ssa-pilot-elderly-care", "elderly care"),
        ("vg:ssa-pilot-energy-saving-construction", "energy-saving construction"),
        ("vg:ssa-pilot-tourism", "tourism"),
    }
    by = {r["project"]: r for r in rows}
    assert by["vg:ssa-pilot-energy-saving-construction"]["projectLabel"] == "Skills Energy BSR"
    assert by["vg:ssa-pilot-energy-saving-construction"]["countries"] == "5"
    assert by["vg:ssa-pilot-elderly-care"]["countries"] == "6"


def test_pilot_call_selection_rate(bundled):
    rows = ask(bundled, "call-selection-rate")
    by = {r["call"]: r for r in rows}
    ssa = by["vg:ssa-pilot-call-2012"]
    assert (ssa["reference"], ssa["applications"], ssa["selected"]) == ("EAC/S01/2012", "75", "4")
    assert ssa["percent"] == "5"
    leonardo = by["vg:leonardo-call-1995"]
    assert (leonardo["applications"], leonardo["selected"], leonardo["percent"]) == (
        "4542",
        "749",
        "16",
    )


def test_pilot_call_eligibility(bundled):
    rows = ask(bundled, "call-eligibility")
    ssa = next(r for r in rows if r["call"] == "vg:ssa-pilot-call-2012")
    assert (ssa["minPartners"], ssa["minCountries"], ssa["minMemberStates"]) == ("7", "5", "4")
    assert ssa["fundedBy"] == "vg:lifelong-learning-programme"
    assert ssa["rule"] and "seven" in ssa["rule"]


def test_alliance_coordinators(bundled):
    rows = ask(bundled, "alliance-coordinators")
    coordinators = pairs(rows, "project", "coordinator")
    assert {
        ("vg:ntg", "vg:federturismo"),
        ("vg:pantour", "vg:cehat"),
        ("vg:construction-blueprint", "vg:fundacion-laboral-construccion"),
        ("vg:spire-sais", "vg:tu-dortmund"),
        ("vg:essa-steel", "vg:tu-dortmund"),
        ("vg:skillsea", "vg:stc-group"),
        ("vg:sam", "vg:ewf"),
        ("vg:eldicare", "vg:akmi"),
        ("vg:eldicare-2", "vg:akmi"),
    } <= coordinators
    # the textile Blueprint was coordinated by three European umbrella associations
    assert {c for p, c in coordinators if p == "vg:s4tclf"} == {
        "vg:euratex",
        "vg:cotance",
        "vg:cec-footwear",
    }
    blueprint = next(r for r in rows if r["project"] == "vg:construction-blueprint")
    assert blueprint["coordinatorCountry"] == "vg:spain"
    assert (blueprint["partners"], blueprint["countries"]) == ("24", "12")


def test_the_blueprint_alliances(bundled):
    rows = ask(bundled, "blueprint-alliances")
    assert set(column(rows, "project")) == {
        "vg:drives",
        "vg:ntg",
        "vg:construction-blueprint",
        "vg:essa-steel",
        "vg:spire-sais",
        "vg:chaise",
        "vg:essa-software",
        "vg:s4tclf",
        "vg:b-wise",
        "vg:metis",
    }
    numbers = {r["project"]: r["projectNumber"] for r in rows if r["projectNumber"]}
    assert numbers["vg:drives"] == "591988-EPP-1-2017-1-CZ-EPPKA2-SSA-B"
    assert numbers["vg:essa-steel"] == "600886-EPP-1-2018-1-DE-EPPKA2-SSA-B"


def test_what_works_in_a_sector(bundled):
    rows = ask(bundled, "projects-in-sector", sector="vg:sector-tourism")
    assert set(column(rows, "thing")) == {
        "vg:ssa-pilot-tourism",
        "vg:ntg",
        "vg:pantour",
        "vg:blueprint-sectoral-cooperation",
        "vg:erasmus-plus-ssa-action",
    }
    rows = ask(bundled, "projects-in-sector", sector="vg:sector-elderly-care")
    assert set(column(rows, "thing")) == {
        "vg:ssa-pilot-elderly-care",
        "vg:eldicare",
        "vg:eldicare-2",
    }
    rows = ask(bundled, "projects-in-sector", sector="vg:sector-construction")
    assert set(column(rows, "thing")) == {
        "vg:construction-blueprint",
        "vg:construction-blueprint-2",
    }


def test_what_involves_a_country(bundled):
    rows = ask(bundled, "projects-in-country", country="vg:italy")
    assert {t for link, t in pairs(rows, "link", "thing") if link == "vet:country"} == {
        "vg:care4skills",
        "vg:caress",
        "vg:construction-blueprint-2",
        "vg:spire-sais",
        "vg:ssa-pilot-elderly-care",
        "vg:sam",
        "vg:b-wise",
    }
    rows = ask(bundled, "projects-in-country", country="vg:norway")
    assert {t for link, t in pairs(rows, "link", "thing") if link == "vet:adoptedBy"} == {
        "vg:bruges-communique",
        "vg:riga-conclusions",
    }


# -- bodies, groups, places, events ---------------------------------------------------------


def test_stakeholder_groups(bundled):
    rows = ask(bundled, "stakeholder-groups")
    members = {o for g, link, o in pairs(rows, "group", "link", "other") if link == "member"}
    assert members == {"vg:unice", "vg:ceep", "vg:etuc"}
    involved = {g for g, link, o in pairs(rows, "group", "link", "other") if link == "involved in"}
    assert involved == {
        "vg:sector-stakeholders",
        "vg:vet-authorities-and-decision-makers",
        "vg:vet-providers-and-researchers",
    }


def test_which_body_launched_or_manages_what(bundled):
    rows = ask(bundled, "bodies-and-roles")
    assert {
        ("vg:dg-eac", "vet:launchedBy", "vg:ssa-pilot-call-2012"),
        ("vg:european-commission", "vet:launchedBy", "vg:pact-for-skills"),
        ("vg:new-skills-agenda-2016", "vet:launchedBy", "vg:blueprint-sectoral-cooperation"),
        ("vg:eacea", "vet:managedBy", "vg:erasmus-plus-ssa-action"),
        ("vg:dg-empl", "vet:managedBy", "vg:esco"),
        ("vg:kutsekoda", "vet:organisedBy", "vg:efec-tallinn-meeting-2014"),
    } <= pairs(rows, "body", "role", "thing")


def test_organisations_and_their_seats(bundled):
    rows = ask(bundled, "organisations")
    by = {r["organisation"]: r for r in rows}
    assert (by["vg:cedefop"]["seat"], by["vg:cedefop"]["seatCountry"]) == (
        "vg:thessaloniki",
        "vg:greece",
    )
    assert by["vg:cedefop"]["legalBasis"] == "vg:cedefop-regulation-1975"
    assert (by["vg:etf"]["seat"], by["vg:etf"]["seatCountry"]) == ("vg:turin", "vg:italy")
    assert by["vg:eacea"]["seat"] == "vg:brussels"
    assert by["vg:acvt"]["class"] == "vet:Committee"
    assert by["vg:dg-empl"]["acronym"] == "DG EMPL"
    assert by["vg:etuc"]["group"] == "vg:european-social-partners"


def test_the_2014_move_of_vet_to_dg_empl(bundled):
    rows = ask(bundled, "responsibility-transfers")
    assert pairs(rows, "from", "to", "announced") == {("vg:dg-eac", "vg:dg-empl", "2014-09")}


def test_countries_codes_and_cities(bundled):
    rows = ask(bundled, "countries")
    codes = {r["country"]: r["code"] for r in rows}
    assert codes["vg:belgium"] == "BE"
    assert codes["vg:spain"] == "ES"
    assert codes["vg:latvia"] == "LV"
    assert codes["vg:norway"] is None  # no source for it
    cities = {c for country, c in pairs(rows, "country", "city") if country == "vg:belgium"}
    assert cities == {"vg:bruges", "vg:brussels"}
    assert codes["vg:austria"] is None  # the style guide copy read stops before Austria
    assert len(codes) == 28


def test_events_and_where_they_took_place(bundled):
    rows = ask(bundled, "events")
    conference = next(r for r in rows if r["event"] == "vg:ssa-conference-2014")
    assert (conference["date"], conference["place"], conference["country"]) == (
        "2014-04-15",
        "vg:brussels",
        "vg:belgium",
    )
    assert {r["concerns"] for r in rows if r["event"] == "vg:ssa-conference-2014"} == {
        "vg:ssa-pilot-automotive-manufacturing",
        "vg:ssa-pilot-elderly-care",
        "vg:ssa-pilot-energy-saving-construction",
        "vg:ssa-pilot-tourism",
    }
    tallinn = next(r for r in rows if r["event"] == "vg:efec-tallinn-meeting-2014")
    assert (tallinn["organiser"], tallinn["start"], tallinn["end"]) == (
        "vg:kutsekoda",
        "2014-12-03",
        "2014-12-05",
    )
    order = [r["date"] or r["start"] for r in rows]
    assert order == sorted(order, key=lambda d: d or "")
    assert rows[0]["event"] == "vg:cedefop-move-to-thessaloniki"


def test_everything_dated_in_a_period(bundled):
    rows = ask(bundled, "dated-in-period", **{"from": "2014", "to": "2015"})
    when = column(rows, "when")
    assert when == sorted(when, key=lambda d: d or "")
    assert all(d and "2014" <= d[:4] <= "2015" for d in when)
    dated = pairs(rows, "when", "dateKind", "thing")
    assert {
        ("2014-01-01", "vet:startDate", "vg:erasmus-plus-2014-2020"),
        ("2014-04-15", "vet:date", "vg:ssa-conference-2014"),
        ("2014-09", "vet:announcedOn", "vg:vet-transfer-to-dg-empl"),
        ("2015-06-22", "vet:date", "vg:riga-conclusions"),
    } <= dated
    rows = ask(bundled, "dated-in-period", **{"from": "2002", "to": "2002"})
    assert {"vg:council-resolution-2002-vet", "vg:copenhagen-declaration"} <= set(
        column(rows, "thing")
    )
    assert "vg:riga-conclusions" not in column(rows, "thing")


# -- policy ---------------------------------------------------------------------------------


def test_policy_problems(bundled):
    rows = ask(bundled, "policy-problems")
    assert pairs(rows, "problem", "link", "other") == {
        ("vg:skills-mismatch", "vet:addresses", "vg:sector-skills-alliances"),
        ("vg:skills-mismatch", "vet:aggravates", "vg:economic-crisis"),
        ("vg:skills-shortages", "vet:addresses", "vg:blueprint-sectoral-cooperation"),
        ("vg:unemployment", "vet:addresses", "vg:blueprint-sectoral-cooperation"),
        ("vg:unemployment", "vet:contributesTo", "vg:skills-mismatch"),
    }


def test_policy_objectives(bundled):
    rows = ask(bundled, "policy-objectives")
    called = {
        (o, d)
        for o, link, d in pairs(rows, "objective", "link", "other")
        if link == "called for by"
    }
    assert {o for o, d in called if d == "vg:riga-conclusions"} == {
        "vg:objective-access-to-vet",
        "vg:objective-key-competences",
        "vg:objective-vet-quality-assurance-feedback",
        "vg:objective-vet-teacher-development",
        "vg:objective-work-based-learning",
    }
    assert ("vg:ecvet", "vg:council-resolution-2002-vet") in called
    supported = {
        d
        for o, link, d in pairs(rows, "objective", "link", "other")
        if link == "supported by" and o == "vg:objective-labour-market-relevant-vet"
    }
    assert supported == {"vg:ecvet", "vg:eqavet", "vg:erasmus-plus", "vg:public-consultations"}


# -- provenance -----------------------------------------------------------------------------


def test_claims_resting_on_third_party_sources_only(bundled):
    rows = ask(bundled, "third-party-only-claims")
    claims = set(column(rows, "claim"))
    assert "claim:maastricht-communique--32-countries" in claims
    kinds = {
        (curie(r["claim"].value), r["kind"].value)
        for r in bundled.select(
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX vet: <https://w3id.org/vetgraph/ontology#> "
            "SELECT ?claim ?kind WHERE { ?claim prov:qualifiedDerivation/prov:entity ?s . "
            "?s vet:sourceKind ?kind }"
        )
    }
    third = "https://w3id.org/vetgraph/ontology#ThirdPartySource"
    for claim in claims:
        assert {k for c, k in kinds if c == claim} == {third}, claim
    # a claim that also has an official source is not listed
    assert "claim:ssa-pilot-call-2012--results" not in claims


def test_sources_of_the_pilot_call(bundled):
    rows = ask(bundled, "sources-of-entity", entity="vg:ssa-pilot-call-2012")
    cited = pairs(rows, "claim", "source", "section")
    assert (
        "claim:ssa-pilot-call-2012--results",
        "src:ec-ssa-pilot-projects",
        "What has been done so far?",
    ) in cited
    assert all(r["locator"] for r in rows)
    assert {r["kind"] for r in rows} >= {"vet:OfficialEUSource"}


def test_what_the_eqf_brochure_states(bundled):
    rows = ask(bundled, "statements-of-source", source="src:ec-eqf-explained-brochure")
    facts = pairs(rows, "subject", "predicate", "object")
    assert ("vg:eqf", "vet:levelCount", "8") in facts
    assert all(r["source"] == "src:ec-eqf-explained-brochure" for r in rows)
    assert all(r["locator"] and r["locator"].startswith("sentence ") for r in rows)


def test_sectors_and_their_nace_codes(bundled):
    rows = ask(bundled, "sectors")
    tclf = {
        (r["mapping"], r["nace"])
        for r in rows
        if r["sector"] == "vg:sector-textile-clothing-leather-footwear"
    }
    nace = "nace:{}"
    assert tclf == {("skos:narrowMatch", nace.format(code)) for code in ("13", "14", "15")}
    # no other sector has a sourced NACE code
    assert {r["sector"] for r in rows if r["nace"]} == {
        "vg:sector-textile-clothing-leather-footwear"
    }
    things = {r["sector"]: int(r["things"] or 0) for r in rows}
    assert things["vg:sector-tourism"] == 5
    assert things["vg:sector-elderly-care"] == 3
    assert len(things) == 28
