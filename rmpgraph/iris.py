"""The only place that mints instance IRIs.

IRIs are readable (`id/lemtrada/concern/thrombocytopenia`) and a pure function of the
document's content, so the same input always gives the same graph, whatever the hash
seed, and diffs between versions line up.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from .namespaces import ID

__all__ = ["slug", "digest", "product_iri", "under"]

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


def product_iri(name: str) -> URIRef:
    return URIRef(f"{ID}{slug(name)}")


def under(parent: URIRef | str, *parts: str) -> URIRef:
    """IRI of a resource nested under `parent` (`parent/part/part`)."""
    return URIRef("/".join([str(parent).rstrip("/"), *parts]))
