"""The stored queries' files: their `#+ ` headers, names and folders.

A stored query is a `queries/<name>.rq` file: standard SPARQL 1.1 (so it runs
unchanged on rdflib, Oxigraph or Fuseki) preceded by grlc-style `#+ ` YAML lines
(summary, description, tags, params, example, pages). The header is parsed strictly:
a broken header is an error, never empty metadata, because the header is what the CLI
shows and what the parameters are checked against. A query is read when it is asked
for: one command parses one file, not all thirty (rdflib's parser takes 50 ms each).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from rmpgraph.errors import InputError, UsageError
from rmpgraph.paths import QUERIES_DIR
from rmpgraph.queries.paging import PAGE_KINDS
from rmpgraph.queries.sparqltext import IRI_CHARS, check_request, variables

__all__ = ["PARAM_TYPES", "QUERY_FOLDERS", "Param", "StoredQuery", "convert_value",
           "get_query", "load_queries", "load_query"]

PARAM_TYPES = ("string", "date", "iri", "integer")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER_KEYS = {"summary", "description", "tags", "params", "example", "pages"}
_PARAM_KEYS = {"type", "default", "description", "example", "values"}
# sub-folders of queries/ whose files are stored queries too, named "folder/stem"
# (the others, report/ diff/ docs/ construct/, are the tool's own queries)
QUERY_FOLDERS = ("cohort",)
# an absolute IRI (scheme, then `sparqltext.IRI_CHARS`): what RFC 3987 forbids is
# refused, so a bound IRI stays serialisable
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:" + IRI_CHARS)


@dataclass(frozen=True)
class Param:
    """One declared parameter; `required` when the header gives no `default` key."""

    name: str
    type: str
    description: str
    default: Any = None
    required: bool = True
    example: str | None = None
    values: tuple[str, ...] = ()  # the allowed values, when the header lists them

    @property
    def variable(self) -> str:
        return "_" + self.name


@dataclass(frozen=True)
class StoredQuery:
    """A `.rq` file with its parsed header; `text` is the whole file (valid SPARQL)."""

    name: str
    path: Path
    title: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    example: str | None
    text: str
    header_lines: int
    pages: str | None = None  # `queries.paging`: rows come product by product

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(
            f"query {self.name!r} has no parameter {name!r} (parameters: {known})"
        )


def convert_value(param: Param, value: Any, *, today: date) -> Identifier:
    """A user value (CLI string or Python object) as a typed RDF term."""
    where = f"parameter {param.name!r} ({param.type})"
    if param.values and value not in param.values:
        raise UsageError(f"{where}: expected one of {', '.join(param.values)}, "
                         f"got {value!r}")
    if param.type == "string":
        if isinstance(value, str):
            return Literal(value)
    elif param.type == "integer":
        if isinstance(value, bool):
            pass
        elif isinstance(value, int):
            return Literal(value)
        elif isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            return Literal(int(value))
    elif param.type == "date":
        if isinstance(value, date):
            return Literal(date(value.year, value.month, value.day))
        if isinstance(value, str):
            if value.strip() == "today":
                return Literal(today)
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
                try:
                    return Literal(date.fromisoformat(value.strip()))
                except ValueError:
                    pass
    elif param.type == "iri":
        text = str(value) if isinstance(value, (str, URIRef)) else None
        if text is not None and _IRI.fullmatch(text):
            return URIRef(text)
    expected = {"string": "text", "integer": "an integer",
                "date": "a date YYYY-MM-DD or 'today'",
                "iri": "an absolute IRI"}[param.type]
    raise UsageError(f"{where}: expected {expected}, got {value!r}")


# --------------------------------------------------------------------------- header


def _header(text: str, path: Path) -> tuple[dict[str, Any], int]:
    lines = text.split("\n")
    yaml_lines: list[str] = []
    for line in lines:
        if line == "#+" or line.startswith("#+ "):
            yaml_lines.append(line[3:])
        else:
            break
    if not yaml_lines:
        raise InputError("stored query has no '#+ ' header (summary, description...)",
                         path=path, line=1)
    try:
        data = yaml.safe_load("\n".join(yaml_lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"query header is not valid YAML: {problem}", path=path,
                         line=line) from None
    if not isinstance(data, dict):
        raise InputError("query header must be a YAML mapping", path=path, line=1)
    return data, len(yaml_lines)


def _text_field(data: Mapping[str, Any], key: str, path: Path, *,
                required: bool) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InputError(f"query header has no {key!r}", path=path, line=1)
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"query header {key!r} must be a non-empty string", path=path,
                         line=1)
    return value.strip()


def _param(name: Any, spec: Any, path: Path) -> Param:
    if not isinstance(name, str) or not _PARAM_NAME.match(name):
        raise InputError(f"bad parameter name {name!r} (lower case, digits, _)",
                         path=path, line=1)
    if not isinstance(spec, dict):
        raise InputError(f"parameter {name!r} must be a mapping", path=path, line=1)
    unknown = set(spec) - _PARAM_KEYS
    if unknown:
        raise InputError(f"parameter {name!r} has unknown keys: "
                         + ", ".join(sorted(map(str, unknown))), path=path, line=1)
    ptype = spec.get("type")
    if ptype not in PARAM_TYPES:
        raise InputError(f"parameter {name!r} type must be one of "
                         + ", ".join(PARAM_TYPES), path=path, line=1)
    description = spec.get("description")
    if not isinstance(description, str) or not description.strip():
        raise InputError(f"parameter {name!r} needs a description", path=path, line=1)
    param = Param(
        name=name,
        type=ptype,
        description=description.strip(),
        default=spec.get("default"),
        required="default" not in spec,
        example=None if spec.get("example") is None else str(spec["example"]),
        values=_values(name, spec.get("values"), path),
    )
    if param.default is not None:
        try:
            convert_value(param, param.default, today=date.today())
        except UsageError as exc:
            raise InputError(f"default of {exc.message}", path=path, line=1) from None
    return param


def _values(name: str, values: Any, path: Path) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not values or not all(
            isinstance(v, str) for v in values):
        raise InputError(f"parameter {name!r} values must be a list of strings",
                         path=path, line=1)
    return tuple(values)


def load_query(path: str | Path, *, name: str | None = None) -> StoredQuery:
    """Read one `.rq` file and check its header and parameter variables."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read stored query ({exc})", path=p) from None
    data, header_lines = _header(text, p)
    unknown = set(data) - _HEADER_KEYS
    if unknown:
        raise InputError("query header has unknown keys: "
                         + ", ".join(sorted(map(str, unknown))), path=p, line=1)
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputError("query header 'tags' must be a list of strings", path=p,
                         line=1)
    params_spec = data.get("params") or {}
    if not isinstance(params_spec, dict):
        raise InputError("query header 'params' must be a mapping", path=p, line=1)
    params = tuple(_param(k, v, p) for k, v in params_spec.items())
    pages = data.get("pages")
    if pages is not None and pages not in {x.name for x in params} & set(PAGE_KINDS):
        raise InputError("query header 'pages' must name a parameter it declares, "
                         "one of: " + ", ".join(PAGE_KINDS), path=p, line=1)
    query = StoredQuery(
        name=name or p.stem,
        path=p,
        title=_text_field(data, "summary", p, required=True) or "",
        description=_text_field(data, "description", p, required=True) or "",
        tags=tuple(tags),
        params=params,
        example=_text_field(data, "example", p, required=False),
        text=text,
        header_lines=header_lines,
        pages=pages,
    )
    parsed = check_request(text, path=p)
    declared = {param.variable for param in params}
    used = {v for v in variables(parsed.algebra) if re.match(r"^_[a-z]", v)}
    if used - declared:
        raise InputError("query uses undeclared parameter variables: "
                         + ", ".join(sorted("?" + v for v in used - declared)), path=p)
    if declared - used:
        raise InputError("declared parameters are not used in the query: "
                         + ", ".join(sorted(v[1:] for v in declared - used)), path=p)
    return query


