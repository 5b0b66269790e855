"""The GVP Module V shapes on the shipped LEMTRADA summary and minimal mutations of it.

Each negative case changes LEMTRADA (its graph, or its text before parsing) in the
smallest way that breaks one rule, and asserts that exactly the intended shape fires,
on the intended focus node, with the intended severity: the findings that are new
compared with unmutated LEMTRADA are compared as sets of (focus, shape, severity).
Messages are not compared. Expected values come from the document text (line numbers
in the comments) and the template rules, not from running the validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from rmpgraph.check.validate import ValidationReport, load_shapes, validate
from rmpgraph.graph.namespaces import RMP, RMPV
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import source_from_string

ROOT = Path(__file__).resolve().parent.parent
LEMTRADA_TEXT = ROOT / "data" / "rmp" / "lemtrada.txt"
MINI = Path(__file__).resolve().parent / "shapes" / "mini-rmp.ttl"
P = "https://w3id.org/rmpgraph/id/lemtrada"
# statements hang under the RMP version: 12 hex of data/rmp/lemtrada.txt's SHA-256
H = "659dc422ff1a"
R = f"{P}/rmp/{H}"
GVP_SHAPE_FILES = ["rmp-prefixes", "rmp-plan", "rmp-concern", "rmp-study", "rmp-label",
                   "rmp-hygiene"]

Key = tuple[str, str, str]


def _norm(iri: str) -> str:
    """RMP-scoped IRIs carry the text hash, which every text mutation changes."""
    return re.sub(r"/rmp/[0-9a-f]{12}", f"/rmp/{H}", iri)


def keys(report: ValidationReport) -> set[Key]:
    return {(_norm(f.focus), f.shape, f.severity) for f in report.results}


@pytest.fixture(scope="module")
def baseline(lemtrada_graph: Graph) -> ValidationReport:
    return validate(lemtrada_graph, severity="info")


def mutated(graph: Graph, change: Callable[[Graph], None]) -> Graph:
    copy = Graph()
    copy += graph
    change(copy)
    return copy


def drop_node(g: Graph, node: str) -> None:
    """Remove a resource: its own triples and every link to it."""
    g.remove((URIRef(node), None, None))
    g.remove((None, None, URIRef(node)))


def plan(g: Graph) -> URIRef:
    return next(iter(g.subjects(RDF.type, RMP.RiskManagementPlan)))


# --- positive ---

def test_lemtrada_conforms(baseline: ValidationReport) -> None:
    assert baseline.conforms
    assert [f for f in baseline.results if f.severity == "violation"] == []


def test_lemtrada_real_warnings(baseline: ValidationReport) -> None:
    """Defects a reader of lemtrada.txt can check by eye."""
    found = {(_norm(f.focus), f.shape, f.value) for f in baseline.results
             if f.severity == "warning"}
    abbr_unused = "rmpsh:AbbreviationUseShape-definesAbbreviation"
    abbr_undefined = "rmpsh:AbbreviationUseShape-usesAbbreviation"
    expected = {
        # l.539 "(Error! Reference source not found.)" in the PAH risk-factor row
        (f"{R}/defect/L539", "rmpsh:SourceDefectShape-text",
         "Many disorders can cause PAH; they include: (Error! Reference source not "
         "found.)"),
        # Table 17 (AIE) legend l.1442 defines CI, the table never uses it; it uses MI
        # (l.1417) and PASS (l.1435) without defining them
        (f"{R}/concern/autoimmune-encephalitis/summary", abbr_unused, "CI"),
        (f"{R}/concern/autoimmune-encephalitis/summary", abbr_undefined, "MI"),
        (f"{R}/concern/autoimmune-encephalitis/summary", abbr_undefined, "PASS"),
        # Table 7 (thrombocytopenia) legend l.686 defines TTO, never used; PASS used
        (f"{R}/concern/thrombocytopenia/summary", abbr_unused, "TTO"),
        (f"{R}/concern/thrombocytopenia/summary", abbr_undefined, "PASS"),
        # Table 6 (PAH): "patients with MS" (l.574) but MS is not in its legend
        (f"{R}/concern/pulmonary-alveolar-haemorrhage/summary", abbr_undefined, "MS"),
        # Table 15 (TTP): "HCP guide" (l.1300) but HCP is not in its legend
        (f"{R}/concern/thrombotic-thrombocytopenic-purpura/summary", abbr_undefined,
         "HCP"),
        # Table 25 (II.C.1) legend l.1878 defines AE, unused; "non-interventional PASS"
        (f"{R}/table/ii-c-1", abbr_unused, "AE"),
        (f"{R}/table/ii-c-1", abbr_undefined, "PASS"),
    }
    assert expected <= found


def test_defect_points_at_its_source_line(baseline: ValidationReport) -> None:
    (defect,) = [f for f in baseline.results
                 if f.shape == "rmpsh:SourceDefectShape-text"]
    assert defect.source_lines == ((539, 539),)
    assert defect.group == f"{R}/concern/pulmonary-alveolar-haemorrhage"


def test_hand_written_fixture_conforms() -> None:
    report = validate(Graph().parse(MINI), severity="info")
    assert report.conforms
    # its one additional measure has no study evaluating it: advice, not a failure
    assert {(f.shape, f.severity) for f in report.results} == {
        ("rmpsh:SourceDefectShape-text", "warning"),
        ("rmpsh:AdditionalMeasureEffectivenessShape-study", "info")}


# --- negative: graph mutations ---

def _set(g: Graph, s: str, p: URIRef, o: object) -> None:
    g.set((URIRef(s), p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))


def _drop_measures(kind: URIRef, concern: str) -> Callable[[Graph], None]:
    """The concern's table names no measure of `kind`: its statements of them go,
    and the shared measures no longer address it (they stay for other concerns)."""
    def change(g: Graph) -> None:
        c = URIRef(concern)
        for m in list(g.subjects(RMP.addressesConcern, c)):
            if (m, RDF.type, kind) in g:
                g.remove((m, RMP.addressesConcern, c))
                g.remove((m, RMP.coversConcern, c))
                for st in list(g.subjects(RMP.statesMeasure, m)):
                    if (c, RMP.hasMeasureStatement, st) in g:
                        drop_node(g, str(st))
    return change


def _say_none(g: Graph, concern: str, row: str) -> None:
    """The concern's `row` says "None" (as the template allows)."""
    node = URIRef(f"{concern}/none/{row}")
    g.add((URIRef(concern), RMP.hasNoneStatement, node))
    g.add((node, RDF.type, RMP.NoneStatement))
    g.add((node, RMP.noneFor, URIRef(f"{RMPV}summary-row/{row}")))
    g.add((node, RMP.text, Literal("None")))


