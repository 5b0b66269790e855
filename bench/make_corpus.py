"""Write N synthetic RMP Part VI summaries for benchmarks: `make_corpus.py N OUTDIR`.

Each summary follows the structure of the published EMA summaries (the fixed template
text in `corpus/template.txt`, sections I, II.A, II.B, II.C) and varies what varies
between real ones: 3-40 safety concerns split over the three categories (a category
may be "None"), the II.A layout (inline list, bullets, table), II.B header and
caption style, bullet glyphs, label-section wordings, routine and additional
measures, 0-6 studies in II.C.1/II.C.2 with categories 1-3 (written or implied),
milestones as dates, months, quarters, years or relative to an event, page footers,
abbreviation legends, British or American spelling. Names and sentences come from
`corpus/pools.toml` (real medical terms, INN stems, template sentences). The same
seed always gives the same files.

By default the corpus is realistic as a whole (`corpus_plan.py` says how): products
share ATC classes, some have several versions, 0-6 additional tools, milestones
past and future. `--plain` writes the older corpus of unrelated documents.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/ is not a package
import corpus_plan  # noqa: E402
from corpus_plan import Plan, PlannedStudy, additional_lines  # noqa: E402

POOLS = tomllib.loads((HERE / "corpus" / "pools.toml").read_text(encoding="utf-8"))
TEMPLATE = "".join(line for line in (HERE / "corpus" / "template.txt").read_text(
    encoding="utf-8").splitlines(keepends=True) if not line.startswith("# "))
CATEGORIES = (("identified", "Important identified risk"),
              ("potential", "Important potential risk"),
              ("missing", "Missing information"))
BULLETS = ["\uf0b7", "\u2022", "-", "o", "\uf0d8", "\uf0a7"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass
class Study:
    name: str
    code: str
    title: str
    purpose: str
    category: int
    category_written: bool
    milestones: list[tuple[str, str]]
    concerns: list[str] = field(default_factory=list)


@dataclass
class Concern:
    category: str
    name: str
    studies: list[Study] = field(default_factory=list)


class Writer:
    """One document; every random choice goes through `self.rng` (seeded)."""

    def __init__(self, seed: int, plan: Plan | None = None) -> None:
        self.rng = random.Random(seed)
        r = self.rng
        self.spec = plan
        self.product = "".join(r.choice(part) for part in POOLS["product_syllables"])
        self.substance = r.choice(POOLS["substance_prefixes"]) + r.choice(
            POOLS["substance_stems"])
        if plan is not None:
            self.product, self.substance = plan.product, plan.substance
        self.bullet = r.choice(BULLETS)
        self.american = r.random() < 0.3
        self.captions = r.choice(["none", "number", "ii-b"])
        self.header_sep = r.choice([": ", ": ", " \u2013 "])
        self.ii_a = r.choice(["inline", "bullets", "table"])
        self.footers = r.random() < 0.5
        self.table_no = 1
        self.abbreviations: dict[str, str] = {}

    # ---------------------------------------------------------------- content

    def fill(self, template: str, term: str = "") -> str:
        r = self.rng
        pct = r.randint(2, 30)
        return template.format(
            term=term, term_lc=term[:1].lower() + term[1:], substance=self.substance,
            product=self.product, pct=pct, pct2=max(1, pct - r.randint(1, pct)),
            weeks=r.choice([2, 4, 6, 8, 12]),
            organ=r.choice(POOLS["evidence"]["organs"]),
            age=r.choice([65, 70, 75]), pack=r.choice([14, 28, 30, 56]))

    def concerns(self) -> list[Concern]:
        if self.spec is not None:
            return [Concern(key, name) for key, name in self.spec.concerns]
        r = self.rng
        total = r.randint(3, 40)
        pools = {k: list(POOLS["concerns"][k]) for k, _ in CATEGORIES}
        for pool in pools.values():
            r.shuffle(pool)
        weights = [r.random() + 0.2 for _ in CATEGORIES]
        if r.random() < 0.15:  # a category stated as "None"
            weights[r.randrange(3)] = 0
        counts = [0, 0, 0]
        for _ in range(total):
            i = r.choices(range(3), weights)[0]
            if counts[i] < len(pools[CATEGORIES[i][0]]):
                counts[i] += 1
        return [Concern(key, pools[key][j]) for (key, _), n in zip(CATEGORIES, counts,
                                                                   strict=True)
                for j in range(n)]

    def due(self, year: int | None = None) -> tuple[str, str]:
        """(text in II.B, text in II.C) of one milestone's due date (in `year`: a
        planned one, never relative to an event)."""
        r = self.rng
        forms = ["date", "month", "quarter", "year"]
        form = r.choice(forms if year is not None else [*forms, "event"])
        year = r.randint(2025, 2033) if year is None else year
        if form == "date":
            text = f"{r.randint(1, 28)} {r.choice(MONTHS)} {year}"
        elif form == "month":
            text = f"{r.choice(MONTHS)} {year}"
        elif form == "quarter":
            text = f"Q{r.randint(1, 4)} {year}"
        elif form == "year":
            text = str(year)
        else:
            text = (f"within {r.choice([3, 6, 12])} months of "
                    f"{r.choice(POOLS['studies']['events'])}")
        return text, text

    def planned(self, concerns: list[Concern]) -> list[Study]:
        """The plan's studies, their due years written in one of the text forms."""
        by_name = {c.name: c for c in concerns}
        out = []
        for p in self.spec.studies if self.spec else []:
            study = self.study(p)
            for name in p.concerns:
                by_name[name].studies.append(study)
                study.concerns.append(name)
            study.purpose = self.fill(self.rng.choice(POOLS["studies"]["purposes"]),
                                      p.concerns[0])
            out.append(study)
        return out

    def study(self, p: PlannedStudy) -> Study:
        title = self.fill(self.rng.choice(POOLS["studies"]["titles"]))
        return Study(f"{p.kind} {p.code}", p.code, title, "", p.category,
                     p.category_written, [(k, self.due(y)[0]) for k, y in p.milestones])

    def studies(self, concerns: list[Concern]) -> list[Study]:
        if self.spec is not None:
            return self.planned(concerns)
        r = self.rng
        n = r.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6])
        prefix = re.sub(r"[^A-Z]", "", self.product.upper())[:3] or "STU"
        out = []
        for i in range(n):
            kind = r.choice(POOLS["studies"]["kinds"])
            code = r.choice([f"{prefix}-PASS-{i + 1:02d}",
                             f"EUPAS{r.randint(10000, 99999)}",
                             f"{prefix}{r.randint(10000, 99999)}"])
            category = r.choice([1, 2, 3, 3, 3])
            kinds = POOLS["studies"]["kinds_of_milestone"]
            chosen = sorted(r.sample(range(len(kinds)), r.randint(1, 3)))
            milestones = [(kinds[k], self.due()[0]) for k in chosen]
            if kinds[-1] not in [m[0] for m in milestones]:
                milestones.append((kinds[-1], self.due()[0]))
            study = Study(name=f"{kind} {code}", code=code,
                          title=self.fill(r.choice(POOLS["studies"]["titles"])),
                          purpose="", category=category,
                          # a specific obligation (2) is never implied by II.C.1
                          category_written=category == 2 or r.random() < 0.6,
                          milestones=milestones)
            addressed = r.sample(concerns, r.randint(1, min(4, len(concerns))))
            study.purpose = self.fill(r.choice(POOLS["studies"]["purposes"]),
                                      addressed[0].name)
            for c in addressed:
                c.studies.append(study)
                study.concerns.append(c.name)
            out.append(study)
        return out

    # --------------------------------------------------------------- rendering

    def b(self, text: str) -> str:
        return f"{self.bullet} {text}"

    def medicine(self) -> str:
        r = self.rng
        return (f"I. The medicine and what it is used for\n\n{self.product} is "
                f"authorised for {r.choice(POOLS['indications'])} (see SmPC for the "
                f"full indication).\n\nIt contains {self.substance} as the active "
                f"substance and it is given by {r.choice(POOLS['routes'])}.\n\n"
                f"Further information about the evaluation of {self.product}'s "
                f"benefits can be found in {self.product}'s EPAR, including in its "
                "plain-language summary, available on the EMA website, under the "
                "medicine's webpage https://www.ema.europa.eu/en/medicines/human/"
                f"EPAR/{self.product.lower()}")

    def list_a(self, concerns: list[Concern]) -> str:
        lines = []
        for key, label in CATEGORIES:
            names = [c.name for c in concerns if c.category == key]
            plural = label + ("s" if key != "missing" else "")
            if self.ii_a == "inline":
                lines.append(f"{plural}: {'; '.join(names) or 'None'}")
            elif self.ii_a == "bullets":
                lines.append(plural)
                lines += [self.b(n) for n in names] or [self.b("None")]
            else:
                lines += [plural, ""] + [f"{n}\n" for n in names or ["None"]]
        if self.ii_a == "table":
            lines.insert(0, self.caption("List of important risks and missing "
                                         "information") + "\n")
        return "\n".join(lines)

    def caption(self, text: str) -> str:
        n = self.table_no
        self.table_no += 1
        if self.captions == "ii-b":
            return f"Table II.B-{n}: {text}"
        return f"Table {n} - {text}"

    def cite(self) -> str:
        r = self.rng
        s1, s2 = sorted(r.sample(POOLS["routine"]["smpc_sections"], 2))
        return r.choice(POOLS["routine"]["citations"]).format(
            s=s1, s2=s2, p=r.choice(POOLS["routine"]["pl_sections"]))

    def concern_table(self, concern: Concern, label: str) -> str:
        r = self.rng
        header = f"{label}{self.header_sep}{concern.name}"
        out = []
        if self.captions != "none":
            out.append(self.caption(header))
        out.append(header)
        if concern.category != "missing":
            ev = POOLS["evidence"]
            out += ["Evidence for linking the risk to the medicine",
                    r.choice(ev["sources"]) + ". " + self.fill(r.choice(ev["details"]),
                                                               concern.name),
                    "Risk factors and risk groups",
                    self.fill(r.choice(ev["risk_factors"]), concern.name)]
        out += ["Risk minimisation measures", "Routine risk minimisation measures:"]
        routine = POOLS["routine"]
        for sentence in r.sample(routine["sentences"], r.randint(1, 3)):
            cited = sentence.replace("{cite}", self.cite())
            out.append(self.b(self.fill(cited, concern.name)))
        if r.random() < 0.4:
            out.append(self.b(self.fill(r.choice(routine["other"]))))
        extra = r.random() < 0.25
        planned = additional_lines(self.spec.tools, concern.name) if self.spec else []
        if planned:
            out += ["Additional risk minimisation measures:", *planned]
        elif extra and self.spec is None:
            out += ["Additional risk minimisation measures:",
                    r.choice(POOLS["additional"]["materials"])]
        else:
            out.append("Additional risk minimisation measures: None")
        out.append("Additional pharmacovigilance activities")
        if concern.studies:
            for study in concern.studies:
                out.append(study.name)
                out += [f"{kind}: {due}" for kind, due in study.milestones]
        else:
            out.append("None")
        if r.random() < 0.3:
            out.append("HCP: Healthcare Professional; PL: Package Leaflet; SmPC: "
                       "Summary of Product Characteristics.")
        return "\n".join(out)

    def plan(self, studies: list[Study]) -> str:
        ii_c1 = [s for s in studies if s.category in (1, 2)]
        ii_c2 = [s for s in studies if s.category == 3]
        out = ["II.C Post-authorisation development plan", "",
               "II.C.1 Studies which are conditions of the marketing authorisation", ""]
        if ii_c1:
            if any(s.category == 2 for s in ii_c1):
                out += [f"The following studies are specific obligations of "
                        f"{self.product}:", ""]
            out += [self.study_entry(s) for s in ii_c1]
        else:
            out.append("There are no studies which are conditions of the marketing "
                       f"authorisation or specific obligation of {self.product}.")
        out += ["", "II.C.2 Other studies in post-authorisation development plan", ""]
        if ii_c2:
            out += [self.study_entry(s) for s in ii_c2]
        else:
            out.append(f"There are no studies required for {self.product}.")
        return "\n".join(out)

    def study_entry(self, s: Study) -> str:
        lines = [f"Study short name: {s.name}"]
        if s.category_written:
            lines.append(f"Category: {s.category}")
        lines += [f"Title: {s.title}", f"Purpose of the study: {s.purpose}",
                  f"Safety concerns addressed: {'; '.join(s.concerns)}",
                  "Milestones: " + "; ".join(f"{k} {d}" for k, d in s.milestones),
                  ""]
        return "\n".join(lines)

    def document(self) -> str:
        concerns = self.concerns()
        studies = self.studies(concerns)
        self.facts = {
            "product": self.product,
            "concerns": {k: sum(c.category == k for c in concerns)
                         for k, _ in CATEGORIES},
            "studies": {self.spell(s.name): {"category": s.category,
                                 "milestones": len(s.milestones),
                                 "concerns": len(s.concerns)} for s in studies},
        }
        has_additional = self.rng.random() < 0.5
        if self.spec is not None:
            has_additional = bool(self.spec.tools)
            p = self.spec
            tools = {t: sorted(map(self.spell, c)) for t, c in sorted(p.tools.items())}
            self.facts |= {"version": p.version, "ordinal": p.ordinal, "atc": p.atc,
                           "version_date": p.version_date, "substance": p.substance,
                           "tools": tools}
        supplemented = (f"In the case of {self.product}, these measures are "
                        "supplemented with additional risk minimisation measures "
                        "mentioned\nunder relevant important risks, below.\n\n"
                        if has_additional else "")
        head = TEMPLATE.replace("@@MEDICINE@@", self.medicine()).format(
            product=self.product, substance=self.substance, bullet=self.bullet,
            supplemented=supplemented)
        parts = [head.rstrip(), self.list_a(concerns),
                 "II.B Summary of important risks"]
        labels = dict(CATEGORIES)
        pages = 2
        for i, concern in enumerate(concerns):
            parts.append(self.concern_table(concern, labels[concern.category]))
            if self.footers and i % 4 == 3:
                parts.append(f"{' ' * 70}Page {pages} of @@PAGES@@")
                pages += 1
        parts.append(self.plan(studies))
        text = "\n\n".join(parts).replace("@@PAGES@@", str(pages)) + "\n"
        return self.spell(text)

    def spell(self, text: str) -> str:
        if self.american:
            for british, american in POOLS["spelling"]["american"]:
                text = text.replace(british, american)
        return text


