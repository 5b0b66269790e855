"""II.A tables whose category headings come out before all of their names.

A II.A table with one column per category (header row = the three category names),
or a two-column table whose category cells pdftotext writes as one block, gives the
text of every heading first and the names afterwards. When the names come as one
block per heading (separated by blank lines, which is how pdftotext ends a column
cell), the blocks belong to the headings in order. When they do not (one block for
three headings), the list cannot tell which category a name has: the names are
kept, marked so the category is taken from the name's II.B table instead. The
same holds when a later heading has no names at all (the list crossed the column
break of a two-column page and came out in pieces).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rmpgraph.parse.segment import Line

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


def _broken(body: Sequence[Line], heads: list[int]) -> set[int]:
    """Every name of a list in which a later heading is straight away followed by
    another (a category with neither names nor "None"): the list crossed a column
    or page break and pdftotext printed its parts out of order (a two-column page),
    so no name's category can be read from the list."""
    empty = any(
        not any(ln.text for ln in body[a + 1 : b])
        for a, b in zip(heads, heads[1:], strict=False)
    )
    if not empty:
        return set()
    return {ln.no for i, ln in enumerate(body) if i > heads[0] and ln.text
            and i not in heads}


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
        return list(body), _broken(body, heads)
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
