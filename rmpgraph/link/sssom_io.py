"""SSSOM TSV: reading curated mapping tables, writing link results.

The curated tables under `data/mappings/` are keyed by concern and MedDRA *term name*
(no licensed codes): `object_label` is authoritative and `object_id` is a name-derived
placeholder in the `meddraname:` namespace, so the file is still valid SSSOM. Codes are
resolved against the user's distribution at link time.

Libraries do the format: the YAML header is read with PyYAML, the table with the csv
module, and link results are written by sssom-py (`write_table`), so the header,
prefix map and columns are what the SSSOM reference implementation writes. Kept here:
the row checks of curated tables, which name the file and line of a bad row
(sssom-py's parser reads the whole table into pandas and reports no line).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

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


def _header(lines: list[str], path: Path) -> tuple[dict[str, object], dict[str, str],
                                                  int]:
    """The `#` YAML header (PyYAML), its curie_map, and the table's first line."""
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    text = "\n".join(line[1:] for line in lines[:n])
    try:
        meta = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", exc)
        raise InputError(f"the SSSOM header is not YAML ({problem})", path=path,
                         line=None if mark is None else mark.line + 1) from None
    if not isinstance(meta, dict):
        raise InputError("expected 'key: value' in the SSSOM header", path=path, line=1)
    curie_map = meta.get("curie_map") or {}
    if not isinstance(curie_map, dict):
        raise InputError("curie_map must map prefixes to IRIs", path=path, line=1)
    return meta, {str(k): str(v) for k, v in curie_map.items()}, n + 1


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
    table = list(csv.reader(lines[first - 1:], delimiter="\t",
                            quoting=csv.QUOTE_NONE))
    columns = table[0]
    missing = {"subject_id", "subject_label", "predicate_id", "object_id",
               "object_label", "mapping_justification"} - set(columns)
    if missing:
        raise InputError(f"missing columns: {', '.join(sorted(missing))}", path=p,
                         line=first)
    rows: list[CuratedRow] = []
    for n, values in enumerate(table[1:], start=first + 1):
        if not any(v.strip() for v in values):
            continue
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


def write_sssom(path: Path, rows: Iterable[SssomRow], metadata: dict[str, str],
                curie_map: dict[str, str]) -> None:
    """Write an SSSOM TSV with sssom-py; rows sorted, so the same input gives the
    same bytes."""
    import curies
    import pandas as pd
    from sssom.util import MappingSetDataFrame
    from sssom.writers import write_table

    records = sorted(({c: getattr(r, c) for c in COLUMNS} for r in rows),
                     key=lambda r: tuple(str(r[c] or "") for c in COLUMNS))
    for record in records:  # one line per row, as TSV needs
        for c in ("subject_label", "object_label", "comment"):
            record[c] = " ".join(str(record[c] or "").split())
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    msdf = MappingSetDataFrame(df=frame,
                               converter=curies.Converter.from_prefix_map(curie_map),
                               metadata=dict(sorted(metadata.items())))
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_table(msdf, handle)
