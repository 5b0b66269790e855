"""`validate`, `diff`, `link_meddra`, `link_ema`, `write_report`, `write_docs`.

Each takes what a notebook holds (paths, an `RmpDocument`, a graph, a store) and
hands the stage below a plain rdflib graph, so the stages keep one input type and
the dispatch on what the user passed lives in one place (`sources`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF

from rmpgraph.api.sources import open_query_source
from rmpgraph.check.findings import SEVERITIES as _SEVERITIES
from rmpgraph.check.validate_render import ALIASES as _VALIDATION_ALIASES
from rmpgraph.check.validate_render import FORMATS as _VALIDATION_RENDERERS
from rmpgraph.errors import InputError, UsageError, WrongTypeError
from rmpgraph.present.diff_render import FORMATS as _DIFF_FORMATS

__all__ = ["validate", "diff", "VersionDiff", "link_meddra", "link_ema",
           "link_summary", "write_sssom", "write_report", "write_docs", "data_graph",
           "export_shapes", "VALIDATION_FORMATS", "VALIDATION_ALIASES", "SEVERITIES",
           "DIFF_FORMATS"]

#: `ValidationReport.render` formats; the severities, most severe first; the
#: formats of `VersionDiff.render`
VALIDATION_FORMATS: tuple[str, ...] = tuple(_VALIDATION_RENDERERS)
#: older names `render` also takes ("text" for "human")
VALIDATION_ALIASES: tuple[str, ...] = tuple(_VALIDATION_ALIASES)
SEVERITIES: tuple[str, ...] = tuple(_SEVERITIES)
DIFF_FORMATS: tuple[str, ...] = tuple(_DIFF_FORMATS)


def data_graph(source: Any) -> Graph:
    """The whole graph behind any accepted source (see `rmpgraph.query`)."""
    return open_query_source(source).graph()


def validate(source: Any, *, shacl: Sequence[str | Path] = (),
             severity: str = "info") -> Any:
    """Check RMP graphs against the GVP Module V shapes (SHACL).

    Args:
        source: anything `rmpgraph.query` accepts: paths, an `RmpDocument`, a
            graph, an `rmpgraph.Store`, a store directory or an endpoint URL.
        shacl: extra shapes files, checked together with the shipped shapes.
        severity: least severe level to report: "violation", "warning" or "info".
            `conforms` counts violations whatever this filters.

    Returns:
        A `ValidationReport`: `.conforms`, `.results` (one finding each, with
        severity, focus, message and source lines), `.report_graph`.

    Raises:
        InputError: the source holds no RMP (an empty graph trivially conforms,
            which would hide a broken pipeline).
    """
    from rmpgraph.check.validate import validate as _validate

    if isinstance(shacl, (str, Path)):
        shacl = [shacl]
    if not isinstance(shacl, Sequence) or not all(isinstance(s, (str, Path))
                                                  for s in shacl):
        raise WrongTypeError("shacl: expected a list of shapes file paths, got "
                             f"{type(shacl).__name__}")
    if not isinstance(severity, str):
        raise WrongTypeError(f"severity: expected a string, got {severity!r}")
    backend = open_query_source(source)
    graph = backend.graph()
    from rmpgraph.graph.namespaces import RMP

    if next(graph.subjects(RDF.type, RMP.RiskManagementPlan), None) is None:
        raise InputError("no RMP in the input", path=backend.describe())
    return _validate(graph, severity=severity, shacl=[Path(s) for s in shacl])


def export_shapes(shacl: Sequence[str | Path] = ()) -> Graph:
    """The shipped shapes (plus `shacl` extras), the ontology and every vocabulary
    as one graph: saved as Turtle, it lets plain pySHACL check what `validate`
    checks (`pyshacl -s bundle.ttl -w data.ttl bundle.ttl`; see the README)."""
    from rmpgraph.check.export import validation_bundle

    if isinstance(shacl, (str, Path)):
        shacl = [shacl]
    return validation_bundle([Path(s) for s in shacl])


@dataclass(frozen=True)
class VersionDiff:
    """What changed between two versions of an RMP: `changes` (sorted; each with
    `kind`, `subject`, `old`, `new`) and both sides' snapshots. Falsy when equal."""

    before: Any
    after: Any
    changes: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def render(self, format: str = "text") -> str:  # noqa: A002
        """As `rmpgraph diff` prints it: "text", "json" or "turtle" (a changeset)."""
        from rmpgraph.present.diff_render import render

        return render(self.before, self.after, self.changes, format)


