"""rmpgraph: EU Risk Management Plan (Part VI) summaries as a knowledge graph.

The pipeline, one sub-package per stage (docs/ARCHITECTURE.md): `parse` (documents
-> model) -> `graph` (model -> RDF) -> `check` (inference, SHACL) -> `queries`
(stored SPARQL) -> `store` (Oxigraph, endpoints) -> `present` (report, docs, diff);
`link` adds MedDRA and EMA vocabularies; `api` is the documented Python API over
them and `cli` a thin layer over `api`.

From Python (names are imported on first use, so `import rmpgraph` stays cheap)::

    import rmpgraph

    doc = rmpgraph.build(rmpgraph.examples.lemtrada())   # RmpDocument (.graph)
    report = rmpgraph.validate(doc)                        # .conforms, .results
    res = rmpgraph.query("concerns-without-additional-rmm", doc)
    df = res.to_dataframe()                                # needs rmpgraph[pandas]
    with rmpgraph.Store("store-dir") as store: ...

See `rmpgraph.api` for every public name.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> (module, attribute); None = the module itself
_LAZY: dict[str, tuple[str, str | None]] = {
    **{name: ("rmpgraph.api", name) for name in (
        "build", "validate", "query", "list_queries", "get_query", "diff", "cohort",
        "link_meddra", "link_ema", "write_report", "write_docs", "Store",
        "RmpDocument", "QueryResult", "ValidationReport", "VersionDiff")},
    "examples": ("rmpgraph.api.examples", None),
    "RmpStore": ("rmpgraph.store.embedded", "RmpStore"),
    "queries": ("rmpgraph.queries", None),
    "api": ("rmpgraph.api", None),
    # the errors module is tiny and has no dependencies
    "RmpGraphError": ("rmpgraph.errors", "RmpGraphError"),
    "InputError": ("rmpgraph.errors", "InputError"),
    "UsageError": ("rmpgraph.errors", "UsageError"),
    "WrongTypeError": ("rmpgraph.errors", "WrongTypeError"),
}

__all__ = ["__version__", *_LAZY]
# No `if TYPE_CHECKING:` imports here: import-linter counts them, and stages that
# read `rmpgraph.__version__` would then appear to import the API above them.

def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rmpgraph' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = importlib.import_module(module)
    value = getattr(value, attr) if attr else value
    globals()[name] = value  # next time without __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
