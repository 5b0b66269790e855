"""Stage 3b, the content of II.B rows: measures, risk factors, PV mentions.

Split from `extract_concerns.py` (which finds the tables and their rows) so each
module stays readable; `extract_concerns` re-exports these names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rmpgraph.parse.cellflow import SEE_PLAN
from rmpgraph.parse.model import Measure, NoneStatement, Span, StudyMention
from rmpgraph.parse.segment import Line, layout
from rmpgraph.parse.studies import identifier_of, parse_pv_row
from rmpgraph.parse.textutil import (
    classify,
    items,
    join_lines,
    label_sections,
    paragraphs,
    says_none,
    span_of,
)

__all__ = [
    "materials_of",
    "measure_kind",
    "parse_measures",
    "split_rmm",
    "risk_factor_items",
    "pv_mentions",
    "cell_furniture",
]



def _material_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (kind, re.compile(pattern, re.I))
        for kind, pattern in layout()["materials"].items()
    ]


def materials_of(text: str) -> list[str]:
    found = []
    for slug, pattern in _material_patterns():
        if pattern.search(text) and slug not in found:
            if slug == "patient-card" and "patient-alert-card" in found:
                continue
            found.append(slug)
    return found


def measure_kind(text: str, routine: bool) -> str:
    return classify("routine-measure" if routine else "additional-measure", text) or ""


def _frequency(text: str) -> str | None:
    m = re.search(
        r"\b(yearly|annual(?:ly)?|monthly|quarterly|biennial(?:ly)?|"
        r"every\s+\w+\s+(?:years?|months?))\b",
        text,
        re.I,
    )
    if not m:
        return None
    f = m.group(1).lower()
    return "yearly" if f.startswith("annual") else f


def parse_measures(
    lines: Sequence[Line], routine: bool
) -> tuple[list[Measure], NoneStatement | None]:
    entries = items(lines)
    if len(entries) == 1 and says_none(entries[0][0]):
        row = "routine-rmm" if routine else "additional-rmm"
        return [], NoneStatement(row, entries[0][0], entries[0][1])
    out: list[Measure] = []
    kinds = [measure_kind(text, routine) for text, _ in entries]
    for k, (text, span) in enumerate(entries):
        if not routine and text.endswith(":") and not materials_of(text) and (
                k + 1 < len(kinds) and kinds[k + 1] == kinds[k]):
            continue  # "Educational programme:" heading its guides, not a measure
        out.append(
            Measure(
                text=text,
                span=span,
                kind=measure_kind(text, routine),
                label_sections=label_sections(text) if routine else [],
                materials=[] if routine else materials_of(text),
                updated=(not routine) and bool(re.match(r"^\s*updated\b", text, re.I)),
                frequency=None if routine else _frequency(text),
            )
        )
    return out, None


def split_rmm(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """The "Risk minimisation measures" row holds a routine and an additional part."""
    from rmpgraph.parse.extract_concerns import (
        _match_row as match_row,  # a cycle at import time
    )

    routine: list[Line] = []
    additional: list[Line] = []
    target = routine
    for ln in lines:
        hit = match_row([ln], 0) if ln.text else None
        if hit and hit[0] in ("routine-rmm", "additional-rmm"):
            target = routine if hit[0] == "routine-rmm" else additional
            if hit[2]:
                target.append(Line(ln.no, hit[2], False))
            continue
        target.append(ln)
    return routine, additional


def risk_factor_items(lines: Sequence[Line]) -> list[tuple[str, Span]]:
    """Bulleted risk factors; prose paragraphs stay in the row text only."""
    bullets = [ln for ln in lines if ln.bullet]
    if not bullets:
        return []
    return [(t, s) for t, s in items(lines) if any(b.no == s.start for b in bullets)]


def pv_mentions(
    lines: Sequence[Line],
) -> tuple[list[StudyMention], NoneStatement | None]:
    entries = [p for p in paragraphs(lines)]
    flat = [ln for p in entries for ln in p]
    if flat and says_none(join_lines(x.text for x in flat)):
        return [], NoneStatement(
            "additional-pv", join_lines(x.text for x in flat), span_of(flat)
        )
    # a text export can print a "None" twice (a label split by its value, a table
    # continued on the next page) or next to a column heading of the table
    # ("Summary"): a "None" names no study, nor does one common word
    nones = [ln for ln in flat if says_none(ln.text)]
    rest = [ln for ln in lines if ln not in nones]
    # "See section II.C of this summary …" points at the plan; it names no study
    mentions = [m for m in parse_pv_row(rest)
                if not SEE_PLAN.match(m.name) and _names_a_study(m.name)
                and not _a_material(m.name) and not _CITATION.match(m.name)]
    if nones and not mentions:
        return [], NoneStatement("additional-pv", nones[0].text, span_of(nones))
    return mentions, None


# a routine measure's label citation ("PL sections 2 and 4"), which pdftotext can
# print after the pharmacovigilance row of a table: no study
_CITATION = re.compile(r"^(?:SmPC|PL|package leaflet|summary of product "
                       r"characteristics)\s+sections?\s+[\d.,\sand]+$", re.I)


def _a_material(name: str) -> bool:
    """A measure's material ("Patient alert card"), which a text export can print
    in the pharmacovigilance row of a table: no study. A study about one ("Patient
    alert card effectiveness survey") says what it is."""
    return bool(materials_of(name)) and len(name.split()) <= 6 and \
        identifier_of(name) is None and not _STUDY_WORD.search(name)


_STUDY_WORD = re.compile(
    r"\b(?:stud(?:y|ies)|survey|regist(?:ry|er)|trial|PASS|DUS|cohort|evaluation|"
    r"assessment|analysis|questionnaire)\b", re.I)


def _names_a_study(name: str) -> bool:
    """A code, a number, an acronym or words: not one common word."""
    words = name.split()
    return (len(words) > 1 or bool(re.search(r"\d|[A-Z]{2}", name))) and \
        not cell_furniture(name)


# a running header or footer a text export printed inside a cell ("Part VI",
# "Version 3.0, 14 March 2025")
_FURNITURE = re.compile(r"^(?:part\s+vi\b|version\s+\d|page\s+\d)", re.I)


@lru_cache(maxsize=1)
def _label_words() -> frozenset[str]:
    return frozenset(w for labels in layout()["rows"].values() for x in labels
                     for w in x.lower().split())


def cell_furniture(text: str) -> bool:
    """A page's running header or footer, or words cut from a row label
    ("minimisation measures"), printed where a study's name would be."""
    words = text.lower().split()
    return bool(_FURNITURE.match(text)) or 0 < len(words) <= 4 and set(
        words) <= _label_words()
