"""Stage 3a, extract the title and Part I: the medicine and what it is used for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rmpgraph.errors import InputError
from rmpgraph.parse.model import Product, Span
from rmpgraph.parse.segment import Line, Segmented, layout
from rmpgraph.parse.textutil import items, join_lines, paragraphs, span_of

__all__ = ["parse_title", "parse_part_i"]

_CONTAINS = re.compile(
    r"\b(?:it|this medicine)\s+contains\s+(?P<sub>.+?)\s+as\s+(?:the\s+)?active\s+"
    r"substances?(?:\s*,?\s*and\s+(?:it\s+)?is\s+(?P<route>.+?))?\s*\.?$",
    re.I,
)
_EPAR = re.compile(r"https?://\S*ema\.europa\.eu/\S+", re.I)
_PRODUCT_NO = re.compile(r"\bEMEA/H/C/\d{3,6}\b")
_FORM_WORDS = re.compile(
    r"\b((?:film-coated |gastro-resistant |prolonged-release |orodispersible )?"
    r"(?:tablets?|capsules?|solution for (?:injection|infusion)|concentrate for "
    r"solution for infusion|powder for [\w ]+|suspension for injection|oral solution|"
    r"cream|ointment|gel|eye drops|inhalation powder|pre-filled (?:syringe|pen)s?|"
    r"implant|patch(?:es)?))\b",
    re.I,
)


def parse_title(text: str) -> tuple[str, str | None]:
    """ "Summary of risk management plan for LEMTRADA (Alemtuzumab)" -> names."""
    m = re.match(layout()["title"]["pattern"], text, re.I)
    rest = m.group("rest") if m else text
    rest = re.sub(r"\s*\((?:RMP|EU RMP)\)\s*$", "", rest).strip()
    # a trade mark sign is a notice, not part of the name ("Zentrivo®", "Zentrivo ®")
    rest = re.sub(r"\s*[®™]", "", rest)
    rest = rest.strip()
    if rest.endswith(")"):  # the last bracket, nested ones inside it: "Viranova
        depth = 0  # (influenza vaccine (surface antigen, inactivated, adjuvanted))"
        for i in range(len(rest) - 1, -1, -1):
            depth += (rest[i] == ")") - (rest[i] == "(")
            if depth == 0:
                if rest[:i].strip():
                    return rest[:i].strip(), rest[i + 1 : -1].strip()
                break
    if rest.count("(") > rest.count(")"):  # the substance goes on past the line
        return rest[: rest.index("(")].strip(), None
    return rest, None


def parse_part_i(lines: Sequence[Line], product: Product) -> set[int]:
    """Fill the product from Part I; returns the source lines used."""
    used: set[int] = set()
    indication: list[list[Line]] = []
    in_indication = True
    for para in paragraphs(lines[1:]):
        text = join_lines(x.text for x in para)
        m = next(
            filter(
                None,
                (
                    _CONTAINS.search(sentence)
                    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])", text)
                ),
            ),
            None,
        )
        url = _EPAR.search(text)
        if url:
            product.epar_url = url.group(0).rstrip(".,;)")
            used |= {x.no for x in para}
        if m:
            in_indication = False
            if (
                product.substance is None
                or product.substance.lower() == m.group("sub").lower()
            ):
                product.substance = m.group("sub").strip()
            route = m.group("route")
            if route:
                route = re.sub(
                    r"^(?:given|taken|administered|used|applied|inhaled)"
                    r"\s+(?:by|as|via|through)?\s*",
                    "",
                    route,
                    flags=re.I,
                )
                product.route_text = route.strip().rstrip(".")
                form = _FORM_WORDS.search(route)
                if form:
                    product.form_text = form.group(1)
            used |= {x.no for x in para}
            continue
        pn = _PRODUCT_NO.search(text)
        if pn:
            product.product_number = pn.group(0)
        if in_indication and not url:
            indication.append(para)
    if indication:
        flat = [x for p in indication for x in p]
        product.indication_text = join_lines(x.text for x in flat)
        product.indication_span = span_of(flat)
        used |= {x.no for x in flat}
        product.patient_groups = [
            (t, s)
            for t, s in items(flat)
            if any(x.bullet and x.no == s.start for x in flat)
        ]
    if lines:
        used.add(lines[0].no)
        product.span = Span(lines[0].no, max(used) if used else lines[0].no)
    return used


_SUBJECT = re.compile(r"^(?P<name>[A-Z][\w\-]*(?:\s+[A-Z0-9][\w\-]*){0,2})\s+"
                      r"(?:is|are)\s+(?:a\s+medicine\b|used\b|indicated\b|"
                      r"authori[sz]ed\b|given\b)")


def product_from_part_i(seg: Segmented, path: str) -> tuple[str, int]:
    """(name, line) when there is no title line: the subject of section I's first
    "NAME is used/indicated/authorised ..." sentence, never a heading. Raises a
    one-line InputError when there is none."""
    for ln in seg.section("part-i")[1:]:
        m = _SUBJECT.match(ln.text)
        if m and m.group("name").lower() not in ("it", "this", "the"):
            return m.group("name"), ln.no
    first = next((ln for ln in seg.lines if ln.text), None)
    raise InputError(
        "no product name: expected a 'Summary of risk management plan for NAME "
        "(substance)' title or 'NAME is used to …' in section I",
        path=path, line=first.no if first else None)
