"""Stage 2, segment: decoded text -> clean lines -> the template's sections.

PDF extraction leaves page headers and footers, form feeds, bullet glyphs from
private-use fonts and wrapped lines. This stage removes the furniture (remembering
which lines it removed, for the accounting report), marks bullets, and finds the
Part VI sections by their headings as listed in `data/layout/part-vi.toml`.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rmpgraph.errors import InputError
from rmpgraph.parse.read import SourceText
from rmpgraph.paths import DATA_DIR

__all__ = ["Line", "Segmented", "layout", "segment", "norm_label", "rejoin_numbers",
           "running_furniture"]

_NUMBERED = re.compile(r"^(?:part\s+\S+\s*[.:\u2013-]?\s*)?I{1,2}(?:\s*\.?\s*[ABC]"
                       r"(?:\s*\.?\s*[12])?)?\b", re.I)
SECTION_ORDER = ("part-i", "part-ii", "ii-a", "ii-b", "ii-c", "ii-c-1", "ii-c-2")


@dataclass(frozen=True)
class Line:
    """One cleaned source line; `text == ""` is a paragraph break."""

    no: int
    text: str
    bullet: bool = False


@dataclass
class Segmented:
    lines: list[Line]
    sections: dict[str, tuple[int, int]]  # name -> [start, end) indices into lines
    furniture: set[int]
    title_index: int | None
    title_next: int | None = None  # the name's line when the title is split
    #: sections whose heading comes again: name -> [start, end) of each repeat
    repeats: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def section(self, name: str) -> list[Line]:
        if name not in self.sections:
            return []
        start, end = self.sections[name]
        return self.lines[start:end]


@lru_cache(maxsize=1)
def layout() -> dict[str, Any]:
    """The layout knowledge file, parsed once."""
    with (DATA_DIR / "layout" / "part-vi.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=8192)
def norm_label(text: str) -> str:
    """Normalise a heading/label for comparison with the layout file (cached: the
    row matcher asks for the same few hundred labels tens of thousands of times)."""
    t = re.sub(r"\s*[®™]", "", text.lower())  # "Evidence … to Zentrivo®"
    t = t.replace("\u2019", "'").replace("\u2018", "'")
    t = t.replace("minimiz", "minimis").replace("authoriz", "authoris")
    t = re.sub(r"\s+", " ", t).strip().rstrip(":").strip()
    return next((label for label, form in _label_forms() if form.match(t)), t)


@lru_cache(maxsize=1)
def _label_forms() -> list[tuple[str, re.Pattern[str]]]:
    """Wordings of row labels the layout's lists cannot hold (`[label-forms]`)."""
    return [(k, re.compile(v)) for k, v in layout().get("label-forms", {}).items()]


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[re.Pattern[str]], dict[str, re.Pattern[str]]]:
    lay = layout()
    furniture = [re.compile(p, re.I) for p in lay["furniture"]["patterns"]]
    sections = {k: re.compile(v, re.I) for k, v in lay["sections"].items()}
    return furniture, sections


def strip_bullet(text: str, lost_glyphs: bool = False) -> tuple[str, bool]:
    """A line without its list glyph, and whether it had one."""
    lay = layout()["bullets"]
    if lost_glyphs and re.match(r"^ (?=\S)", text):
        return text.strip(), True
    stripped = text.lstrip()
    if stripped[:1] in lay["glyphs"]:
        return stripped[1:].strip(), True
    if m := re.match(lay["unmapped"], stripped):
        return stripped[m.end() :].strip(), True
    for glyph in lay["ascii"]:
        if stripped.startswith(glyph + " ") or stripped.startswith(glyph + "\t"):
            return stripped[len(glyph) :].strip(), True
    return text.strip(), False


