"""`QueryResult`: rows of rdflib terms, as a typed DataFrame or W3C result text.

`pd.DataFrame(rows)` on rdflib terms gives a column of strings for every column:
dates cannot be compared, counts cannot be summed and IRIs cannot be read. The
conversion here follows each column's datatypes (all of its values, not the first)
and puts a label beside an IRI when the data has one, so a notebook can plot and
filter at once while the IRI stays at hand for the next query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from rmpgraph.errors import MissingDependencyError, UsageError

__all__ = ["QueryResult", "result_formats"]


def result_formats() -> list[str]:
    """The text formats of SELECT/ASK results (`QueryResult.serialize`), as the
    result writers define them; CONSTRUCT/DESCRIBE take graph formats."""
    from rmpgraph.queries.results import FORMATS

    return list(FORMATS)

_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte,
             XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger,
             XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong,
             XSD.unsignedShort, XSD.unsignedByte}
_FLOATS = {XSD.decimal, XSD.double, XSD.float}


@dataclass
class QueryResult:
    """What a query returned: `rows` for SELECT, `boolean` for ASK, `graph` for
    CONSTRUCT/DESCRIBE (`kind` says which).

    Each row maps a variable name to an rdflib term; a variable the solution leaves
    unbound is absent from the row. Iterating gives the rows; `len()` their number.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[dict[str, Identifier]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    #: looks up rdfs:labels of IRIs in the queried data (set by `rmpgraph.query`)
    labeler: Callable[[Iterable[URIRef]], dict[URIRef, str]] | None = field(
        default=None, repr=False, compare=False)

    def __iter__(self) -> Iterator[dict[str, Identifier]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        """True when there is something: rows, a true ASK, or triples."""
        if self.kind == "ask":
            return bool(self.boolean)
        return bool(self.graph) if self.kind == "graph" else bool(self.rows)

    def serialize(self, format: str = "csv", *,  # noqa: A002 - rdflib's name
                  iris: bool = False, width: int | None = None) -> str:
        """The result as text: SELECT/ASK in `result_formats()` (csv, tsv, json
        and xml are the W3C SPARQL 1.1 result formats; table and markdown for
        people, with labels instead of IRIs unless `iris`, the table `width`
        characters wide), CONSTRUCT/DESCRIBE in a graph format (ttl nt jsonld trig
        nq xml)."""
        if self.kind == "graph":
            from rmpgraph.api.documents import graph_text

            return graph_text(self.graph or Graph(), format)
        from rmpgraph.queries import results

        if format not in results.FORMATS:
            raise UsageError(f"unknown result format {format!r}; expected one of "
                             + ", ".join(results.FORMATS))
        if self.kind == "ask":
            return results.render_boolean(format, bool(self.boolean))
        labels = None
        if format in ("table", "markdown") and not iris and self.labeler:
            iris_in = {t for row in self.rows for t in row.values()
                       if isinstance(t, URIRef)}
            labels = self.labeler(iris_in) if iris_in else None
        return results.render(format, self.variables, self.rows, width=width,
                              labels=labels, iris=iris)

    def to_dataframe(self, *, labels: bool = True) -> Any:
        """The SELECT rows as a pandas DataFrame with typed columns.

        Per column, from all of its values: xsd:date -> datetime64 (pandas has no
        date-only dtype), integers -> int64 (Int64 when some rows are unbound),
        booleans -> bool (boolean with gaps), decimals and doubles -> float64,
        other literals -> str. An IRI column becomes the IRIs' rdfs:labels (else
        skos:prefLabels) when the data has a label for any of them (IRIs without
        one keep the IRI), with the IRIs in a companion column `<name>_iri` right
        after it; `labels=False` keeps IRIs only. Unbound values are None/NaN/NaT.

        Raises:
            MissingDependencyError: pandas is not installed (`rmpgraph[pandas]`).
            UsageError: the query was an ASK or CONSTRUCT.
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependencyError(
                "to_dataframe() needs pandas: pip install 'rmpgraph[pandas]'") from None
        if self.kind != "select":
            raise UsageError("to_dataframe() needs a SELECT result, this is "
                             f"{self.kind}")
        iris = {t for row in self.rows for t in row.values() if isinstance(t, URIRef)}
        names = (self.labeler(iris) if labels and iris and self.labeler else {})
        columns: dict[str, Any] = {}
        for var in self.variables:
            values = [row.get(var) for row in self.rows]
            for name, series in _columns(var, values, names, pd):
                columns[name] = series
        return pd.DataFrame(columns, index=pd.RangeIndex(len(self.rows)))


def _columns(var: str, values: list[Identifier | None],
             names: Mapping[URIRef, str], pd: Any) -> list[tuple[str, Any]]:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, URIRef) for v in present):
        iris = [None if v is None else str(v) for v in values]
        if any(v in names for v in present):
            shown = [None if v is None else names.get(v, str(v))  # type: ignore[arg-type]
                     for v in values]
            return [(var, pd.Series(shown, dtype=object)),
                    (f"{var}_iri", pd.Series(iris, dtype=object))]
        return [(var, pd.Series(iris, dtype=object))]
    return [(var, _typed(values, present, pd))]


def _datatypes(present: list[Identifier]) -> set[Any]:
    kinds: set[Any] = set()
    for v in present:
        if isinstance(v, Literal) and v.language is None:
            dt = v.datatype
            kinds.add("int" if dt in _INTEGERS else "float" if dt in _FLOATS else dt)
        else:
            kinds.add(type(v))
    return kinds


def _typed(values: list[Identifier | None], present: list[Identifier],
           pd: Any) -> Any:
    kinds = _datatypes(present)
    gaps = len(present) < len(values)
    try:
        if kinds == {XSD.date}:
            return pd.Series(pd.to_datetime([None if v is None else str(v)
                                             for v in values]), dtype="datetime64[ns]")
        if kinds == {"int"}:
            ints = [None if v is None else int(str(v)) for v in values]
            return pd.Series(ints, dtype="Int64" if gaps else "int64")
        if kinds == {XSD.boolean}:
            flags = [None if v is None else str(v).strip() in ("true", "1")
                     for v in values]
            return pd.Series(flags, dtype="boolean" if gaps else bool)
        if kinds <= {"int", "float"} and kinds:
            return pd.Series([None if v is None else float(str(v)) for v in values],
                             dtype="float64")
    except (ValueError, OverflowError):
        pass  # an ill-typed literal ("2024-13-45"^^xsd:date): keep the text
    return pd.Series([None if v is None else _text(v) for v in values], dtype=object)


def _text(term: Identifier) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)
