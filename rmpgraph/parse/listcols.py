"""II.A tables whose category headings come out before all of their names.

A II.A table with one column per category (header row = the three category names),
or a two-column table whose category cells pdftotext writes as one block, gives the
text of every heading first and the names afterwards. When the names come as one
block per heading (separated by blank lines, which is how pdftotext ends a column
cell), the blocks belong to the headings in order. When they do not (one block for
three headings), the list cannot tell which category a name has: the names are
kept, marked so the category is taken from the name's II.B table instead. The
same holds when a later heading has no names at all (the list crossed the column
break of a two-column page and came out in pieces), unless "None" cells tell the
cells apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rmpgraph.parse.segment import Line
from rmpgraph.parse.textutil import says_none

__all__ = ["unstack"]


# a footnote marker alone on a line, printed apart from its name (pdftotext)
_MARKER = re.compile(r"[a-f]|\*{1,3}|†|‡")


def _blocks(lines: Sequence[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    gap = True
    for ln in lines:
        if _MARKER.fullmatch(ln.text):
            continue
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


def _by_none(region: Sequence[Line], count: int) -> list[list[Line]] | None:
    """The cells of one run of names of `count` categories, when "None" cells mark
    where they end: the runs of names and the "None"s, in order, only when there
    are as many as categories (two name cells side by side would look like one)
    and at least one is a "None". None otherwise."""
    cells: list[list[Line]] = []
    run: list[Line] = []
    for ln in region:
        if ln.text and says_none(ln.text):
            cells += [run, [ln]] if run else [[ln]]
            run = []
        elif ln.text:
            run.append(ln)
    cells += [run] if run else []
    if len(cells) != count or count < 2 or not any(
            len(c) == 1 and says_none(c[0].text) for c in cells):
        return None
    return cells


def _under(body: Sequence[Line], heads: list[int], cells: list[list[Line]],
           end: int) -> list[Line]:
    out = list(body[: heads[0]])
    for i, cell in zip(heads, cells, strict=True):
        out += [body[i], *cell, Line(cell[-1].no, "", False)]
    return out + list(body[end:])


def _first_heading_apart(body: Sequence[Line], heads: list[int]) -> list[Line] | None:
    """A list printed as its first heading, every cell, then the other headings
    with nothing after them (pdftotext, a table of one row per category), its
    names moved under their headings where "None" cells tell the cells apart."""
    later = heads[1:]
    if any(ln.text for i, ln in enumerate(body) if i > later[0] and i not in heads) \
            or any(b - a > 1 for a, b in zip(later, later[1:], strict=False)):
        return None
    cells = _by_none(body[heads[0] + 1 : later[0]], len(heads))
    return _under(body, heads, cells, len(body)) if cells is not None else None


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
        cut = _first_heading_apart(body, heads)
        return (cut, set()) if cut is not None else (list(body), _broken(body, heads))
    # the names end where a later heading (an ordinary list after the table) starts
    rest_end = next((i for i in heads if i > run[-1]), len(body))
    names = body[run[-1] + 1 : rest_end]
    blocks = _blocks(names)
    if not blocks:
        return list(body), set()
    if len(blocks) != len(run):
        cells = _by_none(names, len(run))
        if cells is not None:
            return _under(body, run, cells, rest_end), set()
        return list(body), {ln.no for b in blocks for ln in b}
    out = list(body[:first])
    for i, block in zip(run, blocks, strict=True):
        out.append(body[i])
        out.extend(block)
        out.append(Line(block[-1].no, "", False))
    out.extend(body[rest_end:])
    return out, set()
