"""What a store directory holds, judged from its files before Oxigraph opens it.

Oxigraph (RocksDB underneath) creates a database whenever it opens a directory
without a `CURRENT` file. A store that lost `CURRENT` was therefore silently
replaced by a new, empty database in the same directory, and later loads wrote
into it (issue 18). So nothing opens a directory until this module has said it
is a store: an absent or empty directory is "no store" (only `load` may create
one there), RocksDB files without a readable `CURRENT` → `MANIFEST` chain are a
damaged store, and any other non-empty directory is not a store at all. A store
whose files look right is then opened read-only first (RocksDB's read-only mode
writes nothing, not even its `LOG`), so a damaged store is found without touching
a byte of it.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

from rmpgraph.errors import InputError

__all__ = ["State", "inspect", "damaged", "no_store", "refuse", "describe_failure",
           "runtime_error", "is_lock_error"]

#: files RocksDB writes into a database directory
_STORE_FILE = re.compile(r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\..*)?|MANIFEST-\d+|"
                         r"OPTIONS-\d+|\d+\.(sst|log|blob))$")
_CURRENT = re.compile(r"^(MANIFEST-\d+)\n?$")


class State(Enum):
    ABSENT = "absent"          # no such directory
    EMPTY = "empty"            # an empty directory
    STORE = "store"            # CURRENT names a MANIFEST that exists
    DAMAGED = "damaged"        # store files, but the CURRENT -> MANIFEST chain broken
    FOREIGN = "foreign"        # a non-empty directory that holds no store files
    NOT_DIR = "not-dir"        # a regular file (or other non-directory)


def inspect(path: Path) -> tuple[State, str]:
    """The state of `path` and, for a damaged store, why (for the message)."""
    if not path.exists():
        return State.ABSENT, ""
    if not path.is_dir():
        return State.NOT_DIR, ""
    names = {p.name for p in path.iterdir()}
    if not names:
        return State.EMPTY, ""
    if not any(_STORE_FILE.match(n) for n in names):
        return State.FOREIGN, ""
    if "CURRENT" not in names:
        return State.DAMAGED, "CURRENT is missing"
    try:
        current = (path / "CURRENT").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return State.DAMAGED, "CURRENT is unreadable"
    m = _CURRENT.match(current)
    if not m:
        return State.DAMAGED, "CURRENT does not name a MANIFEST"
    manifest = path / m.group(1)
    if not manifest.is_file() or manifest.stat().st_size == 0:
        return State.DAMAGED, f"{m.group(1)} named by CURRENT is missing or empty"
    return State.STORE, ""


def damaged(path: Path, reason: str) -> InputError:
    """The one-line error for a store that cannot be read as it is."""
    return InputError(f"store at {path} is damaged ({reason}); rebuild it with "
                      f"`rmpgraph load --store NEW …`")


def no_store(path: Path) -> InputError:
    return InputError(f"no store at {path}; create one with "
                      f"`rmpgraph load --store {path} …`")


def refuse(path: Path, state: State) -> InputError:
    """Error for a path that is neither a store nor a place to create one."""
    if state is State.NOT_DIR:
        return InputError(f"{path} is a file, not a store directory")
    return InputError(f"{path} is not an rmpgraph store and not empty; refusing to "
                      "create a database in it")


def runtime_error(path: Path, exc: BaseException) -> InputError:
    """A RocksDB error while using an opened store: damage (a data file missing or
    corrupted, the directory deleted) gets the damaged-store line; anything else
    is still one line naming the store."""
    text = str(exc)
    if isinstance(exc, OSError) or any(k in text for k in (
            "Corruption", "IO error", "No such file", "checksum")):
        return damaged(path, describe_failure(exc))
    return InputError(f"store at {path}: {describe_failure(exc)}")


def is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("resource temporarily unavailable" in text
                               or "lock hold" in text or "no locks" in text
                               or "while lock file" in text)


def describe_failure(exc: BaseException) -> str:
    """RocksDB's message shortened to its first clause, path prefixes dropped."""
    text = " ".join(str(exc).split())
    text = re.sub(r"\s*The file \S+ may be corrupted\.?", "", text)
    text = re.sub(r"^(Corruption: )+", "corruption: ", text)
    return text[:200] or type(exc).__name__