def _unlink_studies(concern: str) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        for s in list(g.subjects(RMP.addressesConcern, URIRef(concern))):
            if (s, RDF.type, RMP.Study) in g:
                g.remove((s, RMP.addressesConcern, URIRef(concern)))
    return change


def _add_study(g: Graph, slug: str, *, section: str | None,
               concern: str | None) -> None:
    study = URIRef(f"{R}/study/{slug}")
    milestone = URIRef(f"{study}/milestone/final-report-2030")
    g.add((plan(g), RMP.hasStudy, study))
    g.add((study, RDF.type, RMP.Study))
    g.add((study, RDFS.label, Literal(f"PASS {slug.upper()}")))
    if section:
        g.add((study, RMP.inPlanSection, URIRef(f"{RMPV}plan-section/{section}")))
        g.add((study, RMP.studyCategory, URIRef(f"{RMPV}pv-category/3")))
    if concern:
        g.add((study, RMP.addressesConcern, URIRef(concern)))
    g.add((study, RMP.hasMilestone, milestone))
    g.add((milestone, RDF.type, RMP.Milestone))
    g.add((milestone, RMP.milestoneKind, URIRef(f"{RMPV}milestone-kind/final-report")))
    g.add((milestone, RMP.dueGranularity, Literal("year")))
    g.add((milestone, RMP.dueStart, Literal("2030-01-01", datatype=XSD.date)))
    g.add((milestone, RMP.dueEnd, Literal("2030-12-31", datatype=XSD.date)))


