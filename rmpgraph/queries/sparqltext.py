"""SPARQL request text: parse it, refuse what must never run, bind values by VALUES.

Shared by stored queries, ad hoc `rmpgraph sparql`, the Oxigraph store and the HTTP
endpoint, so every way into the graph applies the same refusals. Detection works on
the parsed algebra: a keyword inside a string or a comment does not count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pyparsing import ParseException
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier

from rmpgraph.errors import UsageError

__all__ = [
    "check_request",
    "runnable_text",
    "normalise_escapes",
    "values_query",
    "constant_query",
    "bind_for_engine",
    "variables",
    "iris",
    "projection",
    "IRI_CHARS",
]

#: the characters an IRI may hold: RFC 3987 and SPARQL's IRIREF forbid spaces,
#: controls, quotes, angle brackets and braces, so an IRI made of these, written
#: as `<...>` into a query, cannot end its token early or change the text around it
IRI_CHARS = r'[^\s\x00-\x20<>"{}|^`\\]+'


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):  # CompValue is an OrderedDict
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for value in node:
            yield from _walk(value)
    elif isinstance(node, PropertyPath):  # property paths keep their IRIs in attributes
        for name in ("args", "path", "arg"):
            if hasattr(node, name):
                yield from _walk(getattr(node, name))


def iris(algebra: Any) -> set[URIRef]:
    """Every IRI a parsed request names (paths, sub-queries and EXISTS included)."""
    return {n for n in _walk(algebra) if isinstance(n, URIRef)}


def variables(algebra: Any) -> set[str]:
    """Names of all variables in a parsed query (sub-queries and EXISTS included)."""
    return {str(n) for n in _walk(algebra) if isinstance(n, Variable)}


_SELECT_STAR = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.I)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\uffff]+)")


def projection(text: str, algebra: Any) -> list[str]:
    """The names a SELECT answers with, in a fixed order. rdflib gives `SELECT *`'s
    variables in set order, which changes with the interpreter's hash seed (the
    same query printed its columns as s,p,o or p,s,o from one run to the next);
    here they come in the order they first appear in the text, as Jena and
    Oxigraph order them. An explicit projection keeps its own order."""
    names = [str(v) for v in algebra.get("PV") or []]
    if not _SELECT_STAR.search(text):
        return names
    first: dict[str, int] = {}
    for m in _VARIABLE.finditer(text):
        first.setdefault(m.group(1), m.start())
    return sorted(names, key=lambda n: (first.get(n, len(text)), n))


@functools.lru_cache(maxsize=64)
def _parse(text: str) -> Query:
    """Parsing is the slow part of a small query; stored queries are parsed once."""
    return translateQuery(parseQuery(text))


def check_request(
    text: str, *, allow_service: bool = False, path: str | Path | None = None
) -> Query:
    """Parse a SPARQL request and refuse what must never run.

    Refused: updates (INSERT, DELETE, LOAD, DROP...), FROM / FROM NAMED (they make
    rdflib fetch remote graphs), and SERVICE unless `allow_service`. Detection is
    on the parsed algebra, so a keyword inside a string or comment does not count.
    """
    try:
        parsed = _parse(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise UsageError(
                f"SPARQL syntax error: {exc.msg} (column {exc.col})",
                path=path,
                line=exc.lineno,
            ) from None
        raise UsageError(
            "update requests are refused; only SELECT, ASK, CONSTRUCT "
            "and DESCRIBE queries can be run",
            path=path,
        ) from None
    except Exception as exc:  # rdflib raises plain Exceptions for semantic errors
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"invalid SPARQL query: {first}", path=path) from None
    if parsed.algebra.get("datasetClause"):
        raise UsageError(
            "FROM / FROM NAMED are refused: queries run over the given inputs only",
            path=path,
        )
    if not allow_service:
        for node in _walk(parsed.algebra):
            if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
                raise UsageError(
                    "SERVICE clauses are refused (they query remote "
                    "endpoints); pass --allow-service to permit them",
                    path=path,
                )
    return parsed


# SPARQL 1.1 section 19.2: \uXXXX and \UXXXXXXXX are replaced before the grammar
# sees the text. rdflib does this, Oxigraph does not, so one text can mean two
# different queries (a string to one, a SERVICE clause to the other).
# An escape preceded by an escaped backslash ("\\\\u0041", how a bound value's
# backslash is written) is text, for Oxigraph and for the scan below alike.
_CODEPOINT = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
# SERVICE as a keyword: not a variable (?service), prefixed name (ex:SERVICE) or
# part of a longer name.
_SERVICE_TOKEN = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.I)


def normalise_escapes(text: str, *, path: str | Path | None = None) -> str:
    """The request with its codepoint escapes replaced, as the spec reads it.

    Engines are then given this text, which has no escapes left for one of them to
    read differently; an escape that spells another escape is refused.
    """

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(2) or m.group(3), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise UsageError(f"invalid codepoint escape {m.group(0)!r} in SPARQL",
                             path=path)
        return m.group(1) + chr(code)

    out = _CODEPOINT.sub(repl, text)
    if _CODEPOINT.search(out):
        raise UsageError("SPARQL codepoint escapes that spell another escape are "
                         "refused", path=path)
    return out


def runnable_text(
    text: str, *, allow_service: bool = False, path: str | Path | None = None
) -> str:
    """The exact text to send to Oxigraph or an endpoint, checked as they read it.

    Codepoint escapes are resolved first, then the same text is judged twice: by
    rdflib's parser (`check_request`) and, for SERVICE, by a lexical scan with the
    rules of engines that do not resolve escapes (strings, IRIs and comments
    skipped). Callers must run the returned text, never the original.
    """
    plain = normalise_escapes(text, path=path)
    check_request(plain, allow_service=allow_service, path=path)
    if not allow_service and _SERVICE_TOKEN.search(plain):
        chars = [" "] * len(plain)
        for i in _code_positions(plain):
            chars[i] = plain[i]
        if _SERVICE_TOKEN.search("".join(chars)):
            raise UsageError(
                "SERVICE clauses are refused (they query remote endpoints); pass "
                "--allow-service to permit them",
                path=path,
            )
    return plain


# ------------------------------------------------------------ VALUES for other engines


def _values_clause(bindings: Mapping[str, Identifier]) -> str:
    names = sorted(bindings)
    variables = " ".join("?_" + name for name in names)
    terms = " ".join(bindings[name].n3() for name in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


def _code_positions(text: str) -> Iterator[int]:
    """Offsets of characters outside comments, string literals and IRIs."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if ch in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < len(text) and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        iri = re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]) if ch == "<" else None
        if iri:
            i += iri.end()
            continue
        yield i
        i += 1


