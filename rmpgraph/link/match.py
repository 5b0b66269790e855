"""Lexical matching of RMP concern names to MedDRA PT/LLT names.

A concern name is read as a small grammar: a head ("Stroke"), optionally with an
abbreviation in brackets ("(IARs)", dropped), an "including ..." clause ("including
haemorrhagic stroke") or an "ie, ..." list of members (group concerns), a conjunction
("Myocardial infarction and myocardial ischaemia") or a narrowing qualifier
("Serious", "Other"). Each part that matches a current PT/LLT becomes one mapping
whose SKOS predicate and confidence come from `data/lexicon/match-rules.tsv`. Parts
that match nothing are returned, so the caller can list the concern for review
instead of silently dropping them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rmpgraph.link.lexicon import (
    Lexicon,
    expand_abbreviations,
    key,
    light_key,
    strip_qualifier,
)
from rmpgraph.link.meddra import Meddra

__all__ = ["TermIndex", "Found", "LexicalOutcome", "match_label"]

_ABBREV_BRACKET = re.compile(r"\s*\(([A-Za-z][A-Za-z0-9\-]{0,14})\)")
_BRACKET = re.compile(r"\(([^()]*)\)")
_LIST_INTRO = re.compile(r"^\s*(?:i\.?e\.?|e\.?g\.?|such as|namely)\s*[,:]?\s*", re.I)
_INCLUDING = re.compile(r"^\s*(?:including|incl\.?)\s+", re.I)
_INLINE_INCLUDING = re.compile(r"\s*,?\s+(?:including|incl\.?)\s+", re.I)
_ITEM_SPLIT = re.compile(r"\s*(?:,|;)\s*")
_CONJ_SPLIT = re.compile(r"\s+(?:and|or|and/or)\s+", re.I)


@dataclass(frozen=True)
class Found:
    """One matched part of a concern name."""

    code: str
    rule: str  # a row of match-rules.tsv
    text: str  # the part of the name that matched (as written)


@dataclass
class LexicalOutcome:
    found: list[Found] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # parts with no term
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)


class TermIndex:
    """Current PT and LLT names by normal form; non-current LLTs are left out."""

    def __init__(self, meddra: Meddra, lex: Lexicon) -> None:
        self.meddra = meddra
        self.lex = lex
        self.light: dict[str, set[str]] = {}
        self.full: dict[str, set[str]] = {}
        for code, current in meddra.llt_current.items():
            if not current:
                continue
            name = meddra.names[code]
            self.light.setdefault(light_key(name), set()).add(code)
            self.full.setdefault(key(name, lex), set()).add(code)

    def _pick(self, codes: set[str]) -> list[str]:
        """One code per PT: the PT itself if its name matched, else its LLT."""
        by_pt: dict[str, list[str]] = {}
        for code in codes:
            by_pt.setdefault(self.meddra.llt_pt[code], []).append(code)
        return sorted(pt if pt in group else min(group) for pt, group in by_pt.items())

    def lookup(self, text: str, legend: dict[str, str]) -> tuple[bool, list[str]]:
        """(exact?, codes) for `text`; exact = equal up to case and punctuation."""
        hit = self.light.get(light_key(text))
        if hit:
            return True, self._pick(hit)
        for candidate in (text, expand_abbreviations(text, legend, self.lex)):
            hit = self.full.get(key(candidate, self.lex))
            if hit:
                return False, self._pick(hit)
        return False, []


def _split_clauses(name: str) -> tuple[str, list[str], list[str]]:
    """name -> (head, included items, member items); abbreviation brackets dropped."""
    text = _ABBREV_BRACKET.sub(
        lambda m: m.group(0) if sum(c.isupper() for c in m.group(1)) < 2 else "", name)
    included: list[str] = []
    members: list[str] = []
    for content in _BRACKET.findall(text):
        if _LIST_INTRO.match(content):
            target, content = members, _LIST_INTRO.sub("", content, count=1)
        elif _INCLUDING.match(content):
            target, content = included, _INCLUDING.sub("", content, count=1)
        else:
            continue  # e.g. "(excl ...)": not a list of terms
        for item in _ITEM_SPLIT.split(content):
            if _INCLUDING.match(item):
                included.append(_INCLUDING.sub("", item, count=1).strip())
            elif item.strip():
                target.append(item.strip())
    head = " ".join(_BRACKET.sub(" ", text).split())
    parts = _INLINE_INCLUDING.split(head, maxsplit=1)
    if len(parts) == 2:
        head = parts[0]
        included += [i.strip() for i in _ITEM_SPLIT.split(parts[1]) if i.strip()]
    return head.strip(" ,;"), included, members


def _try(index: TermIndex, text: str, rule_exact: str, rule_variant: str,
         legend: dict[str, str], out: LexicalOutcome, shown: str | None = None) -> bool:
    exact, codes = index.lookup(text, legend)
    if not codes:
        return False
    if len({index.meddra.llt_pt[c] for c in codes}) > 1:
        out.ambiguous.append((shown or text, codes))
        return True
    out.found.append(Found(codes[0], rule_exact if exact else rule_variant,
                           shown or text))
    return True


def _try_qualified(index: TermIndex, text: str, rule: str, legend: dict[str, str],
                   out: LexicalOutcome) -> bool:
    stripped = strip_qualifier(key(expand_abbreviations(text, legend, index.lex),
                                   index.lex), index.lex)
    return bool(stripped) and _try(index, stripped[1], rule, rule, legend, out, text)


def _match_part(index: TermIndex, text: str, rule: str, qualified_rule: str,
                legend: dict[str, str], out: LexicalOutcome) -> None:
    """A head or list item: as a whole, then split on and/or, then unqualified."""
    if _try(index, text, rule, rule, legend, out):
        return
    pieces = _CONJ_SPLIT.split(text)
    if len(pieces) > 1:
        piece_rule = "conjunct" if rule == "head" else rule
        for piece in pieces:
            _match_part(index, piece, piece_rule, qualified_rule, legend, out)
        return
    if not _try_qualified(index, text, qualified_rule, legend, out):
        out.unmatched.append(text)


def match_label(index: TermIndex, label: str,
                legend: dict[str, str] | None = None) -> LexicalOutcome:
    """Match one concern name; `legend` = the document's abbreviation expansions."""
    legend = legend or {}
    out = LexicalOutcome()
    whole = _ABBREV_BRACKET.sub(
        lambda m: m.group(0) if sum(c.isupper() for c in m.group(1)) < 2 else "", label)
    if _try(index, whole, "exact", "variant", legend, out):
        return out
    head, included, members = _split_clauses(label)
    if head:
        _match_part(index, head, "head", "qualified", legend, out)
    for item in included:
        _match_part(index, item, "included", "qualified-member", legend, out)
    for item in members:
        _match_part(index, item, "member", "qualified-member", legend, out)
    return out
