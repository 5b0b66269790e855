"""Reading real-world layouts: facts of every document fixture, in every format,
against its hand-written truth file (tests/fixtures/docs/*.truth.json).

For each fixture and rendering (DOCX, LibreOffice PDF, reportlab PDF, text) this
builds the graph with `rmpgraph.pipeline` and scores what it says against the truth:
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
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from graphfacts import concern_facts, concerns, one, study_facts  # noqa: E402
from rdflib import RDF, RDFS  # noqa: E402

from rmpgraph.errors import RmpGraphError  # noqa: E402
from rmpgraph.namespaces import RMP  # noqa: E402
from rmpgraph.pipeline import build_source  # noqa: E402
from rmpgraph.read import read_source  # noqa: E402

DOCS = ROOT / "tests" / "fixtures" / "docs"
SUFFIX = {"docx": ".docx", "pdf": ".pdf", "rl.pdf": ".rl.pdf", "txt": ".txt"}


def norm(text: str | None) -> str:
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return re.sub(r"\s+", " ", t).strip().rstrip(".")


def f1(got: set[Any], want: set[Any]) -> float:
    if not got and not want:
        return 1.0
    tp = len(got & want)
    if not tp:
        return 0.0
    p, r = tp / len(got), tp / len(want)
    return 2 * p * r / (p + r)


def study_key(name: str, ident: str | None) -> str:
    return norm(ident) if ident else norm(name)


def facts_of_graph(path: Path) -> dict[str, Any]:
    result = build_source(read_source(path))
    g = result.graph
    product = next(g.subjects(RDF.type, RMP.MedicinalProduct), None)
    cfacts = [concern_facts(g, c) for c in concerns(g)]
    sfacts = study_facts(g)
    by_label = {norm(k): v for k, v in sfacts.items()}
    return {
        "product": str(one(g, product, RDFS.label)) if product else None,
        "concerns": {(norm(c["name"]), c["category"]) for c in cfacts},
        "studies": {study_key(k, v["identifier"]) for k, v in sfacts.items()},
        "links": {(norm(c["name"]), study_key(s, (by_label.get(norm(s)) or {})
                                              .get("identifier")))
                  for c in cfacts for s in c["studies"]},
        "additional": {(norm(c["name"]), m) for c in cfacts
                       for m in c["additional_measures"]},
        "milestones": {(study_key(k, v["identifier"]), m["kind"], norm(m["due_text"]))
                       for k, v in sfacts.items() for m in v["milestones"]},
        "issues": len(result.document.issues),
    }


def facts_of_truth(truth: dict[str, Any]) -> dict[str, Any]:
    studies = {norm(s["name"]): study_key(s["name"], s.get("identifier"))
               for s in truth["studies"]}
    return {
        "product": truth["product"],
        "concerns": {(norm(c["name"]), c["category"]) for c in truth["concerns"]},
        "studies": set(studies.values()),
        "links": {(norm(c["name"]), studies.get(norm(s), norm(s)))
                  for c in truth["concerns"] for s in c["studies"]},
        "additional": {(norm(c["name"]), m) for c in truth["concerns"]
                       for m in c["additional_measures"]},
        "milestones": {(studies[norm(s["name"])], m["kind"], norm(m["due_text"]))
                       for s in truth["studies"] for m in s["milestones"]},
    }


def score(path: Path, truth: dict[str, Any]) -> dict[str, Any]:
    want = facts_of_truth(truth)
    try:
        got = facts_of_graph(path)
    except RmpGraphError as exc:
        return {"error": str(exc)}
    return {
        "product": got["product"] == want["product"],
        "concern_f1": f1(got["concerns"], want["concerns"]),
        "study_f1": f1(got["studies"], want["studies"]),
        "link_f1": f1(got["links"], want["links"]),
        "additional_f1": f1(got["additional"], want["additional"]),
        "milestones": (len(got["milestones"] & want["milestones"]),
                       len(want["milestones"])),
        "issues": got["issues"],
    }


def cold_build(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rmpgraph", "build", str(path), "-o",
                        "/dev/null", "--format", "nt"] if False else
                       [sys.executable, "-m", "rmpgraph", "build", str(path)],
                       check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
        for fmt in truth.get("formats", ["docx", "pdf", "txt"]):
            path = DOCS / f"{name}{SUFFIX[fmt]}"
            if path.exists():
                rows.append({"fixture": name, "format": fmt, **score(path, truth)})
    print(f"{'fixture':10} {'format':7} product concern study  link   add   "
          "milestones issues")
    for r in rows:
        if "error" in r:
            print(f"{r['fixture']:10} {r['format']:7} ERROR {r['error']}")
            continue
        found, total = r["milestones"]
        print(f"{r['fixture']:10} {r['format']:7} {'yes' if r['product'] else 'NO':7} "
              f"{r['concern_f1']:.3f}   {r['study_f1']:.3f}  {r['link_f1']:.3f}  "
              f"{r['additional_f1']:.3f}  {found:>3}/{total:<3}     {r['issues']}")
    ok = [r for r in rows if "error" not in r]
    if ok:
        print("minimum over all:", {k: round(min(r[k] for r in ok), 3) for k in
                                    ("concern_f1", "study_f1", "link_f1",
                                     "additional_f1")},
              "milestones", sum(r["milestones"][0] for r in ok), "/",
              sum(r["milestones"][1] for r in ok),
              "products right", sum(r["product"] for r in ok), "/", len(ok))
    pdfs = sorted(DOCS.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if pdfs and args.repeat:
        print(f"cold `rmpgraph build` of {pdfs[-1].name}: median "
              f"{cold_build(pdfs[-1], args.repeat):.2f} s over {args.repeat} runs")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=list))


if __name__ == "__main__":
    main()
