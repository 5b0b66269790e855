"""Generate a full-size SYNTHETIC distribution in the MedDRA ASCII layout.

Not MedDRA content: codes (9xxxxxxx) and names are invented from a fixed seed. The
sizes follow a current English release (27 SOCs, ~340 HLGTs, ~1,700 HLTs, ~26,000
PTs, ~80,000 LLTs including each PT's own LLT record, a share of multi-axial PTs and
non-current LLTs) so load time and memory can be measured without a licence.

Usage: python bench/make_meddra.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SIZES = {"soc": 27, "hlgt": 340, "hlt": 1700, "pt": 26000, "llt": 80000}
MULTI_AXIAL = 0.3  # share of PTs with a second HLT in another SOC
NON_CURRENT = 0.12  # share of extra LLTs flagged N
SYLLABLES = ("cardi", "neur", "hepat", "nephr", "derm", "myel", "oste", "angi",
             "pulmon", "gastr", "lymph", "thromb", "cyt", "encephal", "arthr",
             "vascul", "endocr", "thyr", "immun", "haem", "leuk", "pancreat")
SUFFIXES = ("itis", "osis", "opathy", "algia", "aemia", "oma", "ectasia", "plasia")
HEADS = ("disorder", "syndrome", "reaction", "infection", "injury", "disease",
         "haemorrhage", "failure", "abnormal", "increased", "decreased")


def _name(rng: random.Random, n: int) -> str:
    word = rng.choice(SYLLABLES) + rng.choice(SUFFIXES)
    return f"{word.capitalize()} {rng.choice(HEADS)} {n:05d}"


def _write(path: Path, rows: list[tuple[object, ...]]) -> None:
    path.write_text("".join("$".join(map(str, r)) + "$\n" for r in rows),
                    encoding="utf-8")


def generate(out: Path, seed: int = 20261125) -> dict[str, int]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    socs = [91000000 + i for i in range(SIZES["soc"])]
    hlgts = [(92000000 + i, socs[i % len(socs)]) for i in range(SIZES["hlgt"])]
    hlts = [(93000000 + i, hlgts[i % len(hlgts)][0]) for i in range(SIZES["hlt"])]
    hlgt_soc = dict(hlgts)
    hlt_soc = {h: hlgt_soc[g] for h, g in hlts}
    names = {c: f"Synthetic system organ class {i:02d}" for i, c in enumerate(socs)}
    names |= {c: f"Synthetic group term {i:04d}" for i, (c, _) in enumerate(hlgts)}
    names |= {c: f"Synthetic high level term {i:04d}" for i, (c, _) in enumerate(hlts)}
    pts: list[tuple[int, str, int, list[int]]] = []
    for i in range(SIZES["pt"]):
        code = 94000000 + i
        first = hlts[rng.randrange(len(hlts))][0]
        links = [first]
        if rng.random() < MULTI_AXIAL:
            other = [h for h, _ in rng.sample(hlts, 8) if hlt_soc[h] != hlt_soc[first]]
            links += other[:1]
        pts.append((code, _name(rng, i), hlt_soc[first], sorted(links)))
    llts = [(code, name, code, "Y") for code, name, _, _ in pts]
    for j in range(SIZES["llt"] - len(pts)):
        pt = pts[rng.randrange(len(pts))]
        flag = "N" if rng.random() < NON_CURRENT else "Y"
        llts.append((95000000 + j, f"{pt[1]} variant {j:05d}", pt[0], flag))
    _write(out / "soc.asc", [(c, names[c], f"S{i:02d}", *[""] * 7)
                             for i, c in enumerate(socs)])
    _write(out / "hlgt.asc", [(c, names[c], *[""] * 7) for c, _ in hlgts])
    _write(out / "hlt.asc", [(c, names[c], *[""] * 7) for c, _ in hlts])
    _write(out / "pt.asc", [(c, n, "", soc, *[""] * 7) for c, n, soc, _ in pts])
    _write(out / "llt.asc", [(c, n, pt, *[""] * 6, flag, "")
                             for c, n, pt, flag in llts])
    _write(out / "soc_hlgt.asc", [(s, g) for g, s in hlgts])
    _write(out / "hlgt_hlt.asc", [(g, h) for h, g in hlts])
    _write(out / "hlt_pt.asc", [(h, c) for c, _, _, links in pts for h in links])
    hlt_hlgt = dict(hlts)
    _write(out / "mdhier.asc", [
        (c, h, hlt_hlgt[h], hlt_soc[h], n, names[h], names[hlt_hlgt[h]],
         names[hlt_soc[h]], "", "", soc, "Y" if hlt_soc[h] == soc else "N")
        for c, n, soc, links in pts for h in links])
    (out / "meddra_release.asc").write_text("99.9$English$\n", encoding="utf-8")
    return {"soc": len(socs), "hlgt": len(hlgts), "hlt": len(hlts), "pt": len(pts),
            "llt": len(llts),
            "multi_axial_pt": sum(1 for p in pts if len(p[3]) > 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    print(generate(args.out, args.seed))


if __name__ == "__main__":
    main()
