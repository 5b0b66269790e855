"""What a realistic corpus holds, decided before any text is written.

`make_corpus.py` writes each summary's text; this module decides, for a corpus of
N documents, which products exist, in which ATC class, how many RMP versions each
has (numbers and dates), which concerns each version lists, which additional risk
minimisation tools a product has and which concerns they address, and which
studies run with which milestones. Cohort questions ("share of products with an
additional measure, by ATC level 1", "overdue category 1 studies") then have
non-trivial answers, and the manifest states them.

The distribution, per product (every draw from one `random.Random(seed)`):
- versions: 1 (55%), 2 (25%), 3 (12%) or 4 (8%); the corpus stops at N documents,
  so the last product may have fewer;
- substance: an INN-like name (prefix + stem, `corpus/pools.toml`); 306 exist, so
  products share them as generics and biosimilars do (N = 1,000: 577 products, 264
  substances, 173 of them in 2-7 products);
- ATC: the substance's level-4 class follows its stem (`corpus/atc.toml`: "-gliflozin"
  is A10BK, "-tinib" one of four kinase-inhibitor classes); a made-up level-5 code
  under it; 19 level-4 classes in 4 first levels (A, C, J, L), so most classes
  hold several products;
- first version: number M.0 with M in 1-10, date uniform in 2014-01-01..2024-12-31;
  each next version 4-30 months later (none after 2026-10-31), number M.(m+1)
  (70%) or (M+1).0 (30%);
- concerns: 3-40 over three categories as in `make_corpus.py`; a later version adds
  1-2 concerns (30%), drops a missing-information item (20%), and moves a potential
  risk to identified (15%), each independently;
- additional measures: 0 tools (40%), 1 (20%), 2 (15%), 3 (10%), 4 (7%), 5 (5%),
  6 (3%), drawn without replacement from HCP guide, patient alert card, patient
  guide, HCP checklist, DHPC, controlled access programme and pregnancy prevention
  programme (weights 25/20/20/12/10/6/7); each addresses 1-3 risks; a later version
  adds one more tool (15%);
- studies: 0-6 (0, 0, 1, 1, 2, 2, 3, 4, 5, 6 equally likely), category 1 (15%),
  2 (10%) or 3 (75%); 1-3 milestones due 0-9 years after the first version's
  year, then the final report 0-2 years after the last (about half of all are
  before 2026), written as a date, month, quarter or year (the event-relative form is
  kept by the plain corpus only); a study is completed, and leaves later versions,
  with probability 20% per version.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ATC = tomllib.loads((HERE / "corpus" / "atc.toml").read_text(encoding="utf-8"))
CATEGORY_KEYS = ("identified", "potential", "missing")
VERSIONS = ((1, 55), (2, 25), (3, 12), (4, 8))
TOOLS = (("HCP guide", 25), ("Patient alert card", 20), ("Patient guide", 20),
         ("HCP checklist", 12), ("Direct healthcare professional communication "
                                 "(DHPC)", 10),
         ("Controlled access programme", 6), ("Pregnancy prevention programme", 7))
TOOL_COUNTS = ((0, 40), (1, 20), (2, 15), (3, 10), (4, 7), (5, 5), (6, 3))
LAST_DATE = date(2026, 10, 31)


@dataclass
class PlannedStudy:
    key: int  # per product, stable across versions
    kind: str
    code: str
    category: int
    category_written: bool
    milestones: list[tuple[str, int]]  # (kind, due year); the text form is drawn later
    concerns: list[str]


@dataclass
class Plan:
    """One document: a product's RMP version and what it says."""

    product: str
    substance: str
    atc: str  # level-5 code (made up, under a real level-4 class)
    version: str
    version_date: str  # ISO
    ordinal: int  # 1 for the product's first version
    concerns: list[tuple[str, str]]  # (category key, name)
    tools: dict[str, list[str]] = field(default_factory=dict)  # tool -> concerns
    studies: list[PlannedStudy] = field(default_factory=list)


def _weighted(r: random.Random, table: tuple[tuple[object, int], ...]) -> object:
    return r.choices([v for v, _ in table], [w for _, w in table])[0]


