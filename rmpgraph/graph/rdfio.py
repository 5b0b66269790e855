"""Reading RDF files that users pass as inputs.

Kept apart from the text parser because RDF input is a security boundary: parsers must
never fetch remote documents at run time, and XML must not expand entities.

- XML (RDF/XML, OWL/XML-in-RDF) is pre-scanned with defusedxml's streaming SAX
  parser before rdflib sees it: any DOCTYPE, entity declaration or external reference
  is refused. That blocks XXE (`file:///etc/passwd`, `http://` entities) and
  billion-laughs without trusting the parser rdflib happens to use. Cost: RDF/XML
  that abbreviates namespaces with `<!ENTITY ...>` (Protégé's habit) is refused with
  a hint to convert it to Turtle.
- JSON-LD is loaded as JSON first; every `@context`/`@import` that names a document
  is either one we bundle (read from ontology/) or refused. rdflib then only sees
  inline contexts, so it has nothing to fetch.
- Every input is refused on its stat size above a limit before being read.
- N-Triples and N-Quads go through rdflib's parsers with a linear line reader
  (`_LinearLines`): rdflib's own re-scans its buffer from the start every 2 kB, so one
  5 MB literal took two minutes to read.
"""

from __future__ import annotations

import codecs
import json
import re
import warnings
from io import TextIOBase
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, plugin
from rdflib.parser import InputSource, Parser
from rdflib.plugins.parsers.nquads import NQuadsParser
from rdflib.plugins.parsers.ntriples import NTGraphSink, W3CNTriplesParser

from rmpgraph.errors import InputError
from rmpgraph.graph.namespaces import BASE
from rmpgraph.paths import ONTOLOGY_DIR

__all__ = ["RDF_FORMATS", "LOCAL_CONTEXTS", "MAX_RDF_BYTES", "is_rdf_path",
           "parse_rdf", "parse_ntriples", "check_xml", "inline_contexts", "XML_POLICY"]

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

#: JSON-LD context IRIs served from files shipped with rmpgraph, never the network.
LOCAL_CONTEXTS: dict[str, Path] = {
    f"{BASE}context.jsonld": ONTOLOGY_DIR / "context.jsonld",
}

#: RDF inputs are whole graphs (possibly many RMPs), so the limit is higher than for
#: one summary text, but still bounded: rdflib holds ~1 kB per triple in memory.
MAX_RDF_BYTES = 200 * 1024 * 1024


#: rdflib parser names used for formats whose stock parser is superlinear.
_LINEAR_PARSERS = {"nt": "rmpgraph-nt", "nquads": "rmpgraph-nquads"}
_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n)")


class _LinearLines:
    """`readline()` for rdflib's N-Triples/N-Quads parsers over the whole text.

    Same lines as rdflib's reader (CRLF, CR or LF ends a line; a last line without
    one is kept unless blank), but each is found from a moving offset instead of by
    re-matching a buffer that grows by 2 kB until the line end appears.
    """

    file: Any
    _text: str | None = None
    _pos: int = 0

    def readline(self) -> str | None:
        if self._text is None:
            self._text, self._pos = self.file.read(), 0
        text, pos = self._text, self._pos
        m = _LINE.match(text, pos)
        if m:
            self._pos = m.end()
            return m.group(1)
        self._pos = len(text)
        rest = text[pos:]
        return rest if rest and not rest.isspace() else None


class _LinearNTriples(_LinearLines, W3CNTriplesParser):
    """rdflib's N-Triples line parser with the linear reader."""


class _LinearNQuads(_LinearLines, NQuadsParser):
    """rdflib's N-Quads parser with the linear reader."""


class _NTParser(Parser):
    """rdflib's `NTParser` plugin, reading lines with `_LinearNTriples`."""

    def parse(self, source: InputSource, sink: Graph, **kwargs: Any) -> None:
        f: Any = source.getCharacterStream()
        if not f:
            b = source.getByteStream()
            f = b if isinstance(b, TextIOBase) else codecs.getreader("utf-8")(b)
        _LinearNTriples(NTGraphSink(sink)).parse(f, **kwargs)
        f.close()


plugin.register(_LINEAR_PARSERS["nt"], Parser, __name__, "_NTParser")
plugin.register(_LINEAR_PARSERS["nquads"], Parser, __name__, "_LinearNQuads")


def parse_ntriples(data: str, graph: Graph | None = None) -> Graph:
    """Parse N-Triples text (e.g. a CONSTRUCT result) in linear time."""
    g = Graph() if graph is None else graph
    return g.parse(data=data, format=_LINEAR_PARSERS["nt"])