STROKE = f"{R}/concern/stroke"
OBS = f"{R}/study/obs13434"
MORTALITY = f"{R}/study/risk-of-mortality-study"
EFC_MILESTONE = f"{R}/study/efc13429/milestone/final-report"
DUS_MILESTONE = f"{R}/study/drug-utilization-study/milestone/final-report"
OBS_MILESTONE = f"{OBS}/milestone/final-report"
CAT = f"{RMPV}concern-category/"
V, W = "violation", "warning"

GRAPH_CASES: list[tuple[str, Callable[[Graph], None], set[Key]]] = [
    ("RMP-I-01 plan without product",
     lambda g: (g.remove((None, RMP.hasRiskManagementPlan, None)),
                g.remove((None, RMP.forProduct, None))),
     {(f"{R}", "rmpsh:RiskManagementPlanShape-forProduct", V)}),
    ("RMP-I-02 product without name",
     lambda g: g.remove((URIRef(P), RDFS.label, None)),
     {(P, "rmpsh:MedicinalProductShape-label", V)}),
    ("RMP-I-03 product without active substance",
     lambda g: g.remove((URIRef(P), RMP.hasActiveSubstance, None)),
     {(P, "rmpsh:MedicinalProductShape-hasActiveSubstance", V)}),
    ("RMP-I-04 RMP without indication",
     lambda g: g.remove((URIRef(R), RMP.hasIndication, None)),
     {(R, "rmpsh:RiskManagementPlanShape-hasIndication", V)}),
    ("RMP-IIA-02 concern missing from the II.A list",
     lambda g: drop_node(g, f"{STROKE}/listing"),
     {(STROKE, "rmpsh:SafetyConcernShape-hasListing", V)}),
    ("RMP-IIB-01 concern without II.B table",
     lambda g: drop_node(g, f"{STROKE}/summary"),
     {(STROKE, "rmpsh:SafetyConcernShape-hasSummary", V)}),
    ("RMP-IIA-03 category outside the scheme",
     lambda g: [_set(g, n, RMP.concernCategory, URIRef(CAT + "adverse-event"))
                for n in (STROKE, f"{STROKE}/listing", f"{STROKE}/summary")],
     {(STROKE, "rmpsh:SafetyConcernShape-concernCategory", V)}),
    ("RMP-IIB-02 II.B table states another category",
     lambda g: _set(g, f"{STROKE}/summary", RMP.concernCategory,
                    URIRef(CAT + "important-potential-risk")),
     {(f"{STROKE}/summary", "rmpsh:ConcernSummaryShape-concernCategory", V)}),
    ("RMP-IIB-02 II.A lists it under another category",
     lambda g: _set(g, f"{STROKE}/listing", RMP.concernCategory,
                    URIRef(CAT + "missing-information")),
     {(f"{STROKE}/listing", "rmpsh:ConcernListingShape-concernCategory", V)}),
    ("RMP-IIB-03 no evidence row",
     lambda g: drop_node(g, f"{STROKE}/evidence"),
     {(STROKE, "rmpsh:ImportantRiskShape-hasEvidence", V)}),
    ("RMP-IIB-04 no risk-factor row",
     lambda g: drop_node(g, f"{STROKE}/risk-factors"),
     {(STROKE, "rmpsh:ImportantRiskShape-hasRiskFactors", V)}),
    ("RMP-IIB-05 no routine measure",
     _drop_measures(RMP.RoutineRiskMinimisationMeasure, STROKE),
     {(STROKE, "rmpsh:ImportantRiskShape-routineRiskMinimisation", V)}),
    ("RMP-IIB-06 additional RMM row empty",
     _drop_measures(RMP.AdditionalRiskMinimisationMeasure, STROKE),
     {(STROKE, "rmpsh:AdditionalRiskMinimisationStatementShape", V)}),
    ("RMP-IIB-06 'None' removed",
     lambda g: drop_node(g, f"{R}/concern/malignancies/none/additional-rmm"),
     {(f"{R}/concern/malignancies",
       "rmpsh:AdditionalRiskMinimisationStatementShape", V)}),
    ("RMP-IIB-07 additional PV row empty",
     _unlink_studies(STROKE),
     {(STROKE, "rmpsh:AdditionalPharmacovigilanceStatementShape", V)}),
    ("RMP-IIB-08 missing information without routine measure",
     _drop_measures(RMP.RoutineRiskMinimisationMeasure, f"{R}/concern/pediatric-use"),
     {(f"{R}/concern/pediatric-use", "rmpsh:MissingInformationShape", V)}),
    ("RMP-IIB-08 a routine-RMM row that says None is an answer",
     lambda g: (_drop_measures(RMP.RoutineRiskMinimisationMeasure,
                               f"{R}/concern/pediatric-use")(g),
                _say_none(g, f"{R}/concern/pediatric-use", "routine-rmm")),
     set()),
    ("RMP-IIB-09 missing information with empty PV row",
     _unlink_studies(f"{R}/concern/use-in-patients-aged-55-years"),
     {(f"{R}/concern/use-in-patients-aged-55-years",
       "rmpsh:MissingInformationPharmacovigilanceShape", V),
      (f"{R}/concern/use-in-patients-aged-55-years",
       "rmpsh:MissingInformationStudyShape-study", W)}),
    ("RMP-IIB-10 SmPC section 4.12",
     lambda g: g.add((URIRef(f"{R}/measure/smpc-4-4"), RMP.citesLabelSection,
                      URIRef(f"{RMPV}qrd/smpc-4-12"))),
     {(f"{R}/measure/smpc-4-4", "rmpsh:LabelCitationShape-citesLabelSection",
       V)}),
    ("RMP-IIB-10 the SmPC as a whole is not a section",
     lambda g: g.add((URIRef(f"{R}/measure/smpc-4-4"), RMP.citesLabelSection,
                      URIRef(f"{RMPV}qrd/smpc"))),
     {(f"{R}/measure/smpc-4-4", "rmpsh:LabelCitationShape-citesLabelSection",
       V)}),
    ("RMP-IIC-01 study named in II.B but not in II.C",
     lambda g: _add_study(g, "obs99999", section=None, concern=STROKE),
     {(f"{R}/study/obs99999", "rmpsh:StudyShape-inPlanSection", V)}),
    ("RMP-IIC-02 II.C study addressing no concern",
     lambda g: _add_study(g, "obs99999", section="ii-c-2", concern=None),
     {(f"{R}/study/obs99999", "rmpsh:StudyShape-addressesConcern", V)}),
    ("RMP-IIC-03 study category dropped",
     lambda g: g.remove((URIRef(OBS), RMP.studyCategory, None)),
     {(OBS, "rmpsh:StudyShape-studyCategory", V)}),
    ("RMP-IIC-04 II.C.1 study with category 3",
     lambda g: _set(g, MORTALITY, RMP.studyCategory, URIRef(f"{RMPV}pv-category/3")),
     {(MORTALITY, "rmpsh:StudyShape-categoryForSection", V)}),
    ("RMP-IIC-04 II.C.2 study with category 1",
     lambda g: _set(g, OBS, RMP.studyCategory, URIRef(f"{RMPV}pv-category/1")),
     {(OBS, "rmpsh:StudyShape-categoryForSection", V)}),
    ("RMP-IIC-05 study without milestones",
     lambda g: drop_node(g, OBS_MILESTONE),
     {(OBS, "rmpsh:StudyShape-hasMilestone", V)}),
    ("RMP-IIC-06 no final-report milestone",
     lambda g: _set(g, OBS_MILESTONE, RMP.milestoneKind,
                    URIRef(f"{RMPV}milestone-kind/interim-report")),
     {(OBS, "rmpsh:StudyShape-finalReport", V)}),
    ("RMP-IIC-07 milestone date blanked",
     lambda g: (g.remove((URIRef(OBS_MILESTONE), RMP.dueGranularity, None)),
                g.remove((URIRef(OBS_MILESTONE), RMP.dueStart, None)),
                g.remove((URIRef(OBS_MILESTONE), RMP.dueEnd, None)),
                _set(g, OBS_MILESTONE, RMP.dueText, "")),
     {(OBS_MILESTONE, "rmpsh:MilestoneShape-dueGranularity", V)}),
    ("RMP-IIC-08 event-relative milestone without offset",
     lambda g: g.remove((URIRef(EFC_MILESTONE), RMP.dueOffset, None)),
     {(EFC_MILESTONE, "rmpsh:MilestoneShape-dueValue", V)}),
    ("RMP-IIC-08 period ends before it starts",
     lambda g: _set(g, DUS_MILESTONE, RMP.dueEnd,
                    Literal("2024-06-30", datatype=XSD.date)),
     {(DUS_MILESTONE, "rmpsh:MilestoneShape-dueValue", V)}),
    ("RMP-IIC-08 due date that is not an xsd:date",
     lambda g: _set(g, DUS_MILESTONE, RMP.dueStart, Literal("Q3 2024")),
     {(DUS_MILESTONE, "rmpsh:MilestoneShape-dueStart", V)}),
    ("RMP-HYG-02 abbreviation used, not defined",
     lambda g: g.add((URIRef(f"{STROKE}/summary"), RMP.usesAbbreviation,
                      Literal("XYZ"))),
     {(f"{STROKE}/summary", "rmpsh:AbbreviationUseShape-usesAbbreviation", W)}),
    ("RMP-HYG-03 abbreviation defined, not used",
     lambda g: g.remove((URIRef(f"{STROKE}/summary"), RMP.usesAbbreviation,
                         Literal("TIA"))),
     {(f"{STROKE}/summary", "rmpsh:AbbreviationUseShape-definesAbbreviation", W)}),
    ("RMP-HYG-04 footnote marker without footnote",
     lambda g: g.add((URIRef(f"{STROKE}/summary"), RMP.usesFootnoteMarker,
                      Literal("b"))),
     {(f"{STROKE}/summary", "rmpsh:FootnoteUseShape-usesFootnoteMarker", W)}),
    ("RMP-HYG-05 two concerns with one normalised name",
     lambda g: _set(g, f"{R}/concern/malignancies", RMP.normalisedName,
                    g.value(URIRef(STROKE), RMP.normalisedName)),
     {(STROKE, "rmpsh:ConcernNameShape-normalisedName", W),
      (f"{R}/concern/malignancies", "rmpsh:ConcernNameShape-normalisedName", W)}),
    ("RMP-HYG-06 parse issue",
     lambda g: (g.add((plan(g), RMP.hasParseIssue, URIRef(f"{plan(g)}/issue/L9"))),
                g.add((URIRef(f"{plan(g)}/issue/L9"), RDF.type, RMP.ParseIssue)),
                g.add((URIRef(f"{plan(g)}/issue/L9"), RMP.reason,
                       Literal("unrecognised line")))),
     {(f"{R}/issue/L9", "rmpsh:ParseIssueShape-reason", W)}),
    # issue 15 rules
    ("RMP-IIC-09 a study's category not stated",
     lambda g: _set(g, OBS, RMP.categoryStated, Literal(False)),
     {(OBS, "rmpsh:StudyCategoryStatedShape", W)}),
    ("RMP-IIC-10 two final-report dates for one study",
     lambda g: _second_final_report(g, OBS, "2032"),
     {(OBS, "rmpsh:MilestoneDueConflictShape", V)}),
    ("RMP-IIC-11 a category 1 study whose final report is due after an event",
     lambda g: _event_relative(g, DUS_MILESTONE),
     {(f"{R}/study/drug-utilization-study", "rmpsh:ImposedStudyFinalReportShape",
       V)}),
]


