"""Expected LEMTRADA facts for the report tests, copied from the document text.

II.A list (data/rmp/lemtrada.txt, Table 1, lines 85-166) with the footnote marker
"a" dropped and the wrapped "Other autoimmune disorders" entry joined; the two
"Final report: Q3 2024" milestones of the Drug Utilization Study and the Risk of
mortality study (lines 243-249 and Table 25).
"""

from __future__ import annotations

CONCERNS = {
    "Important identified risk": [
        "Infusion Associated Reactions (IARs)",
        "Stroke (including haemorrhagic stroke)",
        "Dissection of the cervicocephalic arteries",
        "Myocardial infarction and myocardial ischaemia",
        "Pulmonary alveolar haemorrhage",
        "Thrombocytopenia",
        "Thyroid disorders",
        "Immune thrombocytopenic purpura",
        "Nephropathies including anti-GBM disease",
        "Autoimmune hepatitis",
        "Serious infections",
        "Haemophagocytic lymphohistiocytosis",
        "Acquired Haemophilia A",
        "Thrombotic Thrombocytopenic Purpura",
        "Adult Onset Still’s Disease (AOSD)",
        "Autoimmune Encephalitis (AIE)",
        "Acute Acalculous Cholecystitis (AAC)",
    ],
    "Important potential risk": [
        "Other autoimmune disorders (ie, cytopenias, including severe neutropenia, "
        "myasthenic syndrome, T1DM, GBS, sarcoidosis)",
        "Malignancies",
        "Progressive multifocal leukoencephalopathy",
    ],
    "Missing information": [
        "Pediatric use",
        "Use in patients aged >55 years (including use in elderly patients aged "
        "≥65 years)",
        "Use in racial categories other than white",
    ],
}
ALL_CONCERNS = [name for names in CONCERNS.values() for name in names]
OVERDUE_AS_OF = "2026-11-25"
OVERDUE = {
    ("Drug Utilization Study", "Q3 2024"),
    ("Risk of mortality study", "Q3 2024"),
}
