"""II.A tables whose category headings come out before all of their names.

A II.A table with one column per category (header row = the three category names),
or a two-column table whose category cells pdftotext writes as one block, gives the
text of every heading first and the names afterwards. When the names come as one
block per heading (separated by blank lines, which is how pdftotext ends a column
cell), the blocks belong to the headings in order. When they do not (one block for
three headings), the list cannot tell which category a name has: the names are
kept, marked so the category is taken from the name's II.B table instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .segment import Line

__all__ = ["unstack"]


def _blocks(lines: Sequence[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    gap = True
    for ln in lines:
        if not ln.text:
            gap = True
            continue
        if gap:
            out.append([])
        out[-1].append(ln)
        gap = False
    return out


def unstack(
    body: Sequence[Line], is_heading: Callable[[str], bool]
) -> tuple[list[Line], set[int]]:
    """Body lines with every name block moved under its heading, and the line
    numbers of names whose heading could not be told (empty when the list is not
    stacked)."""
    heads = [i for i, ln in enumerate(body) if ln.text and is_heading(ln.text)]
    if len(heads) < 2:
        return list(body), set()
    first = heads[0]
    run = [first]
    for i in heads[1:]:
        if any(ln.text for ln in body[run[-1] + 1 : i]):
            break
        run.append(i)
    if len(run) < 2:
        return list(body), set()
    # the names end where a later heading (an ordinary list after the table) starts
    rest_end = next((i for i in heads if i > run[-1]), len(body))
    names = body[run[-1] + 1 : rest_end]
    blocks = _blocks(names)
    if not blocks:
        return list(body), set()
    if len(blocks) != len(run):
        return list(body), {ln.no for b in blocks for ln in b}
    out = list(body[:first])
    for i, block in zip(run, blocks, strict=True):
        out.append(body[i])
        out.extend(block)
        out.append(Line(block[-1].no, "", False))
    out.extend(body[rest_end:])
    return out, set()
