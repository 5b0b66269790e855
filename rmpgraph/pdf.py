"""Text layer of a PDF summary, laid out like EMA's own PDF-to-text exports.

The parser was written against the text EMA publishes (e.g. data/rmp/lemtrada.txt):
one text line per visual line, table cells of one row joined by a single space,
paragraphs separated by one blank line, pages separated by a form feed. pypdf's
layout mode sees visual lines and vertical gaps; we then squeeze its column padding
and gap heights to that shape, so a PDF and its exported text segment alike.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from .errors import InputError

__all__ = ["extract_text", "MAX_PAGES"]

#: EMA summaries have 5-40 pages; far more means this is not one (or a PDF bomb).
MAX_PAGES = 500

# pdftotext expands typographic ligatures; pypdf leaves them as presentation forms.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl",
                            "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
                            "\ufb06": "st"})
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_BLANK_RUN = re.compile(r"\n{3,}")


def _page_text(page: object) -> str:
    try:
        raw = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:  # layout mode is stricter about odd fonts; plain still works
        raw = page.extract_text()  # type: ignore[attr-defined]
    lines = [_SPACES.sub(" ", line).strip() for line in raw.splitlines()]
    text = "\n".join(lines).translate(_LIGATURES)
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


def extract_text(data: bytes, path: str | Path) -> str:
    """Return the text layer of PDF bytes, pages separated by "\\f".

    Raises:
        InputError: unreadable, encrypted, oversized or image-only PDF.
    """
    from pypdf import PdfReader  # local: only PDF inputs pay for the import

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are noise here
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("PDF is password-protected; cannot read its text",
                             path=path)
        if len(reader.pages) > MAX_PAGES:
            raise InputError(f"PDF has {len(reader.pages)} pages (limit "
                             f"{MAX_PAGES}); not an RMP summary", path=path)
        pages = [_page_text(page) for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types on malformed files
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise InputError(f"not a readable PDF ({type(exc).__name__}"
                         + (f": {detail}" if detail else "") + ")", path=path) from None
    if not any(page.strip() for page in pages):
        raise InputError("PDF has no text layer (scanned PDF?); run OCR or use the "
                         "text version", path=path)
    return "\n\f".join(pages) + "\n"
