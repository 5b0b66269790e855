"""The package layout shows the pipeline (docs/ARCHITECTURE.md) and stays true:
stages import one way only (the import-linter contract in pyproject.toml), every
stage says in its docstring what goes in, what comes out and what it may import,
and no module grows past what one reads in a sitting."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import rmpgraph

REPO = Path(__file__).resolve().parent.parent
STAGES = ["parse", "graph", "check", "queries", "store", "link", "present", "api",
          "cli"]


def test_stages_import_downwards_only() -> None:
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name(
        "lint-imports"))
    run = subprocess.run([lint, "--config", str(REPO / "pyproject.toml")],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


@pytest.mark.parametrize("stage", STAGES)
def test_stage_docstring_says_in_out_and_imports(stage: str) -> None:
    doc = (REPO / "rmpgraph" / stage / "__init__.py").read_text("utf-8")
    text = doc.split('"""')[1] if '"""' in doc else ""
    assert text.strip(), f"rmpgraph/{stage}/__init__.py has no docstring"
    if stage not in ("link", "cli"):
        assert "In:" in text and "Out:" in text and "May import:" in text


def test_no_module_over_400_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in (REPO / "rmpgraph").rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > 400}
    assert long == {}


def test_flat_package_is_gone() -> None:
    """Only shared helpers sit at the top; everything else is in a stage."""
    top = sorted(p.name for p in (REPO / "rmpgraph").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "errors.py", "netguard.py",
                   "paths.py"]


def test_public_api_from_the_top_level() -> None:
    """The documented API (`rmpgraph.api`) is reachable from the top level; the
    older names keep working for existing notebooks."""
    from rmpgraph import api
    from rmpgraph.check.validate import ValidationReport
    from rmpgraph.store.embedded import RmpStore

    assert rmpgraph.validate is api.validate and rmpgraph.build is api.build
    assert rmpgraph.Store is RmpStore and rmpgraph.RmpStore is RmpStore
    assert rmpgraph.ValidationReport is ValidationReport
    assert rmpgraph.queries.run.__module__ == "rmpgraph.queries.stored"
    with pytest.raises(AttributeError):
        rmpgraph.no_such_name  # noqa: B018


def test_cli_sits_on_the_api() -> None:
    """The api package is a layer of its own, right below the CLI."""
    text = (REPO / "pyproject.toml").read_text("utf-8")
    assert '"rmpgraph.cli",\n  "rmpgraph.api",\n  "rmpgraph.present",' in text