@functools.lru_cache(maxsize=8)
def _files(directory: Path) -> dict[str, Path]:
    """The queries of a folder by name, unread: running one query parses one file."""
    if not directory.is_dir():
        raise InputError("stored-query directory not found", path=directory)
    found = {p.stem: p for p in directory.glob("*.rq")}
    for folder in QUERY_FOLDERS:
        sub = directory / folder
        found.update({f"{folder}/{p.stem}": p for p in sub.glob("*.rq")})
    return dict(sorted(found.items()))


@functools.lru_cache(maxsize=128)
def _shipped(path: Path, name: str) -> StoredQuery:
    return load_query(path, name=name)


def _paths(directory: Path, extra: Sequence[str | Path]) -> dict[str, Path]:
    """Every query's file by name. A name found twice is an error naming both
    files rather than one query silently hiding the other: `query show NAME` must
    show what `query run NAME` runs, whoever reads the command later. `extra` are
    read afresh: a user edits them between two runs."""
    paths = dict(_files(directory))
    for folder in extra:
        for name, path in _files.__wrapped__(Path(folder)).items():
            if name in paths:
                raise InputError(f"query {name!r} is also {paths[name]}; "
                                 "rename one of them", path=path)
            paths[name] = path
    return dict(sorted(paths.items()))


def _load(directory: Path, name: str, path: Path) -> StoredQuery:
    shipped = _files(directory).get(name) == path
    return _shipped(path, name) if shipped else load_query(path, name=name)


def load_queries(directory: str | Path | None = None, *,
                 extra: Sequence[str | Path] = ()) -> dict[str, StoredQuery]:
    """All stored queries by name, sorted; `directory`'s loaded once, `extra` (the
    user's own folders, `--queries DIR`, after the shipped ones) each time."""
    base = Path(directory) if directory else QUERIES_DIR
    return {name: _load(base, name, path)
            for name, path in _paths(base, extra).items()}


def get_query(name: str, directory: str | Path | None = None, *,
              extra: Sequence[str | Path] = ()) -> StoredQuery:
    base = Path(directory) if directory else QUERIES_DIR
    paths = _paths(base, extra)
    if name not in paths:
        raise UsageError(f"unknown query {name!r}; known: " + ", ".join(paths))
    return _load(base, name, paths[name])
