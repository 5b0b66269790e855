"""Concern keys use the plural lexicon: a plural and its singular give one key.

Expected keys are written by hand from the words themselves.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from rmpgraph.graph.namespaces import RMP
from rmpgraph.parse.keys import singular
from rmpgraph.parse.textutil import normalise_name


@pytest.mark.parametrize("name,key", [
    ("Malignancies", "malignancy"),
    ("Malignancy", "malignancy"),
    ("Pancreatitis", "pancreatitis"),
    ("Autoimmune thyroid disorders", "autoimmune thyroid disorder"),
    ("Infusion Associated Reactions (IARs)", "infusion associated reaction"),
    ("Diabetes mellitus", "diabetes mellitus"),      # listed as invariant
    ("Herpes zoster infections", "herpes zoster infection"),  # 'herpes' listed
    ("Skin abscess", "skin abscess"),                # -ss
    ("Serious infections", "serious infection"),     # -us
    ("Haemorrhagic strokes", "hemorrhagic stroke"),  # spelling and plural
])
def test_normalised_names(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_invariant_words_come_from_the_lexicon_file() -> None:
    # 'species' and 'series' end in -ies but are listed as singular
    assert singular("species") == "species"
    assert singular("series") == "series"
    assert singular("allergies") == "allergy"


def test_lemtrada_malignancies_key(lemtrada_graph: Graph) -> None:
    keys = {lemtrada_graph.value(node, RMP.normalisedName)
            for node in lemtrada_graph.subjects(RDFS.label, Literal("Malignancies"))}
    assert keys - {None} == {Literal("malignancy")}