class Planner:
    """Products one after another until the corpus has `n` documents."""

    def __init__(self, seed: int, pools: dict) -> None:  # type: ignore[type-arg]
        self.r = random.Random(seed)
        self.pools = pools
        self.names: set[str] = set()
        self.atc_of: dict[str, str] = {}
        self.used_codes: set[str] = set()

    def plan(self, n: int) -> list[Plan]:
        out: list[Plan] = []
        while len(out) < n:
            out += self.product(n - len(out))
        return out

    def _name(self) -> str:
        while True:
            name = "".join(self.r.choice(p) for p in self.pools["product_syllables"])
            if name not in self.names:
                self.names.add(name)
                return name

    def _substance(self) -> tuple[str, str]:
        r = self.r
        stem = r.choice(self.pools["substance_stems"])
        substance = r.choice(self.pools["substance_prefixes"]) + stem
        if substance not in self.atc_of:
            level4 = r.choice(ATC["stems"][stem])
            code = next(f"{level4}{k}" for k in range(50, 100)
                        if f"{level4}{k}" not in self.used_codes)
            self.used_codes.add(code)
            self.atc_of[substance] = code
        return substance, self.atc_of[substance]

    def _concerns(self) -> list[tuple[str, str]]:
        r = self.r
        pools = {k: list(self.pools["concerns"][k]) for k in CATEGORY_KEYS}
        for pool in pools.values():
            r.shuffle(pool)
        weights = [r.random() + 0.2 for _ in CATEGORY_KEYS]
        if r.random() < 0.15:
            weights[r.randrange(3)] = 0
        counts = dict.fromkeys(CATEGORY_KEYS, 0)
        for _ in range(r.randint(3, 40)):
            key = r.choices(CATEGORY_KEYS, weights)[0]
            counts[key] = min(counts[key] + 1, len(pools[key]))
        return [(k, pools[k][j]) for k in CATEGORY_KEYS for j in range(counts[k])]

    def _evolve(self, concerns: list[tuple[str, str]]) -> list[tuple[str, str]]:
        r = self.r
        out = list(concerns)
        names = {n for _, n in out}
        if r.random() < 0.3:
            key = r.choice(CATEGORY_KEYS[:2])
            fresh = [n for n in self.pools["concerns"][key] if n not in names]
            out += [(key, n) for n in r.sample(fresh, min(len(fresh),
                                                          r.randint(1, 2)))]
        missing = [c for c in out if c[0] == "missing"]
        if missing and r.random() < 0.2 and len(out) > 3:
            out.remove(r.choice(missing))
        potential = [c for c in out if c[0] == "potential"]
        if potential and r.random() < 0.15:
            moved = r.choice(potential)
            out[out.index(moved)] = ("identified", moved[1])
        order = {k: i for i, k in enumerate(CATEGORY_KEYS)}
        return sorted(out, key=lambda c: order[c[0]])  # stable within a category

    def _tools(self, concerns: list[tuple[str, str]],
               have: dict[str, list[str]], count: int) -> dict[str, list[str]]:
        r = self.r
        risks = [n for k, n in concerns if k != "missing"] or [n for _, n in concerns]
        tools = dict(have)
        names = [t for t, _ in TOOLS if t not in tools]
        weights = [w for t, w in TOOLS if t not in tools]
        while len(tools) < count and names:
            i = r.choices(range(len(names)), weights)[0]
            tools[names.pop(i)] = r.sample(risks, min(len(risks), r.randint(1, 3)))
            weights.pop(i)
        return tools

    def _studies(self, concerns: list[tuple[str, str]], year: int,
                 product: str) -> list[PlannedStudy]:
        r = self.r
        prefix = "".join(c for c in product.upper() if c.isalpha())[:3]
        kinds = self.pools["studies"]["kinds_of_milestone"]
        out = []
        for i in range(r.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6])):
            category = _weighted(r, ((1, 15), (2, 10), (3, 75)))
            chosen = sorted(r.sample(range(len(kinds) - 1), r.randint(1, 3)))
            milestones = [(kinds[k], year + r.randint(0, 9)) for k in chosen]
            last = max(y for _, y in milestones)
            milestones.append((kinds[-1], last + r.randint(0, 2)))
            code = r.choice([f"{prefix}-PASS-{i + 1:02d}",
                             f"EUPAS{r.randint(10000, 99999)}"])
            out.append(PlannedStudy(
                key=i, kind=r.choice(self.pools["studies"]["kinds"]), code=code,
                category=category,  # type: ignore[arg-type]
                category_written=category == 2 or r.random() < 0.6,
                milestones=milestones,
                concerns=[n for _, n in r.sample(concerns, r.randint(
                    1, min(4, len(concerns))))]))
        return out

    def product(self, room: int) -> list[Plan]:
        r = self.r
        name = self._name()
        substance, atc = self._substance()
        n_versions = min(room, _weighted(r, VERSIONS))  # type: ignore[call-overload]
        major, minor = r.randint(1, 10), 0
        day = date(2014, 1, 1) + timedelta(days=r.randrange(4018))
        concerns = self._concerns()
        tools = self._tools(concerns, {}, _weighted(r, TOOL_COUNTS))  # type: ignore[arg-type]
        studies = self._studies(concerns, day.year, name)
        out = []
        for ordinal in range(1, n_versions + 1):
            if ordinal > 1:
                day += timedelta(days=r.randint(120, 900))
                if day > LAST_DATE:
                    break
                if r.random() < 0.7:
                    minor += 1
                else:
                    major, minor = major + 1, 0
                concerns = self._evolve(concerns)
                if r.random() < 0.15:
                    tools = self._tools(concerns, tools, len(tools) + 1)
                studies = [s for s in studies if r.random() >= 0.2]
            names = {n for _, n in concerns}
            live_tools = {t: [c for c in cs if c in names] for t, cs in tools.items()}
            live_studies = []
            for s in studies:
                kept = [c for c in s.concerns if c in names]
                if kept:
                    live_studies.append(PlannedStudy(
                        s.key, s.kind, s.code, s.category, s.category_written,
                        s.milestones, kept))
            out.append(Plan(product=name, substance=substance, atc=atc,
                            version=f"{major}.{minor}", version_date=day.isoformat(),
                            ordinal=ordinal, concerns=concerns,
                            tools={t: c for t, c in live_tools.items() if c},
                            studies=live_studies))
        return out


