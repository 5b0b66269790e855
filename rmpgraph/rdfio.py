"""Reading RDF files that users pass as inputs.

Kept apart from the text parser because RDF input is a security boundary: parsers must
never fetch remote documents (JSON-LD contexts, XML entities) at run time.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .errors import InputError

__all__ = ["RDF_FORMATS", "is_rdf_path", "parse_rdf"]

RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def is_rdf_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RDF_FORMATS


def parse_rdf(path: str | Path) -> Graph:
    """Parse an RDF file into one graph (named graphs of quad formats are merged)."""
    p = Path(path)
    fmt = RDF_FORMATS[p.suffix.lower()]
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(p, format=fmt)
            merged = Graph()
            for s, pred, o, _ in ds.quads((None, None, None, None)):
                merged.add((s, pred, o))
            return merged
        g = Graph()
        g.parse(p, format=fmt)
        return g
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=p) from None
    except Exception as exc:  # rdflib raises many parser-specific types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"not valid {fmt}: {first}", path=p) from None
