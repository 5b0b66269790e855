"""The older Part VI template (GVP Module V Rev. 1): detection, what each section
contributes, history that must not become concerns, line accounting and SHACL.

Expected values are read off tests/fixtures/rmp/lortavex.txt (canonical text of a
fictional Rev. 1 summary); line numbers are found by the text they hold, so an edit
of the fixture does not silently change what is checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from rmpgraph.graph.namespaces import RMP
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.model import Category, Document
from rmpgraph.parse.oldtemplate import is_rev1
from rmpgraph.parse.read import read_source, source_from_string

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "rmp" / "lortavex.txt"
REV2 = ROOT / "tests" / "fixtures" / "rmp" / "zelvorix.txt"
TEMPLATE = "https://w3id.org/rmpgraph/vocab/template/"
LINES = FIXTURE.read_text("utf-8").split("\n")


def line_of(text: str, after: str | None = None) -> int:
    """1-based number of the first line equal to `text` (after the line `after`)."""
    start = LINES.index(after) if after else 0
    return LINES.index(text, start) + 1


@pytest.fixture(scope="module")
def built():  # type: ignore[no-untyped-def]
    return build_source(read_source(FIXTURE))


@pytest.fixture(scope="module")
def doc(built) -> Document:  # type: ignore[no-untyped-def]
    return built.document


def by_name(doc: Document, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in doc.concerns if c.name == name)


def test_detection() -> None:
    assert is_rev1(read_source(FIXTURE))
    assert not is_rev1(read_source(REV2))
    text = "Part VI: Summary of activities in the risk management plan by product\n"
    assert is_rev1(source_from_string(text))


def test_template_is_recorded(doc: Document, built) -> None:  # type: ignore[no-untyped-def]
    assert doc.template == "rev1"
    g = built.graph
    rmp = next(g.subjects(RDF.type, RMP.RiskManagementPlan))
    assert list(g.objects(rmp, RMP.followsTemplate)) == [URIRef(TEMPLATE + "rev1")]
    rev2 = build_source(read_source(REV2))
    assert rev2.document.template == "rev2"
    rmp2 = next(rev2.graph.subjects(RDF.type, RMP.RiskManagementPlan))
    assert list(rev2.graph.objects(rmp2, RMP.followsTemplate)) == [
        URIRef(TEMPLATE + "rev2")
    ]


def test_history_never_becomes_a_concern(doc: Document, built) -> None:  # type: ignore[no-untyped-def]
    names = [c.name for c in doc.concerns]
    assert not any("hypertension" in n.lower() for n in names)
    labels = {str(o).lower() for o in built.graph.objects(None, RDFS.label)}
    assert not any("hypertension" in x for x in labels)
    # the VI.2.7 lines are accounted for as boilerplate, not used and not issues
    for text in (
        "Safety Concerns: Important potential risk removed: Hypertension",
        "Important potential risks: Interstitial lung disease; Embryo-foetal "
        "toxicity; Second primary malignancies; Hypertension",
    ):
        assert line_of(text) in doc.boilerplate


def test_concerns_and_categories(doc: Document) -> None:
    got = [(c.name, c.category) for c in doc.concerns]
    assert got == [
        ("Hepatotoxicity (liver injury)", Category.IDENTIFIED),
        ("Neutropenia", Category.IDENTIFIED),
        ("Serious infections", Category.IDENTIFIED),
        ("Diarrhoea and colitis", Category.IDENTIFIED),
        ("Interstitial lung disease (pneumonitis)", Category.POTENTIAL),
        ("Embryo-foetal toxicity", Category.POTENTIAL),
        ("Second primary malignancies", Category.POTENTIAL),
        ("Use in patients with severe hepatic impairment", Category.MISSING),
        ("Long-term safety (beyond 2 years of treatment)", Category.MISSING),
    ]
    for c in doc.concerns:
        assert c.listed and c.summary is not None
        assert c.summary_category == c.listed_category == c.category


def test_what_is_known_is_the_evidence(doc: Document) -> None:
    c = by_name(doc, "Neutropenia")
    no = line_of(
        "What is known: A low number of neutrophils (a type of white blood cell "
        "that fights infection) was seen in about 1 in 4 patients in clinical "
        "trials and was severe in about 1 in 10."
    )
    assert c.evidence_text and c.evidence_text.startswith("A low number of neutrophils")
    assert (c.evidence_span.start, c.evidence_span.end) == (no, no)
    assert "clinical-trials" in c.evidence_sources
    assert c.summary and c.summary.span and c.summary.span.start == no - 1
    assert c.summary.caption == "Table 4: Important identified risks"


def test_measures_per_concern(doc: Document) -> None:
    hep = by_name(doc, "Hepatotoxicity (liver injury)")
    sections = sorted({s for m in hep.routine for s in m.label_sections})
    assert sections == ["pl-2", "pl-4", "smpc-4-2", "smpc-4-4", "smpc-4-8"]
    assert "legal-status" in [m.kind for m in hep.routine]
    assert [m.materials for m in hep.additional] == [
        ["hcp-guide"],
        ["patient-alert-card"],
    ]
    assert hep.additional[0].span.start == line_of(
        "Additional risk minimisation measures: Healthcare professional guide"
    )
    neu = by_name(doc, "Neutropenia")
    assert neu.additional == []
    assert [(n.row, n.text) for n in neu.nones if n.row == "additional-rmm"] == [
        ("additional-rmm", "None proposed")
    ]
    emb = by_name(doc, "Embryo-foetal toxicity")
    assert [m.materials for m in emb.additional] == [["patient-guide"]]


def test_studies(doc: Document) -> None:
    studies = {s.label: s for s in doc.studies}
    assert sorted(studies) == ["Drug utilisation study", "LTX-4021", "LTX-PASS-001"]
    pass1 = studies["LTX-PASS-001"]
    assert (pass1.section, pass1.category, pass1.category_stated) == ("ii-c-1", 1, True)
    assert pass1.concerns == [
        "hepatotoxicity",
        "serious-infections",
        "long-term-safety",
    ]
    kinds = [(m.kind, m.due_text, m.due.granularity) for m in pass1.milestones]
    assert kinds == [
        ("protocol-submission", "15 March 2024", "date"),
        ("interim-report", "30 June 2026", "date"),
        ("final-report", "Q4 2027", "quarter"),
    ]
    final = pass1.milestones[2]
    assert final.span.start == line_of("Final report: Q4 2027")
    assert final.more_spans == [
        type(final.span)(n, n)
        for n in [
            line_of(
                "Final report: Q4 2027",
                after="VI.2.6 Planned post authorisation development plan",
            )
        ]
    ]
    dus = studies["Drug utilisation study"]
    assert (dus.section, dus.category, dus.identifier) == ("ii-c-2", 3, None)
    assert dus.concerns == ["interstitial-lung-disease", "embryo-foetal-toxicity"]
    assert dus.milestones[1].due.offset == "P12M"
    assert studies["LTX-4021"].concerns == [
        "use-in-patients-with-severe-hepatic-impairment"
    ]


def test_unstudied_concern_states_no_additional_pv(doc: Document) -> None:
    rows = [n.row for n in by_name(doc, "Diarrhoea and colitis").nones]
    assert "additional-pv" in rows
    studied = by_name(doc, "Hepatotoxicity (liver injury)")
    assert "additional-pv" not in [n.row for n in studied.nones]


def test_every_line_accounted(doc: Document) -> None:
    assert doc.issues == []
    nonblank = {i + 1 for i, t in enumerate(LINES) if t.strip()}
    assert nonblank <= doc.accounted | doc.boilerplate
    assert line_of("VI.2.1 Overview of disease epidemiology") in doc.accounted
    assert line_of("Proposed action") in doc.accounted  # VI.2.5 measure table


def test_validate_has_no_violations() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rmpgraph",
            "validate",
            str(FIXTURE),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert [f for f in findings if f["severity"] == "violation"] == []


def test_no_concerns_is_a_one_line_error(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "Summary of risk management plan for EMPTAVIR (nullimab)",
            "",
            "Part VI: Summary of activities in the risk management plan by product",
            "",
            "VI.1.1 Summary table of safety concerns",
            "",
            "Not yet agreed.",
            "",
            "VI.2 Elements for a public summary",
            "",
        ]
    )
    path = tmp_path / "emptavir.txt"
    path.write_text(text, "utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rmpgraph",
            "build",
            str(path),
            "-o",
            str(tmp_path / "out.ttl"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr
    assert "no safety concerns" in proc.stderr and "Rev. 1" in proc.stderr


# ---- velmoran: a realistic Rev. 1 document in every rendering ----------------------

DOCS = ROOT / "tests" / "fixtures" / "docs"
TRUTH = json.loads((DOCS / "velmoran.truth.json").read_text("utf-8"))
CATEGORY = {
    "important-identified-risk": Category.IDENTIFIED,
    "important-potential-risk": Category.POTENTIAL,
    "missing-information": Category.MISSING,
}


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".rl.pdf"])
def test_velmoran_matches_its_truth(suffix: str) -> None:
    """Word table cells with several paragraphs, a title wrapped after "by
    product –", milestone cells wrapped by a narrow column, VI.2.4 tables without
    grid lines: every rendering gives the facts typed from the document."""
    doc = build_source(read_source(DOCS / f"velmoran{suffix}")).document
    p = doc.product
    assert (p.name, p.substance, p.route_text) == (
        TRUTH["product"],
        TRUTH["active_substance"],
        TRUTH["route"],
    )
    assert [(c.name, c.category) for c in doc.concerns] == [
        (c["name"], CATEGORY[c["category"]]) for c in TRUTH["concerns"]
    ]
    assert "Interstitial nephritis" not in {c.name for c in doc.concerns}
    studies = {s.identifier: s for s in doc.studies}
    assert sorted(studies) == sorted(s["identifier"] for s in TRUTH["studies"])
    for want in TRUTH["studies"]:
        got = studies[want["identifier"]]
        assert (got.label, got.section, got.category) == (
            want["name"],
            want["section"],
            want["category"],
        )
        assert [(m.kind, m.due_text) for m in got.milestones] == [
            (m["kind"], m["due_text"]) for m in want["milestones"]
        ]
    for c, want in zip(doc.concerns, TRUTH["concerns"], strict=True):
        named = sorted(s.identifier for s in doc.studies if c.key in s.concerns)
        assert named == sorted(want["studies"]), c.name
    assert not [i for i in doc.issues if "milestone" in i.reason]


WRAPPED = """\
Part VI: Summary of activities in the risk management plan by product –

