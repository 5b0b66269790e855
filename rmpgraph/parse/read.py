"""Stage 1, read: bytes on disk -> decoded source text with line numbers.

Everything downstream counts lines of the text returned here, so provenance points
at the same lines a reviewer sees. Line endings are normalised (CRLF, CR -> LF) before
hashing, so the same document saved on Windows gives the same graph.

This is also the first security boundary: a file is refused on its `stat` size before
it is read, and only a bounded number of bytes is ever read, so a huge or endless
input (`/dev/zero`, a 50 MB log) cannot exhaust memory. The encoding is decided, never
guessed silently (see `decode`), and the one chosen is recorded in the graph.
"""

from __future__ import annotations

import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from rmpgraph.errors import InputError

__all__ = ["SourceText", "read_source", "source_from_string", "decode", "check_text",
           "MAX_INPUT_BYTES", "MAX_LINE_CHARS"]

#: Inputs larger than this are refused before being read. EMA summaries are
#: 20-200 kB of text and rarely above 2 MB as PDF; 20 MB leaves ample headroom.
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: Longer lines are refused: real summary lines are < 300 characters, even long
#: table rows extracted from PDF stay far below this.
MAX_LINE_CHARS = 20_000

_PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class SourceText:
    """A decoded document. `lines[i]` is source line i+1."""

    path: str
    text: str
    encoding: str
    media_type: str = "text/plain"
    #: page of each line for PDF inputs (None where unknown); empty for text
    line_pages: tuple[int | None, ...] = ()
    #: page headers/footers a PDF or DOCX reader removed before the text was made
    furniture: tuple[str, ...] = ()
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


# Well-known binary headers, named so the error tells the user what they passed.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PK\x03\x04", "ZIP archive (a .docx must be named .docx)"),
    (b"\xd0\xcf\x11\xe0", "OLE2 document, e.g. a Word .doc"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "executable"),
)
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

# Tab, LF, VT, FF, CR are layout; every other C0/C1 control means binary data or a
# botched conversion (e.g. cp1252 quotes decoded as Latin-1 then saved as UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# cp1252 plausibility (see `_implausible_cp1252`): a non-ASCII symbol inside a word
# ("Za¿ó³æ" is Polish cp1250 read as cp1252) or a run of 4+ non-ASCII letters
# ("Êßíäõíïé" is Greek cp1253) do not occur in Western European text.
_IN_WORD_OK = "\u2019\u2018\u00ad\u00b7\u2013\u2014"  # ’ ‘ soft hyphen · – —
_SYMBOL_IN_WORD = re.compile(
    r"(?<=[^\W\d_])[^\x00-\x7f\w" + _IN_WORD_OK + r"](?=[^\W\d_])")
_LETTER_RUN = re.compile(r"[^\x00-\x7f\W\d_]{4,}")


def _line_at(text: str, index: int) -> int:
    return _normalise_newlines(text[:index]).count("\n") + 1


def _byte_line(data: bytes, offset: int, encoding: str) -> int:
    return _line_at(data[:offset].decode(encoding, errors="replace"), offset)


def _implausible_cp1252(text: str) -> re.Match[str] | None:
    return _SYMBOL_IN_WORD.search(text) or _LETTER_RUN.search(text)


