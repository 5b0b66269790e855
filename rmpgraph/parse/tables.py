"""Parts every Part VI table shares: captions, footers (footnotes and abbreviation
legends), footnote markers and abbreviation usage.

Kept apart from the II.A/II.B/II.C extractors because all three kinds of table end
with the same footer and are checked by the same hygiene rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rmpgraph.parse.model import Footnote, Legend, TableInfo
from rmpgraph.parse.segment import Line
from rmpgraph.parse.textutil import (
    footnote_marker,
    join_lines,
    legend_start,
    parse_legend,
    span_of,
)

__all__ = [
    "CAPTION",
    "split_footer",
    "classify_footnote",
    "abbreviation_usage",
    "inline_markers",
    "finish_table",
    "captions_first",
    "footer_lines",
]

CAPTION = re.compile(
    r"^Table\s+(?P<num>[A-Z0-9][\w.\-]*?)\s*(?:[:–—.]|\s-)\s*(?P<rest>.*)$", re.I
)
_CITATION = re.compile(
    r"(?:\bet al\b|;\s*\d+\s*\(\d+\)\s*:\s*\d+|\bdoi\b|\bVersion\b|\bJ\b\s|"
    r"\b(?:19|20)\d{2}\s*(?:[A-Z][a-z]{2})?\s*\d*;)",
    re.I,
)
_CATEGORY = re.compile(
    r"\b(?:important (?:identified|potential) risk|missing information)\b", re.I
)
_NOT_ABBR = {"II", "III", "VI", "VII", "OR", "AND", "NOT"}


def classify_footnote(text: str) -> str:
    """ "reference" for a bibliographic citation, otherwise "note"."""
    has_year = re.search(r"\b(?:19|20)\d{2}\b", text) is not None
    return "reference" if has_year and _CITATION.search(text) else "note"


def split_footer(
    lines: Sequence[Line],
) -> tuple[list[Line], list[Footnote], Legend | None, list[Line]]:
    """Split the tail of a table into body, footnotes and legend.

    Returns (body, footnotes, legend, footer_lines).
    """
    body: list[Line] = []
    footnotes: list[tuple[str, list[Line]]] = []
    legend_lines: list[Line] = []
    headings: list[Line] = []
    state = "body"
    for ln in lines:
        if not ln.text:
            if state == "body":
                body.append(ln)
            continue
        if state != "legend" and re.fullmatch(r"(?i)references?:?", ln.text):
            state = "references"  # a literature list under the table
            headings.append(ln)
            continue
        cited = re.match(r"\[(\d{1,3})\]\s+", ln.text) if state != "body" else None
        if cited:  # "[1] Marchetti L, Okafor J, … 2023;14:211-9."
            state = "footnote"
            footnotes.append((cited.group(1), [Line(
                ln.no, f"{cited.group(1)} {ln.text[cited.end():]}", ln.bullet)]))
            continue
        if state == "references":  # a reference without a number: the list's too
            headings.append(ln)
            continue
        if state != "legend" and legend_start(ln.text):
            state = "legend"
        elif state != "legend" and not ln.bullet and footnote_marker(ln.text):
            state = "footnote"
            footnotes.append((footnote_marker(ln.text) or "", [ln]))
            continue
        if state == "body":
            body.append(ln)
        elif state == "footnote":
            footnotes[-1][1].append(ln)
        else:
            legend_lines.append(ln)
    notes = []
    for marker, group in footnotes:
        text = join_lines(x.text for x in group)[len(marker) :].strip()
        notes.append(Footnote(marker, text, span_of(group), classify_footnote(text)))
    legend = None
    if legend_lines:
        legend = Legend(
            parse_legend(join_lines(x.text for x in legend_lines)),
            span_of(legend_lines),
        )
    footer = headings + [ln for _, g in footnotes for ln in g] + legend_lines
    return body, notes, legend, footer


def inline_markers(text: str, markers: set[str]) -> set[str]:
    """Footnote markers used inside running text ("ITP. a There", "1486a patients",
    "administration a and")."""
    found: set[str] = set()
    for m in markers:
        e = re.escape(m)
        patterns = [
            rf"[.;)]\s?{e}(?=\s|$)",
            rf"\d{e}(?=\s|$|[.,;])",
            rf"\s{e}(?=\s+(?:and|or|were|was|is|are|have|has|in|of)\b)",
            rf"\s{e}\s*$",
        ]
        if not m.isalpha():
            patterns.append(rf"\S{e}")
        if any(re.search(p, text) for p in patterns):
            found.add(m)
    return found


def abbreviation_usage(
    body: str, legend: Legend | None, exclude: set[str]
) -> list[str]:
    """Abbreviations the table body uses: defined ones it mentions, plus upper-case
    tokens that look like abbreviations (for the "used but not defined" check)."""
    defined = {a.short for a in legend.abbreviations} if legend else set()
    used: set[str] = set()
    for short in defined:
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(short)}s?(?![A-Za-z])", body):
            used.add(short)
    body = re.sub(r"\bEMEA/H/[A-Z0-9\-/]+", " ", body)
    for token in re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", body):
        if token in defined or token[:-1] in defined and token.endswith("s"):
            continue
        for part in token.split("-"):
            if part in defined:
                used.add(part)
                continue
            base = re.sub(r"s$", "", part)
            uppers = sum(c.isupper() for c in base)
            digits = sum(c.isdigit() for c in base)
            if uppers < 2 or digits >= 3 or base in _NOT_ABBR or base in exclude:
                continue
            if base.isupper() and len(base) > 8:
                continue  # a shouted word, not an abbreviation
            if base in defined or re.sub(r"\d+$", "", base) in defined:
                continue
            if re.fullmatch(r"[QH][1-4]", base):
                continue
            used.add(base)
    return sorted(used)


def finish_table(info: TableInfo, lines: Sequence[Line], exclude: set[str]) -> None:
    """Fill usage fields of `info` from the table's body lines."""
    body = join_lines(ln.text for ln in lines if ln.text)
    # explanatory footnotes are part of the table (an abbreviation used only there is
    # used); citations are not: author initials ("Coles AJ") are no abbreviations
    notes = " ".join(f.text for f in info.footnotes if f.kind != "reference")
    info.used_abbreviations = abbreviation_usage(
        f"{body} {notes}", info.legend, exclude
    )
    markers = {f.marker for f in info.footnotes}
    info.used_markers = sorted(set(info.used_markers) | inline_markers(body, markers))