def _second_final_report(g: Graph, study: str, due: str) -> None:
    """II.B and II.C disagree: the study gets a second final-report milestone."""
    m = URIRef(f"{study}/milestone/final-report-2")
    g.add((URIRef(study), RMP.hasMilestone, m))
    g.add((m, RDF.type, RMP.Milestone))
    g.add((m, RMP.milestoneKind, URIRef(f"{RMPV}milestone-kind/final-report")))
    g.add((m, RMP.dueText, Literal(due)))
    g.add((m, RMP.dueGranularity, Literal("year")))
    g.add((m, RMP.dueStart, Literal(f"{due}-01-01", datatype=XSD.date)))
    g.add((m, RMP.dueEnd, Literal(f"{due}-12-31", datatype=XSD.date)))


def _event_relative(g: Graph, milestone: str) -> None:
    """"Final report: within 6 months of LPLV": no calendar date."""
    m = URIRef(milestone)
    for p in (RMP.dueStart, RMP.dueEnd, RMP.dueGranularity, RMP.dueText):
        g.remove((m, p, None))
    g.add((m, RMP.dueText, Literal("within 6 months of LPLV")))
    g.add((m, RMP.dueGranularity, Literal("event-relative")))
    g.add((m, RMP.dueOffset, Literal("P6M", datatype=XSD.duration)))
    g.add((m, RMP.dueEvent, Literal("LPLV")))


