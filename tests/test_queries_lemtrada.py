"""Golden answers of every stored query on LEMTRADA.

Expected values are computed here from the source text by a deliberately naive scan
of the II.B tables (row labels, bullets, "None", study lines, footnotes) or taken from
facts stated in the document; they never come from running a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from rmpgraph.queries import stored as queries

TEXT = Path(__file__).resolve().parent.parent / "data" / "rmp" / "lemtrada.txt"
HEADER = re.compile(
    r"^(Important identified risk|Important potential risk|"
    r"Missing information): ?(.*)$"
)
CATEGORY = {
    "Important identified risk": "important-identified-risk",
    "Important potential risk": "important-potential-risk",
    "Missing information": "missing-information",
}
MATERIALS = {
    "hcp-guide": r"HCP guide",
    "hcp-checklist": r"HCP check[- ]?list",
    "patient-guide": r"patient guide",
    "patient-alert-card": r"patient alert",
}


@dataclass
class Table:
    """What a reader sees in one II.B table."""

    number: int
    first: int  # 1-based line numbers
    last: int
    category: str
    name: str
    routine: list[str] = field(default_factory=list)
    additional: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    studies: dict[str, str] = field(default_factory=dict)  # name -> milestone text
    footnotes: list[str] = field(default_factory=list)

    @property
    def bullets(self) -> int:
        # the bullet glyph is lost in the text export; a bullet starts with one space
        return sum(1 for line in self.routine if re.match(r"^ \S", line))

    @property
    def smpc_sections(self) -> set[str]:
        return set(re.findall(r"\b(\d{1,2})\.(\d)\b", " ".join(self.routine)))

    @property
    def routine_bullets(self) -> list[str]:
        """Each routine bullet with its continuation lines joined."""
        out: list[str] = []
        for line in self.routine:
            if re.match(r"^ \S", line) or (line.strip() and not out):
                out.append(line.strip())
            elif line.strip():
                out[-1] += " " + line.strip()
        return out


def pl_sections(text: str) -> set[str]:
    """PL sections a routine bullet cites ("PL sections 2 and 4", "section 2 of
    the PL")."""
    found = re.finditer(r"PL [Ss]ections? (\d)(?: and (\d))?|"
                        r"[Ss]ections? (\d)(?: and (\d))? of (?:the )?PL", text)
    return {x for m in found for x in m.groups() if x}


def _between(block: list[str], start: str, stop: str | None) -> list[str]:
    idx = [i for i, line in enumerate(block) if re.match(start, line.strip())]
    if not idx:
        return []
    out = []
    for line in block[idx[0] + 1 :]:
        if stop and re.match(stop, line.strip()):
            break
        out.append(line)
    return out


def _paragraph(block: list[str], i: int) -> str:
    """Line i and the non-blank lines that follow it, joined."""
    out = []
    for line in block[i:]:
        if not line.strip():
            break
        out.append(line.strip())
    return " ".join(out)


def _without_headers(block: list[str]) -> list[str]:
    """Drop the concern header lines (repeated at each page break, possibly wrapped
    onto the next line) so they are not read as row content."""
    out: list[str] = []
    in_header = False
    for line in block:
        if HEADER.match(line.strip()):
            in_header = True
            out.append("")
            continue
        if in_header and line.strip():
            out.append("")
            continue
        in_header = False
        out.append(line)
    return out


@cache
def tables() -> tuple[Table, ...]:
    lines = TEXT.read_text(encoding="utf-8").split("\n")
    begin = next(i for i, s in enumerate(lines) if s.startswith("II.B "))
    end = next(i for i, s in enumerate(lines) if s.startswith("II.C "))
    starts = [i for i in range(begin, end) if re.match(r"^\s*Table \d+ -", lines[i])]
    out = []
    for k, first in enumerate(starts):
        last = starts[k + 1] - 1 if k + 1 < len(starts) else end - 1
        block = _without_headers(lines[first : last + 1])
        head = next(
            m for s in lines[first + 1 : last + 1] if (m := HEADER.match(s.strip()))
        )
        table = Table(
            number=int(re.findall(r"Table (\d+)", block[0])[0]),
            first=first + 1,
            last=last + 1,
            category=CATEGORY[head.group(1)],
            name=head.group(2),
        )
        table.routine = _between(
            block,
            r"Routine risk minimi[sz]ation measures:",
            r"Additional risk minimi[sz]ation measures:",
        )
        table.additional = [
            s
            for s in _between(
                block, r"Additional risk minimi[sz]ation measures:", r"Additional$"
            )
            if s.strip() and not HEADER.match(s.strip())
        ]
        table.evidence = _between(
            block, r".*risk to the medicine$", r"Risk factors and"
        )
        table.risk_factors = _between(block, r"groups$", r"Risk minimi[sz]ation")
        pv = [
            s.strip() for s in _between(block, r"pharmacovigilance$", None) if s.strip()
        ]
        for j, s in enumerate(pv[:-1]):
            if re.match(r"(Final report|Planned date)", pv[j + 1]) and not re.match(
                r"(Final report|Planned date|activities)", s
            ):
                table.studies[s] = pv[j + 1]
        table.footnotes = [
            _paragraph(block, i)[2:] for i, s in enumerate(block) if s.startswith("a ")
        ]
        out.append(table)
    return tuple(out)


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())[:15]


