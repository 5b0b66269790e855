"""II.C label/value study tables whose label column pdftotext printed first.

A label cell of a II.C study table wraps in its narrow column ("Study short name /
and title", "Rationale and study / objectives"), so a label is found over up to
three lines; when pdftotext prints a table's whole label column before its values,
the values are re-read as labelled paragraphs. The label helpers are shared with
`planlines`, which reads the other layouts of II.C text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rmpgraph.parse.model import Span
from rmpgraph.parse.segment import Line, layout, norm_label
from rmpgraph.parse.studies import _milestone, _starts_entry, identifier_of
from rmpgraph.parse.tables import CAPTION
from rmpgraph.parse.textutil import join_lines

__all__ = ["is_field", "wrapped_field", "vocab", "is_milestone", "label_kind",
           "labels_first", "split_paragraphs"]


def is_field(text: str) -> bool:
    label = norm_label(text)
    return any(
        label == norm_label(x) for labels in layout()["study-fields"].values()
        for x in labels
    )


def wrapped_field(lines: Sequence[Line], i: int) -> int | None:
    """Index of the last line of the longest field label starting at line i
    (a label cell may wrap over up to 3 lines, no blank between), or None."""
    if ":" in lines[i].text:
        return None
    found = i if is_field(lines[i].text) else None
    texts = [lines[i].text]
    for j in range(i + 1, min(i + 3, len(lines))):
        if not lines[j].text or ":" in lines[j].text:
            break
        texts.append(lines[j].text)
        if is_field(" ".join(texts)):
            found = j
    return found


@lru_cache(maxsize=1)
def vocab() -> frozenset[str]:
    """The words of the study-field labels (asked once per paragraph of II.C)."""
    return frozenset(w for labels in layout()["study-fields"].values() for x in labels
                     for w in norm_label(x).split())


def is_milestone(ln: Line) -> bool:
    return bool(ln.text) and _milestone(ln.text, Span(ln.no, ln.no)) is not None


def label_kind(text: str) -> str | None:
    label = norm_label(text)
    return next((kd for kd, labels in layout()["study-fields"].items()
                 if label in (norm_label(x) for x in labels)), None)


def _cells(
    lines: Sequence[Line],
) -> tuple[list[tuple[str, Line, str]], list[Line], set[int]]:
    """Field labels (kind, first line, text), the value lines and the label line
    numbers."""
    labels: list[tuple[str, Line, str]] = []
    values: list[Line] = []
    nos: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        last = wrapped_field(lines, i) if ln.text else None
        if last is not None:
            text = " ".join(x.text for x in lines[i : last + 1])
            labels.append((label_kind(text) or "", ln, text))
            nos |= {x.no for x in lines[i : last + 1]}
            i = last + 1
            continue
        if ln.text:
            values.append(ln)
        i += 1
    return labels, values, nos


def split_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Paragraphs of one cell run with no blank line between them: a new one starts
    after a line ending a sentence, at a capital."""
    out: list[list[Line]] = []
    for ln in lines:
        if not out or (out[-1][-1].text.endswith(".") and ln.text[:1].isupper()):
            out.append([])
        out[-1].append(ln)
    return out


def labels_first(lines: Sequence[Line]) -> tuple[list[Line], set[int]] | None:
    """A II.C label/value study table whose label column pdftotext printed before
    the values (a run of field labels, then "CODE: title" …), re-read as labelled
    paragraphs: each "CODE: title" line, or a code alone on a line before its
    title, opens a study, its title runs on over lines in lower case, milestone
    lines are its milestones, and the paragraphs between go to the table's other
    labels in order (all to the first when the counts differ). A label cut in two
    by a page break leaves fragments among the values; they are dropped. None when
    the lines show no such table."""
    labels, values, nos = _cells(lines)
    kinds = [k for k, _, _ in labels]
    first = labels[0][1].no if labels else 0
    # a cut label's fragments, and the captions of the tables whose labels came
    # first ("Table II.C.2-2: FTX-PK-102" between two tables' labels)
    fragments = {ln.no for ln in values if CAPTION.match(ln.text)
                 or set(norm_label(ln.text).split()) <= vocab()}
    values = [ln for ln in values if ln.no > first and ln.no not in fragments]

    def opens(text: str) -> bool:
        return _starts_entry(text) or identifier_of(text.strip()) == text.strip()

    if (
        "title" not in kinds or "milestones" not in kinds or len(set(kinds)) < 3
        or not values or not opens(values[0].text)
        # a value between the first two labels: label and value alternate (each
        # label cell followed by its value), the table reads well as it is
        or len(labels) > 1 and any(labels[0][1].no < ln.no < labels[1][1].no
                                   for ln in values)
    ):
        return None
    names = {k: text for k, _, text in reversed(labels)}
    fields = [k for k in dict.fromkeys(kinds) if k not in ("title", "milestones", "")]
    out: list[Line] = [ln for ln in lines if ln.no < first]
    i = 0
    while i < len(values):
        title = [values[i]]
        i += 1
        if not _starts_entry(title[0].text) and i < len(values) and not (
                opens(values[i].text) or is_milestone(values[i])):
            title.append(values[i])  # the title's first line, after the code
            i += 1
        while i < len(values) and not values[i].text[:1].isupper() and not (
            opens(values[i].text)
        ):
            title.append(values[i])
            i += 1
        body: list[Line] = []
        while i < len(values) and not is_milestone(values[i]) and not (
            opens(values[i].text)
        ):
            body.append(values[i])
            i += 1
        head = title[0].text if _starts_entry(title[0].text) or len(title) < 2 \
            else f"{title[0].text}: {title[1].text}"
        out += [Line(title[0].no, "Study short name and title: " + join_lines(
            [head, *(x.text for x in title[1 + (head != title[0].text):])]), False),
                Line(title[0].no, "", False)]
        paras = split_paragraphs(body)
        if fields and len(paras) != len(fields):
            paras = [body] if body else []
        for kind, para in zip(fields, paras, strict=False):
            out += [Line(para[0].no, f"{names[kind]}: "
                         + join_lines(x.text for x in para), False),
                    Line(para[0].no, "", False)]
        while i < len(values) and is_milestone(values[i]):
            out += [values[i], Line(values[i].no, "", False)]
            i += 1
    return out, nos | fragments | {ln.no for ln in values}