def test_additional_measure_without_effectiveness_study_is_info(
        lemtrada_graph: Graph, baseline: ValidationReport) -> None:
    """RMP-IIC-12: LEMTRADA's four materials have no evaluating study (Info); a
    study that evaluates the patient alert card clears that one finding."""
    card = f"{R}/measure/patient-alert-card"
    info = {(f, s) for f, s, sev in keys(baseline) if sev == "info"}
    assert (card, "rmpsh:AdditionalMeasureEffectivenessShape-study") in info
    assert len(info) == 4
    report = validate(mutated(lemtrada_graph, lambda g: g.add(
        (URIRef(OBS), RMP.evaluatesEffectivenessOf, URIRef(card)))), severity="info")
    assert keys(baseline) - keys(report) == {
        (card, "rmpsh:AdditionalMeasureEffectivenessShape-study", "info")}
    assert keys(report) - keys(baseline) == set()


@pytest.mark.parametrize("change,expected", [(c, e) for _, c, e in GRAPH_CASES],
                         ids=[name for name, _, _ in GRAPH_CASES])
def test_graph_mutation_fires_exactly_one_rule(
        lemtrada_graph: Graph, baseline: ValidationReport,
        change: Callable[[Graph], None], expected: set[Key]) -> None:
    report = validate(mutated(lemtrada_graph, change), severity="info")
    assert keys(report) - keys(baseline) == expected
    assert report.conforms == all(sev != V for _, _, sev in expected)