def is_rdf_path(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RDF_FORMATS


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: defusedxml switches. Each one alone blocks the attacks in tests/fixtures/bad/;
#: together they are defence in depth (tests turn one off to prove the next holds).
XML_POLICY: dict[str, bool] = {"forbid_dtd": True, "forbid_entities": True,
                               "forbid_external": True}
_FORBIDDEN = {"DTDForbidden": "DOCTYPE declaration",
              "EntitiesForbidden": "entity declaration",
              "ExternalReferenceForbidden": "external reference"}


def check_xml(path: str | Path) -> None:
    """Stream `path` through a defused XML parser; refuse DTDs and entities.

    Raises:
        InputError: naming the line of the DOCTYPE/entity, or of the syntax error.
    """
    from xml.sax import SAXParseException
    from xml.sax.handler import ContentHandler

    from defusedxml import DefusedXmlException
    from defusedxml.sax import make_parser

    p = Path(path)
    parser = make_parser()
    for switch, value in XML_POLICY.items():
        setattr(parser, switch, value)
    parser.setContentHandler(ContentHandler())
    try:
        with p.open("rb") as fh:
            parser.parse(fh)
    except DefusedXmlException as exc:
        line = parser.getLineNumber()  # type: ignore[attr-defined]
        what = _FORBIDDEN.get(type(exc).__name__, "DTD/entity")
        raise InputError(
            f"XML {what} refused (protection against entity expansion and XXE); "
            "convert the file to Turtle",
            path=p, line=line if isinstance(line, int) else None) from None
    except SAXParseException as exc:
        raise InputError(f"not well-formed XML: {exc.getMessage()}", path=p,
                         line=exc.getLineNumber()) from None


def _resolve_context(ref: str, path: Path) -> Any:
    local = LOCAL_CONTEXTS.get(ref)
    if local is None:
        raise InputError(
            f"JSON-LD context {ref!r} would have to be fetched; rmpgraph never uses "
            f"the network: inline the context or use {sorted(LOCAL_CONTEXTS)[0]}",
            path=path)
    try:
        doc = json.loads(local.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"bundled JSON-LD context unusable: {_first_line(exc)}",
                         path=local) from None
    return doc.get("@context", {}) if isinstance(doc, dict) else doc


def _inline(value: Any, path: Path) -> Any:
    if isinstance(value, str):
        return _resolve_context(value, path)
    if isinstance(value, list):
        return [_inline(item, path) for item in value]
    if isinstance(value, dict):
        return inline_contexts(value, path)
    return value  # null resets the context; nothing to fetch


def inline_contexts(node: Any, path: str | Path) -> Any:
    """Replace every context reference in a JSON-LD document by its bundled copy.

    Contexts may appear anywhere (scoped contexts inside term definitions, `@import`
    in JSON-LD 1.1), so the whole tree is walked, not only the top level.
    """
    p = Path(path)
    if isinstance(node, list):
        return [inline_contexts(item, p) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _inline(value, p)
        elif key == "@import" and isinstance(value, str):
            imported = _resolve_context(value, p)
            out.update({k: v for k, v in imported.items() if k not in node})
        else:
            out[key] = inline_contexts(value, p)
    return out


def _parse_jsonld(p: Path) -> Graph:
    try:
        doc = json.loads(p.read_bytes())
    except ValueError as exc:
        raise InputError(f"not valid JSON: {_first_line(exc)}", path=p,
                         line=getattr(exc, "lineno", None)) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", path=p) from None
    try:
        doc = inline_contexts(doc, p)
    except RecursionError:
        raise InputError("JSON nested too deeply", path=p) from None
    g = Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own
        warnings.simplefilter("ignore", DeprecationWarning)  # deprecated classes
        g.parse(data=json.dumps(doc), format="json-ld", base=p.resolve().as_uri())
    return g


def parse_rdf(path: str | Path, *, max_bytes: int = MAX_RDF_BYTES) -> Graph:
    """Parse an RDF file into one graph (named graphs of quad formats are merged).

    Raises:
        InputError: too large, unsafe (XML entities, remote contexts) or invalid.
    """
    p = Path(path)
    fmt = RDF_FORMATS[p.suffix.lower()]
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size:,} bytes, above the RDF input limit of "
                             f"{max_bytes:,} bytes", path=p)
        if fmt == "xml":
            check_xml(p)
        if fmt == "json-ld":
            return _parse_jsonld(p)
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(p, format=_LINEAR_PARSERS.get(fmt, fmt))
            merged = Graph()
            for s, pred, o, _ in ds.quads((None, None, None, None)):
                merged.add((s, pred, o))
            return merged
        g = Graph()
        g.parse(p, format=_LINEAR_PARSERS.get(fmt, fmt))
        return g
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=p) from None
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"not valid {fmt}: {_first_line(exc)}", path=p) from None
