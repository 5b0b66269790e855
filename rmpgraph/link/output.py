"""Link results as an SSSOM mapping set, and the one-line summary the CLI prints.

Unmapped and review concerns get `sssom:NoTermFound` rows with the reason in
`comment`, so the TSV alone accounts for every concern (nothing silently dropped).
"""

from __future__ import annotations

from pathlib import Path

from rmpgraph import __version__
from rmpgraph.graph.namespaces import ID
from rmpgraph.graph.serialize import atomic_write
from rmpgraph.link.linker import CURATED, LEXICAL, LinkResult, mapping_set_id
from rmpgraph.link.sssom_io import NO_TERM, SssomRow, write_sssom

__all__ = ["sssom_rows", "write_link_sssom", "summary_lines"]

LICENSE_UNSPECIFIED = "https://w3id.org/sssom/license/unspecified"


def _subject(iri: str) -> str:
    return "rmpid:" + iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


def sssom_rows(result: LinkResult) -> list[SssomRow]:
    m = result.meddra
    rows: list[SssomRow] = []
    for o in result.outcomes:
        subject = _subject(str(o.concern))
        for mp in o.mappings:
            predicate = f"skos:{mp.predicate.split('#')[-1]}"
            rows.append(SssomRow(subject, o.label, predicate,
                                 f"MEDDRA:{mp.code}", m.names[mp.code],
                                 mp.justification, mp.confidence, mp.comment))
        if o.status != "mapped":
            justification = CURATED if o.curated_unmapped else LEXICAL
            for note in o.notes or ["no curated or lexical match"]:
                rows.append(SssomRow(subject, o.label, "skos:exactMatch", NO_TERM, "",
                                     justification, None, f"{o.status}: {note}"))
    return rows


def write_link_sssom(result: LinkResult, path: str | Path) -> None:
    version = result.meddra.version
    metadata = {
        "mapping_set_id": mapping_set_id(version),
        "mapping_set_description": (
            f"RMP safety concerns linked to MedDRA {version} by rmpgraph; rows with "
            "sssom:NoTermFound are concerns left unmapped or listed for review."),
        "license": LICENSE_UNSPECIFIED,
        "mapping_tool": "rmpgraph link meddra",
        "mapping_tool_version": __version__,
        "object_source_version": version,
    }
    curie_map = {"MEDDRA": result.base, "rmpid": str(ID)}
    rows = sssom_rows(result)
    atomic_write(path, lambda tmp: write_sssom(tmp, rows, metadata, curie_map))


def summary_lines(result: LinkResult) -> list[str]:
    c = result.counts()
    preds = ", ".join(f"{k} {v}" for k, v in result.predicate_counts().items())
    lines = [f"MedDRA {result.meddra.version}: {c['concerns']} concerns: "
             f"{c['mapped']} mapped, {c['unmapped']} unmapped, {c['review']} for "
             f"review; {c['mappings']} mappings ({preds or 'none'})"]
    for o in result.outcomes:
        if o.status != "mapped":
            lines.append(f"  {o.status}: {o.label}: {'; '.join(o.notes)}")
    return lines
