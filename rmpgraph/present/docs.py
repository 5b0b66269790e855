"""`rmpgraph docs`: HTML documentation of the ontology, shapes and stored queries.

pyLODE writes the ontology page; the shapes and queries pages are read from the
files themselves (`ontology/shapes/*.ttl`, `queries/*.rq` headers) so they cannot
drift from what runs; the class diagram is drawn from the ontology (`diagram`).
Example results run each stored query on the bundled LEMTRADA summary.
"""

from __future__ import annotations

import importlib.metadata
import logging
import shutil
import sys
import tempfile
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from rdflib import Graph

from rmpgraph import __version__
from rmpgraph.errors import InputError
from rmpgraph.graph.ontology import load_ontology
from rmpgraph.graph.serialize import atomic_write
from rmpgraph.paths import DATA_DIR, ONTOLOGY_DIR, QUERIES_DIR, SHAPES_DIR
from rmpgraph.present.diagram import diagram_edges, render_svg

__all__ = ["ShapeDoc", "QueryDoc", "shape_docs", "query_docs", "ontology_html",
           "write_docs", "EXAMPLE_RMP"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
EXAMPLE_RMP = DATA_DIR / "rmp" / "lemtrada.txt"
EXAMPLE_ROWS = 10
_SEVERITY = {"Violation": "violation", "Warning": "warning", "Info": "info"}


@dataclass(frozen=True)
class ShapeDoc:
    iri: str
    name: str
    kind: str
    severity: str
    message: str
    comment: str
    path: str
    target: str
    parent: str
    source: str  # file name


@dataclass(frozen=True)
class QueryDoc:
    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Any, ...]
    example_call: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: int
    error: str


def _local(iri: object) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def shape_docs() -> list[ShapeDoc]:
    """Every named shape in ontology/shapes, with the severity a failure gets."""
    query = QUERIES_DIR / "docs" / "shapes.rq"
    out: dict[str, ShapeDoc] = {}
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph = Graph().parse(path)
        for r in graph.query(query.read_text(encoding="utf-8")):
            iri = str(r.shape)
            if iri in out:
                continue
            severity = _SEVERITY.get(_local(r.severity), "") if r.severity else (
                "violation" if r.message or r.path else "")
            out[iri] = ShapeDoc(
                iri=iri, name=str(r.name or r.label or _local(iri)), kind=str(r.kind),
                severity=severity, message=str(r.message or ""),
                comment=" ".join(str(r.comment or "").split()),
                path=_local(r.path) if r.path else "",
                target=_local(r.target) if r.target else "",
                parent=_local(r.parent) if r.parent else "", source=path.name)
    return sorted(out.values(), key=lambda s: (s.source, s.parent or s.iri, s.iri))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def query_docs(example: Graph | None, today: date) -> list[QueryDoc] | None:
    """Stored queries with example rows on `example`; None without the queries."""
    try:
        from rmpgraph.queries.stored import load_queries, run_stored
    except ImportError:
        return None
    docs = []
    for name, q in sorted(load_queries().items()):
        values = {p.name: p.example for p in q.params if p.example is not None}
        columns: tuple[str, ...] = ()
        rows: tuple[tuple[str, ...], ...] = ()
        total, error = 0, ""
        if example is not None:
            try:
                outcome = run_stored(name, example, values, today=today)
                columns = tuple(outcome.variables)
                total = len(outcome.rows)
                rows = tuple(tuple(_cell(r.get(c)) for c in columns)
                             for r in outcome.rows[:EXAMPLE_ROWS])
            except Exception as exc:  # shown in the page, not hidden
                error = f"{type(exc).__name__}: {exc}"
        call = q.example or f"rmpgraph query run {name} data/rmp/lemtrada.txt"
        docs.append(QueryDoc(name, q.title, q.description, q.tags, q.params, call,
                             columns, rows, total, error))
    return docs


def _import_pylode() -> Any:
    """pyLODE 3.4 reads its version from a pyproject.toml that wheels do not ship
    (RDFLib/pyLODE#260, fixed upstream after 3.4.1); give it the installed version
    instead so the import works from a normal install."""
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules["pylode.version"] = shim
    import pylode

    return pylode


