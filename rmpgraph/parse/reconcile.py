"""Stage 3d, reconcile: one resource per safety concern across II.A and II.B.

The II.A list and the II.B tables name a concern twice, spelled differently
("Infusion Associated Reactions (IARs)" / "Infusion-associated reactions (IARs)"),
often with a footnote marker glued on ("Thrombocytopeniaa"). These rules decide when
two names are the same concern and what its stable key is.
"""

from __future__ import annotations

import re
from collections import Counter

from rmpgraph.parse.keys import slug
from rmpgraph.parse.model import Concern
from rmpgraph.parse.textutil import (
    normalise_name,
    split_abbreviation,
    strip_parentheses,
)

__all__ = ["Markers", "concern_key", "expand", "lost_hyphen", "match_concern"]


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


def lost_hyphen(listed: str, titled: str) -> bool:
    """True when the II.A name is the II.B title with a hyphen dropped inside a word
    ("breastfeeding" / "breast-feeding"): pdftotext joins a word broken after its
    hyphen at a narrow column's edge without the hyphen, so the title's spelling is
    the document's."""
    return (
        listed != titled
        and re.search(r"[A-Za-z]-[A-Za-z]", titled) is not None
        and re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", titled) == listed
    )
