"""The bundled example: the public Part VI summary of LEMTRADA (alemtuzumab).

`lemtrada()` returns the file's path rather than a built document: building is one
explicit call (`rmpgraph.build(rmpgraph.examples.lemtrada())`), and the same path
works with every command and function that reads summaries. The path resolves in a
source checkout and after `pip install` alike (the wheel carries `data/`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["lemtrada"]


def lemtrada() -> Path:
    """Path of the LEMTRADA summary shipped with rmpgraph (`data/rmp/lemtrada.txt`)."""
    from rmpgraph.errors import InputError
    from rmpgraph.paths import DATA_DIR

    path = DATA_DIR / "rmp" / "lemtrada.txt"
    if not path.is_file():
        raise InputError("bundled example missing from this installation", path=path)
    return path