def _sorting_intersperse(original: Callable[[Any, Any], list[Any]]
                         ) -> Callable[[Any, Any], list[Any]]:
    """pyLODE's `intersperse`, with a set's members sorted by their HTML first.

    pyLODE collects the members of an `owl:unionOf`/`owl:intersectionOf` class in a
    set of dominate elements, which hash by identity: the page listed "A or B" or
    "B or A" depending on memory layout (it changed with PYTHONHASHSEED). The set has
    already lost the RDF list order, so the rendered HTML is the stable key.
    """
    def intersperse(items: Any, sep: Any) -> list[Any]:
        if isinstance(items, (set, frozenset)):
            items = sorted(items, key=str)
        return original(items, sep)

    return intersperse


@contextmanager
def _private_background_folder(pylode_utils: Any) -> Iterator[None]:
    """pyLODE with its background ontologies read from a folder of this call's own.

    pyLODE caches them as pickles in its package folder (`refs.pickle`), written in
    place by the first run: a process reading while another writes got a truncated
    pickle (an UnpicklingError, or an EOFError that click printed as "Aborted!":
    the rare failures of `rmpgraph docs` beside other runs on a fresh install), an
    interrupted write would break every later run, and a read-only install cannot
    write it. Here pyLODE reads copies of its `.ttl` files (about 0.3 s to parse)
    and writes its pickles where nothing else reads them.
    """
    shipped = Path(pylode_utils.RDF_FOLDER)
    with tempfile.TemporaryDirectory(prefix="rmpgraph-pylode-") as tmp:
        for ttl in sorted(shipped.glob("*.ttl")):
            shutil.copyfile(ttl, Path(tmp) / ttl.name)
        pylode_utils.RDF_FOLDER = Path(tmp)
        try:
            yield
        finally:
            pylode_utils.RDF_FOLDER = shipped


def ontology_html() -> str:
    """pyLODE's OntPub page of ontology/rmp.ttl (CSS inlined by pyLODE), the same
    bytes on every run (see `_sorting_intersperse`)."""
    try:
        pylode = _import_pylode()
        import pylode.utils as pylode_utils
    except ImportError as exc:
        raise InputError(f"pyLODE is not installed ({exc})") from None
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)  # pyLODE logs progress on the root logger
    original = pylode_utils.intersperse
    pylode_utils.intersperse = _sorting_intersperse(original)
    try:
        with _private_background_folder(pylode_utils):
            return str(pylode.OntPub(ontology=str(ONTOLOGY_DIR / "rmp.ttl"))
                       .make_html())
    finally:
        pylode_utils.intersperse = original
        logging.disable(previous)


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)),
                       autoescape=select_autoescape(["html", "j2"]),
                       undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def write_docs(out_dir: str | Path, *, today: date | None = None,
               examples: bool = True) -> list[Path]:
    """Write index.html, ontology.html, shapes.html, queries.html, classes.svg."""
    out = Path(out_dir)
    today = today or date.today()
    example = None
    if examples:
        from rmpgraph.graph.pipeline import build

        example = build(EXAMPLE_RMP)
    env = _env()
    edges = diagram_edges(load_ontology())
    shapes = shape_docs()
    queries = query_docs(example, today)
    common = {"version": __version__, "today": today.isoformat(),
              "example": EXAMPLE_RMP.name}
    pages: dict[str, Callable[[], str]] = {
        "ontology.html": ontology_html,
        "classes.svg": lambda: render_svg(edges),
        "shapes.html": lambda: env.get_template("docs_shapes.html.j2").render(
            shapes=shapes, **common),
        "queries.html": lambda: env.get_template("docs_queries.html.j2").render(
            queries=queries, **common),
        "index.html": lambda: env.get_template("docs_index.html.j2").render(
            edges=edges, n_shapes=len(shapes),
            n_queries=len(queries) if queries is not None else None, **common),
    }
    written = []
    for name, make in pages.items():
        text = make()
        atomic_write(out / name, lambda tmp, t=text: tmp.write_text(t, "utf-8"))
        written.append(out / name)
    return written