Ostemab (ostenizumab)

VI.1.1 Summary table of safety concerns

Important identified risks

• Hypocalcaemia

Important potential risks

• Osteonecrosis of the jaw

Missing information

• Use in children and adolescents

VI.1.2 Table of on-going and planned additional PhV studies/activities

Study/activity Type, title and category (1- 3): OST-OBS-4

Non-interventional

PASS of jaw osteonecrosis Category 3

Objectives: To estimate the incidence of osteonecrosis of the jaw.

Safety concerns addressed: Osteonecrosis of the jaw Use in children

and adolescents

Status (planned, started): Started

Date for submission of interim or final reports (planned or actual): Final report: 31

March 2029

Protocol submission:

15/05/2026 Study start: 2027 Interim report: within 6 months of LPLV

VI.2 Elements for a public summary

VI.2.2 Summary of treatment benefits

Ostemab strengthens bone. It contains ostenizumab as the active substance and it is \
given by injection under the skin.

VI.2.4 Summary of safety concerns

Important identified risks

Risk

What is known Preventability

Hypocalcaemia

Low calcium in the blood.

Take calcium and vitamin D.

Missing information

Risk

What is known

Use in children and adolescents

Not studied in children.
"""


def test_cells_wrapped_or_run_together() -> None:
    """The forms PDF readers give a Word table: a title's name on the next line,
    a cell's wrapped line as its own paragraph, two paragraphs run into one line,
    a VI.2.4 table as its header row then one paragraph per cell."""
    doc = build_source(source_from_string(WRAPPED)).document
    assert (doc.product.name, doc.product.substance) == ("Ostemab", "ostenizumab")
    (study,) = doc.studies
    assert (study.label, study.category) == ("OST-OBS-4", 3)
    assert study.title == "Non-interventional PASS of jaw osteonecrosis"
    assert [(m.kind, m.due_text) for m in study.milestones] == [
        ("final-report", "31 March 2029"),
        ("protocol-submission", "15/05/2026"),
        ("study-start", "2027"),
        ("interim-report", "within 6 months of LPLV"),
    ]
    assert study.concerns == [
        "osteonecrosis-of-the-jaw",
        "use-in-children-and-adolescents",
    ]
    hypo = by_name(doc, "Hypocalcaemia")
    assert hypo.evidence_text == "Low calcium in the blood."
    assert by_name(doc, "Use in children and adolescents").evidence_text == (
        "Not studied in children."
    )
    assert doc.issues == []


def test_title_wrapped_inside_by_product() -> None:
    # endravia.txt: "… in the risk management plan by" / "product" / the name line
    # with strength and form; a running header comes first
    text = "\n".join([
        "Xandrel (xandrelin) – Risk Management Plan version 3.0", "",
        "Part VI: Summary of activities in the risk management plan by", "product",
        "Xandrel (xandrelin) 20 and 40 micrograms solution for", "injection",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns", "Important identified risks", "",
        "Hypocalcaemia", "", "Important potential risks", "", "Osteosarcoma", "",
        "Missing information", "", "Use in pregnancy", "",
        "VI.2 Elements for a public summary", "",
    ])
    product = build_source(source_from_string(text, "x.txt")).document.product
    assert (product.name, product.substance) == ("Xandrel", "xandrelin")


def _rev1(*lines: str) -> Document:
    return build_source(source_from_string("\n".join(lines), "x.txt")).document


def test_overview_fields_name_the_product_and_tab_separated_numbers() -> None:
    # tessilor.txt: no "Summary of ... for NAME" title, only the Part VI overview
    # fields; the heading numbers (a tab after them in Word) on lines of their own
    doc = _rev1(
        "Active substance (INN or common name): xylostat",
        "Product concerned (brand name): Xylor",
        "Part VI: Summary of activities in the risk management plan by", "product",
        "VI.1", "", "Elements for summary tables in the EPAR", "",
        "VI.1.1", "", "Summary table of safety concerns", "",
        "Important identified risks", "", "Hepatotoxicity", "",
        "Important potential risks", "", "Seizures", "",
        "Missing information", "", "Use in pregnancy", "",
        "VI.2", "", "Elements for a public summary", "")
    assert (doc.product.name, doc.product.substance) == ("Xylor", "xylostat")
    assert {c.name: c.category for c in doc.concerns} == {
        "Hepatotoxicity": Category.IDENTIFIED, "Seizures": Category.POTENTIAL,
        "Use in pregnancy": Category.MISSING}


def test_plan_title_names_the_product_and_guessed_categories_are_told() -> None:
    # dorvenia.txt: "EU Risk Management Plan for NAME (INN)" is the only title; VI.1.1
    # prints its three headings before one block of names, and VI.2.4 places none
    doc = _rev1(
        "EU Risk Management Plan for Dorvix (lomitrazine)",
        "Part VI: Summary of activities in the risk management plan by product",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns",
        "Important identified risks", "", "Important potential risks", "",
        "Missing information", "", "Hyponatraemia", "Teratogenicity",
        "Use in children", "",
        "VI.2 Elements for a public summary", "")
    assert (doc.product.name, doc.product.substance) == ("Dorvix", "lomitrazine")
    told = sorted(i.reason.split("'")[1] for i in doc.issues
                  if "is not known for certain" in i.reason)
    assert told == ["Hyponatraemia", "Teratogenicity", "Use in children"]


def test_wrapped_heading_row_is_no_study_and_codes_with_colons() -> None:
    # dorvenia.txt VI.1.2: "Study/activity Type, title" / "and category (1-3)" is
    # the heading; the cells "CODE: title" and "Name: due; name: due" come out of
    # row order
    doc = _rev1(
        "Part VI: Summary of activities in the risk management plan by product",
        "Dorvix (lomitrazine)",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns", "Important identified risks", "",
        "Hyponatraemia", "", "VI.1.2 Table of on-going and planned studies",
        "Study/activity Type, title", "and category (1-3)", "", "Objectives", "",
        "Date for", "submission of", "interim or final", "reports",
        "Interim report:", "30 June 2027;", "final report: 31", "December 2030", "",
        "LMZ-EPI-401: Cohort study", "(Category 3)", "LMZ-PED-302: Open-label",
        "extension study", "(Category 3)", "", "Interim report:", "Q2 2026; final",
        "report: 2029", "", "VI.2 Elements for a public summary", "")
    assert {s.identifier: [(m.kind, m.due_text) for m in s.milestones]
            for s in doc.studies} == {
        "LMZ-EPI-401": [("interim-report", "30 June 2027"),
                        ("final-report", "31 December 2030")],
        "LMZ-PED-302": [("interim-report", "Q2 2026"), ("final-report", "2029")]}


def test_vi_2_4_table_wins_over_a_scrambled_vi_1_1_and_says_so() -> None:
    # tessilor.txt: pdftotext prints VI.1.1's second identified risk after the
    # first potential one; VI.2.4 has one table per category
    doc = _rev1(
        "Part VI: Summary of activities in the risk management plan by product",
        "Xyl (xylamab)",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns",
        "Important identified risks", "", "Serious infections", "",
        "Important potential risks", "", "Malignancies", "", "Herpes zoster", "",
        "Missing information", "", "Use in pregnancy", "",
        "VI.2 Elements for a public summary",
        "VI.2.4 Summary of safety concerns",
        "Important identified risks", "",
        "Risk: Serious infections", "What is known: Pneumonia was reported.", "",
        "Risk: Shingles (herpes zoster)", "What is known: Shingles was seen.", "",
        "Important potential risks", "",
        "Risk: Malignancies", "What is known: Cancers were reported.", "",
        "Missing information", "",
        "Risk: Use in pregnancy", "What is known: No data.", "")
    assert {c.name: c.category for c in doc.concerns}["Herpes zoster"] == \
        Category.IDENTIFIED
    assert [i.reason for i in doc.issues if "VI.2.4 is taken" in i.reason] == [
        "VI.1.1 lists 'Herpes zoster' under important-potential-risk, VI.2.4 under "
        "important-identified-risk; VI.2.4 is taken"]


def test_records_read_label_cells_wrapped_in_a_narrow_column() -> None:
    # endravia.txt VI.2.5: "Risk minimisation" / "measure(s)", then the value
    from rmpgraph.parse.oldtemplate_tables import fields, records
    from rmpgraph.parse.segment import Line

    texts = ["Risk minimisation", "measure(s)", "", "Patient alert card", "",
             "Objective and rationale", "", "Patients should recognise low calcium."]
    rows, loose = records([Line(n, t) for n, t in enumerate(texts, start=1)],
                          fields("measure-table"), "measure")
    assert [x.text for x in rows[0].fields["measure"] if x.text] == [
        "Patient alert card"]
    assert {x.no for x in rows[0].lines} >= {1, 2, 4}
    assert not loose


def test_vi_1_1_headings_before_names_take_the_vi_2_4_category() -> None:
    # velmoran.txt: pdftotext prints the three VI.1.1 headings, then every name;
    # VI.2.4 puts "Clostridioides difficile-associated diarrhoea" under the
    # identified risks, spelt "difficileassociated" (hyphen lost at a wrap)
    text = "\n".join([
        "Part VI: Summary of activities in the risk management plan by product",
        "Xyl (xylamab)",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns",
        "Important identified risks", "Important potential risks", "",
        "Missing information", "", "",
        "Clostridioides difficile-associated diarrhoea", "Bone fractures",
        "Use in pregnancy", "",
        "VI.2 Elements for a public summary",
        "VI.2.4 Summary of safety concerns",
        "Important identified risks", "",
        "Risk: Clostridioides difficileassociated diarrhoea",
        "What is known: Diarrhoea was reported.", "",
        "Important potential risks", "",
        "Risk: Bone fractures", "What is known: Fractures were reported.", "",
        "Missing information", "",
        "Risk: Use in pregnancy", "What is known: No data.", "",
    ])
    doc = build_source(source_from_string(text, "x.txt")).document
    got = {c.name: c.category for c in doc.concerns}
    assert got == {
        "Clostridioides difficile-associated diarrhoea": Category.IDENTIFIED,
        "Bone fractures": Category.POTENTIAL,
        "Use in pregnancy": Category.MISSING,
    }


def test_scrambled_study_table_gives_studies_and_milestones() -> None:
    # endravia.txt VI.1.2: pdftotext prints the cells of the five-column table out
    # of row order; codes and milestone runs still come in row order
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["EDV-OS-501", "", "To detect cases of", "osteosarcoma.", "",
             "Osteosarcoma", "", "Planned", "", "Study start: Q1 2026", "",
             "Progress reports: with", "each PSUR", "Final report: 31",
             "December 2035", "", "Category 1", "EDV-LT-503", "Long-term extension of",
             "study", "EDV-301", "", "Interim report:", "November 2026",
             "End of data collection:", "2028", "Final report: within 9",
             "months of end of data", "collection"]
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    got = {r.key: [(m.kind, m.due_text) for m in r.entry.milestones] for r in rows}
    assert got == {
        "EDV-OS-501": [("study-start", "Q1 2026"),
                       ("progress-report", "with each PSUR"),
                       ("final-report", "31 December 2035")],
        "EDV-LT-503": [("interim-report", "November 2026"),
                       ("study-end", "2028"),
                       ("final-report", "within 9 months of end of data collection")],
    }
    assert all(not r.concerns for r in rows)


def test_scrambled_study_table_across_a_page() -> None:
    # corbenta.txt VI.2.6: the repeated column label runs into the next page's
    # first milestone (the header row, labels included, came first), and the
    # "Category n" lines of the first column come in row order
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["Status", "", "Date for", "submission of", "interim or final", "reports",
             "", "CRB-SAF-11", "", "Neutropenia", "", "Interim report:",
             "30/11/2027", "", "Final report: Q2", "2031", "", "Category 1",
             "CRB-DUS-12", "Drug",
             "", "Protocol", "submission: March", "2026", "", "Category 3", "",
             "CRB-RI-13", "Open-label study", "", "Date for", "submission of",
             "interim or final", "reports", "Final report: 2029", "",
             "Final report: 31", "December 2027", "", "Category 3"]
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    got = {r.key: (r.entry.category, [(m.kind, m.due_text) for m in r.entry.milestones])
           for r in rows}
    assert got == {
        "CRB-SAF-11": (1, [("interim-report", "30/11/2027"),
                           ("final-report", "Q2 2031")]),
        "CRB-DUS-12": (3, [("protocol-submission", "March 2026"),
                           ("final-report", "2029")]),
        "CRB-RI-13": (3, [("final-report", "31 December 2027")]),
    }


def test_scrambled_study_table_code_right_after_the_header() -> None:
    # velmoran.txt VI.1.2: no blank line between the header's last line and the
    # first code; a code inside a title ("maintenance study" / "VLM-302") is not
    # a row
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["Study/activity Type,", "Objectives", "interim or final", "or actual)",
             "VLM-PASS-11", "Non-interventional PASS", "Category 1", "VLM-3105",
             "Interventional study", "", "Category 3", "VLM-LT-08", "Long-term",
             "maintenance study", "VLM-302", "Category 3"]
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    assert [(r.key, r.entry.category) for r in rows] == [
        ("VLM-PASS-11", 1), ("VLM-3105", 3), ("VLM-LT-08", 3)]
    # the header's last line ends in a word, not a bracket: still the header's
    texts[3] = "reports"
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    assert [r.key for r in rows] == ["VLM-PASS-11", "VLM-3105", "VLM-LT-08"]


def test_scrambled_study_table_unpaired_milestones_are_reported_not_guessed() -> None:
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["", "XY-AB-11", "", "Final report: 2029", "", "Category 1", "XY-CD-12",
             "", "Category 3"]
    heard: list[int] = []
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)],
                          lambda no, why: heard.append(no))
    assert [(r.key, r.entry.category, r.entry.milestones) for r in rows] == [
        ("XY-AB-11", 1, []), ("XY-CD-12", 3, [])]
    assert heard == [4]
    # more category lines than codes: a row's code was missed, nothing is read
    assert scrambled_rows([Line(n, t) for n, t in enumerate(
        [*texts, "Some study", "Category 2"], start=1)]) == []


def test_scrambled_study_cell_of_one_paragraph() -> None:
    # tessilor.txt: the study cell is one wrapped paragraph "CODE – title
    # (Category n)", a code may follow the end of another cell's sentence, and a
    # date cut by a page break ("Final report: 30" / … / "November 2032") is no
    # milestone
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["XY-PASS-05 –", "Registry-based", "cohort study", "(Category 1)", "",
             "To estimate", "rates.", "", "Interim report:", "Q3 2027", "",
             "Final report: 30", "", "how often prescribers hand", "out the card.",
             "XY-2207 – Openlabel long-term", "extension study", "(Category 3)", "",
             "Protocol submission:", "31 May 2027", "Final clinical study report: Q4",
             "2030"]
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    assert {r.key: (r.entry.identifier, r.entry.category,
                    [(m.kind, m.due_text) for m in r.entry.milestones])
            for r in rows} == {
        "XY-PASS-05": ("XY-PASS-05", 1, [("interim-report", "Q3 2027")]),
        "XY-2207": ("XY-2207", 3, [("protocol-submission", "31 May 2027"),
                                   ("final-report", "Q4 2030")]),
    }


def test_vi_2_4_caption_printed_after_its_table() -> None:
    # velmoran.txt: "Important potential risks" comes after its table's rows and
    # straight before "Missing information"
    text = "\n".join([
        "Part VI: Summary of activities in the risk management plan by product",
        "Xyl (xylamab)",
        "VI.1 Elements for summary tables in the EPAR",
        "VI.1.1 Summary table of safety concerns",
        "Important identified risks", "Important potential risks", "",
        "Missing information", "", "",
        "Hypomagnesaemia", "Bone fractures", "Use in pregnancy", "",
        "VI.2 Elements for a public summary",
        "VI.2.4 Summary of safety concerns",
        "Important identified risks", "Risk", "", "What is known", "",
        "Preventability", "", "Hypomagnesaemia", "", "Low magnesium was seen.", "",
        "Doctors may measure magnesium.", "",
        "Risk", "", "What is known", "", "Preventability", "",
        "Bone fractures", "", "Fractures were reported.", "", "Not known.", "",
        "Important potential risks", "",
        "Missing information", "Risk", "", "What is known", "",
        "Use in pregnancy", "", "No data.", "",
    ])
    doc = build_source(source_from_string(text, "x.txt")).document
    got = {c.name: c.category for c in doc.concerns}
    assert got == {"Hypomagnesaemia": Category.IDENTIFIED,
                   "Bone fractures": Category.POTENTIAL,
                   "Use in pregnancy": Category.MISSING}


def test_vi_2_5_material_printed_after_the_last_cell() -> None:
    # endravia.txt: the measure cell's second paragraph "Guide for healthcare
    # professionals" comes out after the "Proposed action" cell
    from rmpgraph.parse.oldtemplate import _stray_materials
    from rmpgraph.parse.segment import Line

    fields = {
        "measure": [Line(1, "Educational material for patients (patient guide)")],
        "action": [Line(3, "Guides will be provided to endocrinologists before the"),
                   Line(4, "first prescription."),
                   Line(5, "Guide for healthcare professionals")],
    }
    _stray_materials(fields)
    assert [x.text for x in fields["measure"]] == [
        "Educational material for patients (patient guide)",
        "Guide for healthcare professionals"]
    assert len(fields["action"]) == 2


# endravia.pdfminer.txt VI.2.6: each study cell a box of its own, then the other
# columns' headings and cells, each milestone a box of its own
_COLUMNS_APART = (
    "VI.2.6 Planned post authorisation development plan", "",
    "List of studies in post authorisation development plan", "",
    "Study/activity Type,", "title and category", "(1-3)", "",
    "XDR-OS-501", "", "Bone surveillance study:", "non-interventional", "PASS", "",
    "Category 1", "", "XDR-PED-502", "", "Interventional study in", "adolescents", "",
    "Category 3", "", "Objectives", "", "Safety concerns", "addressed", "",
    "Status", "",
    "Date for submission", "of interim or final", "reports", "",
    "To detect cases of", "osteosarcoma.", "", "To describe", "pharmacokinetics.", "",
    "Osteosarcoma", "", "Planned", "", "Study start: Q1 2026", "",
    "Progress reports: with", "each PSUR", "", "Final report: 31", "December 2035", "",
    "Use in pregnancy", "", "Planned", "", "Protocol submission:", "30/06/2027", "",
    "Final report: Q2 2030", "")


def _xendra(*study_table: str) -> Document:
    return _rev1(
        "Active substance (INN or common name): xendrelin",
        "Product concerned (brand name): Xendra",
        "Part VI: Summary of activities in the risk management plan by", "product",
        "VI.1", "", "Elements for summary tables in the EPAR", "",
        "VI.1.1", "", "Summary table of safety concerns", "",
        "Important potential risks", "", "Osteosarcoma", "",
        "Missing information", "", "Use in pregnancy", "",
        "VI.2", "", "Elements for a public summary", "", *study_table)


def _links(doc: Document) -> dict[str, list[str]]:
    return {c.name: [m.name for m in c.study_mentions] for c in doc.concerns}


def test_study_cells_apart_from_their_rows_pair_milestones_with_codes() -> None:
    doc = _xendra(*_COLUMNS_APART)
    assert {s.identifier: (s.category, [(m.kind, m.due_text) for m in s.milestones])
            for s in doc.studies} == {
        "XDR-OS-501": (1, [("study-start", "Q1 2026"),
                           ("progress-report", "with each PSUR"),
                           ("final-report", "31 December 2035")]),
        "XDR-PED-502": (3, [("protocol-submission", "30/06/2027"),
                            ("final-report", "Q2 2030")])}
    # each row's concern cell comes before its status and its milestones
    assert _links(doc) == {"Osteosarcoma": ["XDR-OS-501"],
                           "Use in pregnancy": ["XDR-PED-502"]}


def test_concern_cells_out_of_their_rows_order_give_no_link() -> None:
    cells = list(_COLUMNS_APART)
    # a concern cell after its row's status (velmoran.txt: pdftotext printed the
    # next row's cell there)
    at = cells.index("Osteosarcoma")
    cells[at : at + 4] = ["Planned", "", "Osteosarcoma", ""]
    assert _links(_xendra(*cells)) == {"Osteosarcoma": [], "Use in pregnancy": []}
    # a concern cell inside a row's milestones
    cells = list(_COLUMNS_APART)
    at = cells.index("Use in pregnancy")
    del cells[at : at + 2]
    at = cells.index("Progress reports: with")
    cells[at:at] = ["Use in pregnancy", ""]
    assert _links(_xendra(*cells)) == {"Osteosarcoma": [], "Use in pregnancy": []}


def test_a_row_cut_by_a_page_under_repeated_headings_is_told() -> None:
    from rmpgraph.parse.oldtemplate_studies import _split_row
    from rmpgraph.parse.segment import Line

    def lines(*texts: str) -> list[Line]:
        return [Line(n, t) for n, t in enumerate(texts, start=1)]

    assert not _split_row(lines(*_COLUMNS_APART))
    # corbenta.pdfminer.txt: the headings again on the next page, then the rest
    # of a title ("countries") before the next code
    cut = ("Study/activity Type,", "title and category", "", "CRB-DUS-12", "",
           "Drug utilisation study in five", "", "Objectives", "", "Status", "",
           "Objectives", "", "Status", "", "countries", "", "Category 3", "",
           "CRB-RI-13", "")
    assert _split_row(lines(*cut))
    # the headings again with a row starting under them: nothing is cut
    assert not _split_row(lines(*cut[:15], "CRB-RI-13", "", "countries", ""))


def test_a_milestones_column_printed_from_its_first_row_on_the_next_page() -> None:
    # oxapremid.txt: the header row lacks the milestones heading, which comes with
    # the column on the next page, where the first row's milestones come last
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["Study/activity Type, title", "and category (1-3)", "", "OXR-PASS-01",
             "Safety study", "Category 1", "OXR-DUS-02", "Drug utilisation study",
             "Category 3", "", "Hepatotoxicity", "", "Planned", "",
             "Protocol submission: Q3 2026", "Final study report: Q4 2029", "",
             "Page 2 of 7", "", "Date for submission of", "interim or final reports",
             "Interim report: Q2 2027", "Final study report: December", "2030"]
    told: list[str] = []
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)],
                          lambda no, text: told.append(text))
    assert [(r.key, r.entry.milestones) for r in rows] == [
        ("OXR-PASS-01", []), ("OXR-DUS-02", [])]
    assert told


def test_the_2014_wording_of_the_study_table_and_quarters_written_4q() -> None:
    # tarvexa: "Study/activity (including study number)", "Safety concerns
    # /efficacy issue addressed", "Planned date for submission of (interim and)
    # final results"; "4Q 2031"
    from rmpgraph.parse.blocks import known_header

    assert known_header("Safety concerns /efficacy issue addressed")
    doc = _xendra(
        "VI.2.6 Planned post authorisation development plan", "",
        "Study/activity (including study number): XDR-PASS-501",
        "Non-interventional safety study (Category 1)", "",
        "Objectives: To estimate the incidence of osteosarcoma.", "",
        "Safety concerns /efficacy issue addressed: Osteosarcoma", "",
        "Status: Planned", "",
        "Planned date for submission of (interim and) final results: Protocol "
        "submission: 31.01.2026", "Final study report: 4Q 2031", "")
    study = doc.studies[0]
    assert (study.identifier, study.category) == ("XDR-PASS-501", 1)
    assert [(m.kind, m.due_text, m.due and m.due.start) for m in study.milestones] == [
        ("protocol-submission", "31.01.2026", date(2026, 1, 31)),
        ("final-report", "4Q 2031", date(2031, 10, 1))]
    assert _links(doc)["Osteosarcoma"] == ["XDR-PASS-501"]


def test_a_code_after_a_register_number_or_a_repeated_heading_opens_a_row() -> None:
    # tarvexa.pdfminer.txt: one box holds the study column of two rows, the first
    # ending in its register number; after a page break the column's heading,
    # then the next row's code
    from rmpgraph.parse.oldtemplate_studies import scrambled_rows
    from rmpgraph.parse.segment import Line

    texts = ["Study/activity", "(including study", "number)", "Objectives",
             "TRX-PASS-501", "Safety study", "(Category 1)", "EU PAS Register:",
             "EUPAS722190", "TRX-DUS-502", "Drug utilisation study", "(Category 3)",
             "", "Status", "TRX-LTE-303", "Extension of study", "completed study",
             "TRX-302", "(Category 3)"]
    rows = scrambled_rows([Line(n, t) for n, t in enumerate(texts, start=1)])
    assert [(r.key, r.entry.category) for r in rows] == [
        ("TRX-PASS-501", 1), ("TRX-DUS-502", 3), ("TRX-LTE-303", 3)]
