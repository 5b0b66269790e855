"""SVG class diagram of the ontology, laid out in layers without graphviz.

Edges come from `queries/docs/diagram-edges.rq` (object properties between rmp:
classes, one direction per inverse pair, and subclass links). Layers: a class sits
one row below the classes that point to it (range below domain, subclass below
superclass), rows ordered by the mean position of their parents to keep edges
short. Good enough for ~30 classes, and deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from html import escape

from rdflib import Graph

from rmpgraph.paths import QUERIES_DIR

__all__ = ["Edge", "diagram_edges", "render_svg"]

ROW = 96
BOX_H = 28
GAP = 26
CHAR = 7.4
MARGIN = 20


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    label: str
    target: str
    kind: str  # "property" | "subclass"


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@cache
def _query() -> str:
    return (QUERIES_DIR / "docs" / "diagram-edges.rq").read_text(encoding="utf-8")


def diagram_edges(ontology: Graph) -> list[Edge]:
    return sorted({Edge(_local(str(r[0])), _local(str(r[1])), _local(str(r[2])),
                        str(r[3])) for r in ontology.query(_query())})


def _layers(edges: list[Edge]) -> list[list[str]]:
    down: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for e in edges:
        top, below = (e.target, e.source) if e.kind == "subclass" else \
            (e.source, e.target)
        if top != below:
            down[top].add(below)
        nodes |= {top, below}
    has_parent = {n for kids in down.values() for n in kids}
    level = {n: 0 for n in sorted(nodes - has_parent)} or {min(nodes): 0}
    # longest path from the roots, bounded so a cycle cannot loop forever
    for _ in range(len(nodes)):
        changed = False
        for n in sorted(level):
            for kid in sorted(down[n]):
                if level.get(kid, -1) < level[n] + 1 <= len(nodes):
                    level[kid] = level[n] + 1
                    changed = True
        if not changed:
            break
    for n in sorted(nodes - set(level)):
        level[n] = 0
    rows: list[list[str]] = [[] for _ in range(max(level.values()) + 1)]
    parents: dict[str, list[str]] = defaultdict(list)
    for top, kids in down.items():
        for kid in kids:
            parents[kid].append(top)
    pos: dict[str, float] = {}
    for depth, row in enumerate(rows):
        row.extend(sorted(n for n, lv in level.items() if lv == depth))
        if depth:
            def key(n: str) -> tuple[float, str]:
                ps = [pos[p] for p in parents[n] if p in pos]
                return (sum(ps) / len(ps) if ps else float("inf"), n)
            row.sort(key=key)
        pos.update((n, i / max(len(row), 1)) for i, n in enumerate(row))
    return rows


def render_svg(edges: list[Edge], title: str = "rmpgraph core classes") -> str:
    """A standalone SVG document (no external references)."""
    rows = _layers(edges)
    width = {n: len(n) * CHAR + 20 for row in rows for n in row}
    row_w = [sum(width[n] for n in row) + GAP * (len(row) - 1) for row in rows]
    total_w = max(row_w) + 2 * MARGIN
    box: dict[str, tuple[float, float, float]] = {}  # name -> x, y, w
    for depth, row in enumerate(rows):
        x = MARGIN + (total_w - 2 * MARGIN - row_w[depth]) / 2
        for n in row:
            box[n] = (round(x, 1), MARGIN + 30 + depth * ROW, round(width[n], 1))
            x += width[n] + GAP
    height = MARGIN + 30 + len(rows) * ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" '
        f'height="{height}" viewBox="0 0 {total_w:.0f} {height}" role="img" '
        f'aria-labelledby="diagram-title">',
        f'<title id="diagram-title">{escape(title)}</title>',
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/>'
        "</marker>"
        '<marker id="isa" viewBox="0 0 12 12" refX="12" refY="6" markerWidth="10" '
        'markerHeight="10" orient="auto"><path d="M0,0 L12,6 L0,12 z" fill="#fff" '
        'stroke="#333"/></marker></defs>',
        "<style>text{font:12px sans-serif;fill:#111}.lbl{font-size:10.5px;"
        "fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}"
        "rect{fill:#e8f0f8;stroke:#1d4f7a}.sub{stroke-dasharray:5 3}</style>",
        f'<text x="{MARGIN}" y="{MARGIN + 4}" style="font-weight:bold">'
        f"{escape(title)}</text>",
    ]
    for e in edges:
        if e.source not in box or e.target not in box:
            continue
        sx, sy, sw = box[e.source]
        tx, ty, tw = box[e.target]
        x1, x2 = sx + sw / 2, tx + tw / 2
        if sy < ty:
            y1, y2 = sy + BOX_H, ty
        elif sy > ty:
            y1, y2 = sy, ty + BOX_H
        else:
            y1 = y2 = sy + BOX_H
        bend = (y1 + y2) / 2 + (30 if sy == ty else 0)
        path = f"M{x1:.1f},{y1} C{x1:.1f},{bend} {x2:.1f},{bend} {x2:.1f},{y2}"
        if e.kind == "subclass":
            out.append(f'<path class="sub" d="{path}" fill="none" stroke="#333" '
                       f'marker-end="url(#isa)"/>')
        else:
            out.append(f'<path d="{path}" fill="none" stroke="#333" '
                       f'marker-end="url(#arrow)"><title>rmp:{escape(e.label)}'
                       f"</title></path>")
            out.append(f'<text class="lbl" x="{(x1 + x2) / 2:.1f}" '
                       f'y="{bend - 3 if sy != ty else bend - 8:.1f}" '
                       f'text-anchor="middle">{escape(e.label)}</text>')
    for name, (x, y, w) in sorted(box.items()):
        out.append(f'<g id="class-{escape(name)}"><rect x="{x}" y="{y}" width="{w}" '
                   f'height="{BOX_H}" rx="4"/><text x="{x + w / 2:.1f}" '
                   f'y="{y + 18}" text-anchor="middle">{escape(name)}</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
