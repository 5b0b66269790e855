"""`rmpgraph sparql`, registered from its own module.

COMMANDS maps one module to one command; the code lives in `query.py` next to the
stored-query commands it shares options with.
"""

from __future__ import annotations

from .query import sparql as command

__all__ = ["command"]
