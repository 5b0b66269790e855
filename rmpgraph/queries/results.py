"""Query results as text: W3C CSV/TSV/JSON result formats, Markdown, terminal table.

The machine formats follow the W3C SPARQL 1.1 result-format recommendations exactly
(so any SPARQL client library reads them back); the human formats (table, markdown)
shorten IRIs with the project's prefixes and never lose a row.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Callable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import PREFIXES

__all__ = ["FORMATS", "render", "render_boolean", "compact"]

Row = Mapping[str, Identifier]


def _escape_nt(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def _nt(term: Identifier) -> str:
    """One-line N-Triples form of a term (what TSV results require)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_escape_nt(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    raise UsageError(f"cannot serialise {term!r} in results")


def _plain(term: Identifier | None) -> str:
    """CSV form: IRIs and literals as plain strings, blank nodes as _:id."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def compact(term: Identifier | None) -> str:
    """Readable form for people: prefixed IRIs, literal values only."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        best = ""
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
                best = prefix
        if best and len(str(term)) > len(PREFIXES[best]):
            return f"{best}:{str(term)[len(PREFIXES[best]):]}"
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split())


def _csv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_plain(row.get(v)) for v in variables])
    return out.getvalue()


def _tsv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_nt(row[v]) if row.get(v) is not None else ""
                               for v in variables))
    return "\n".join(lines) + "\n"


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    raise UsageError(f"cannot serialise {term!r} in results")


def _json(variables: Sequence[str], rows: Sequence[Row]) -> str:
    doc = {
        "head": {"vars": list(variables)},
        "results": {"bindings": [
            {v: _json_term(row[v]) for v in variables if row.get(v) is not None}
            for row in rows
        ]},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _markdown(variables: Sequence[str], rows: Sequence[Row]) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|") or " "

    lines = ["| " + " | ".join(cell(v) for v in variables) + " |",
             "|" + "|".join("---" for _ in variables) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell(compact(row.get(v))) for v in variables)
                     + " |")
    return "\n".join(lines) + "\n"


def _widths(natural: list[int], room: int) -> list[int]:
    """Water-filling: narrow columns keep their width, wide ones share the rest."""
    if sum(natural) <= room:
        return list(natural)
    cap = max(1, room // len(natural))
    while sum(min(n, cap + 1) for n in natural) <= room:
        cap += 1
    return [min(n, max(cap, 4)) for n in natural]


def _table(variables: Sequence[str], rows: Sequence[Row], width: int | None) -> str:
    if not variables:
        return "(no columns)\n"
    total = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[compact(row.get(v)) for v in variables] for row in rows]
    natural = [max([len(v)] + [len(r[i]) for r in cells])
               for i, v in enumerate(variables)]
    gap = 2  # headers wrap too, so a narrow terminal still gets every column
    widths = _widths(natural, total - gap * (len(variables) - 1))

    def lines_of(values: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(value, w, break_long_words=True,
                                 break_on_hyphens=False) or [""]
                   for value, w in zip(values, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [(w[k] if k < len(w) else "").ljust(widths[i])
                     for i, w in enumerate(wrapped)]
            out.append((" " * gap).join(parts).rstrip())
        return out

    out = lines_of(list(variables))
    out.append((" " * gap).join("-" * w for w in widths))
    for row_cells in cells:
        out.extend(lines_of(row_cells))
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[Sequence[str], Sequence[Row]], str]] = {
    "table": lambda variables, rows: _table(variables, rows, None),
    "csv": _csv,
    "tsv": _tsv,
    "json": _json,
    "markdown": _markdown,
}


def render(fmt: str, variables: Sequence[str], rows: Sequence[Row], *,
           width: int | None = None) -> str:
    """SELECT results in `fmt` (one of FORMATS); `width` only affects `table`."""
    if fmt == "table":
        return _table(variables, rows, width)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(FORMATS))
    return FORMATS[fmt](variables, rows)


def render_boolean(fmt: str, value: bool) -> str:
    """ASK result: W3C JSON `{"head": {}, "boolean": …}`, else `true`/`false`."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, indent=2) + "\n"
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(FORMATS))
    return ("true" if value else "false") + "\n"