def test_empty_concern_list_fires_on_the_plan(lemtrada_graph: Graph) -> None:
    """An RMP whose II.A lists nothing: only the product and plan resources remain."""
    keep = {URIRef(P), plan(lemtrada_graph), URIRef(f"{R}/indication"),
            URIRef("https://w3id.org/rmpgraph/id/substance/alemtuzumab")}
    g = Graph()
    for s, p, o in lemtrada_graph:
        if s in keep and p not in (RMP.hasSafetyConcern, RMP.hasStudy,
                                   RMP.hasSourceDefect):
            g.add((s, p, o))
    assert keys(validate(g, severity="info")) == {
        (f"{R}", "rmpsh:RiskManagementPlanShape-hasSafetyConcern", V)}


# --- negative: text mutations ---

def _lines() -> list[str]:
    return LEMTRADA_TEXT.read_text(encoding="utf-8").split("\n")


def _validate_text(lines: list[str]) -> ValidationReport:
    result = build_source(source_from_string("\n".join(lines), path="mutated.txt"))
    return validate(result.graph, severity="info")


def _blank(first: int, last: int) -> list[str]:
    """Empty lines first..last (1-based): later line numbers, hence IRIs, stay put."""
    lines = _lines()
    lines[first - 1:last] = [""] * (last - first + 1)
    return lines


