"""Layouts found by the batch-3 fixtures (tests/fixtures/docs/make_docs3.py): the rules
they needed, each checked on its own.

Expected values are written by hand from the documents (vexaltra, corbenta; see
tests/fixtures/docs/README.md, "Batch 3 notes") and from the small texts below, never
from the code's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rmpgraph.parse.extract import extract
from rmpgraph.parse.model import Category
from rmpgraph.parse.oldtemplate_risks import _lay_term
from rmpgraph.parse.read import read_source, source_from_string

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"


@pytest.mark.parametrize(("cell", "term"), [
    ("Low number of white blood cells (Neutropenia)", "Neutropenia"),
    ("Liver problems (hepatotoxicity)", "hepatotoxicity"),
    ("Heart rhythm problems (QT prolongation)", "QT prolongation"),
    # a parenthesis that qualifies, or an abbreviation, names no term
    ("Infections (including serious infections)", None),
    ("Use in children (under 18 years)", None),
    ("Serious infections (e.g. tuberculosis)", None),
    ("Progressive multifocal leukoencephalopathy (PML)", None),
    ("Hepatotoxicity", None),
    ("(Neutropenia)", None),
])
def test_lay_name_gives_the_term(cell: str, term: str | None) -> None:
    assert _lay_term(cell) == term


# An older-template summary published as VI.2 only: no VI.1.1 names the concerns, and
# the VI.2.4 tables arrive as a header row, then one paragraph per cell.
VI2_ONLY = ("Part VI: Summary of activities in the risk management plan by product "
            "– Morvex (telazine)\n") + """\

VI.2 Elements for a public summary

VI.2.1 Overview of disease epidemiology

Psoriasis is common.

VI.2.4 Summary of safety concerns

Important identified risks

Risk

What is known

Preventability

Liver problems (hepatotoxicity)

Raised liver tests in 3 in 100 patients.

Yes, by liver tests.

Infections (including serious infections)

Infections were common.

Not known.

Missing information

Risk

What is known

Use in children

Not studied.
"""


def test_vi2_only_summary_reads_its_risk_tables_by_column() -> None:
    doc = extract(source_from_string(VI2_ONLY, "morvex.txt"))
    assert doc.template == "rev1"
    got = [(c.name, c.category, c.evidence_text) for c in doc.concerns]
    assert got == [
        ("hepatotoxicity", Category.IDENTIFIED,
         "Raised liver tests in 3 in 100 patients."),
        ("Infections (including serious infections)", Category.IDENTIFIED,
         "Infections were common."),
        ("Use in children", Category.MISSING, "Not studied."),
    ]
    # the public wording stays as another spelling of the concern
    assert doc.concerns[0].alt_names == ["Liver problems (hepatotoxicity)"]
    assert doc.issues == []


def test_vi2_only_row_of_merged_paragraphs_is_reported_not_guessed() -> None:
    # the first row's "risk" cell reads as a sentence: the cells are not one
    # paragraph each, so the table is reported instead of misread
    text = VI2_ONLY.replace("Liver problems (hepatotoxicity)\n\n",
                            "Raised liver tests were seen in some patients.\n\n", 1)
    doc = extract(source_from_string(text, "morvex.txt"))
    assert [c.name for c in doc.concerns] == ["Use in children"]
    assert any("not one paragraph each" in i.reason for i in doc.issues)


# Vexaltra's II.B "Pharmacovigilance activities" row holds "Routine pharmacovigilance
# activities beyond adverse reactions reporting and signal detection:" (a follow-up
# questionnaire) and "Additional pharmacovigilance activities:" (codes, or "None").
# Neither the questionnaire nor "None" is an additional risk minimisation measure;
# only the codes are studies.
VEXALTRA_ADDITIONAL = {
    "Serious infections": ["Patient alert card"],
    "Hypersensitivity reactions including anaphylaxis": [],
    "Malignancies": [],
    "Demyelinating disorders": ["HCP guide"],
    "Interstitial lung disease": [],
    "Use in pregnancy and breastfeeding": [],
    "Long-term safety beyond 5 years": [],
}
VEXALTRA_STUDIES = {
    "Serious infections": ["VXL-REG-01"],
    "Hypersensitivity reactions including anaphylaxis": [],
    "Malignancies": ["VXL-REG-01"],
    "Demyelinating disorders": [],
    "Interstitial lung disease": [],
    "Use in pregnancy and breastfeeding": ["VXL-PREG-02"],
    "Long-term safety beyond 5 years": ["VXL-REG-01", "VXL-EXT-303"],
}


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt"])
def test_combined_pharmacovigilance_row(suffix: str) -> None:
    doc = extract(read_source(DOCS / f"vexaltra{suffix}"))
    assert {c.name: [m.text for m in c.additional] for c in doc.concerns} == \
        VEXALTRA_ADDITIONAL
    assert {c.name: [m.name for m in c.study_mentions] for c in doc.concerns} == \
        VEXALTRA_STUDIES


def test_pdf_cell_of_one_line_entries_keeps_them_apart() -> None:
    """Vexaltra's II.C.2 "Milestones" cell holds three one-line entries separated
    only by paragraph spacing; each pairs with its own line of "Due dates"."""
    doc = extract(read_source(DOCS / "vexaltra.pdf"))
    reg = next(s for s in doc.studies if s.identifier == "VXL-REG-01")
    assert [(m.kind, m.due_text) for m in reg.milestones] == [
        ("protocol-submission", "31/03/2026"),
        ("progress-report", "Annually with the PSUR"),
        ("final-report", "Q4 2033"),
    ]


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt"])
def test_plan_without_risks_or_studies(suffix: str) -> None:
    """Pelitraxan Norvik (a generic): II.A "None" for each category, II.B "Not
    applicable. There are no important …", II.C.1 and II.C.2 "There are no studies
    …". Nothing is read as a concern or study, every absence is stated, and no line
    is left unexplained."""
    doc = extract(read_source(DOCS / f"pelitraxan-norvik{suffix}"))
    assert doc.product.name == "Pelitraxan Norvik"
    assert doc.concerns == [] and doc.studies == []
    assert sorted(n.row for n in doc.nones) == [
        "ii-c-1", "ii-c-2", "important-identified-risk", "important-potential-risk",
        "missing-information"]
    assert doc.issues == []
