"""The API reference is generated from the docstrings (pdoc), so every public name
of `rmpgraph.api`, and every public method of its own classes, must have one: an
undocumented name would appear in the reference as a bare signature."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from rmpgraph import api

#: classes defined by the API layer (the others are documented where they live)
OWN_CLASSES = [api.RmpDocument, api.BuiltFile, api.Issue, api.QueryResult,
               api.VersionDiff]


def test_pdoc_builds_the_reference(tmp_path: Path) -> None:
    pdoc = Path(sys.executable).with_name("pdoc")
    run = subprocess.run([str(pdoc), "rmpgraph.api", "-o", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (tmp_path / "rmpgraph" / "api.html").read_text("utf-8")
    modules = {name for name in api.__all__ if inspect.ismodule(getattr(api, name))}
    for name in sorted(set(api.__all__) - modules):
        assert f'id="{name}"' in page, name
    for name in modules:
        assert (tmp_path / "rmpgraph" / "api" / f"{name}.html").is_file(), name


@pytest.mark.parametrize("name", api.__all__)
def test_every_public_name_has_a_docstring(name: str) -> None:
    obj = getattr(api, name)
    assert (obj.__doc__ or "").strip(), name


@pytest.mark.parametrize("cls", OWN_CLASSES, ids=lambda c: c.__name__)
def test_public_members_of_own_classes_have_docstrings(cls: type) -> None:
    missing = [name for name, member in vars(cls).items()
               if not name.startswith("_")
               and (inspect.isfunction(member) or isinstance(member, property))
               and not (member.__doc__ or "").strip()]
    assert missing == []
