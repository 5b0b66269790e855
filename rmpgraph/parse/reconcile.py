"""Stage 3d, reconcile: one resource per safety concern across II.A and II.B.

The II.A list and the II.B tables name a concern twice, spelled differently
("Infusion Associated Reactions (IARs)" / "Infusion-associated reactions (IARs)"),
often with a footnote marker glued on ("Thrombocytopeniaa"). These rules decide when
two names are the same concern and what its stable key is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from rmpgraph.parse.keys import slug
from rmpgraph.parse.model import Concern
from rmpgraph.parse.textutil import (
    normalise_name,
    sentence,
    split_abbreviation,
    strip_parentheses,
)

_N = TypeVar("_N", bound=Any)  # a listed name (a dataclass with `name`)

__all__ = [
    "Markers",
    "concern_key",
    "drop_untold",
    "expand",
    "lost_hyphen",
    "match_concern",
    "split_joined",
]


class Markers:
    """Removes footnote markers glued to names ("Thrombocytopeniaa")."""

    def __init__(self, text: str, markers: set[str]) -> None:
        self.words = Counter(re.findall(r"[a-z]+", text.lower()))
        self.markers = sorted(markers, key=lambda m: (-len(m), m))

    def strip(self, name: str) -> tuple[str, str | None]:
        for m in self.markers:
            if not name.endswith(m) or len(name) <= len(m) + 1:
                continue
            cand = name[: -len(m)].rstrip()
            if not m.isalpha() or cand.endswith(")"):
                return cand, m
            words = re.findall(r"[a-z]+", cand.lower())
            if words and self.words[words[-1]] > 0:
                return cand, m
        return name, None


def concern_key(name: str, taken: set[str]) -> str:
    base, _ = split_abbreviation(name)
    key = slug(strip_parentheses(base) or base)
    if key in taken:
        key = slug(base)
    n = 2
    while key in taken:
        key = f"{slug(base)}-{n}"
        n += 1
    taken.add(key)
    return key


def expand(name: str, abbreviations: dict[str, str]) -> str:
    base, _ = split_abbreviation(name)

    def repl(m: re.Match[str]) -> str:
        token = m.group(0)
        return abbreviations.get(token, abbreviations.get(token.rstrip("s"), token))

    return re.sub(
        r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*s?(?![A-Za-z])",
        repl,
        base,
    )


def match_concern(name: str, concerns: list[Concern]) -> Concern | None:
    key = normalise_name(name)
    for c in concerns:
        if key == c.normalised_name or key in (normalise_name(a) for a in c.alt_names):
            return c
    joined = [c for c in concerns
              if lost_hyphen(c.name, name) or lost_hyphen(name, c.name)]
    if len(joined) == 1:
        return joined[0]
    loose = normalise_name(strip_parentheses(name))
    hits = [c for c in concerns if normalise_name(strip_parentheses(c.name)) == loose]
    if len(hits) == 1:
        return hits[0]
    words = set(key.split())
    scored = []
    for c in concerns:
        other = set(c.normalised_name.split())
        score = len(words & other) / max(len(words | other), 1)
        if score >= 0.75:
            scored.append((score, c))
    scored.sort(key=lambda p: -p[0])
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def split_joined(listed: Sequence[_N], titled: Sequence[str]) -> list[_N]:
    """II.A names with two or more II.B names run together cut into those names: a
    PDF cell whose names were split by line breaks, not paragraphs, reads each full
    line as wrapped into the next ("Thromboembolic events after premature
    discontinuation Drug-induced liver injury"). Only when the name matches no
    II.B name and is, word for word, II.B names that no other II.A name is."""
    keys = [normalise_name(t) for t in titled]
    listed_keys = {normalise_name(x.name) for x in listed}
    free = [k for k in keys if k and k not in listed_keys]
    out: list[_N] = []
    for item in listed:
        words = normalise_name(item.name).split()
        parts = _cut(words, free) if normalise_name(item.name) not in keys else None
        if parts is None or len(parts) < 2:
            out.append(item)
            continue
        # each part's own spelling is II.B's, as a matched II.A name takes it
        out += [replace(item, name=titled[keys.index(k)]) for k in parts]
    return out


def _cut(words: list[str], names: list[str]) -> list[str] | None:
    """`words` as names of `names`, one after another, or None."""
    if not words:
        return []
    for n in sorted(names, key=len, reverse=True):
        size = len(n.split())
        if words[:size] == n.split():
            rest = _cut(words[size:], names)
            if rest is not None:
                return [n, *rest]
    return None


def lost_hyphen(listed: str, titled: str) -> bool:
    """True when the II.A name is the II.B title with a hyphen dropped inside a word
    ("breastfeeding" / "breast-feeding"): pdftotext joins a word broken after its
    hyphen at a narrow column's edge without the hyphen, so the title's spelling is
    the document's. Also when the II.A name is the title with a footnote marker
    glued on ("Hepatotoxicitya") whose footnote the text export moved away."""
    return listed != titled and (
        re.search(r"[A-Za-z]-[A-Za-z]", titled) is not None
        and re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", titled) == listed
        or re.fullmatch(re.escape(titled) + r"[a-f]", listed) is not None)


def drop_untold(
    concerns: list[Concern], untold: set[str], tables: int
) -> tuple[list[Concern], list[tuple[int, str]]]:
    """(kept, findings): a II.A name from a table whose columns the text interleaves
    (`untold`: keys of names whose heading could not be told), or one that reads
    as a sentence, is kept only if a II.B table names it too. Its lines may be two
    columns' fragments run together ("Peripheral neuropathy feeding"), and II.B,
    when it has tables (`tables`), names every concern with its category anyway.
    Without II.B tables the names stay, and their categories are told as guesses."""
    if not tables:
        return concerns, [(_line(c), _note(c, kept=True))
                          for c in concerns if c.key in untold]
    kept = [c for c in concerns if c.summary is not None or c.key not in untold
            and not sentence(c.name)]
    for pos, c in enumerate((c for c in kept if c.listed), start=1):
        c.position = pos
    return kept, [(_line(c), _note(c)) for c in concerns if c not in kept]


def _line(c: Concern) -> int:
    return c.listing_span.start if c.listing_span else 0


def _note(c: Concern, kept: bool = False) -> str:
    if kept:
        return (f"the category of '{c.name}' is not known for certain (II.A printed "
                "its headings apart from its names, and no II.B table places it); "
                f"{c.category.value} is a guess")
    why = "reads as a sentence" if sentence(c.name) else \
        "is from a list whose columns the text interleaves"
    return f"II.A name '{c.name}' {why} and no II.B table names it; left out"