def running_furniture(raw: list[str]) -> set[int]:
    """Lines repeated at the top or bottom of most pages (running headers/footers)."""
    pages: list[list[int]] = [[]]
    for i, line in enumerate(raw):
        if "\f" in line:
            pages.append([])
        if line.replace("\f", "").strip():
            pages[-1].append(i)
    pages = [p for p in pages if p]
    if len(pages) < 3:
        return set()

    def key(i: int) -> str:
        return re.sub(r"\d+", "#", raw[i].replace("\f", "").strip().lower())

    edge: Counter[str] = Counter()
    for page in pages:
        edge.update({key(i) for i in page[:2] + page[-2:]})
    # a template row label or category heading at a page's edge is content, even
    # when several tables happen to break before the same row
    labels = {norm_label(x) for group in layout()["rows"].values() for x in group}
    labels |= {norm_label(x) for group in layout()["categories"].values()
               for x in group}
    repeated = {k for k, n in edge.items() if n >= max(2, len(pages) // 2)
                and norm_label(k) not in labels}
    # pdftotext may print the cells of a table continued from the previous page
    # before the page header, so a running line is looked for a little further in;
    # one with a number in it (a document reference, a version) anywhere on the
    # page, since a scrambled table can put the footer among its cells
    reach = int(layout()["furniture"]["running_reach"])
    return {i for page in pages for n, i in enumerate(page)
            if key(i) in repeated and (
                "#" in key(i) or n < reach or n >= len(page) - reach)}


def segment(source: SourceText) -> Segmented:
    """Clean the lines and locate the Part VI sections."""
    furniture_res, section_res = _patterns()
    raw = list(source.lines)
    running = running_furniture(raw)
    lines: list[Line] = []
    furniture: set[int] = set()
    # Some PDF extractions turn Symbol-font bullets into a single leading space. Read
    # that as a bullet only when it is the exception, not an indented layout.
    nonblank = [t for t in raw if t.strip()]
    spaced = sum(1 for t in nonblank if re.match(r"^ (?=\S)", t))
    lost_glyphs = (
        bool(nonblank)
        and spaced / len(nonblank) <= layout()["bullets"]["lost_glyph_max_share"]
    )
    for i, text in enumerate(raw):
        no = i + 1
        text = text.replace("\f", "").replace("\u00a0", " ")
        clean, bullet = strip_bullet(text, lost_glyphs)
        if clean and (i in running or any(p.match(clean) for p in furniture_res)):
            furniture.add(no)
            clean, bullet = "", False
        if not clean and bullet:
            bullet = False  # a lone glyph: the item text follows on later lines
        lines.append(Line(no, re.sub(r"[ \t]+", " ", clean), bullet))
    heads = section_res.values()
    lines = rejoin_numbers(lines, lambda t: any(p.match(t) for p in heads))

    found: dict[str, int] = {}
    again: list[tuple[int, str]] = []  # a section heading seen a second time
    for idx, line in enumerate(lines):
        if not line.text:
            continue
        for name in SECTION_ORDER:
            if section_res[name].match(line.text):
                if name not in found:
                    found[name] = idx
                elif _NUMBERED.match(line.text):  # a caption without its number
                    again.append((idx, name))  # ("List of important risks …") is
                break  # no repeated section
    if "ii-a" not in found and "ii-b" not in found:
        first = next((ln for ln in lines if ln.text), None)
        raise InputError(
            "not an RMP Part VI summary: no 'II.A List of important risks' or "
            "'II.B Summary of important risks' heading found",
            path=source.path,
            line=first.no if first else None,
        )
    title_index, title_next = _title(lines, min(found.values()))
    # a section ends at the next heading, a repeated one included, so a document
    # whose sections repeat is never read as one long last section
    starts = sorted([(idx, name) for name, idx in found.items()] + again)
    sections: dict[str, tuple[int, int]] = {}
    repeats: dict[str, list[tuple[int, int]]] = {}
    for pos, (idx, name) in enumerate(starts):
        end = starts[pos + 1][0] if pos + 1 < len(starts) else len(lines)
        if found[name] == idx:
            sections[name] = (idx, end)
        else:
            repeats.setdefault(name, []).append((idx, end))
    return Segmented(lines, sections, furniture, title_index, title_next, repeats)


# a heading's number alone on a line: "VI.1.1", "II.C.2.", "I."
_BARE_NUMBER = re.compile(r"^(?:(?i:part)\s+)?(?:VI|IV|V|III|II|I)"
                          r"(?:\s*\.\s*(?:[A-C]|\d{1,2}))*\s*\.?$")


def rejoin_numbers(lines: list[Line], is_heading: Callable[[str], bool]) -> list[Line]:
    """A Word heading whose number is followed by a tab comes out of pdftotext as
    two lines ("VI.1.1" / "" / "Summary table of safety concerns"): the number goes
    back in front of its title when together they make a heading, on the number's
    line, and the title's line is left blank."""
    out = list(lines)
    for i, ln in enumerate(out):
        if not _BARE_NUMBER.match(ln.text):
            continue
        j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].text), None)
        if j is not None and is_heading(f"{ln.text} {out[j].text}"):
            out[i] = Line(ln.no, f"{ln.text} {out[j].text}", False)
            out[j] = Line(out[j].no, "", False)
    return out


def _title(lines: list[Line], before: int) -> tuple[int | None, int | None]:
    """Where the "Summary of risk management plan for NAME" line is: anywhere
    before the first section (a cover page, under a "Part VI" heading), possibly
    split after "for" (then the index of the line that holds the name too)."""
    title_re = re.compile(layout()["title"]["pattern"], re.I)
    head_re = re.compile(layout()["title"]["head"], re.I)
    for idx in range(before):
        if not lines[idx].text:
            continue
        if title_re.match(lines[idx].text):
            return idx, None
        if head_re.match(lines[idx].text):
            nxt = next((j for j in range(idx + 1, before) if lines[j].text), None)
            if nxt is not None:
                return idx, nxt
    return None, None
