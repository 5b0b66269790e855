"""Stage 1, read: bytes on disk -> decoded source text with line numbers.

Everything downstream counts lines of the text returned here, so provenance points
at the same lines a reviewer sees. Line endings are normalised (CRLF, CR -> LF) before
hashing, so the same document saved on Windows gives the same graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

__all__ = ["SourceText", "read_source", "source_from_string"]


@dataclass(frozen=True)
class SourceText:
    """A decoded document. `lines[i]` is source line i+1."""

    path: str
    text: str
    encoding: str
    media_type: str = "text/plain"
    lines: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.text.split("\n")))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def file_name(self) -> str:
        return Path(self.path).name


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_from_string(text: str, path: str = "<string>",
                       encoding: str = "utf-8") -> SourceText:
    """Wrap text that is already decoded (tests, notebooks)."""
    return SourceText(path=path, text=_normalise_newlines(text), encoding=encoding)


def read_source(path: str | Path) -> SourceText:
    """Read and decode one input document."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=p) from None
    if not data.strip():
        raise InputError("file is empty; expected an RMP Part VI summary", path=p)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=p) from None
    return SourceText(path=str(p), text=_normalise_newlines(text), encoding="utf-8")
