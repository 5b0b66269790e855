"""`build()`: RMP summaries (or RDF files) -> one `RmpDocument`, and graphs -> text.

A notebook user wants the graph and, beside it, what the parser could not read and
which product and RMP version came out, without reaching into the pipeline's
intermediate model; the CLI wants the same plus per-file accounting for `--explain`.
Both come from one `RmpDocument`, so the two never disagree.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from rmpgraph.errors import InputError, UsageError, WrongTypeError

__all__ = ["RmpDocument", "BuiltFile", "Issue", "build", "GRAPH_FORMATS",
           "graph_format", "graph_text", "as_paths"]

#: output formats by their short name (`build -f`) -> rdflib/rmpgraph format
GRAPH_FORMATS: dict[str, str] = {
    "ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads",
    "xml": "xml",
}
_SUFFIX_FORMATS = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".trig": "trig",
                   ".nq": "nq", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
#: input formats `build(format=...)` accepts: documents, then RDF syntaxes
_DOCUMENT_FORMATS = ("text", "pdf", "docx")
_RDF_INPUT_SUFFIX = {"turtle": ".ttl", "ttl": ".ttl", "nt": ".nt", "json-ld": ".jsonld",
                     "jsonld": ".jsonld", "trig": ".trig", "nquads": ".nq",
                     "nq": ".nq", "xml": ".rdf"}


@dataclass(frozen=True)
class Issue:
    """A source line the parser could not place: `file:line`, why, and the text."""

    file: str
    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        quote = f": {self.text[:80]}" if self.text else ""
        return f"{self.file}:{self.line}: {self.reason}{quote}"


@dataclass(frozen=True)
class BuiltFile:
    """One input of a build: its graph and, for documents, the pipeline's result
    (`result.document` is the extracted model, `result.source` the decoded text)."""

    path: str
    graph: Graph = field(repr=False)
    result: Any = field(default=None, repr=False)  # pipeline.BuildResult

    def summary(self) -> str:
        """One line: product, concerns by category, studies, milestones, triples."""
        if self.result is None:
            return f"{self.path}: {len(self.graph)} triples (RDF input)"
        doc = self.result.document
        cats = Counter(c.category.value for c in doc.concerns)
        by_cat = ", ".join(f"{n} {k}" for k, n in sorted(cats.items()))
        milestones = sum(len(s.milestones) for s in doc.studies)
        return (f"{self.path}: {doc.product.name}: {len(doc.concerns)} safety "
                f"concerns ({by_cat}), {len(doc.studies)} studies, {milestones} "
                f"milestones, {len(self.graph)} triples")

    def unaccounted(self) -> dict[str, list[tuple[int, str]]]:
        """Non-blank source lines outside the graph, by reason (`build --explain`):
        "boilerplate" (template text) and "not understood"."""
        if self.result is None:
            return {}
        from rmpgraph.graph.pipeline import unaccounted_lines

        return unaccounted_lines(self.result)

    @property
    def furniture(self) -> tuple[str, ...]:
        """Page headers and footers the PDF/DOCX reader removed."""
        return self.result.source.furniture if self.result is not None else ()


@dataclass(frozen=True)
class RmpDocument:
    """The graph of one or more RMP summaries, with what the parser reported.

    `product` and `rmp` are a single value for one RMP and a list for several, as a
    notebook reader expects from `build("x.pdf")` versus `build([a, b])`.
    """

    graph: Graph
    issues: list[Issue] = field(default_factory=list)
    files: list[BuiltFile] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"RmpDocument(product={self.product!r}, rmp={self.rmp!r}, "
                f"triples={len(self.graph)}, issues={len(self.issues)})")

    def _plans(self) -> list[URIRef]:
        plans = self.graph.subjects(RDF.type, _rmp("RiskManagementPlan"))
        return sorted(s for s in plans if isinstance(s, URIRef))

    @property
    def rmp(self) -> URIRef | list[URIRef] | None:
        """IRI of the RMP version (a list when the graph holds several)."""
        plans = self._plans()
        return plans[0] if len(plans) == 1 else (plans or None)

    @property
    def product(self) -> str | list[str] | None:
        """Label of the medicinal product (a list when there are several)."""
        labels = sorted({str(label) for p in self.graph.subjects(
            RDF.type, _rmp("MedicinalProduct")) for label in
            self.graph.objects(p, RDFS.label)})
        return labels[0] if len(labels) == 1 else (labels or None)

    def named_graph(self) -> str | None:
        """The store's graph IRI for a one-RMP document (used by .trig/.nq output),
        so a file written here loads into the same graph `rmpgraph load` uses."""
        from rmpgraph.store.embedded import graph_iri

        plans = self._plans()
        return graph_iri(str(plans[0]))[0] if len(plans) == 1 else None

    def serialize(self, format: str = "ttl") -> str:  # noqa: A002 - rdflib's name
        """The graph as text, deterministically (same graph -> same bytes);
        `format` is one of `GRAPH_FORMATS` (ttl nt jsonld trig nq xml)."""
        return graph_text(self.graph, format, graph_iri=self.named_graph())

    def __len__(self) -> int:
        return len(self.graph)


def _rmp(name: str) -> URIRef:
    from rmpgraph.graph.namespaces import RMP

    return RMP[name]


def as_paths(paths: Any, what: str = "paths") -> list[Path]:
    """One path or a list of them, checked: a user passing a number or a graph gets
    a sentence saying what was expected, not an AttributeError from deep inside."""
    items = [paths] if isinstance(paths, (str, Path)) else paths
    if not isinstance(items, Sequence) or isinstance(items, (bytes, bytearray)) or \
            not items or not all(isinstance(p, (str, Path)) for p in items):
        raise WrongTypeError(f"{what}: expected a file path or a non-empty list of "
                             f"paths (str or pathlib.Path), got {_kind(paths)}")
    return [Path(p) for p in items]


def _kind(value: Any) -> str:
    if isinstance(value, (list, tuple)) and value:
        return f"{type(value).__name__} holding {type(value[0]).__name__}"
    return type(value).__name__ if value not in ((), [], "") else repr(value)


def graph_format(name: str | None, output: str | Path | None = None) -> str:
    """The output format: `name` if given (`-f`), else the output's extension,
    else Turtle. Unknown names and extensions fail before any work is done."""
    if name is not None:
        if name not in GRAPH_FORMATS:
            raise UsageError(f"unknown graph format {name!r}; expected one of "
                             + ", ".join(GRAPH_FORMATS))
        return name
    if output is None or str(output) == "-":
        return "ttl"
    suffix = Path(output).suffix.lower()
    if suffix not in _SUFFIX_FORMATS:
        raise UsageError(f"unknown output format {suffix or '(none)'}; expected one "
                         "of " + ", ".join(sorted(_SUFFIX_FORMATS)) + " or -f FORMAT",
                         path=output)
    return _SUFFIX_FORMATS[suffix]


def graph_text(graph: Graph, format: str = "ttl", *,  # noqa: A002
               graph_iri: str | None = None) -> str:
    """Serialise deterministically (same graph -> same bytes).

    RDF/XML: rdflib's writer follows its store's hash order, so Oxigraph's, which
    writes triples in the order given, gets the sorted N-Triples lines instead.
    """
    from rmpgraph.graph.serialize import serialize

    fmt = GRAPH_FORMATS[graph_format(format)]
    if fmt != "xml":
        return serialize(graph, fmt, graph_iri=graph_iri)
    import pyoxigraph as ox

    from rmpgraph.graph.namespaces import PREFIXES

    triples = ox.parse(serialize(graph, "nt").encode("utf-8"),
                       format=ox.RdfFormat.N_TRIPLES)
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    return data.decode("utf-8")


def _build_one(path: Path, fmt: str | None, version: dict[str, Any]) -> BuiltFile:
    from rmpgraph.graph.pipeline import build_source
    from rmpgraph.graph.rdfio import is_rdf_path, parse_rdf
    from rmpgraph.parse.read import read_source

    if fmt in _RDF_INPUT_SUFFIX or (fmt is None and is_rdf_path(path)):
        if version:
            raise UsageError("rmp_version/rmp_date apply to documents, not RDF "
                             "files", path=path)
        if fmt is None or path.suffix.lower() == _RDF_INPUT_SUFFIX[fmt]:
            return BuiltFile(str(path), parse_rdf(path))
        # parse_rdf picks its parser and its safety checks (XML entities, JSON-LD
        # contexts) by suffix; a copy under the right suffix gets exactly those
        with tempfile.TemporaryDirectory(prefix="rmpgraph-") as tmp:
            copy = Path(tmp) / (path.stem + _RDF_INPUT_SUFFIX[fmt])
            try:
                shutil.copyfile(path, copy)
            except OSError as exc:
                raise InputError(f"cannot read file ({exc.strerror})",
                                 path=path) from None
            try:
                return BuiltFile(str(path), parse_rdf(copy))
            except InputError as exc:  # name the user's file, not our copy
                exc.path = str(path)
                raise
    if fmt is not None and fmt not in _DOCUMENT_FORMATS:
        raise UsageError(f"unknown input format {fmt!r}; expected one of "
                         + ", ".join([*_DOCUMENT_FORMATS, *_RDF_INPUT_SUFFIX]))
    source = read_source(path)
    if fmt is not None:
        got = source.encoding if source.encoding in ("pdf", "docx") else "text"
        if got != fmt:
            raise InputError(f"is {got}, not {fmt} as format= says", path=path)
    result = build_source(source, **version)
    return BuiltFile(str(path), result.graph, result)


def build(paths: str | Path | Sequence[str | Path], *, format: str | None = None,  # noqa: A002
          rmp_version: str | None = None,
          rmp_date: str | date | None = None) -> RmpDocument:
    """Build the graph of RMP summaries (PDF, Word .docx or text) or read RDF files.

    Args:
        paths: one file or a list; the graph is the union of all of them.
        format: the inputs' format when the name does not tell: "text", "pdf",
            "docx", or an RDF syntax ("turtle", "nt", "json-ld", "trig", "nquads",
            "xml"). Default: from the content (PDF, DOCX) and the extension.
        rmp_version: version number of the RMP (e.g. "8.2") when the document does
            not state it (one document only; contradicting what it states is an
            error).
        rmp_date: date of that version (a `datetime.date` or YYYY-MM-DD).

    Returns:
        An `RmpDocument`: `.graph`, `.issues` (lines the parser could not place),
        `.product`, `.rmp`, `.files` (per input).

    Raises:
        RmpGraphError: a file is missing, unreadable or not an RMP summary (the
            message names it), or an argument has the wrong type.
    """
    items = as_paths(paths)
    if format is not None and not isinstance(format, str):
        raise WrongTypeError(f"format: expected a string, got {_kind(format)}")
    version = {k: v for k, v in (("rmp_version", rmp_version),
                                 ("rmp_date", rmp_date)) if v is not None}
    if not isinstance(rmp_version, (str, type(None))):
        raise WrongTypeError("rmp_version: expected a string, got "
                             f"{_kind(rmp_version)}")
    if not isinstance(rmp_date, (str, date, type(None))):
        raise WrongTypeError("rmp_date: expected a date or YYYY-MM-DD, got "
                             f"{_kind(rmp_date)}")
    if version and len(items) > 1:
        raise UsageError("rmp_version/rmp_date describe one document; build the "
                         "documents one by one")
    files: list[BuiltFile] = []
    issues: list[Issue] = []
    for path in items:
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else
                             "is not a file", path=path)
        built = _build_one(path, format, version)
        files.append(built)
        if built.result is not None:
            issues.extend(Issue(str(path), i.line, i.reason, i.text)
                          for i in built.result.document.issues)
    from rmpgraph.graph.versions import merge_given

    # one graph, the versions of a product given together linked (as load_graph)
    return RmpDocument(graph=merge_given(f.graph for f in files), issues=issues,
                       files=files)
