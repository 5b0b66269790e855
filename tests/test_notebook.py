"""The example notebook (examples/rmpgraph-tour.ipynb) runs top to bottom and
answers what its text says, and is committed with its outputs cleared.

The kernel is the test's own interpreter: ipykernel's `python3` spec, whose `python`
jupyter_client replaces with `sys.executable`, so no kernelspec is installed and
nothing is downloaded. Expected answers are the documents' own: LEMTRADA's II.A
lists 17 identified and 3 potential risks and 3 items of missing information; the
Sorvelta fixture's truth file 3, 3 and 0; both list Malignancies and Serious
infections."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "rmpgraph-tour.ipynb"
#: the issue's target is 60 s in CI; this bound only catches a runaway notebook on
#: a machine shared by many jobs
MAX_SECONDS = 180

CHECK = """import json as _json
print(_json.dumps({
    "counts": summary[["product", "identified_risks", "potential_risks",
                       "missing_information"]].values.tolist(),
    "shared": sorted({(k, p) for k, p in zip(shared["key"], shared["product"])}),
    "chart_bytes": chart.stat().st_size,
    "overdue_dtype": str(overdue["due_end"].dtype),
}))"""


def test_outputs_are_cleared_in_the_repository() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None
                        for c in code)


def test_notebook_runs_and_answers() -> None:
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(len(nb.cells) - 1, nbformat.v4.new_code_cell(CHECK))  # before
    # the clean-up cell, which must leave nothing behind
    before = set(Path(tempfile.gettempdir()).glob("rmpgraph-tour-*"))
    start = time.monotonic()
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}
                            ).execute()
    seconds = time.monotonic() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    facts = json.loads(nb.cells[-2].outputs[-1]["text"])
    assert facts["counts"] == [["LEMTRADA", 17, 3, 3], ["Sorvelta", 3, 3, 0]]
    assert facts["shared"] == [["malignancy", "LEMTRADA"], ["malignancy", "Sorvelta"],
                               ["serious infection", "LEMTRADA"],
                               ["serious infection", "Sorvelta"]]
    assert facts["chart_bytes"] > 1000  # a real PNG, not an empty file
    assert facts["overdue_dtype"] == "datetime64[ns]"
    assert seconds < MAX_SECONDS, f"notebook took {seconds:.0f} s"
    assert set(Path(tempfile.gettempdir()).glob("rmpgraph-tour-*")) == before
