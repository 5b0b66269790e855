"""Readable keys of the model's objects (concern and study slugs).

The graph stage makes IRIs from them (`graph.iris`), but a key is a property of the
extracted content, so the parse stage owns it and never needs the graph stage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rmpgraph.paths import DATA_DIR

__all__ = ["slug", "digest", "singular"]

_MAX_SLUG = 60


def digest(text: str, length: int = 8) -> str:
    """Hex prefix of the SHA-256 of `text` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(text: str) -> str:
    """URL-safe, lower-case key of `text`; long keys keep a hash so they stay unique."""
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not key:
        return "x-" + digest(text)
    if len(key) > _MAX_SLUG:
        key = key[:_MAX_SLUG].rstrip("-") + "-" + digest(text)
    return key


@lru_cache(maxsize=1)
def _plural_invariant() -> frozenset[str]:
    """Words ending in "s" that the plural rule must leave alone (the lexicon file)."""
    path = DATA_DIR / "lexicon" / "plural-invariant.txt"
    return frozenset(line.strip().lower()
                     for line in path.read_text("utf-8").splitlines()
                     if line.strip() and not line.lstrip().startswith("#"))


def singular(word: str, invariant: frozenset[str] | None = None) -> str:
    """The singular of a lower-case word, so "Malignancies" and "Malignancy" match.

    English plurals of medical terms: -ies -> -y, else drop a final -s; words in
    `data/lexicon/plural-invariant.txt` (diabetes, herpes) and words ending in -ss,
    -us, -is or -os (pancreatitis, abscess) are singular already. The linker
    (`link.lexicon`) passes its own `invariant` words (a user's lexicon folder).
    """
    words = _plural_invariant() if invariant is None else invariant
    if len(word) <= 3 or not word.endswith("s") or word in words:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ss", "us", "is", "os")):
        return word
    return word[:-1]
