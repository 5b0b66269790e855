"""Readable keys of the model's objects (concern and study slugs).

The graph stage makes IRIs from them (`graph.iris`), but a key is a property of the
extracted content, so the parse stage owns it and never needs the graph stage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["slug", "digest"]

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