def _replace(line: int, old: str, new: str) -> list[str]:
    lines = _lines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    return lines


THYROID = f"{R}/concern/thyroid-disorders"
TEXT_CASES: list[tuple[str, Callable[[], list[str]], set[Key]]] = [
    # Table 8 (l.689-779) removed: the concern is still in II.A (l.114) but every
    # row the template requires of an identified risk is gone with its table
    ("remove one II.B table", lambda: _blank(689, 779),
     {(THYROID, "rmpsh:SafetyConcernShape-hasSummary", V),
      (THYROID, "rmpsh:ImportantRiskShape-hasEvidence", V),
      (THYROID, "rmpsh:ImportantRiskShape-hasRiskFactors", V),
      (THYROID, "rmpsh:ImportantRiskShape-routineRiskMinimisation", V),
      (THYROID, "rmpsh:AdditionalRiskMinimisationStatementShape", V),
      (THYROID, "rmpsh:AdditionalPharmacovigilanceStatementShape", V)}),
    # l.225: "... are included in SmPC section 4.7." -> 4.12: the measure "SmPC
    # section 4.12" (one node per cited section) cites a section that does not exist
    ("cite SmPC section 4.12", lambda: _replace(225, "section 4.7", "section 4.12"),
     {(f"{R}/measure/smpc-4-12",
       "rmpsh:LabelCitationShape-citesLabelSection", V)}),
    # Stroke's table names "PASS OBS99999" (l.334, instead of the Drug Utilization
    # Study, which other tables still name), a study II.C (l.1838-1903) does not list
    ("add a study II.C lacks",
     lambda: _replace(334, "Drug Utilization Study", "PASS OBS99999"),
     {(f"{R}/study/obs99999", "rmpsh:StudyShape-inPlanSection", V)}),
    # Stroke's risk-factor row (l.270-289) removed; AVM, BP and TIA of its legend
    # (l.343-345) were only used in that row
    ("remove a risk-factor row", lambda: _blank(270, 289),
     {(STROKE, "rmpsh:ImportantRiskShape-hasRiskFactors", V),
      (f"{STROKE}/summary", "rmpsh:AbbreviationUseShape-definesAbbreviation", W)}),
    # a second Word field error, in Stroke's risk-factor row (l.283)
    ("unresolved cross-reference",
     lambda: _replace(283, "described in the", "described in the (Error! Reference "
                      "source not found.)"),
     {(f"{R}/defect/L283", "rmpsh:SourceDefectShape-text", W)}),
]


@pytest.mark.parametrize("make,expected", [(m, e) for _, m, e in TEXT_CASES],
                         ids=[name for name, _, _ in TEXT_CASES])
def test_text_mutation_fires_exactly_the_rule(
        baseline: ValidationReport, make: Callable[[], list[str]],
        expected: set[Key]) -> None:
    report = _validate_text(make())
    assert keys(report) - keys(baseline) == expected


# --- the shapes themselves ---