@pytest.fixture(scope="module")
def graph(lemtrada_graph: Graph) -> Graph:
    return lemtrada_graph


@pytest.fixture(scope="module")
def concern_of(graph: Graph) -> dict[int, URIRef]:
    """II.B table number -> concern IRI, matched on the first letters of the name."""
    rows = queries.run("concerns", graph)
    by_key = {_key(str(r["concern_label"])): r["concern"] for r in rows}
    out = {t.number: by_key[_key(t.name)] for t in tables()}
    assert len(set(out.values())) == len(tables()) == 23
    return out


def _tail(term: object) -> str:
    return str(term).rsplit("/", 1)[-1]


def test_scan_sees_23_tables() -> None:
    cats = [t.category for t in tables()]
    assert (
        cats.count("important-identified-risk"),
        cats.count("important-potential-risk"),
        cats.count("missing-information"),
    ) == (17, 3, 3)


def test_concerns(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("concerns", graph)
    assert {r["concern"] for r in rows} == set(concern_of.values())
    category = {r["concern"]: _tail(r["category"]) for r in rows}
    assert category == {concern_of[t.number]: t.category for t in tables()}
    qualified = {r["concern"]: str(r["qualifier"]) for r in rows if "qualifier" in r}
    temporal = "This risk is temporally associated with LEMTRADA infusion."
    expected = {
        concern_of[t.number]
        for t in tables()
        if any(f.startswith(temporal) for f in t.footnotes)
    }
    assert set(qualified) == expected and len(expected) == 5
    assert set(qualified.values()) == {temporal}
    assert [int(r["position"]) for r in rows] == list(range(1, 24))


def _table_params() -> list[object]:
    return [pytest.param(t.number, id=f"table-{t.number}") for t in tables()]


@pytest.mark.parametrize("number", _table_params())
def test_routine_measures_per_concern(
    graph: Graph, concern_of: dict[int, URIRef], number: int
) -> None:
    t = next(t for t in tables() if t.number == number)
    rows = queries.run("concern-measures", graph)
    # one row per statement (bullet) and measure it states: the bullets are the
    # distinct positions (a table with no bullet glyph has one statement)
    routine = {
        int(r["position"])
        for r in rows
        if r["concern"] == concern_of[number] and str(r["level"]) == "routine"
    }
    assert routine == set(range(1, max(t.bullets, 1) + 1)), t.name


def test_concern_measures(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("concern-measures", graph)
    for t in tables():
        mine = [r for r in rows if r["concern"] == concern_of[t.number]]
        assert any(str(r["level"]) == "routine" for r in mine), t.name
        sections = {
            (a, b)
            for r in mine
            if "label_section" in r
            for a, b in re.findall(r"smpc-(\d+)-(\d)$", str(r["label_section"]))
        }
        assert sections == t.smpc_sections, t.name
        additional = [r for r in mine if str(r["level"]) == "additional"]
        if [s.strip() for s in t.additional] == ["None"]:
            assert [str(r["measure_text"]) for r in additional] == ["None"], t.name
        else:
            # one statement naming the educational materials, one measure each
            named = [k for k, pat in MATERIALS.items()
                     if re.search(pat, " ".join(t.additional), re.I)]
            assert {int(r["position"]) for r in additional} == {1}, t.name
            assert len({r["measure"] for r in additional}) == len(named), t.name
    # a measure is one node of the RMP, shared by every concern it addresses: the
    # additional measures of all tables are the materials the document names
    every = " ".join(" ".join(t.additional) for t in tables())
    assert len({r["measure"] for r in rows if str(r["level"]) == "additional"
                and str(r["measure_text"]) != "None"}) == \
        sum(1 for pat in MATERIALS.values() if re.search(pat, every, re.I)) == 4
    assert [int(r["concern_position"]) for r in rows] == sorted(
        int(r["concern_position"]) for r in rows
    )


def test_concerns_without_additional_rmm(
    graph: Graph, concern_of: dict[int, URIRef]
) -> None:
    rows = queries.run("concerns-without-additional-rmm", graph)
    expected = {
        concern_of[t.number]
        for t in tables()
        if [s.strip() for s in t.additional] == ["None"]
    }
    assert {r["concern"] for r in rows} == expected
    assert len(rows) == 7 and all(r["none_stated"].toPython() is True for r in rows)


def test_concerns_without_additional_pv(graph: Graph) -> None:
    assert all(t.studies for t in tables())  # every table names a study...
    assert queries.run("concerns-without-additional-pv", graph) == []  # ...so none


def test_material_coverage(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("material-coverage", graph)
    expected: dict[str, set[URIRef]] = {}
    for kind, pattern in MATERIALS.items():
        expected[kind] = {
            concern_of[t.number]
            for t in tables()
            if re.search(pattern, " ".join(t.additional), re.I)
        }
    got: dict[str, set[URIRef]] = {}
    for r in rows:
        got.setdefault(_tail(r["material_kind"]), set()).add(r["concern"])
    assert got == expected
    assert (len(expected["hcp-guide"]), len(expected["hcp-checklist"])) == (16, 13)
    gap = {r["concern"] for r in rows if r["not_in_checklist"].toPython()}
    assert gap == expected["hcp-guide"] - expected["hcp-checklist"]


def test_study_coverage(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("study-coverage", graph)
    names = {name for t in tables() for name in t.studies}
    assert {str(r["study_label"]) for r in rows} == names
    for name in names:
        mine = [r for r in rows if str(r["study_label"]) == name]
        concerns = {
            r["item"] for r in mine if str(r["relation"]) == "addresses concern"
        }
        assert concerns == {concern_of[t.number] for t in tables() if name in t.studies}
        milestones = {
            str(r["item_label"]) for r in mine if str(r["relation"]) == "milestone"
        }
        written = {t.studies[name] for t in tables() if name in t.studies}
        assert len(milestones) == 1
        assert all(m.startswith(w.split(":")[0]) for m in milestones for w in written)
    category = {str(r["study_label"]): _tail(r["category"]) for r in rows}
    ma = {str(r["study_label"]): r["condition_of_ma"].toPython() for r in rows}
    # stated in II.C: II.C.1 = conditions of the MA (category 1), "(cat. 3)" in II.C.2
    assert category == {
        "PASS OBS13434": "3",
        "Pediatric study EFC13429": "3",
        "Drug Utilization Study": "1",
        "Risk of mortality study": "1",
    }
    assert ma == {
        "PASS OBS13434": False,
        "Pediatric study EFC13429": False,
        "Drug Utilization Study": True,
        "Risk of mortality study": True,
    }


def test_concerns_by_study_count(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("concerns-by-study-count", graph)
    counts = [int(r["study_count"]) for r in rows]
    assert counts == sorted(counts)
    assert {r["concern"]: int(r["study_count"]) for r in rows} == {
        concern_of[t.number]: len(t.studies) for t in tables()
    }


def _due_end(text: str) -> date | None:
    """Last day of 'Q3 2024' / '2031'; None for event-relative milestones."""
    if m := re.search(r"Q([1-4]) (\d{4})", text):
        q, y = int(m.group(1)), int(m.group(2))
        return date(y, 12, 31) if q == 4 else date(y, 3 * q + 1, 1) - timedelta(days=1)
    if m := re.fullmatch(r"Final report: (\d{4})", text):
        return date(int(m.group(1)), 12, 31)
    return None


def _milestones() -> dict[str, date | None]:
    return {name: _due_end(ms) for t in tables() for name, ms in t.studies.items()}


@pytest.mark.parametrize(
    "as_of", ["2024-09-30", "2024-10-01", "2026-11-25", "2032-01-01"]
)
def test_overdue_milestones(graph: Graph, as_of: str) -> None:
    rows = queries.run("overdue-milestones", graph, as_of=as_of)
    cut = date.fromisoformat(as_of)
    expected = {(n, d) for n, d in _milestones().items() if d is not None and d < cut}
    assert {(str(r["study_label"]), r["due_end"].toPython()) for r in rows} == expected
    if as_of == "2026-11-25":
        assert {n for n, _ in expected} == {
            "Drug Utilization Study",
            "Risk of mortality study",
        }


def test_overdue_default_is_today(graph: Graph) -> None:
    today = date.today()
    expected = {n for n, d in _milestones().items() if d is not None and d < today}
    assert {
        str(r["study_label"]) for r in queries.run("overdue-milestones", graph)
    } == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [("2025-01-01", None), ("2024-01-01", "2024-12-31"), ("2032-01-01", None)],
)
def test_upcoming_milestones(graph: Graph, start: str, end: str | None) -> None:
    params = {"from": start} | ({"to": end} if end else {})
    rows = queries.run("upcoming-milestones", graph, **params)
    lo = date.fromisoformat(start)
    hi = date.fromisoformat(end) if end else date.max
    # a period starts on Jan 1 of its year (both milestone forms here are in one year)
    expected = {
        n
        for n, d in _milestones().items()
        if d is not None and d >= lo and date(d.year, 1, 1) <= hi
    }
    assert {str(r["study_label"]) for r in rows} == expected


def test_label_coverage(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("label-coverage", graph)
    got = {
        (r["concern"], _tail(r["label_section"]))
        for r in rows
        if re.fullmatch(r"smpc-\d+-\d", _tail(r["label_section"]))
    }
    expected = {
        (concern_of[t.number], f"smpc-{a}-{b}")
        for t in tables()
        for a, b in t.smpc_sections
    }
    assert got == expected
    assert all(int(r["measure_count"]) >= 1 for r in rows)


def test_concerns_not_in_smpc_4_4(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("concerns-not-in-smpc-4-4", graph)
    expected = {
        concern_of[t.number] for t in tables() if ("4", "4") not in t.smpc_sections
    }
    assert {r["concern"] for r in rows} == expected
    assert {_tail(r["category"]) for r in rows} == {"missing-information"}


def test_missing_information_plan(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("missing-information-plan", graph)
    missing = [t for t in tables() if t.category == "missing-information"]
    assert {r["concern"] for r in rows} == {concern_of[t.number] for t in missing}
    for t in missing:
        mine = [r for r in rows if r["concern"] == concern_of[t.number]]
        studies = {
            str(r["activity_label"]) for r in mine if str(r["activity_type"]) == "study"
        }
        assert studies == set(t.studies)
        assert any(str(r["activity_type"]) == "routine measure" for r in mine)
        assert not [r for r in mine if str(r["activity_type"]) == "additional measure"]


def test_evidence_sources(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    rows = queries.run("evidence-sources", graph)
    sources: dict[str, set[URIRef]] = {}
    for r in rows:
        if str(r["kind"]) == "evidence source":
            sources.setdefault(_tail(r["value"]), set()).add(r["concern"])
    evidence = {t.number: " ".join(t.evidence).lower() for t in tables()}
    assert sources["post-marketing"] == {
        concern_of[n] for n, e in evidence.items() if "postmarketing" in e
    }
    assert sources["clinical-trials"] == {
        concern_of[n] for n, e in evidence.items() if e.strip().startswith("clinical")
    }
    assert sources["literature"] == {
        concern_of[n] for n, e in evidence.items() if "literature" in e
    }
    assert sources["spontaneous-reports"] == {
        concern_of[n] for n, e in evidence.items() if "spontaneous" in e
    }
    refs = {
        r["concern"]: str(r["text"])
        for r in rows
        if str(r["kind"]) == "literature reference"
    }
    cited = {
        concern_of[t.number]: f
        for t in tables()
        for f in t.footnotes
        if re.search(r"\b(19|20)\d\d\b", f)
    }
    assert set(refs) == set(cited) and len(cited) == 4
    for concern, footnote in cited.items():
        assert " ".join(refs[concern].split())[:30] == " ".join(footnote.split())[:30]


@pytest.mark.parametrize(
    "term", ["diabetes", "HIV", "smoking", "CAMMS223", "no-such-risk-factor"]
)
def test_risk_factor_search(
    graph: Graph, concern_of: dict[int, URIRef], term: str
) -> None:
    rows = queries.run("risk-factor-search", graph, term=term)
    expected = {
        concern_of[t.number]
        for t in tables()
        if term.lower() in " ".join(t.risk_factors).lower()
    }
    assert {r["concern"] for r in rows} == expected


def test_provenance(graph: Graph, concern_of: dict[int, URIRef]) -> None:
    table = next(t for t in tables() if t.name.startswith("Thrombocytopenia"))
    iri = concern_of[table.number]
    rows = queries.run("provenance", graph, concern="thrombocytopenia")
    assert rows == queries.run("provenance", graph, concern=str(iri))
    assert {r["concern"] for r in rows} == {iri}
    lines = TEXT.read_text(encoding="utf-8").split("\n")
    listed = next(
        i + 1 for i, s in enumerate(lines) if s.strip() == "Thrombocytopeniaa"
    )
    ii_b = min(t.first for t in tables())
    for r in rows:
        start, end = int(r["start_line"]), int(r["end_line"])
        assert (table.first <= start <= end <= table.last) or end < ii_b, r
    assert any(
        int(r["start_line"]) <= listed <= int(r["end_line"])
        and str(r["role"]) == "listing"
        for r in rows
    )
    bullets = [
        table.first + i
        for i, s in enumerate(lines[table.first - 1 : table.last])
        if re.match(r"^ \S", s) and s.strip() in {x.strip() for x in table.routine}
    ]
    spans = [
        (int(r["start_line"]), int(r["end_line"]))
        for r in rows
        if str(r["role"]) == "routine measure"
    ]
    assert len(spans) == table.bullets
    assert all(any(a <= b <= z for a, z in spans) for b in bullets)


def test_products_sharing_concern(graph: Graph) -> None:
    assert queries.run("products-sharing-concern", graph) == []
    copy = Graph()
    old = "https://w3id.org/rmpgraph/id/lemtrada"
    for triple in graph:
        copy.add(
            tuple(
                URIRef(str(x).replace(old, old + "-copy"))  # type: ignore[arg-type]
                if isinstance(x, URIRef) and str(x).startswith(old)
                else x
                for x in triple
            )
        )
    both = graph + copy
    rows = queries.run("products-sharing-concern", both)
    assert len({r["key"] for r in rows}) == len(tables())
    assert len(rows) == 2 * len(tables())
    assert {int(r["product_count"]) for r in rows} == {2}


def test_rmp_summary(graph: Graph) -> None:
    rows = queries.run("rmp-summary", graph)
    assert len(rows) == 1
    got = {
        k: int(v)
        for k, v in rows[0].items()
        if k not in ("product", "rmp", "routine_measures")
    }
    cats = [t.category for t in tables()]
    studies = {name for t in tables() for name in t.studies}
    materials = {
        k
        for k, p in MATERIALS.items()
        if any(re.search(p, " ".join(t.additional), re.I) for t in tables())
    }
    assert got == {
        "identified_risks": cats.count("important-identified-risk"),
        "potential_risks": cats.count("important-potential-risk"),
        "missing_information": cats.count("missing-information"),
        "studies": len(studies),
        "studies_cat1": 2,
        "studies_cat2": 0,
        "studies_cat3": 2,  # II.C, as stated
        # one node per material, however many tables name it
        "additional_measures": len(materials),
        "materials": len(materials),
        "milestones": len(studies),  # one milestone line per study in II.B
    }


def test_rmp_summary_routine_measures(graph: Graph) -> None:
    """One routine measure per label section cited anywhere, plus the bullets that
    cite none: in LEMTRADA these all state the supervised treatment setting, which
    is one measure."""
    rows = queries.run("rmp-summary", graph)
    bullets = [b for t in tables() for b in t.routine_bullets]
    smpc = {s for b in bullets for s in re.findall(r"\b(\d{1,2})\.(\d)\b", b)}
    pl = {s for b in bullets for s in pl_sections(b)}
    uncited = [b for b in bullets
               if not re.findall(r"\b(\d{1,2})\.(\d)\b", b) and not pl_sections(b)]
    assert uncited and all("initiated and supervised by a neurologist" in b
                           for b in uncited)
    assert (len(smpc), len(pl)) == (7, 2)
    assert int(rows[0]["routine_measures"]) == len(smpc) + len(pl) + 1


def test_concerns_addressed_by_the_patient_alert_card(
    graph: Graph, concern_of: dict[int, URIRef]
) -> None:
    """Issue 15: the answer comes from one measure node, and it is every concern
    whose II.B table names the patient alert card."""
    rows = queries.run("concerns-addressed-by-measure", graph,
                       measure="Patient alert card")
    assert len({r["measure"] for r in rows}) == 1
    expected = {concern_of[t.number] for t in tables()
                if re.search(MATERIALS["patient-alert-card"], " ".join(t.additional),
                             re.I)}
    assert {r["concern"] for r in rows} == expected and len(expected) == 16
    assert rows == queries.run("concerns-addressed-by-measure", graph,
                               measure="patient-alert-card")
    assert all("patient alert card" in str(r["wording"]) for r in rows)


def test_measures_without_effectiveness_study(graph: Graph) -> None:
    # no LEMTRADA study sets out to evaluate the educational materials (the only
    # "evaluate" in the text is the paediatric study's efficacy objective)
    text = TEXT.read_text(encoding="utf-8").lower()
    assert "effectiveness" not in text
    rows = queries.run("measures-without-effectiveness-study", graph)
    every = " ".join(" ".join(t.additional) for t in tables())
    assert {_tail(r["kind"]) for r in rows} == {
        k for k, pat in MATERIALS.items() if re.search(pat, every, re.I)}


def test_scope_on_one_graph(graph: Graph) -> None:
    """One RMP, no wasRevisionOf: it is the latest; a product, its RMP or all
    versions give the same rows; another product or version number gives none."""
    rows = queries.run("concerns", graph)
    rmp = {str(r) for r in graph.objects(None, URIRef(
        "https://w3id.org/rmpgraph/ontology#hasRiskManagementPlan"))}
    assert len(rmp) == 1
    assert queries.run("concerns", graph, versions="all") == rows
    assert queries.run("concerns", graph, rmp=rmp.pop()) == rows
    assert queries.run("concerns", graph,
                       product="https://w3id.org/rmpgraph/id/lemtrada") == rows
    assert queries.run("concerns", graph,
                       product="https://w3id.org/rmpgraph/id/other") == []
    assert queries.run("concerns", graph, version="8.2") == []  # none stated
