"""Query results as text: W3C CSV/TSV/JSON/XML result formats, Markdown, a table.

The machine formats are written by the libraries that define them: rdflib's
`Result.serialize` for CSV, JSON and XML (also when streamed by `write_rows`, a
batch of rows at a time, cut into head, rows and tail so the bytes are those of the
whole document; streamed JSON bindings come from rdflib's `termToJSON` one by
one). Kept here: TSV for rdflib rows (rdflib has a TSV parser but
no TSV serializer) and the people formats (table via tabulate, Markdown), which
show labels instead of IRIs where the caller knows them and never lose a row or
break a word.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.term import Identifier

from rmpgraph.errors import UsageError
from rmpgraph.graph.namespaces import PREFIXES

__all__ = ["FORMATS", "STREAM_FORMATS", "render", "render_boolean", "compact",
           "stream_solutions", "table", "write_rows"]

Row = Mapping[str, Identifier]
Labels = Mapping[Identifier, str]


def _result(variables: Sequence[str], rows: Sequence[Row]) -> Any:
    from rdflib.query import Result

    result = Result("SELECT")
    result.vars = [Variable(v) for v in variables]
    result.bindings = [{Variable(k): v for k, v in row.items() if v is not None}
                       for row in rows]
    return result


def _library(fmt: str) -> Callable[[Sequence[str], Sequence[Row]], str]:
    def write(variables: Sequence[str], rows: Sequence[Row]) -> str:
        text = _result(variables, rows).serialize(format=fmt).decode("utf-8")
        if fmt == "json":  # rdflib writes one line; same document, indented
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
        return text if text.endswith("\n") else text + "\n"

    return write


# ---------------------------------------------------- TSV: not written by rdflib


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


def _tsv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_nt(row[v]) if row.get(v) is not None else ""
                               for v in variables))
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- for people


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


def _shown(term: Identifier | None, labels: Labels | None, iris: bool) -> str:
    if not iris and labels and term is not None and term in labels:
        return " ".join(labels[term].split())
    return compact(term)


def _markdown(variables: Sequence[str], rows: Sequence[Row],
              labels: Labels | None = None, iris: bool = False) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|") or " "

    lines = ["| " + " | ".join(cell(v) for v in variables) + " |",
             "|" + "|".join("---" for _ in variables) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell(_shown(row.get(v), labels, iris))
                                       for v in variables) + " |")
    return "\n".join(lines) + "\n"


def _widths(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Water-filling: narrow columns keep their width, wide ones share the rest,
    and no column gets narrower than its longest word (`floor`)."""
    if sum(natural) <= room:
        return list(natural)
    cap = 1
    while sum(max(f, min(n, cap + 1)) for n, f in zip(natural, floor, strict=True)) \
            <= room and cap < max(natural):
        cap += 1
    return [max(f, min(n, cap)) for n, f in zip(natural, floor, strict=True)]


def table(variables: Sequence[str], rows: Sequence[Row], *, width: int | None = None,
          labels: Labels | None = None, iris: bool = False) -> str:
    """A terminal table (tabulate): labels instead of IRIs where `labels` has one
    (unless `iris`), cells wrapped at spaces only, so neither a word nor an IRI is
    ever cut; a word longer than the room widens its column rather than break."""
    from tabulate import tabulate

    if not variables:
        return "(no columns)\n"
    total = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[_shown(row.get(v), labels, iris) for v in variables] for row in rows]
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in variables]
    natural = [max([len(v), *map(len, col)]) for v, col in zip(variables, columns,
                                                                strict=True)]
    floor = [max([len(w) for text in (v, *col) for w in text.split()] or [1])
             for v, col in zip(variables, columns, strict=True)]
    gap = 2  # tabulate's "simple" format puts two spaces between columns
    widths = _widths(natural, floor, total - gap * (len(variables) - 1))

    def wrap(text: str, room: int) -> str:
        return "\n".join(textwrap.wrap(text, room, break_long_words=False,
                                       break_on_hyphens=False)) or ""

    head = [wrap(v, w) for v, w in zip(variables, widths, strict=True)]
    body = [[wrap(c, w) for c, w in zip(r, widths, strict=True)] for r in cells]
    text = tabulate(body, headers=head, tablefmt="simple", disable_numparse=True)
    lines = [line.rstrip() for line in text.splitlines()]
    if max(map(len, lines), default=0) > total:  # too many columns: one per line
        lines = _records(variables, cells, total)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _records(variables: Sequence[str], cells: list[list[str]], total: int) -> list[str]:
    """Rows as records, one `name  value` line per column (psql's expanded display),
    for results whose columns cannot sit side by side in the terminal without
    cutting words; values wrap at spaces under their first line."""
    name_width = max(len(v) for v in variables)
    room = max(total - name_width - 2, 20)
    lines: list[str] = []
    for n, row in enumerate(cells, start=1):
        lines.append(f"-[ row {n} ]" + "-" * max(0, min(total, 40) - 10 - len(str(n))))
        for variable, value in zip(variables, row, strict=True):
            parts = textwrap.wrap(value, room, break_long_words=False,
                                  break_on_hyphens=False) or [""]
            lines.append(f"{variable.ljust(name_width)}  {parts[0]}".rstrip())
            lines += [" " * (name_width + 2) + part for part in parts[1:]]
    return lines