def captions_first(
    lines: Sequence[Line],
    is_label: Callable[[int], bool],
    is_header: Callable[[int], bool],
) -> list[Line]:
    """II.B lines with each table caption moved before its table when the document
    captions its tables below them ("Table 2: Important identified risk – X" after
    the table): told by a row label before the first caption with no title row in
    between. Lines keep their numbers; only their order changes."""
    caps = [i for i, ln in enumerate(lines)
            if ln.text and CAPTION.match(ln.text) and _CATEGORY.search(ln.text)]
    first_label = next((i for i in range(len(lines)) if lines[i].text and is_label(i)),
                       None)
    if not caps or first_label is None or first_label > caps[0]:
        return list(lines)
    if any(lines[i].text and is_header(i) for i in range(first_label, caps[0])):
        return list(lines)
    out = list(lines[:first_label])
    start = first_label
    for c in caps:
        end = c + 1
        while end < len(lines) and lines[end].text and not is_label(end) and not (
            CAPTION.match(lines[end].text)
        ):
            end += 1
        out.extend(lines[c:end])
        out.extend(lines[start:c])
        start = end
    out.extend(lines[start:])
    return out


def footer_lines(info: TableInfo) -> set[int]:
    """Line numbers of a table's footnotes and abbreviation legend."""
    spans = [f.span for f in info.footnotes]
    if info.legend:
        spans.append(info.legend.span)
    return {n for sp in spans for n in range(sp.start, sp.end + 1)}
