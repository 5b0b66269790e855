"""Python modules kept among the fixtures (`tests/fixtures/**/*.py`: data builders,
not a package), loaded by path once per process and shared by the test files that
use them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_module(relative: str) -> ModuleType:
    """The module at `tests/fixtures/<relative>`, e.g. "versions/stores.py"."""
    name = "fixture_" + relative.removesuffix(".py").replace("/", "_")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, FIXTURES / relative)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
