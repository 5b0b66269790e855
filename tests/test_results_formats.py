"""Result formats written by libraries (rdflib, pyoxigraph) and the people table.

Expected values are the hand-made rows below, read back by rdflib's own parsers
for each W3C format; the table is checked word by word.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from rmpgraph.queries.results import render, render_boolean, stream_solutions, table

ID = "https://w3id.org/rmpgraph/id/"
VARIABLES = ("concern", "label", "count")
ROWS = [
    {"concern": URIRef(ID + "demomab/concern/serious-infections"),
     "label": Literal('Serious "opportunistic" infections\nand sepsis', lang="en"),
     "count": Literal(3, datatype=XSD.integer)},
    {"concern": URIRef(ID + "demomab/concern/use-in-pregnancy"),
     "label": Literal("Use in pregnancy; tab\there")},
    {"concern": BNode("b0"), "count": Literal("2.5", datatype=XSD.decimal)},
]


def _as_dicts(result: Result) -> list[dict[str, object]]:
    names = [str(v) for v in result.vars or []]
    return [{n: t for n, t in zip(names, row, strict=True) if t is not None}
            for row in result]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_machine_formats_read_back(fmt: str) -> None:
    text = render(fmt, VARIABLES, ROWS)
    parsed = _as_dicts(Result.parse(io.StringIO(text), format=fmt))
    if fmt == "csv":  # CSV keeps lexical forms only (W3C: no types, no languages)
        want = [{k: Literal(str(v)) if not isinstance(v, URIRef | BNode) else v
                 for k, v in row.items()} for row in ROWS]
        assert [{k: str(v) for k, v in r.items() if not isinstance(v, BNode)}
                for r in parsed] == [{k: str(v) for k, v in r.items()
                                      if not isinstance(v, BNode)} for r in want]
    else:
        assert parsed == ROWS
    assert render(fmt, VARIABLES, ROWS) == text  # the same text every time


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results(fmt: str) -> None:
    for value in (True, False):
        text = render_boolean(fmt, value)
        assert Result.parse(io.StringIO(text), format=fmt).askAnswer is value


def test_table_never_breaks_a_word_or_an_iri() -> None:
    text = table(VARIABLES, ROWS, width=40, iris=True)
    words = {w for line in text.splitlines() for w in line.split()}
    assert "id:demomab/concern/serious-infections" in words
    assert {"Serious", '"opportunistic"', "infections", "sepsis"} <= words
    assert text.splitlines()[-1] == "(3 rows)"


def test_table_shows_labels_unless_iris() -> None:
    concern = ROWS[0]["concern"]
    labels = {concern: "Serious infections"}
    shown = table(("concern",), ROWS[:1], width=80, labels=labels)
    assert shown.splitlines()[2].strip() == "Serious infections"
    assert "id:demomab" not in shown
    raw = table(("concern",), ROWS[:1], width=80, labels=labels, iris=True)
    assert raw.splitlines()[2].strip() == "id:demomab/concern/serious-infections"


def test_table_fits_when_words_allow() -> None:
    rows = [{"text": Literal("one two three four five six seven eight nine ten")}]
    text = table(("text",), rows, width=20)
    assert max(len(line) for line in text.splitlines()) <= 20
    assert " ".join(text.splitlines()[2:-1]).split() == \
        "one two three four five six seven eight nine ten".split()


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_oxigraph_solutions_stream_in_w3c_formats(fmt: str) -> None:
    store = ox.Store()
    subject = ox.NamedNode(ID + "demomab/concern/use-in-pregnancy")
    store.add(ox.Quad(subject, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Use in pregnancy", language="en")))
    out = io.BytesIO()
    stream_solutions(store.query("SELECT ?concern ?label WHERE { ?concern ?p ?label }"),
                     fmt, out)
    parsed = _as_dicts(Result.parse(io.StringIO(out.getvalue().decode("utf-8")),
                                    format=fmt))
    label = Literal("Use in pregnancy", lang="en")
    assert parsed == [{"concern": URIRef(str(subject.value)),
                       "label": label if fmt != "csv" else Literal(str(label))}]
