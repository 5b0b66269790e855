"""II.C text as pdftotext writes Word label/value tables and labelled paragraphs.

A label cell of a II.C study table wraps in its narrow column ("Study short name /
and title", "Rationale and study / objectives"), so no line alone is a field label;
and labelled paragraphs put each milestone on its own line straight after a
sentence ("… pharmacovigilance plan." / "Protocol submission: 15/03/2026"), so the
milestone would be read as part of that sentence. This module joins wrapped labels
and starts a paragraph at such a milestone line before `studies.parse_plan` reads
the section.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Span
from .segment import Line, layout, norm_label
from .studies import _milestone

__all__ = ["regroup"]


def _is_field(text: str) -> bool:
    label = norm_label(text)
    return any(
        label == norm_label(x) for labels in layout()["study-fields"].values()
        for x in labels
    )


def _wrapped_field(lines: Sequence[Line], i: int) -> int | None:
    """Index of the last line of the longest field label starting at line i
    (a label cell may wrap over up to 3 lines, no blank between), or None."""
    if ":" in lines[i].text:
        return None
    found = i if _is_field(lines[i].text) else None
    texts = [lines[i].text]
    for j in range(i + 1, min(i + 3, len(lines))):
        if not lines[j].text or ":" in lines[j].text:
            break
        texts.append(lines[j].text)
        if _is_field(" ".join(texts)):
            found = j
    return found


def _is_milestone(ln: Line) -> bool:
    return bool(ln.text) and _milestone(ln.text, Span(ln.no, ln.no)) is not None


def regroup(lines: Sequence[Line]) -> tuple[list[Line], set[int]]:
    """Lines with wrapped field labels joined (the absorbed line numbers are
    returned so they count as read) and a break before a milestone line that
    follows a finished sentence."""
    out: list[Line] = []
    absorbed: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        last = _wrapped_field(lines, i) if ln.text else None
        if last is not None:
            label = " ".join(x.text for x in lines[i : last + 1])
            absorbed |= {x.no for x in lines[i + 1 : last + 1]}
            # a label cell alone: its value is the next paragraph (the value cell);
            # not a one-word label such as "Study", which heads the first column
            # of a multi-column table (its next paragraph is another column)
            k = last + 1 if len(label.split()) > 1 else len(lines)
            while k < len(lines) and not lines[k].text:
                k += 1
            if k < len(lines) and _wrapped_field(lines, k) is None and not (
                _is_milestone(lines[k])
            ):
                out.append(Line(ln.no, f"{label}: {lines[k].text}", False))
                absorbed.add(lines[k].no)
                i = k + 1
            else:
                out.append(Line(ln.no, label, False))
                i = last + 1
            continue
        if out and out[-1].text and _is_milestone(ln) and (
            out[-1].text.endswith(".") or _is_milestone(out[-1])
        ):
            out.append(Line(ln.no, "", False))
        out.append(ln)
        i += 1
    return out, absorbed
