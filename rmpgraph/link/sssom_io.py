"""SSSOM TSV: reading curated mapping tables, writing link results.

The curated tables under `data/mappings/` are keyed by concern and MedDRA *term name*
(no licensed codes): `object_label` is authoritative and `object_id` is a name-derived
placeholder in the `meddraname:` namespace, so the file is still valid SSSOM. Codes are
resolved against the user's distribution at link time. The YAML header is the simple
subset SSSOM files use in practice (`key: value`, one nested `curie_map:` block), read
without a YAML dependency; sssom-py reads what this module writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rmpgraph.errors import InputError
from rmpgraph.graph.iris import slug

__all__ = ["CuratedRow", "SssomRow", "read_curated", "write_sssom", "NAME_PREFIX",
           "name_curie", "COLUMNS"]

NAME_PREFIX = "https://w3id.org/rmpgraph/meddra-term-name/"
NO_TERM = "sssom:NoTermFound"
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "comment")
_PREDICATES = {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch",
               "skos:narrowMatch", "skos:relatedMatch"}


@dataclass(frozen=True)
class CuratedRow:
    subject_id: str  # expanded IRI
    subject_label: str
    predicate: str  # CURIE, skos:*
    object_label: str | None  # None = sssom:NoTermFound
    confidence: float | None
    comment: str
    path: str
    line: int


@dataclass(frozen=True)
class SssomRow:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    confidence: float | None
    comment: str


def name_curie(name: str) -> str:
    """Placeholder object_id of a term known only by name."""
    return f"meddraname:{slug(name)}"


def _header(lines: list[str], path: Path) -> tuple[dict[str, str], dict[str, str], int]:
    meta: dict[str, str] = {}
    curie_map: dict[str, str] = {}
    in_map = False
    n = 0
    for n, raw in enumerate(lines, start=1):
        if not raw.startswith("#"):
            return meta, curie_map, n
        body = raw[1:]
        if not body.strip():
            continue
        indented = body.startswith("  ")
        k, sep, v = body.strip().partition(":")
        if not sep:
            raise InputError("expected 'key: value' in the SSSOM header", path=path,
                             line=n)
        v = v.strip().strip('"')
        if in_map and indented:
            curie_map[k.strip()] = v
            continue
        in_map = k == "curie_map" and not v
        if not in_map:
            meta[k] = v
    return meta, curie_map, n + 1


def _expand(curie: str, curie_map: dict[str, str], path: Path, line: int) -> str:
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in curie_map:
        raise InputError(f"unknown prefix in {curie!r} (not in curie_map)", path=path,
                         line=line)
    return curie_map[prefix] + local


def read_curated(path: str | Path) -> list[CuratedRow]:
    """Rows of one curated SSSOM table; every error names the file and line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read mapping table ({exc.strerror})",
                         path=p) from None
    except UnicodeDecodeError as exc:
        # a PDF, a spreadsheet or random bytes given as --mappings
        raise InputError(f"not a UTF-8 SSSOM table (byte {exc.start} is not UTF-8)",
                         path=p) from None
    _, curie_map, first = _header(lines, p)
    if first > len(lines):
        raise InputError("no table after the SSSOM header", path=p)
    columns = lines[first - 1].split("\t")
    missing = {"subject_id", "subject_label", "predicate_id", "object_id",
               "object_label", "mapping_justification"} - set(columns)
    if missing:
        raise InputError(f"missing columns: {', '.join(sorted(missing))}", path=p,
                         line=first)
    rows: list[CuratedRow] = []
    for n in range(first + 1, len(lines) + 1):
        if not lines[n - 1].strip():
            continue
        values = lines[n - 1].split("\t")
        if len(values) != len(columns):
            raise InputError(f"expected {len(columns)} tab-separated values, got "
                             f"{len(values)}", path=p, line=n)
        r = dict(zip(columns, values, strict=True))
        if r["predicate_id"] not in _PREDICATES:
            raise InputError(f"predicate_id {r['predicate_id']!r} is not a SKOS "
                             "mapping property", path=p, line=n)
        no_term = r["object_id"] == NO_TERM
        if not no_term and r["object_id"] != name_curie(r["object_label"]):
            raise InputError(f"object_id should be {name_curie(r['object_label'])} "
                             "(derived from object_label)", path=p, line=n)
        try:
            confidence = float(r["confidence"]) if r.get("confidence") else None
        except ValueError:
            raise InputError(f"confidence {r['confidence']!r} is not a number",
                             path=p, line=n) from None
        rows.append(CuratedRow(
            subject_id=_expand(r["subject_id"], curie_map, p, n),
            subject_label=r["subject_label"], predicate=r["predicate_id"],
            object_label=None if no_term else r["object_label"],
            confidence=confidence, comment=r.get("comment", ""), path=str(p), line=n))
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).replace("\t", " ").replace("\n", " ")


def write_sssom(path: Path, rows: Iterable[SssomRow], metadata: dict[str, str],
                curie_map: dict[str, str]) -> None:
    """Write an SSSOM TSV (header keys and rows sorted: same input, same bytes)."""
    out = ["#curie_map:"]
    out += [f"#  {k}: {v}" for k, v in sorted(curie_map.items())]
    out += [f"#{k}: {v}" for k, v in sorted(metadata.items())]
    out.append("\t".join(COLUMNS))
    body = sorted("\t".join(_cell(getattr(r, c)) for c in COLUMNS) for r in rows)
    path.write_text("\n".join(out + body) + "\n", encoding="utf-8")
