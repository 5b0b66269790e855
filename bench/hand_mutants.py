"""Mutants written by hand (`bench/hand_mutants.toml`), each run against its tests.

For code mutmut cannot run in reasonable time here (every mutant of the store's
derived-graph code timed out under its trampoline): each entry replaces one exact
piece of text in a scratch copy of the working tree and runs the entry's tests;
a mutant is killed when they fail. Prints one line per mutant and the score.

    python bench/hand_mutants.py [--only WHAT ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "bench" / "hand_mutants.toml"
SKIP = shutil.ignore_patterns(".venv", ".git", "__pycache__", "mutants", ".hypothesis",
                              ".pytest_cache", ".ruff_cache")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", default=[], help="mutants by their 'what'")
    args = ap.parse_args()
    data = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    killed = scored = 0
    with tempfile.TemporaryDirectory(prefix="rmpgraph-hand-") as tmp:
        for m in data["mutant"]:
            if args.only and m["what"] not in args.only:
                continue
            if m.get("equivalent"):  # listed with its reason, not run
                print(f"equivalent {m['file']}: {m['what']} ({m['equivalent']})")
                continue
            tree = Path(tmp) / "tree"
            if tree.exists():
                shutil.rmtree(tree)
            shutil.copytree(ROOT, tree, ignore=SKIP)
            target = tree / m["file"]
            text = target.read_text(encoding="utf-8")
            if text.count(m["old"]) != 1:
                sys.exit(f"{m['file']}: the text of {m['what']!r} is not there once")
            target.write_text(text.replace(m["old"], m["new"]), encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-n", "2", "-p",
                 "no:cacheprovider", *m.get("tests", data["tests"])], cwd=tree,
                capture_output=True,
                text=True, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin",
                                "HOME": str(tree), "PYTHONHASHSEED": "0"})
            scored += 1
            killed += done.returncode != 0
            print(f"{'killed  ' if done.returncode else 'SURVIVED'} {m['file']}: "
                  f"{m['what']}", flush=True)
    print(f"{killed} of {scored} killed")


if __name__ == "__main__":
    main()