def test_shapes_pass_meta_shacl() -> None:
    """The shapes graph conforms to the SHACL-for-SHACL shapes (pySHACL meta_shacl)."""
    from pyshacl import validate as shacl_validate
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(load_shapes())
    assert conforms, text
    # and the option itself accepts them (it raises on a non-conformant shapes graph)
    shacl_validate(Graph().parse(MINI), shacl_graph=load_shapes(), meta_shacl=True)


def _gvp_shapes() -> Graph:
    g = Graph()
    for name in GVP_SHAPE_FILES:
        g.parse(ROOT / "ontology" / "shapes" / f"{name}.shapes.ttl")
    return g


# where the template advises but does not require (GVP V.B.9, XVI.B.4; issue 15)
ADVICE = {"RMP-IIB-11": SH.Warning, "RMP-IIC-09": SH.Warning, "RMP-IIC-12": SH.Info}


def test_every_rule_shape_is_documented_and_named() -> None:
    """Shapes that report (have a message) carry label, name, comment, severity and a
    rule id; property shapes are IRIs named after their node shape."""
    g = _gvp_shapes()
    reporting = set(g.subjects(SH.message, None))
    assert len(reporting) >= 30
    for shape in reporting:
        assert isinstance(shape, URIRef), shape
        for p in (RDFS.label, SH.name, RDFS.comment, SH.severity):
            assert g.value(shape, p) is not None, (shape, p)
        message = str(g.value(shape, SH.message))
        assert re.search(r"\[RMP-[A-Z]+-\d\d\]$", message), shape
        severity = g.value(shape, SH.severity)
        rule = re.search(r"\[RMP-([A-Z]+)-", message).group(1)
        rule_id = re.search(r"\[(RMP-[A-Z]+-\d\d)\]$", message).group(1)
        expected = ADVICE.get(rule_id, SH.Warning if rule == "HYG" else SH.Violation)
        assert severity == expected, shape
        assert re.search(r"GVP|template|QRD|EMA", str(g.value(shape, RDFS.comment)))
    for node, prop in g.subject_objects(SH.property):
        assert isinstance(prop, URIRef)
        assert str(prop).startswith(str(node) + "-"), prop
    rule_ids = {re.search(r"\[(RMP-[A-Z]+-\d\d)\]$", str(m)).group(1)
                for m in g.objects(None, SH.message)}
    assert {"RMP-I-01", "RMP-IIA-01", "RMP-IIB-01", "RMP-IIB-07", "RMP-IIB-09",
            "RMP-IIC-01", "RMP-IIC-04", "RMP-IIC-08", "RMP-IIB-10",
            "RMP-HYG-01", "RMP-HYG-06"} <= rule_ids


def test_sparql_constraints_use_the_declared_prefixes() -> None:
    g = _gvp_shapes()
    declared = URIRef("https://w3id.org/rmpgraph/shapes")
    assert len(list(g.objects(declared, SH.declare))) >= 1
    constraints = set(g.subjects(SH.select, None))
    assert constraints
    for c in constraints:
        assert g.value(c, SH.prefixes) == declared, c


def test_per_plan_validation_gives_the_same_findings(lemtrada_graph: Graph) -> None:
    """Two RMPs (LEMTRADA and a renamed copy missing a study category): validating
    one RMP at a time reports what validating the union reports."""
    def rename(node):  # type: ignore[no-untyped-def]
        if isinstance(node, URIRef) and str(node).startswith(P):
            return URIRef(P + "-copy" + str(node)[len(P):])
        return node

    both = Graph()
    both += lemtrada_graph
    for s, p, o in lemtrada_graph:
        if not (s == URIRef(OBS) and p == RMP.studyCategory):
            both.add((rename(s), p, rename(o)))
    whole = validate(both, severity="info")
    split = validate(both, severity="info", per_plan=True)
    assert split.results == whole.results
    assert {(f.focus, f.shape) for f in whole.results if f.severity == V} == {
        (f"{P}-copy/rmp/{H}/study/obs13434", "rmpsh:StudyShape-studyCategory")}
