"""The product comes from the summary's title wherever it sits, else from section I,
and never from a heading; without either, one line and exit 2 (issue 14, item 5)."""

from __future__ import annotations

import pytest

from rmpgraph.errors import InputError
from rmpgraph.graph.pipeline import build_source
from rmpgraph.parse.read import source_from_string

BODY = ("II.A List of important risks and missing information\n\n"
        "Important identified risks\n\n- Myopathy\n\n"
        "II.B Summary of important risks\n")


@pytest.mark.parametrize(("head", "name", "substance"), [
    ("Part VI: Summary of the risk management plan\n\nSummary of risk management "
     "plan for Numbra (numbrastat)\n\n", "Numbra", "numbrastat"),
    ("EU Risk Management Plan\n\nPart VI: Summary of the risk management plan for "
     "Numbra (numbrastat)\n\n", "Numbra", "numbrastat"),
    ("Summary of risk management plan for\n\nNumbra (numbrastat)\n\n", "Numbra",
     "numbrastat"),
    ("Part VI: Summary of the risk management plan\n\nI. The medicine and what it is "
     "used for\n\nNumbra is used to treat high cholesterol.\n\n", "Numbra", None),
])
def test_product_wherever_the_title_sits(head: str, name: str,
                                         substance: str | None) -> None:
    doc = build_source(source_from_string(head + BODY)).document
    assert doc.product.name == name and doc.product.substance == substance
    assert [c.name for c in doc.concerns] == ["Myopathy"]


def test_no_product_is_one_line_error() -> None:
    text = "Part VI: Summary of the risk management plan\n\n" + BODY
    with pytest.raises(InputError, match="no product name") as info:
        build_source(source_from_string(text, path="x.txt"))
    assert "\n" not in str(info.value) and str(info.value).startswith("x.txt")