def diff(old: Any, new: Any) -> VersionDiff:
    """Compare two versions of one RMP (each a path, `RmpDocument` or graph):
    concerns added, removed, renamed or recategorised, measures, studies."""
    from rmpgraph.present.diff import diff_graphs

    before, after, changes = diff_graphs(data_graph(old), data_graph(new))
    return VersionDiff(before, after, list(changes))


def link_meddra(source: Any, meddra_dir: str | Path, *,
                meddra_version: str | None = None,
                mapping_files: Sequence[str | Path] | None = None,
                base: str | None = None, include: str = "referenced") -> Any:
    """Link every safety concern to the user's MedDRA release (PTs/LLTs).

    Args:
        source: RMP graph(s): paths, an `RmpDocument` or a graph (not modified).
        meddra_dir: your MedDRA ASCII distribution (the MedAscii folder); MedDRA
            is licensed by ICH/MSSO and rmpgraph ships none of it.
        meddra_version: only when the distribution has no release file.
        mapping_files: curated SSSOM tables; None = the shipped ones, [] = none.
        base: MedDRA concept IRI prefix (default BioPortal's MEDDRA/).
        include: MedDRA concepts in the output: "referenced", "all" or "none".

    Returns:
        A `LinkResult`: `.graph` (a copy with skos matches), `.outcomes` per
        concern, `.counts()`.
    """
    from rmpgraph.link import DEFAULT_BASE
    from rmpgraph.link import link_meddra as _link

    if not isinstance(meddra_dir, (str, Path)):
        raise WrongTypeError("meddra_dir: expected the MedDRA ASCII folder's path, "
                             f"got {type(meddra_dir).__name__}")
    if not Path(meddra_dir).is_dir():
        raise InputError("MedDRA folder not found", path=meddra_dir)
    return _link(data_graph(source), meddra_dir, meddra_version=meddra_version,
                 mapping_files=mapping_files, base=base or DEFAULT_BASE,
                 include=include)


def link_summary(result: Any) -> list[str]:
    """What `link_meddra` did, as the lines `rmpgraph link meddra` prints: counts
    per match kind, then each concern left for review with the reason."""
    from rmpgraph.link import summary_lines

    return list(summary_lines(result))


def write_sssom(result: Any, path: str | Path) -> None:
    """Write `link_meddra`'s mappings as an SSSOM TSV file (with its YAML header)."""
    from rmpgraph.link import write_link_sssom

    write_link_sssom(result, Path(path))


def link_ema(source: Any, *, routes: str | Path | None = None,
             forms: str | Path | None = None, atc: str | Path | None = None) -> Any:
    """Type the product's EMA identifiers and link route, form and ATC code to SKOS
    concepts (shipped excerpts unless you give fuller tables). Returns an
    `EmaResult`: `.graph`, `.linked` counts, `.notes` on what was not linked."""
    from rmpgraph.link import ema

    return ema.link_ema_report(
        data_graph(source), routes=Path(routes) if routes else ema.ROUTES,
        forms=Path(forms) if forms else ema.FORMS,
        atc=Path(atc) if atc else ema.ATC)


def _as_of(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise UsageError(f"as_of {value!r} is not a date (YYYY-MM-DD)") from None


def write_report(inputs: Sequence[str | Path] | str | Path, output: str | Path, *,
                 as_of: date | str | None = None, findings: bool = True) -> None:
    """Write an offline HTML coverage report of RMP summaries (atomically).

    `as_of` is the reference date for overdue milestones (default today);
    `findings=False` skips the SHACL findings section.
    """
    from rmpgraph.api.documents import as_paths
    from rmpgraph.present.report import write_report as _write

    paths = [str(p) for p in as_paths(inputs, "inputs")]
    _write(paths, output, as_of=_as_of(as_of), with_findings=findings)


def write_docs(output: str | Path, *, as_of: date | str | None = None,
               examples: bool = True) -> list[Path]:
    """Write HTML documentation of the ontology, shapes and stored queries into the
    folder `output`; returns the files written. `examples` runs the stored queries
    on the bundled LEMTRADA summary (dated `as_of`)."""
    from rmpgraph.present.docs import write_docs as _write

    return _write(output, today=_as_of(as_of), examples=examples)
