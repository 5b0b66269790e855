"""Reading real-world layouts: facts of every document fixture, in every format,
against its hand-written truth file (tests/fixtures/docs/*.truth.json).

For each fixture and rendering (DOCX, LibreOffice PDF, reportlab PDF, text) this
builds the graph (`rmpgraph.graph.pipeline`) and scores it against the truth:
F1 of concerns (name + category), studies, concern-study links and additional
measures (concern + measure kind), the share of milestones found (kind + due
text) and whether the product is right. It also times a cold `rmpgraph build` of
the largest PDF (a fresh interpreter, median of --repeat runs).

    python bench/bench_docs.py [--repeat 5] [--json out.json]

Targets (issue 14): concern F1 >= 0.98, study F1 >= 0.95, link F1 >= 0.9,
additional-measure F1 >= 0.9, every milestone, the product right; cold build of a
10-page PDF < 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from docfacts import DOCS, SUFFIX, score  # noqa: E402


def cold_build(path: Path, repeat: int) -> float:
    """Median wall time of `rmpgraph build PATH` in a fresh interpreter (imports,
    reading, extraction, mapping and Turtle to stdout: what a user waits for)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rmpgraph", "build", str(path)],
                       check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def long_pdf(out: Path, pages: int = 10) -> int:
    """A PDF of at least `pages` pages made like the fixtures' reportlab renderings:
    the blocks of the DOCX fixtures (paragraphs, items, ruled tables) drawn with
    reportlab, document after document. Returns its page count."""
    from xml.sax.saxutils import escape

    import pdfplumber
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from rmpgraph.parse.blocks import Block
    from rmpgraph.parse.blocks import Table as BlockTable
    from rmpgraph.parse.docx_reader import read_docx

    style = getSampleStyleSheet()["BodyText"]
    blocks: list[object] = []

    def flowables() -> list[object]:
        # fresh ones for every build: reportlab keeps layout state in a flowable,
        # and a second build of the same objects can fail (LayoutError)
        flow: list[object] = []
        for block in blocks:
            if isinstance(block, Block):
                flow.append(Paragraph(escape(block.text), style))
            elif isinstance(block, BlockTable) and block.columns:
                data = [[Paragraph(escape(c or "").replace("\n", "<br/>"), style)
                         for c in row] + [""] * (block.columns - len(row))
                        for row in block.rows]
                table = Table(data, colWidths=[460 / block.columns] * block.columns)
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
                flow.append(table)
        return flow

    for docx in sorted(DOCS.glob("*.docx")):
        blocks.extend(read_docx(docx.read_bytes(), docx).blocks)
        SimpleDocTemplate(str(out), pagesize=A4).build(flowables())
        with pdfplumber.open(out) as pdf:
            if len(pdf.pages) >= pages:
                return len(pdf.pages)
    with pdfplumber.open(out) as pdf:
        return len(pdf.pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", help="one fixture name")
    args = ap.parse_args()
    rows = []
    for truth_path in sorted(DOCS.glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        if args.only and name != args.only:
            continue
        truth = json.loads(truth_path.read_text("utf-8"))
        # the committed renderings, and pdfminer's text of the LibreOffice PDF
        # (tests/fixtures/docs/make_pdfminer.py), where there is one
        for fmt in [*truth.get("formats", ["docx", "pdf", "txt"]), "pdfminer"]:
            path = DOCS / f"{name}{SUFFIX[fmt]}"
            if path.exists():
                rows.append({"fixture": name, "format": fmt, **score(path, truth)})
    print(f"{'fixture':10} {'format':8} product concern study  link   add   "
          "milestones wrong issues")
    for r in rows:
        if "error" in r:
            print(f"{r['fixture']:10} {r['format']:8} ERROR {r['error']}")
            continue
        found, total = r["milestones"]
        print(f"{r['fixture']:10} {r['format']:8} {'yes' if r['product'] else 'NO':7} "
              f"{r['concern_f1']:.3f}   {r['study_f1']:.3f}  {r['link_f1']:.3f}  "
              f"{r['additional_f1']:.3f}  {found:>3}/{total:<3}     {r['wrong']:>4} "
              f"{r['issues']:>5}")
    for group, fmts in (("DOCX/PDF", ("docx", "pdf", "rl.pdf")),
                        ("text exports", ("txt", "pdfminer"))):
        ok = [r for r in rows if "error" not in r and r["format"] in fmts]
        if not ok:
            continue
        exact = sum(r["wrong"] == 0 and r["milestones"][0] == r["milestones"][1]
                    and all(r[k] == 1 for k in ("concern_f1", "study_f1", "link_f1",
                                                "additional_f1")) for r in ok)
        print(f"{group}: {len(ok)} renderings, {exact} exact, "
              f"{sum(r['wrong'] == 0 for r in ok)} with no wrong fact; minimum",
              {k: round(min(r[k] for r in ok), 3) for k in
               ("concern_f1", "study_f1", "link_f1", "additional_f1")},
              "milestones", sum(r["milestones"][0] for r in ok), "/",
              sum(r["milestones"][1] for r in ok),
              "products right", sum(r["product"] for r in ok), "/", len(ok))
    if args.repeat:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "long.pdf"
            n = long_pdf(path)
            print(f"cold `rmpgraph build` of a {n}-page PDF: median "
                  f"{cold_build(path, args.repeat):.2f} s over {args.repeat} runs")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=list))


if __name__ == "__main__":
    main()
