"""Mutation operators for bench/mutation.py: shapes (Turtle) and SPARQL, line-based.

Each operator makes one small, plausible mistake and keeps the file parseable: a
count changed, a constraint dropped (the statement's `;`/`.` kept right), a
severity flipped; in SPARQL (stored queries and shapes' sh:select) a comparison,
`&&`/`||`, `!BOUND` or `NOT EXISTS` flipped, a FILTER dropped, an OPTIONAL emptied,
a constant changed. Lines are the unit so a mutant's id (file:line:operator) is
readable and stable while the line does not move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARE = {">=": ">", ">": ">=", "<=": "<", "<": "<=", "=": "!=", "!=": "="}
CONSTRAINTS = ("minCount maxCount class datatype nodeKind pattern in equals disjoint "
               "lessThan lessThanOrEquals hasValue node minInclusive maxInclusive "
               "minExclusive maxExclusive minLength maxLength qualifiedMinCount "
               "qualifiedMaxCount uniqueLang targetClass targetSubjectsOf").split()


@dataclass(frozen=True)
class Mutant:
    stage: str  # "shapes" | "queries"
    path: str  # relative to the project
    line: int  # 1-based, where the change starts
    operator: str
    before: str  # the changed line(s), for the report
    text: str  # the whole mutated file

    @property
    def ident(self) -> str:  # stable while the line stays where it is
        return f"{self.path}:{self.line}:{self.operator}"


# ------------------------------------------------------------------ operators


def _block_end(lines: list[str], start: int, pair: str = "{}") -> int | None:
    """Index of the line closing the bracket (`{` or `(`) opened on line `start`."""
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count(pair[0]) - lines[i].count(pair[1])
        if depth <= 0 and pair[0] in "".join(lines[start:i + 1]):
            return i
    return None


def _sparql_line_mutants(lines: list[str], i: int) -> list[tuple[str, list[str]]]:
    """Mutants of one line of SPARQL (a stored query or a shape's sh:select)."""
    out: list[tuple[str, list[str]]] = []
    line = lines[i]
    code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
    if not code.strip() or code.lstrip().upper().startswith("PREFIX"):
        return out

    def changed(new: str) -> list[str]:
        return lines[:i] + [new] + lines[i + 1:]

    if re.search(r"\b(FILTER|HAVING)\b", code, re.I):
        for m in re.finditer(r"(?<=\s)(>=|<=|!=|=|<|>)(?=\s)", code):
            new = line[:m.start()] + COMPARE[m.group(1)] + line[m.end():]
            out.append((f"compare {m.group(1)}->{COMPARE[m.group(1)]}@{m.start()}",
                        changed(new)))
        for m in re.finditer(r"(?<=\s)(&&|\|\|)(?=\s)", code):
            flip = "||" if m.group(1) == "&&" else "&&"
            out.append((f"logic {m.group(1)}->{flip}@{m.start()}",
                        changed(line[:m.start()] + flip + line[m.end():])))
        for m in re.finditer(r"(?<![\w?\"/])(\d+)(?![\w\"/-])", code):
            new = line[:m.start()] + str(int(m.group(1)) + 1) + line[m.end():]
            out.append((f"constant {m.group(1)}+1@{m.start()}", changed(new)))
        for m in re.finditer(r'"([^"\\]+)"', code):
            new = line[:m.start()] + f'"{m.group(1)}~"' + line[m.end():]
            out.append((f"constant string@{m.start()}", changed(new)))
    for word, new_word in (("!BOUND", "BOUND"), ("NOT EXISTS", "EXISTS")):
        at = code.upper().find(word)
        if at >= 0:
            out.append((f"negation {word}", changed(line[:at] + new_word
                                                     + line[at + len(word):])))
    head = code.lstrip().upper()
    if head.startswith("FILTER"):
        end = _block_end(lines, i, "{}" if "{" in code else "()")
        if end is not None:
            out.append(("drop FILTER", lines[:i] + lines[end + 1:]))
    if head.startswith("OPTIONAL"):
        end = _block_end(lines, i)
        if end is not None:
            indent = line[:len(line) - len(line.lstrip())]
            out.append(("empty OPTIONAL",
                        lines[:i] + [indent + "OPTIONAL { }"] + lines[end + 1:]))
    return out


def query_mutants(path: Path) -> list[Mutant]:
    lines = path.read_text(encoding="utf-8").split("\n")
    rel = str(path.relative_to(ROOT))
    return [Mutant("queries", rel, i + 1, op, lines[i].strip(), "\n".join(new))
            for i in range(len(lines)) for op, new in _sparql_line_mutants(lines, i)]


def _drop_statement(lines: list[str], i: int) -> list[str] | None:
    """`lines` without line i's `predicate object ;|.` (None if not one line)."""
    code = lines[i].rstrip()
    if code.endswith(";"):
        return lines[:i] + lines[i + 1:]
    if code.endswith(".") and not code.endswith('"""') and i > 0:
        prev = lines[i - 1].rstrip()
        if prev.endswith(";"):
            return lines[:i - 1] + [prev[:-1].rstrip() + " ."] + lines[i + 1:]
    return None


def shape_mutants(path: Path) -> list[Mutant]:
    lines = path.read_text(encoding="utf-8").split("\n")
    rel = str(path.relative_to(ROOT))
    out: list[Mutant] = []
    in_sparql = in_string = False
    for i, line in enumerate(lines):
        quotes = line.count('"""')
        if in_sparql:
            for op, new in _sparql_line_mutants(lines, i):
                out.append(Mutant("shapes", rel, i + 1, op, line.strip(),
                                  "\n".join(new)))
        if quotes % 2:
            opening = not (in_sparql or in_string)
            in_sparql = opening and bool(re.search(r"sh:(select|ask)\s", line))
            in_string = opening and not in_sparql
            continue
        if in_sparql or in_string or line.lstrip().startswith("#"):
            continue

        def add(op: str, new: list[str] | None, i: int = i, line: str = line) -> None:
            if new is not None:
                out.append(Mutant("shapes", rel, i + 1, op, line.strip(),
                                  "\n".join(new)))

        m = re.search(r"sh:(minCount|maxCount|qualifiedMinCount|qualifiedMaxCount)"
                      r"\s+(\d+)", line)
        if m:
            n = int(m.group(2))
            for new_n in sorted({n + 1, max(n - 1, 0)} - {n}):
                add(f"count {m.group(1)} {n}->{new_n}",
                    lines[:i] + [line[:m.start(2)] + str(new_n) + line[m.end(2):]]
                    + lines[i + 1:])
        m = re.search(r"sh:severity\s+sh:(Violation|Warning|Info)", line)
        if m:
            flip = "Warning" if m.group(1) == "Violation" else "Violation"
            add(f"severity {m.group(1)}->{flip}",
                lines[:i] + [line.replace(f"sh:{m.group(1)}", f"sh:{flip}")]
                + lines[i + 1:])
        m = re.match(r"\s+sh:(\w+)\s", line)
        if m and m.group(1) in CONSTRAINTS and line.count("(") == line.count(")"):
            add(f"drop sh:{m.group(1)}", _drop_statement(lines, i))
    return out


def all_mutants(only: str | None) -> list[Mutant]:
    shapes = sorted((ROOT / "ontology" / "shapes").glob("*.ttl"))
    # the stored queries, the derivation rules some of them read, and the plans
    # the store runs for some (queries/plans/, tested under the query's name)
    stored = sorted((ROOT / "queries").glob("*.rq")) + sorted(
        (ROOT / "queries" / "derive").glob("*.rq")) + sorted(
        (ROOT / "queries" / "plans").glob("*.rq"))
    return ([m for p in shapes for m in shape_mutants(p)] if only != "queries" else []
            ) + ([m for p in stored for m in query_mutants(p)] if only != "shapes"
                 else [])
