"""Small text rules shared by the extractors: joining wrapped lines, list items,
footnotes, abbreviation legends, label-section citations and name normalisation.

They are the heuristics that let one parser serve the family of Part VI layouts, so
each is written for the general case (any bullet glyph, any footnote marker, British
or American spelling) and tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rmpgraph.parse.keys import singular
from rmpgraph.parse.model import Abbreviation, ParseIssue, Span
from rmpgraph.parse.segment import Line, layout
from rmpgraph.paths import DATA_DIR

__all__ = [
    "layout_export_issues",
    "classify",
    "classify_all",
    "join_lines",
    "items",
    "paragraphs",
    "span_of",
    "parse_legend",
    "legend_start",
    "footnote_marker",
    "label_sections",
    "normalise_name",
    "split_abbreviation",
    "strip_parentheses",
    "american",
    "balanced",
]

_ABBR = r"[A-Za-z][A-Za-z0-9\-/]{0,14}"
_LEGEND_PAIR = re.compile(
    rf"^\s*({_ABBR}(?: \d{{1,2}})?)\s*[:;]\s*[^;:]+?\s*[;.]?(?:;|$)"
)
# a day and a month ("31 December", a due date wrapped in a narrow cell) is no
# numbered footnote
_FOOTNOTE = re.compile(
    r"^([a-h]|\*{1,3}|†|‡|§|\d{1,2})\s+(?!(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b)(?=[A-Z\"“(])"
)


def span_of(lines: Sequence[Line]) -> Span:
    nos = [ln.no for ln in lines if ln.text] or [ln.no for ln in lines]
    return Span(min(nos), max(nos))


def join_lines(texts: Iterable[str]) -> str:
    """Join wrapped lines: a hyphen at a line end joins without a space. Pieces
    are collected and joined once (linear however long the text)."""
    parts: list[str] = []
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if parts and not (parts[-1].endswith("-") and not parts[-1].endswith(" -")):
            parts.append(" ")
        parts.append(t)
    return "".join(parts)


def balanced(text: str) -> bool:
    return text.count("(") <= text.count(")") and text.count("[") <= text.count("]")


def sentence(text: str, words: int = 6) -> bool:
    """A full stop last and `words` or more words: a sentence of prose, which a
    concern's or a study's name, a label or a code is not."""
    return text.endswith(".") and len(text.split()) >= words


def _complete(text: str) -> bool:
    """Does `text` read as a finished item (so a capitalised line starts a new one)?"""
    t = text.rstrip()
    if not balanced(t):
        return False
    if t.endswith((",", "-", "(", "/")):
        return False
    # a preposition, article or conjunction, or a word wanting its noun ("… with
    # concomitant" / "NSAIDs, …") leaves the item open
    return not re.search(r"\s(?:and|or|of|the|to|in|with|for|a|an|by|as|from|on|at|"
                         r"after|during|without|than|between|into|via|including|"
                         r"concomitant|other)$", t)


def items(
    lines: Sequence[Line], *, blank_splits: bool = True, names: bool = False
) -> list[tuple[str, Span]]:
    """Group lines into list items: a bullet, or a capitalised line after a finished
    item, starts a new one; wrapped lines (even across a blank line) continue it.

    `names`: the items are names (II.A), never sentences, so a capitalised line
    after a finished name starts a new one even in a bulleted list: a text layer
    that puts the bullets in a box of their own (pdfminer) leaves most names
    without their glyph."""
    groups: list[list[Line]] = []
    gap = False
    bulleted = any(ln.bullet for ln in lines)
    for ln in lines:
        if not ln.text:
            gap = True
            continue
        if groups:
            prev = join_lines(x.text for x in groups[-1])
            first = ln.text[0]
            terminal = prev.endswith((".", ";", ":", "!", "?"))
            # in a bulleted list an unmarked line continues the bullet when it goes
            # on after a full stop without a break (a new sentence of the same item)
            # or after a page gap mid-sentence; a capitalised line straight after an
            # unfinished line is a new entry of an unbulleted list (II.A names)
            wrapped = (bulleted and groups[-1][0].bullet and (terminal != gap)
                       and not names)
            continues = not ln.bullet and (
                wrapped
                or not _complete(prev)
                or first.islower()
                or first in "(≥≤>)<,;"
                or (first.isdigit() and not prev.endswith((".", ";", ":", "!", "?")))
                or (not gap and not blank_splits and not prev.endswith((".", ":")))
            )
            if continues:
                groups[-1].append(ln)
                gap = False
                continue
        groups.append([ln])
        gap = False
    return [(join_lines(x.text for x in g), span_of(g)) for g in groups]


def paragraphs(lines: Sequence[Line]) -> list[list[Line]]:
    """Split on blank lines."""
    out: list[list[Line]] = [[]]
    for ln in lines:
        if ln.text:
            out[-1].append(ln)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def legend_start(text: str) -> bool:
    """Does this line open an abbreviation legend ("AE: Adverse Event; HCP: ...")?"""
    m = _LEGEND_PAIR.match(text)
    if not m:
        return False
    abbr = m.group(1)
    uppers = sum(c.isupper() for c in abbr)
    if (uppers < 2 and len(abbr) > 3) or uppers < 1 or re.search(r"\d{3}", abbr):
        return False  # a word ("Title:") or a study code ("EUPAS104512:")
    if ";" in text:
        return True
    single = re.match(rf"^{_ABBR}(?: \d{{1,2}})?\s*:\s*([A-Z][\w\s\-]+?)\.?$", text)
    return bool(single) and len(single.group(1).split()) <= 6


def footnote_marker(text: str) -> str | None:
    m = _FOOTNOTE.match(text)
    return m.group(1) if m else None


def parse_legend(text: str) -> list[Abbreviation]:
    """Parse "AE: Adverse Event; SmPC; Summary of ...; PASS: X: Q: Quarter."."""
    text = text.strip().rstrip(".").strip()
    parts = [p.strip() for p in re.split(r";", text) if p.strip()]
    tokens: list[str] = []
    for part in parts:
        tokens.extend(t.strip() for t in part.split(":") if t.strip())
    out: list[Abbreviation] = []
    i = 0
    while i + 1 < len(tokens):
        short, expansion = tokens[i], tokens[i + 1]
        if re.fullmatch(rf"{_ABBR}(?: \d{{1,2}})?", short) and any(
            c.isupper() for c in short
        ):
            out.append(Abbreviation(short, expansion.rstrip(".").strip()))
            i += 2
        else:
            i += 1
    return out


_SECTION_NUM = r"\d{1,2}(?:\.\d{1,2})?"
_NUM_LIST = rf"{_SECTION_NUM}(?:\s*(?:,|and|&|or)\s*{_SECTION_NUM})*"
_DOC = (
    r"(?P<doc>SmPC|SPC|PL|package\s+leaflet|patient\s+leaflet|"
    r"summary\s+of\s+product\s+characteristics)"
)
_CITES = [
    # "SmPC section(s) 4.3 and 4.4", "PL Sections 2 and 4"
    re.compile(rf"{_DOC}\s*,?\s*(?:sections?|§)\s*(?P<nums>{_NUM_LIST})", re.I),
    # "section(s) 4.2, 4.3 and 4.8 of (the) SmPC"
    re.compile(rf"sections?\s*(?P<nums>{_NUM_LIST})\s+of\s+(?:the\s+)?{_DOC}", re.I),
    # "SmPC 4.4"
    re.compile(
        rf"{_DOC}\s+(?P<nums>{_SECTION_NUM}(?:\s*(?:,|and)\s*{_SECTION_NUM})*)\b", re.I
    ),
]


def _prefix(doc: str) -> str:
    return "smpc" if doc.lower().startswith(("smpc", "spc", "summary")) else "pl"


def label_sections(text: str) -> list[str]:
    """QRD section slugs cited in `text` ("smpc-4-4", "pl-2"), in order, unique.

    A bare "section 4.8" after "SmPC section 4.4 and" belongs to the document named
    last; otherwise to the next one named ("sections 2 and 4 of the PL")."""
    found: list[tuple[int, str]] = []
    claimed: list[tuple[int, int]] = []
    for pattern in _CITES:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in claimed):
                continue
            claimed.append((m.start(), m.end()))
            for num in re.findall(_SECTION_NUM, m.group("nums")):
                found.append((m.start(), f"{_prefix(m.group('doc'))}-{num}"))
    docs = [(m.start(), _prefix(m.group("doc"))) for m in re.finditer(_DOC, text, re.I)]
    for m in re.finditer(rf"\bsections?\s*(?P<nums>{_NUM_LIST})", text, re.I):
        if any(a <= m.start() < b for a, b in claimed):
            continue
        before = [d for pos, d in docs if pos < m.start()]
        after = [d for pos, d in docs if pos > m.end()]
        doc = before[-1] if before else (after[0] if after else None)
        if doc:
            for num in re.findall(_SECTION_NUM, m.group("nums")):
                found.append((m.start(), f"{doc}-{num}"))
    out: list[str] = []
    for _, key in sorted(found):
        key = key.replace(".", "-")
        if key not in out:
            out.append(key)
    return out


@lru_cache(maxsize=8)
def _rules(name: str) -> tuple[list[tuple[re.Pattern[str], str]], str | None]:
    from rmpgraph.parse.segment import layout

    table = layout()["classify"][name]
    rules = [(re.compile(pattern, re.I), slug) for pattern, slug in table["rules"]]
    return rules, table.get("default")


def classify(name: str, text: str) -> str | None:
    """Concept slug for `text` by the ordered rules `[classify.<name>]` of
    data/layout/part-vi.toml (first match wins)."""
    rules, default = _rules(name)
    return next((slug for pattern, slug in rules if pattern.search(text)), default)


def classify_all(name: str, text: str) -> list[str]:
    """Every slug whose rule matches (for multi-valued properties), in rule order."""
    rules, _ = _rules(name)
    return [slug for pattern, slug in rules if pattern.search(text)]


@lru_cache(maxsize=1)
def _spellings() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    path = DATA_DIR / "lexicon" / "british-american.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        brit, amer = line.split("\t")[:2]
        if brit != "british":
            rows.append((brit, amer))
    return sorted(rows, key=lambda r: -len(r[0]))


def american(text: str) -> str:
    """Lower-cased text with British spellings replaced by American ones."""
    t = text.lower()
    for brit, amer in _spellings():
        t = t.replace(brit, amer)
    return t


def split_abbreviation(name: str) -> tuple[str, str | None]:
    """Split off a bracketed abbreviation: "Reactions (IARs)" -> (..., "IARs")."""
    m = re.match(r"^(.*\S)\s*\(([A-Za-z][A-Za-z0-9\-]{1,12})\)\s*$", name)
    if m and sum(c.isupper() for c in m.group(2)) >= 2:
        return m.group(1), m.group(2)
    return name, None


def strip_parentheses(text: str) -> str:
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"\s*\([^()]*\)", "", text)
    return text.strip()


def normalise_name(name: str) -> str:
    """Comparable form of a concern name: American spelling, no bracketed
    abbreviation, no punctuation, singular words."""
    base, _ = split_abbreviation(name)
    t = american(base)
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("'s", "s")
    t = re.sub(r"[^a-z0-9>≥<≤]+", " ", t)
    return " ".join(singular(w) for w in t.split())


@lru_cache(maxsize=1)
def _absence() -> re.Pattern[str]:
    from rmpgraph.parse.segment import layout

    return re.compile(layout()["absence"]["pattern"], re.I)


def says_none(text: str) -> bool:
    """Does this row, cell or item say there is nothing ("None", "Not applicable",
    "No additional risk minimisation measures")? The phrases: part-vi.toml."""
    return bool(_absence().match(text.strip()))


def layout_export_issues(lines: Sequence[str]) -> list[ParseIssue]:
    """One warning when the text looks like a layout-keeping export (`pdftotext
    -layout`): its side-by-side table cells are read line by line, so facts in
    tables may be lost; the PDF or a default-mode export reads whole."""
    written = [(no, t) for no, t in enumerate(lines, start=1) if t.strip()]
    gapped = [no for no, t in written if re.search(r"\S {3,}\S", t)]
    share = layout()["text-export"]["layout_gap_min_share"]
    if not written or len(gapped) < share * len(written):
        return []
    return [ParseIssue(gapped[0], " ".join(lines[gapped[0] - 1].split()),
                       f"{len(gapped)} of {len(written)} lines hold cells side by "
                       "side (a layout-keeping export such as pdftotext -layout); "
                       "tables may be read incompletely: give the PDF or a "
                       "default-mode text export")]