def additional_lines(tools: dict[str, list[str]], concern: str) -> list[str]:
    """The tools addressing `concern` as summaries word them: educational materials
    in one sentence, each programme or communication on a line of its own."""
    mine = [t for t, cs in tools.items() if concern in cs]
    educational = [t for t in mine if "guide" in t or t.endswith(("checklist", "card"))]
    lines = []
    if educational:
        items = ", ".join(t if t.startswith("HCP") else t.lower() for t in educational)
        lines.append(f"Educational materials (ie, {items}).")
    return lines + [f"{t}." for t in mine if t not in educational]


def atc_turtle(plans: list[Plan]) -> str:
    """The corpus's substances as an ATC SKOS file in `data/vocab/atc.ttl`'s shape
    (for `rmpgraph link ema --atc`): made-up level-5 codes under real classes."""
    concepts: dict[str, tuple[str, str | None]] = {}
    for p in plans:
        code = p.atc
        concepts[code] = (p.substance, code[:5])
        for cut, parent in ((5, 4), (4, 3), (3, 1), (1, None)):
            c = code[:cut]
            concepts.setdefault(c, (ATC["names"][c], c[:parent] if parent else None))
    scheme = "<https://w3id.org/rmpgraph/vocab/atc>"
    lines = ["# ATC codes of a generated corpus (bench/make_corpus.py): classes at "
             "levels 1-4 are real,", "# level-5 codes and substances are made up.",
             "@prefix atc: <http://purl.bioontology.org/ontology/ATC/> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", "",
             f"{scheme} a skos:ConceptScheme ; skos:hasTopConcept "
             + ", ".join(f"atc:{c}" for c in sorted(concepts) if len(c) == 1) + " .",
             ""]
    for code, (label, parent) in sorted(concepts.items()):
        rel = f"skos:broader atc:{parent}" if parent else f"skos:topConceptOf {scheme}"
        lines.append(f'atc:{code} a skos:Concept ; skos:inScheme {scheme} ; '
                     f'skos:notation "{code}" ; skos:prefLabel "{label}"@en ; {rel} .')
    return "\n".join(lines) + "\n"
