"""Label sections a routine measure cites (rmpgraph/parse/textutil.py), issue 19:
every way the template's II.B rows write them ("SmPC section 4.4", "PL sections 2
and 4", "sections 2 and 4 of the PL", the document's full name, "SPC"), each with
the QRD sections a reader finds, written by hand.
"""

from __future__ import annotations

import pytest

from rmpgraph.parse.textutil import label_sections


@pytest.mark.parametrize(("text", "sections"), [
    ("SmPC section 4.4", ["smpc-4-4"]),
    ("SmPC sections 4.2, 4.4 and 4.8", ["smpc-4-2", "smpc-4-4", "smpc-4-8"]),
    ("SmPC 4.4", ["smpc-4-4"]),
    ("SPC section 4.3", ["smpc-4-3"]),
    ("Summary of Product Characteristics section 4.8", ["smpc-4-8"]),
    ("PL sections 2 and 4", ["pl-2", "pl-4"]),
    ("sections 2 and 4 of the PL", ["pl-2", "pl-4"]),
    ("section 4 of the Package Leaflet", ["pl-4"]),
    # a bare section after a named one belongs to the document named last
    ("SmPC section 4.4 and section 4.8", ["smpc-4-4", "smpc-4-8"]),
    ("Sections 4.4 and 4.8 of the SmPC; PL section 2", ["smpc-4-4", "smpc-4-8",
                                                         "pl-2"]),
    ("Restricted medical prescription", []),
])
def test_label_sections(text: str, sections: list[str]) -> None:
    assert label_sections(text) == sections