def _where_brace(text: str, form: str) -> int:
    """Offset of the `{` opening the top-level WHERE group (outside strings,
    comments and IRIs); for CONSTRUCT the second top-level group."""
    skip_groups = 1 if form == "ConstructQuery" else 0
    depth = 0
    for i in _code_positions(text):
        ch = text[i]
        if ch == "{":
            if depth == 0:
                if skip_groups == 0:
                    return i
                skip_groups -= 1
            depth += 1
        elif ch == "}":
            depth -= 1
    raise UsageError("cannot find the WHERE clause to bind parameters into")


_BOUND = re.compile(r"BOUND\s*\(\s*[?$](_\w+)\s*\)", re.I)


def constant_query(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The request with each parameter variable replaced by its term, for engines
    that plan constants well but VALUES joins badly (Oxigraph: 0.8 s against 42 s
    for `provenance` on 100 RMPs).

    Terms are written by rdflib (`n3()`, which escapes), only at variable tokens
    outside strings, comments and IRIs, and the result is re-parsed and checked: the
    parameters are gone and every other variable is still there. `BOUND(?_x)` of a
    bound parameter becomes `true` (a constant cannot stand there), so the scope
    block takes constants too. Raises UsageError when the request cannot take
    constants (e.g. a parameter in the projection).
    """
    if not bindings:
        return text
    before = variables(check_request(text, allow_service=True).algebra)
    names = {f"_{name}": term for name, term in bindings.items()}
    out: list[str] = []
    last = 0
    pattern = re.compile(r"[?$](_\w+)")
    for i in _code_positions(text):
        if i < last or text[i] not in "?$bB":
            continue
        bound = text[i] in "bB"  # BOUND(?_x) of a bound parameter: true
        if bound and i and (text[i - 1].isalnum() or text[i - 1] in "_?$:"):
            continue  # "bound" inside a longer name
        m = (_BOUND if bound else pattern).match(text, i)
        if m and m.group(1) in names:
            out.append(text[last:i])
            out.append("true" if bound else names[m.group(1)].n3())
            last = m.end()
    out.append(text[last:])
    new_text = "".join(out)
    try:
        after = variables(check_request(new_text, allow_service=True).algebra)
    except UsageError:
        raise UsageError("parameters cannot be written as constants here") from None
    if after != before - set(names):
        raise UsageError("parameter values could not be bound safely")
    return new_text


def values_query(text: str, bindings: Mapping[str, Identifier]) -> str:
    """The request with its parameters bound by a VALUES block, for other engines.

    The block is the first element of the top-level WHERE group, so every filter
    of that group sees the values (as with rdflib's initBindings). The result is
    re-parsed and the block's terms compared with `bindings`: nothing user-given
    can change the query's structure.
    """
    if not bindings:
        return text
    parsed = check_request(text, allow_service=True)
    at = _where_brace(text, parsed.algebra.name)
    clause = _values_clause(bindings)
    new_text = text[: at + 1] + "\n  " + clause + "\n" + text[at + 1 :]
    reparsed = check_request(new_text, allow_service=True)
    expected = [{Variable("_" + k): v for k, v in bindings.items()}]
    found = [
        n
        for n in _walk(reparsed.algebra)
        if isinstance(n, CompValue) and n.name == "values"
    ]
    if not any(_same_rows(n.get("res"), expected) for n in found):
        raise UsageError("parameter values could not be bound safely")
    return new_text


def _same_rows(res: Any, expected: list[dict[Variable, Identifier]]) -> bool:
    if not isinstance(res, list) or len(res) != len(expected):
        return False
    for got, want in zip(res, expected, strict=True):
        got_items = {k: v for k, v in dict(got).items() if v is not None}
        if set(got_items) != set(want):
            return False
        for key, term in want.items():
            other = got_items[key]
            if type(other) is not type(term) or str(other) != str(term):
                return False
            if isinstance(term, Literal) and (
                (term.datatype or XSD.string) != (other.datatype or XSD.string)  # type: ignore[union-attr]
                or term.language != other.language  # type: ignore[union-attr]
            ):
                return False
    return True


def bind_for_engine(text: str, bindings: Mapping[str, Identifier]) -> str:
    """Parameters bound for Oxigraph or an endpoint: as constants where the request
    allows it (they plan far better), else by a VALUES block.

    Kept because the libraries lack it: the SPARQL protocol has no way to send
    bindings beside a query, and pyoxigraph's `Store.query(substitutions=...)`
    (RDF-dev SEP-0007) binds only variables of the top-level projection ("does not
    contains variable ?_term in its SELECT projection"), while stored queries use
    their parameters in patterns and filters without projecting them
    (tests/test_substitutions.py pins that limit; when it goes, bind there).
    """
    try:
        return constant_query(text, bindings)
    except UsageError:
        return values_query(text, bindings)