def write_corpus(n: int, outdir: Path, seed: int = 20240101, *,
                 realistic: bool = True) -> list[Path]:
    """Write `n` documents as `outdir/rmp-00001.txt` ...; returns their paths.

    `outdir/manifest.json` records what each document was written to contain
    (concerns per category, studies with category and milestone counts; for a
    realistic corpus also version, date, ATC code and additional tools), so tests
    can check the parser against the generator's intent. A realistic corpus also
    gets `versions.tsv` (file, version, date) and `atc.ttl`.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    plans = corpus_plan.Planner(seed, POOLS).plan(n) if realistic else [None] * n
    paths, manifest, versions = [], {}, []
    for i, plan in enumerate(plans):
        path = outdir / f"rmp-{i + 1:05d}.txt"
        writer = Writer(seed * 100003 + i, plan)
        path.write_text(writer.document(), encoding="utf-8")
        manifest[path.name] = writer.facts
        paths.append(path)
        if plan is not None:
            versions.append(f"{path.name}\t{plan.version}\t{plan.version_date}\n")
    if realistic:
        (outdir / "versions.tsv").write_text("".join(versions), encoding="utf-8")
        (outdir / "atc.ttl").write_text(corpus_plan.atc_turtle(plans), encoding="utf-8")
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=1,
                                                     sort_keys=True) + "\n")
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--plain", action="store_true",
                        help="unrelated documents, one product each (the older corpus)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.n, args.outdir, args.seed, realistic=not args.plain)
    print(f"wrote {len(paths)} summaries to {args.outdir}")


if __name__ == "__main__":
    main()
