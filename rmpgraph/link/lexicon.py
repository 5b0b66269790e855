"""Normalising names so an RMP concern and a MedDRA term can be compared.

The knowledge (spellings, abbreviations, qualifiers, population patterns, rule
confidences) lives in `data/lexicon/`; this module only applies it. The same
normalisation is applied to both sides, so a rule that over-reaches (e.g. a plural
rule on a Latin word) still compares consistently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from rmpgraph.errors import InputError
from rmpgraph.parse.keys import singular
from rmpgraph.paths import DATA_DIR

__all__ = ["Lexicon", "Rule", "load_lexicon", "light_key", "key"]

_LEXICON = DATA_DIR / "lexicon"
_ABBREV_TOKEN = re.compile(r"\b([A-Z][A-Za-z0-9]*[A-Z0-9])(s?)\b")


@dataclass(frozen=True)
class Rule:
    name: str
    predicate: URIRef
    confidence: float


@dataclass(frozen=True)
class Lexicon:
    spellings: tuple[tuple[str, str], ...]  # british -> american, longest first
    invariant: frozenset[str]
    abbreviations: dict[str, str]
    qualifiers: tuple[str, ...]  # normalised, longest first
    populations: tuple[tuple[re.Pattern[str], str], ...]
    rules: dict[str, Rule]


def _rows(path: Path, columns: int) -> list[tuple[list[str], int]]:
    """Data rows of a lexicon TSV: comments, blank lines and the header skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read lexicon file ({exc.strerror})",
                         path=path) from None
    out: list[tuple[list[str], int]] = []
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            header_seen = True
            continue
        if len(fields) < columns:
            raise InputError(f"expected {columns} tab-separated columns", path=path,
                             line=number)
        out.append((fields, number))
    return out


@lru_cache(maxsize=4)
def load_lexicon(folder: Path = _LEXICON) -> Lexicon:
    spellings = sorted(((f[0].lower(), f[1].lower())
                        for f, _ in _rows(folder / "british-american.tsv", 2)),
                       key=lambda r: (-len(r[0]), r[0]))
    invariant = frozenset(
        line.strip().lower()
        for line in (folder / "plural-invariant.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#"))
    abbreviations = {f[0]: f[1] for f, _ in _rows(folder / "abbreviations.tsv", 2)}
    quals = [f[0] for f, _ in _rows(folder / "qualifiers.tsv", 1)]
    populations = []
    for f, number in _rows(folder / "population-patterns.tsv", 2):
        try:
            populations.append((re.compile(f[0], re.I), f[1]))
        except re.error as exc:
            raise InputError(f"bad regular expression: {exc}",
                             path=folder / "population-patterns.tsv",
                             line=number) from None
    rules = {}
    for f, number in _rows(folder / "match-rules.tsv", 3):
        prefix, _, local = f[1].partition(":")
        if prefix != "skos":
            raise InputError("predicate must be a skos: mapping property",
                             path=folder / "match-rules.tsv", line=number)
        rules[f[0]] = Rule(f[0], SKOS[local], float(f[2]))
    lex = Lexicon(tuple(spellings), invariant, abbreviations, (), tuple(populations),
                  rules)
    normalised = sorted({key(q, lex) for q in quals}, key=lambda q: (-len(q), q))
    return Lexicon(lex.spellings, invariant, abbreviations, tuple(normalised),
                   tuple(populations), rules)


def light_key(text: str) -> str:
    """Case and punctuation only: "Infusion-related Reaction" -> "infusion related
    reaction". Apostrophes vanish (Still's -> stills) rather than split a word."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    t = t.lower().replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def key(text: str, lex: Lexicon) -> str:
    """Full normal form: light key + American spelling + singular words."""
    t = light_key(text)
    for brit, amer in lex.spellings:
        if brit in t:
            t = t.replace(brit, amer)
    return " ".join(singular(w, lex.invariant) for w in t.split())


def expand_abbreviations(text: str, legend: dict[str, str], lex: Lexicon) -> str:
    """Replace upper-case abbreviation tokens (T1DM, GBM, IARs) by their expansion:
    the document's own legend first, the lexicon second; unknown tokens stay."""

    def repl(m: re.Match[str]) -> str:
        token = m.group(1)
        found = legend.get(token) or lex.abbreviations.get(token)
        if found is None:
            return m.group(0)
        return found + ("s" if m.group(2) else "")

    return _ABBREV_TOKEN.sub(repl, text)


def strip_qualifier(text_key: str, lex: Lexicon) -> tuple[str, str] | None:
    """("serious infection") -> ("serious", "infection") if a qualifier leads."""
    for q in lex.qualifiers:
        if text_key.startswith(q + " ") and len(text_key) > len(q) + 1:
            return q, text_key[len(q) + 1:]
    return None
