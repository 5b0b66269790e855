"""Hypothesis properties of the parser: it never crashes on arbitrary text (only clean
errors), its RDF round-trips through Turtle, and page furniture or bullet glyphs do not
change what it extracts."""

from __future__ import annotations

from pathlib import Path

from graphfacts import concern_facts, concerns, study_facts
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from rmpgraph.errors import RmpGraphError
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import source_from_string

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rmp"
ZELVORIX = (FIXTURES / "zelvorix.txt").read_text("utf-8")
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def facts(text: str) -> tuple[list[dict[str, object]], dict[str, object]]:
    g = build_source(source_from_string(text)).graph
    return [concern_facts(g, c) for c in concerns(g)], study_facts(g)


BASELINE = facts(ZELVORIX)
SECTION_WORDS = [
    "II.A List of important risks",
    "II.B Summary of important risks",
    "Important identified risk: ",
    "Routine risk minimisation measures:",
    "Table 3 - ",
    "Final report: Q3 2024",
    "a ",
    "PASS: P; Q: Quarter.",
]


@SETTINGS
@given(
    st.lists(
        st.one_of(st.text(max_size=80), st.sampled_from(SECTION_WORDS)), max_size=40
    )
)
def test_arbitrary_text_gives_graph_or_clean_error(parts: list[str]) -> None:
    text = "\n".join(parts)
    try:
        build_source(source_from_string(text))
    except RmpGraphError as exc:
        assert "\n" not in str(exc)


@SETTINGS
@given(st.integers(min_value=0, max_value=len(ZELVORIX.splitlines()) - 1))
def test_truncation_never_crashes(cut: int) -> None:
    """A summary cut anywhere is refused with one line, or read with every
    non-blank line accounted for (used, furniture, boilerplate or an issue)."""
    text = "\n".join(ZELVORIX.splitlines()[:cut])
    try:
        result = build_source(source_from_string(text))
    except RmpGraphError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    doc = result.document
    seen = doc.accounted | doc.boilerplate | {i.line for i in doc.issues}
    lines = text.split("\n")
    assert {n for n, t in enumerate(lines, 1) if t.strip()} <= seen


def test_turtle_round_trip_is_isomorphic(lemtrada_graph: Graph) -> None:
    from rmpgraph.graph.serialize import serialize

    again = Graph().parse(data=serialize(lemtrada_graph, "turtle"), format="turtle")
    assert isomorphic(lemtrada_graph, again)


@SETTINGS
@given(st.sampled_from(["\uf0b7", "-", "o", "\uf0a7", "\u25aa", "\uf0d8"]))
def test_bullet_glyph_does_not_change_facts(glyph: str) -> None:
    text = ZELVORIX.replace("\n\u2022 ", f"\n{glyph} ")
    assert text != ZELVORIX
    assert facts(text) == BASELINE


@SETTINGS
@given(
    st.sets(
        st.integers(min_value=1, max_value=len(ZELVORIX.splitlines()) - 1), max_size=6
    ),
    st.sampled_from(["EMA/512345/2025  Page {n}/9", "Page {n} of 9"]),
)
# four breaks put "Risk minimisation measures" at the top of two of five pages: a row
# label, never a running header
@example({89, 92, 107, 125}, "Page {n} of 9")
def test_page_furniture_does_not_change_facts(breaks: set[int], pattern: str) -> None:
    lines = ZELVORIX.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in breaks:
            out.extend([pattern.format(n=i % 9 + 1), "\f"])
        out.append(line)
    assert facts("\n".join(out)) == BASELINE