FORMATS: dict[str, Callable[[Sequence[str], Sequence[Row]], str]] = {
    "table": lambda variables, rows: table(variables, rows),
    "csv": _library("csv"),
    "tsv": _tsv,
    "json": _library("json"),
    "xml": _library("xml"),
    "markdown": _markdown,
}


def render(fmt: str, variables: Sequence[str], rows: Sequence[Row], *,
           width: int | None = None, labels: Labels | None = None,
           iris: bool = False) -> str:
    """SELECT results in `fmt` (one of FORMATS). `width`, `labels` and `iris` only
    affect the people formats (table, markdown)."""
    if fmt == "table":
        return table(variables, rows, width=width, labels=labels, iris=iris)
    if fmt == "markdown":
        return _markdown(variables, rows, labels, iris)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(FORMATS))
    return FORMATS[fmt](variables, rows)


def render_boolean(fmt: str, value: bool) -> str:
    """ASK result: the W3C JSON and XML forms (rdflib), else `true`/`false`."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of "
                         + ", ".join(FORMATS))
    if fmt in ("json", "xml"):
        from rdflib.query import Result

        result = Result("ASK")
        result.askAnswer = value
        text = result.serialize(format=fmt).decode("utf-8")
        if fmt == "json":
            return json.dumps(json.loads(text), indent=2) + "\n"
        return text if text.endswith("\n") else text + "\n"
    return ("true" if value else "false") + "\n"


_OX_FORMATS = {"csv": "CSV", "tsv": "TSV", "json": "JSON", "xml": "XML"}


def stream_solutions(solutions: Any, fmt: str, output: BinaryIO) -> None:
    """Write pyoxigraph `QuerySolutions` (or a boolean result) to `output` in
    Oxigraph's own W3C writers. Not what the CLI streams: their bytes differ from
    `render`'s (JSON layout, TSV literals), and output must not depend on whether
    it was streamed; the CLI uses `write_rows`."""
    import pyoxigraph as ox

    if fmt not in _OX_FORMATS:
        raise UsageError(f"format {fmt!r} cannot be streamed; expected one of "
                         + ", ".join(_OX_FORMATS))
    solutions.serialize(output, getattr(ox.QueryResultsFormat, _OX_FORMATS[fmt]))


#: the formats `write_rows` writes as rows come (the people formats need every
#: row first: column widths, labels)
STREAM_FORMATS = ("csv", "tsv", "json", "xml")
_BATCH = 256


def _around(fmt: str, variables: Sequence[str]) -> tuple[str, str]:
    """What comes before the first row and after the last, cut from the document
    with no rows, so head and tail are the writer's own bytes."""
    empty = render(fmt, variables, [])
    mark = {"csv": None, "tsv": None, "json": '"bindings": [', "xml": "<results>"}[fmt]
    if mark is None:
        return empty, ""
    at = empty.index(mark) + len(mark)
    return empty[:at], empty[at:]


def _body(fmt: str, variables: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """The text of `rows` alone, as the full document has it: CSV lines without
    the header, TSV lines, JSON bindings (indented as in the document, one string
    each), XML `<result>` elements."""
    if fmt == "tsv":
        return [_tsv(variables, rows).split("\n", 1)[1]]
    if fmt == "json":
        # each binding as rdflib's JSON writer makes it (`termToJSON`, the row's
        # order), without writing the batch as one document and reading it back:
        # that took 2.7 s for 48,278 rows, most of the streamed command's time
        from rdflib.plugins.sparql.results.jsonresults import (
            JSONResultSerializer,
            termToJSON,
        )

        writer = JSONResultSerializer(_result(variables, []))
        return [textwrap.indent(json.dumps(
            {k: termToJSON(writer, v) for k, v in row.items() if v is not None},
            indent=2, ensure_ascii=False), " " * 6) for row in rows]
    text = _result(variables, rows).serialize(format=fmt).decode("utf-8")
    if fmt == "csv":
        return [text.split("\r\n", 1)[1]]
    return [text[text.index("<results>") + len("<results>"):
                 text.rindex("</results>")]]


def write_rows(fmt: str, variables: Sequence[str], rows: Iterable[Row],
               output: BinaryIO, *, batch: int = _BATCH) -> int:
    """Write SELECT results to `output` as the rows come, `batch` at a time, byte
    for byte what `render(fmt, variables, all_rows)` returns (tests/test_streaming
    compares them), so a big answer never sits in memory twice. Returns the number
    of rows written. CSV and XML are still written by rdflib, a batch at a time."""
    if fmt not in STREAM_FORMATS:
        raise UsageError(f"format {fmt!r} cannot be streamed; expected one of "
                         + ", ".join(STREAM_FORMATS))
    head, tail = _around(fmt, variables)
    if fmt == "json":  # "[" then the bindings, then "]" on its own line
        tail = tail.removeprefix("]")
    output.write(head.encode("utf-8"))
    count = 0
    first = True
    for chunk in _batches(rows, batch):
        count += len(chunk)
        parts = _body(fmt, variables, chunk)
        if fmt == "json":
            text = ("\n" if first else ",\n") + ",\n".join(parts)
        else:
            text = "".join(parts)
        first = False
        output.write(text.encode("utf-8"))
        output.flush()
    if fmt == "json":
        tail = ("\n    ]" if count else "]") + tail
    output.write(tail.encode("utf-8"))
    return count


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
