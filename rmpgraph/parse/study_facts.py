"""Stage 3e, study facts read from a study's own words: its design, its register
numbers and the additional measures whose effectiveness it evaluates.

II.C states these in prose ("a non-interventional cohort study in claims databases",
"EU PAS Register No: EUPAS104321", "to measure knowledge of the pregnancy prevention
programme"), never in a field of their own, so they are recognised by the phrases of
`data/layout/study-facts.toml`; Python holds only the order in which texts are read.
Both templates build their studies through `assemble`, which calls `describe`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rmpgraph.parse.model import Study
from rmpgraph.parse.rowcontent import materials_of
from rmpgraph.parse.studies import PlanEntry, identifier_of
from rmpgraph.paths import DATA_DIR

__all__ = [
    "design_of",
    "register_ids_in",
    "evaluated_measures",
    "describe",
    "describe_study",
]

FACTS_FILE = DATA_DIR / "layout" / "study-facts.toml"


@lru_cache(maxsize=1)
def _facts() -> dict[str, Any]:
    with FACTS_FILE.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def _design_rules() -> list[tuple[str, list[re.Pattern[str]]]]:
    rules = sorted(_facts()["design"], key=lambda r: -int(r["priority"]))
    return [(r["concept"], [re.compile(p, re.I) for p in r["phrases"]]) for r in rules]


@lru_cache(maxsize=1)
def _registers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    reg = _facts()["registers"]
    return re.compile(reg["number"], re.I), re.compile(reg["catalogue"], re.I)


@lru_cache(maxsize=1)
def _effectiveness() -> tuple[
    list[re.Pattern[str]], re.Pattern[str], list[tuple[str, re.Pattern[str]]]
]:
    eff = _facts()["effectiveness"]
    return (
        [re.compile(p, re.I) for p in eff["phrases"]],
        re.compile(eff["clause_end"], re.I),
        [(k, re.compile(p, re.I)) for k, p in eff["measures"].items()],
    )


def _without_codes(text: str) -> str:
    """The text with its study codes blanked: "HLV-PASS-01" or "TRZ-PPP-12" name
    a study, not its design or a programme."""
    while (code := identifier_of(text)) is not None:
        text = text.replace(code, " ")
    return re.sub(r"\s+", " ", text).strip()


def _design_in(text: str) -> str | None:
    text = _without_codes(text)
    for concept, patterns in _design_rules():
        if any(p.search(text) for p in patterns):
            return concept
    return None


def design_of(naming: Iterable[str], about: Iterable[str] = ()) -> str | None:
    """The rmpv:study-design slug: from the texts that name the study (short name,
    title, "Study design" field), else from its objective; None when neither names
    a design. The naming text wins because an objective often speaks of other
    studies ("patients treated outside clinical trials")."""
    for texts in (naming, about):
        found = _design_in(" \n ".join(t for t in texts if t))
        if found is not None:
            return found
    return None


def register_ids_in(text: str) -> list[tuple[str, str]]:
    """(scheme slug, "EUPAS<digits>") for each register number in `text`, in order,
    once each. A number is the RWD catalogue's when its sentence names the
    catalogue."""
    number, catalogue = _registers()
    found: list[tuple[str, str]] = []
    for m in number.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()))
        after = (text.find(". ", m.end()), text.find("\n", m.end()))
        ends = [i for i in after if i >= 0]
        sentence = text[start + 1 : min(ends, default=len(text))]
        scheme = "rwd-catalogue" if catalogue.search(sentence) else "eu-pas"
        item = (scheme, f"EUPAS{m.group(1)}")
        if all(f[1] != item[1] for f in found):
            found.append(item)
    return found


def evaluated_measures(text: str) -> list[str]:
    """Material-kind and measure-kind slugs named in a clause of `text` that says
    their effectiveness (knowledge, adherence, ...) is evaluated: clause by clause,
    materials in the order of part-vi.toml's [materials], then programme kinds."""
    triggers, clause_end, kinds = _effectiveness()
    found: list[str] = []
    for clause in clause_end.split(_without_codes(text)):
        if not any(t.search(clause) for t in triggers):
            continue
        named = materials_of(clause)
        for slug, pattern in kinds:
            if pattern.search(clause) and not (
                named and slug == "educational-programme"
            ):
                named.append(slug)
        found += [slug for slug in named if slug not in found]
    return found


def describe(study: Study, naming: Iterable[str], about: Iterable[str],
             everything: str, names: int | None = None) -> None:
    """Set the study's design, register numbers and evaluated measures: the design
    from `naming`/`about` (see `design_of`), measures from both, register numbers
    from `everything` the study's entries say. With `names`, the first `names`
    texts of `naming` (the study's names and title) are asked before the rest (its
    "Study design" field): a title that names a design wins over a design field
    that also names a part ("Drug utilisation study …" / "… combined with a
    cross-sectional survey")."""
    naming, about = list(naming), list(about)
    first = design_of(naming[:names]) if names is not None else None
    study.design = first or design_of(naming, about)
    study.register_ids = register_ids_in(everything)
    study.evaluates = evaluated_measures(" . ".join(t for t in naming + about if t))


def describe_study(study: Study, entry: PlanEntry | None) -> None:
    """`describe` with the study's texts: its names (II.C short name and title, the
    II.B names) and "Study design" field name it; the objective is about it."""
    fields = entry.fields if entry is not None else {}
    naming = [study.label, *study.alt_labels, study.title or ""]
    naming.append(fields.get("design", ""))
    about = [fields.get("objective", "")]
    everything = [*naming, *(v for k, v in fields.items() if k != "design")]
    describe(study, naming, about, "\n".join(t for t in everything if t),
             names=len(naming) - 1)
