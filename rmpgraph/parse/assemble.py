"""Stage 3e, assemble studies: II.C entries and II.B mentions -> one Study each.

A study appears once in II.C and again in every II.B table whose additional-PV row
names it, often under a shorter name. Each becomes one resource whose concerns are
exactly the II.B tables that name it; a name II.C lacks still becomes a study (without
a plan section) so the SHACL shapes can report it rather than the parser dropping it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from rmpgraph.parse.blocks import blocks_layout, norm_cell
from rmpgraph.parse.keys import slug
from rmpgraph.parse.milestones import milestone_kind, parse_due
from rmpgraph.parse.model import Concern, Milestone, Study
from rmpgraph.parse.rowcontent import cell_furniture
from rmpgraph.parse.segment import layout
from rmpgraph.parse.studies import PlanEntry, identifier_of, resolve_mention
from rmpgraph.parse.study_facts import describe_study
from rmpgraph.parse.textutil import classify, normalise_name

__all__ = ["assemble_studies", "procedures_in", "add_milestone"]

_PROCEDURE = re.compile(r"EMEA/H/[A-Z0-9\-/]+")


def procedures_in(text: str) -> list[tuple[str, str]]:
    """EMA procedure numbers in `text` with their type slug when the words before
    say it ("Article 20 referral (EMEA/H/A-31/...)"), else ""."""
    found = []
    for m in _PROCEDURE.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()].lower()
        art = re.search(r"article\s+(\d+)", before)
        kind = (
            f"article-{art.group(1)}-referral" if art and "referral" in before else ""
        )
        found.append((m.group(0).rstrip("/"), kind))
    return found


@lru_cache(maxsize=1)
def _headings() -> frozenset[str]:
    return frozenset(norm_cell(h) for h in [*blocks_layout()["headers"]["cells"],
                                            *layout()["study-fields"]["title"]])


_DATE_WORDS = re.compile(
    r"\b(?:q[1-4]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|quarter|"
    r"half|first|second|third|fourth|\d+(?:st|nd|rd|th)|of|end)\b|[\d\W_]")


def _no_study_name(label: str) -> bool:
    """A study table's column heading ("Study", "Study short name and title", or
    "Study /" cut from "Study / status"), a running header or footer, a
    milestone's name ("Interim report") or due dates only ("Q1 2028 December
    2029"): no study's name."""
    return cell_furniture(label) or norm_cell(label.rstrip(" /:–-")) in _headings() \
        or not _DATE_WORDS.sub("", label.lower()) and parse_due(label) is not None or (
        len(label.split()) <= 3 and identifier_of(label) is None
        and milestone_kind(label) != "other")


# milestones a study reaches once: two due at different times are another study's
_ONCE = ("protocol-submission", "study-start", "study-end", "final-report")


def _once_in_a_life(st: Study, issue: Callable[[int, str], None]) -> None:
    """A study with two final reports (or protocol submissions, starts, ends) due
    at different times took other studies' dates: a text export printed its
    table's cells out of order. None of its milestones is kept, and the loss is
    reported."""
    for kind in _ONCE:
        dues = {m.due_text for m in st.milestones if m.kind == kind}
        if len(dues) > 1:
            issue(st.milestones[0].span.start, f"'{st.label}' has {len(dues)} "
                  f"{kind} milestones: its table's cells are out of order; no "
                  "milestone of it is read")
            st.milestones = []
            return


def add_milestone(st: Study, ms: Milestone) -> None:
    """Add `ms` unless the study has it already (II.B repeats milestones per table);
    a repeat only adds its source span."""
    for existing in st.milestones:
        if existing.kind == ms.kind and existing.due_text == ms.due_text:
            if ms.span != existing.span and ms.span not in existing.more_spans:
                existing.more_spans.append(ms.span)
            return
    st.milestones.append(ms)


def _from_entry(e: PlanEntry) -> Study:
    st = Study(
        key="",
        label=e.short or e.title,
        title=e.title,
        identifier=e.identifier,
        section=e.section,
        spans=list(e.spans),
    )
    text = " ".join([e.title, *e.fields.values()])
    if e.category is not None:
        st.category, st.category_stated = e.category, True
    elif e.section == "ii-c-1":  # implied by the section
        st.category = 2 if re.search(r"specific obligation", text, re.I) else 1
    else:
        st.category = 3
    st.study_type = classify("study-type", f"{e.title} {e.short or ''}")
    st.objective = e.fields.get("objective")
    st.procedures.extend(procedures_in(text))
    if re.search(r"article\s+46\b", text, re.I):
        st.legal_bases.append("article-46-paediatric-regulation")
    for ms in e.milestones:
        add_milestone(st, ms)
    return st


def assemble_studies(
    entries: Sequence[PlanEntry],
    concerns: Sequence[Concern],
    issue: Callable[[int, str], None],
) -> list[Study]:
    """Studies in document order (II.C first, then names only II.B has)."""
    headings = [e for e in entries if _no_study_name(e.short or e.title)]
    for e in headings:  # a scrambled table's heading or date cells read as an entry
        issue(e.spans[0].start if e.spans else 0,
              f"II.C entry '{e.short or e.title}' is a column heading or dates; "
              "left out")
    entries = [e for e in entries if e not in headings]
    by_entry = {id(e): _from_entry(e) for e in entries}
    order = [by_entry[id(e)] for e in entries]
    loose: dict[str, Study] = {}
    named: set[int] = set()  # studies already labelled by their first II.B name
    for c in concerns:
        for mention in c.study_mentions:
            entry = resolve_mention(mention.name, entries)
            if entry is not None:
                st = by_entry[id(entry)]
            else:
                norm = normalise_name(mention.name)
                if norm not in loose:
                    loose[norm] = Study(
                        key="",
                        label=mention.name,
                        category=mention.category,
                        identifier=identifier_of(mention.name),
                    )
                    order.append(loose[norm])
                    named.add(id(loose[norm]))
                st = loose[norm]
            if id(st) not in named:
                named.add(id(st))
                if st.label != mention.name:
                    st.alt_labels.insert(0, st.label)
                    st.label = mention.name
            if mention.name not in (st.label, *st.alt_labels):
                st.alt_labels.append(mention.name)
            if c.key not in st.concerns:
                st.concerns.append(c.key)
            st.spans.append(mention.span)
            for ms in mention.milestones:
                add_milestone(st, ms)
                if ms.due is None:
                    issue(ms.span.start, "milestone due date not understood")
                if ms.legal_basis and ms.legal_basis not in st.legal_bases:
                    st.legal_bases.append(ms.legal_basis)
    entry_of = {id(st): e for e in entries for st in [by_entry[id(e)]]}
    for st in order:  # design, register numbers, effectiveness (study_facts)
        describe_study(st, entry_of.get(id(st)))
        _once_in_a_life(st, issue)
    taken: set[str] = set()
    for st in order:
        base = slug(st.identifier) if st.identifier else slug(st.label)
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        st.key = key
    return order