def _check_controls(text: str, path: Path, encoding: str) -> None:
    bad = _CONTROL.search(text)
    if bad:
        raise InputError(
            f"binary content: control character U+{ord(bad.group()):04X} in "
            f"{encoding} text; expected an RMP summary as text or PDF",
            path=path, line=_line_at(text, bad.start()))


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode document bytes; return (text, encoding label).

    Decided in a fixed order, so the same bytes always give the same answer:
    a byte-order mark (UTF-8, UTF-16 LE/BE); else strict UTF-8; else Windows-1252,
    only if it decodes strictly and the result reads as Western European text.
    Statistical detectors (charset-normalizer) were tried and rejected: on a
    one-line file with a single ’ they answer "big5hkscs".
    """
    p = Path(path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({what}); expected an RMP summary as "
                             "text or PDF", path=p)
    if data.startswith(_UTF32_BOMS):
        raise InputError("UTF-32 text is not supported; save the file as UTF-8",
                         path=p)
    if data.startswith(_UTF8_BOM):
        candidates = ["utf-8-sig"]
    elif data.startswith(_UTF16_BOMS):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    if b"\x00" in data and candidates[0] == "utf-8":
        half = data[: 2000]
        if half[1::2].count(0) > len(half) // 4 or half[0::2].count(0) > len(half) // 4:
            raise InputError("looks like UTF-16 without a byte-order mark; save it "
                             "as UTF-8 (or UTF-16 with BOM)", path=p)
        offset = data.index(b"\x00")
        raise InputError("binary file (NUL byte); expected an RMP summary as text "
                         "or PDF", path=p, line=_byte_line(data, offset, "latin-1"))
    first_error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        _check_controls(text, p, encoding)
        if encoding == "cp1252":
            odd = _implausible_cp1252(text)
            if odd:
                raise InputError(
                    f"not UTF-8, and as Windows-1252 it reads {odd.group()!r}, "
                    "which is not Western European text (another code page?); "
                    "save the file as UTF-8", path=p, line=_line_at(text, odd.start()))
        return text, encoding
    assert first_error is not None
    label = {"utf-8": "UTF-8 or Windows-1252", "utf-8-sig": "UTF-8 (despite its BOM)",
             "utf-16": "UTF-16 (despite its BOM)"}[candidates[0]]
    line = _byte_line(data, first_error.start, candidates[0])
    raise InputError(f"not valid {label} text (byte 0x{data[first_error.start]:02X}); "
                     "expected an RMP summary as text or PDF", path=p, line=line)


def source_from_string(text: str, path: str = "<string>",
                       encoding: str = "utf-8") -> SourceText:
    """Wrap text that is already decoded (tests, notebooks)."""
    return SourceText(path=path, text=_normalise_newlines(text), encoding=encoding)


def _read_bounded(p: Path, max_bytes: int) -> bytes:
    """Read at most `max_bytes`; refuse bigger files before reading them."""
    try:
        st = p.stat()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=p) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a directory; expected an RMP summary file", path=p)
    limit = f"the input limit of {max_bytes:,} bytes"
    if st.st_size > max_bytes:
        raise InputError(f"file is {st.st_size:,} bytes, above {limit}; "
                         "not an RMP summary", path=p)
    try:
        with p.open("rb") as fh:
            # stat lies for devices, pipes and growing files: read one byte more
            # than allowed so an oversized stream is still detected, not truncated.
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=p) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {limit}; not an RMP summary", path=p)
    return data


def check_text(text: str, path: str | Path, *,
               max_line_chars: int = MAX_LINE_CHARS) -> None:
    """Refuse decoded text that is empty or has absurdly long lines.

    Runs on every source (text or PDF), so the segmenter can assume lines of sane
    length; the error names the first offending line.
    """
    if not text.strip():
        raise InputError("file is empty; expected an RMP Part VI summary", path=path)
    lines = text.split("\n")
    longest = max(len(line) for line in lines)
    if longest > max_line_chars:
        number = next(i for i, line in enumerate(lines, 1)
                      if len(line) > max_line_chars)
        raise InputError(
            f"line is {len(lines[number - 1]):,} characters long (limit "
            f"{max_line_chars:,}); not an RMP summary text", path=path, line=number)


DOCX_MEDIA_TYPE = ("application/vnd.openxmlformats-officedocument."
                   "wordprocessingml.document")


def _from_blocks(blocks: object, p: Path, encoding: str, media_type: str,
                 max_line_chars: int) -> SourceText:
    """A PDF's or DOCX's blocks as canonical text (`parse.linearize`)."""
    from rmpgraph.parse.linearize import linearize

    canon = linearize(blocks)  # type: ignore[arg-type]
    text = _normalise_newlines(canon.text)
    check_text(text, p, max_line_chars=max_line_chars)
    count = text.count("\n") + 1
    pages = (tuple(canon.pages) + (None,) * count)[:count]
    return SourceText(path=str(p), text=text, encoding=encoding,
                      media_type=media_type, line_pages=pages,
                      furniture=tuple(blocks.furniture))  # type: ignore[attr-defined]


def read_source(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES,
                max_line_chars: int = MAX_LINE_CHARS) -> SourceText:
    """Read and decode one input document (plain text or PDF).

    Args:
        path: the file; a PDF is recognised by its `%PDF-` header or `.pdf` suffix.
        max_bytes: refuse files larger than this (checked before reading).
        max_line_chars: refuse texts with a longer line.

    Returns:
        The decoded, LF-normalised text with the encoding used
        ("utf-8", "utf-8-sig", "utf-16", "cp1252", or "pdf" for PDF text layers).

    Raises:
        InputError: empty, binary, oversized, undecodable or image-only input.
    """
    p = Path(path)
    data = _read_bounded(p, max_bytes)
    if not data.strip():
        raise InputError("file is empty; expected an RMP Part VI summary", path=p)
    if data.startswith(_PDF_MAGIC) or p.suffix.lower() == ".pdf":
        if not data.startswith(_PDF_MAGIC):
            raise InputError("has a .pdf name but is not a PDF (no %PDF- header)",
                             path=p)
        from rmpgraph.parse.pdf_reader import read_pdf  # local: PDF inputs pay for it

        return _from_blocks(read_pdf(data, p), p, "pdf", "application/pdf",
                            max_line_chars)
    if p.suffix.lower() in (".docx", ".docm") or (
            data.startswith(b"PK\x03\x04") and b"word/document.xml" in data):
        from rmpgraph.parse.docx_reader import read_docx

        return _from_blocks(read_docx(data, p), p, "docx", DOCX_MEDIA_TYPE,
                            max_line_chars)
    text, encoding = decode(data, p)
    text = _normalise_newlines(text)
    check_text(text, p, max_line_chars=max_line_chars)
    return SourceText(path=str(p), text=text, encoding=encoding)
