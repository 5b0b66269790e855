"""Stage 1 (read): encodings, limits and binary detection, on files made here.

Expected texts are the strings the tests encode themselves, so a decoding bug cannot
hide behind a golden file produced by the code under test.
"""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmpgraph.errors import InputError
from rmpgraph.parse.read import (
    MAX_INPUT_BYTES,
    MAX_LINE_CHARS,
    decode,
    read_source,
    source_from_string,
)

REPO = Path(__file__).resolve().parent.parent
LEMTRADA = REPO / "data" / "rmp" / "lemtrada.txt"

# Typical of English RMP summaries: smart quotes, dashes, bullets, accents, symbols.
SAMPLE = ("Summary of risk management plan for Zelvatrin (zelvatrinib)\n"
          "\n"
          "\u2022 Important identified risk \u2013 \u201cserious infections\u201d\n"
          "The patient\u2019s caf\u00e9-au-lait spots \u2014 \u00b5g/m\u00b2, "
          "\u2265 65 years excluded below\n")
SAMPLE_1252 = SAMPLE.replace("\u2265 ", "")  # cp1252 has no ≥


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings ---------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected_encoding"), [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
    (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16"),
    (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16"),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_are_detected_and_recorded(
        tmp_path: Path, raw: bytes, expected_encoding: str) -> None:
    source = read_source(_write(tmp_path, "s.txt", raw))
    assert source.text == SAMPLE
    assert source.encoding == expected_encoding
    assert source.media_type == "text/plain"
    assert "\ufeff" not in source.text  # the BOM is not content


def test_windows_1252_is_detected_and_recorded(tmp_path: Path) -> None:
    raw = SAMPLE_1252.encode("cp1252")
    assert b"\x92" in raw and b"\x95" in raw  # ’ and • really are cp1252 bytes here
    source = read_source(_write(tmp_path, "s.txt", raw))
    assert source.text == SAMPLE_1252
    assert source.encoding == "cp1252"


def test_same_text_in_every_encoding_has_one_hash(tmp_path: Path) -> None:
    variants = [SAMPLE_1252.encode("utf-8"), SAMPLE_1252.encode("cp1252"),
                b"\xff\xfe" + SAMPLE_1252.encode("utf-16-le")]
    hashes = {read_source(_write(tmp_path, f"v{i}.txt", raw)).sha256
              for i, raw in enumerate(variants)}
    assert hashes == {hashlib.sha256(SAMPLE_1252.encode("utf-8")).hexdigest()}


@pytest.mark.parametrize(("text", "codec", "line"), [
    ("Risks\nZa\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144\n",
     "cp1250", 2),
    ("Risks\n\n\u039a\u03af\u03bd\u03b4\u03c5\u03bd\u03bf\u03b9\n", "cp1253", 3),
    ("\u0420\u0438\u0441\u043a\u0438\n", "cp1251", 1),
], ids=["polish-cp1250", "greek-cp1253", "russian-cp1251"])
def test_other_code_pages_are_refused_not_misread(
        tmp_path: Path, text: str, codec: str, line: int) -> None:
    path = _write(tmp_path, "s.txt", text.encode(codec))
    with pytest.raises(InputError) as info:
        read_source(path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: not UTF-8")


def test_undefined_cp1252_byte_is_refused_with_line(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252 and invalid as a UTF-8 start byte
    path = _write(tmp_path, "s.txt", b"line one\nline two \x81\n")
    with pytest.raises(InputError, match="not valid UTF-8 or Windows-1252") as info:
        read_source(path)
    assert info.value.line == 2


def test_invalid_utf8_after_bom_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.txt", b"\xef\xbb\xbfok\nbad \x92 quote\n")
    with pytest.raises(InputError, match="despite its BOM") as info:
        read_source(path)
    assert info.value.line == 2


def test_utf16_without_bom_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.txt", SAMPLE.encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        read_source(path)


def test_utf32_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.txt", SAMPLE.encode("utf-32"))
    with pytest.raises(InputError, match="UTF-32"):
        read_source(path)


# --- line endings ------------------------------------------------------------------

def test_line_endings_are_normalised(tmp_path: Path) -> None:
    lf = read_source(_write(tmp_path, "lf.txt", b"a\nb\n\nc\n"))
    crlf = read_source(_write(tmp_path, "crlf.txt", b"a\r\nb\r\n\r\nc\r\n"))
    cr = read_source(_write(tmp_path, "cr.txt", b"a\rb\r\rc\r"))
    assert lf.text == crlf.text == cr.text == "a\nb\n\nc\n"
    assert lf.lines == ("a", "b", "", "c", "")
    assert lf.sha256 == crlf.sha256 == cr.sha256


def test_real_summary_reads_as_utf8_with_its_line_count() -> None:
    raw = LEMTRADA.read_bytes()
    source = read_source(LEMTRADA)
    assert source.encoding == "utf-8"
    assert source.file_name == "lemtrada.txt"
    assert len(source.lines) == raw.count(b"\n") + 1
    assert source.lines[1].startswith("Summary of risk management plan for LEMTRADA")


# --- unusable input ----------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"", b"   \n\r\n\t  \n"], ids=["empty", "blank"])
def test_empty_file_is_refused(tmp_path: Path, raw: bytes) -> None:
    path = _write(tmp_path, "empty.txt", raw)
    with pytest.raises(InputError, match="file is empty") as info:
        read_source(path)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize(("raw", "what"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"manifest.xml", "ZIP archive"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"\x1f\x8b\x08\x00" + bytes(32), "gzip"),
], ids=["png", "docx", "jpeg", "gzip"])
def test_known_binary_formats_are_named(tmp_path: Path, raw: bytes, what: str) -> None:
    with pytest.raises(InputError, match=f"binary file \\({what}"):
        read_source(_write(tmp_path, "x.txt", raw))


def test_broken_docx_is_named_as_word(tmp_path: Path) -> None:
    raw = b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml"
    with pytest.raises(InputError, match="not a Word document"):
        read_source(_write(tmp_path, "x.txt", raw))


def test_nul_bytes_are_binary_with_line(tmp_path: Path) -> None:
    raw = b"Summary\nof risk\nmanagement \x00\x00\x00 plan\n"
    path = _write(tmp_path, "x.txt", raw)
    with pytest.raises(InputError, match="binary file \\(NUL byte\\)") as info:
        read_source(path)
    assert info.value.line == 3


def test_control_characters_are_binary_with_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.txt", "ok\nthe patient\u0092s risk\n".encode())
    with pytest.raises(InputError, match="control character U\\+0092") as info:
        read_source(path)
    assert info.value.line == 2


def test_form_feeds_and_tabs_are_layout_not_binary(tmp_path: Path) -> None:
    source = read_source(_write(tmp_path, "x.txt", b"page 1\tcell\n\fpage 2\n"))
    assert source.lines == ("page 1\tcell", "\fpage 2", "")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    chunk = LEMTRADA.read_bytes()
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="above the input limit") as info:
            read_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"{size:,} bytes" in str(info.value)
    assert peak < 1024 * 1024  # refused on stat, never read whole (file is 50 MB)


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.txt", SAMPLE.encode())
    assert read_source(path, max_bytes=len(SAMPLE.encode())).text == SAMPLE
    with pytest.raises(InputError, match="above the input limit of 100 bytes"):
        read_source(path, max_bytes=100)
    assert MAX_INPUT_BYTES == 20 * 1024 * 1024  # the documented default


def test_endless_stream_is_cut_at_the_limit() -> None:
    with pytest.raises(InputError, match="larger than the input limit"):
        read_source("/dev/zero", max_bytes=4096)


def test_megabyte_line_is_refused_with_line_number(tmp_path: Path) -> None:
    raw = b"Summary of risk management plan\n\n" + b"x" * (1024 * 1024) + b"\nend\n"
    with pytest.raises(InputError, match="line is 1,048,576 characters") as info:
        read_source(_write(tmp_path, "long.txt", raw))
    assert info.value.line == 3
    assert MAX_LINE_CHARS == 20_000


def test_line_limit_is_a_parameter(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.txt", b"short\n" + b"y" * 50 + b"\n")
    assert len(read_source(path).lines) == 3
    with pytest.raises(InputError) as info:
        read_source(path, max_line_chars=40)
    assert info.value.line == 2


def test_missing_file_and_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)


# --- properties --------------------------------------------------------------------

@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decode_never_crashes_on_arbitrary_bytes(data: bytes) -> None:
    try:
        text, encoding = decode(data, "fuzz.txt")
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt")
        assert "\n" not in str(exc)
    else:
        # decoding lost nothing: re-encoding gives the bytes after the BOM back
        codec, bom = {"utf-8": ("utf-8", b""), "cp1252": ("cp1252", b""),
                      "utf-8-sig": ("utf-8", b"\xef\xbb\xbf"),
                      "utf-16": ("utf-16-le" if data.startswith(b"\xff\xfe")
                                 else "utf-16-be", data[:2])}[encoding]
        assert data.startswith(bom)
        assert text.encode(codec) == data[len(bom):]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=500))
def test_read_source_never_crashes_on_arbitrary_files(
        tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.txt"
    path.write_bytes(data)
    try:
        source = read_source(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert source.text.strip()


# Text a reviewer would accept as a document line: no controls, surrogates or BOM.
_LINE_CHARS = st.characters(blacklist_categories=("Cc", "Cs"),
                            blacklist_characters="\ufeff\u2028\u2029\x85")
_TEXT = st.lists(st.text(_LINE_CHARS, max_size=40), min_size=1, max_size=12).map(
    "\n".join).filter(lambda t: t.strip() != "")


@given(_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_unicode_round_trip(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == (text, encoding)


# Western European words, so the cp1252 plausibility rule must accept every sample.
_WORDS = st.sampled_from([
    "risk", "Patients", "caf\u00e9", "Gr\u00f6\u00dfe", "na\u00efve", "fa\u00e7ade",
    "se\u00f1or", "\u00c6r\u00f8", "patient\u2019s", "\u2013", "\u2014", "\u2022",
    "\u201cquoted\u201d", "\u2026", "\u20ac5", "TM\u2122", "\u00b5g", "37\u00b0C",
    "(\u00a9", "\u00bd", "12,5"])
_CP1252_TEXT = st.lists(st.lists(_WORDS, min_size=1, max_size=8).map(" ".join),
                        min_size=1, max_size=6).map("\n".join)


@given(_CP1252_TEXT)
def test_cp1252_round_trip(text: str) -> None:
    raw = text.encode("cp1252")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert decode(raw) == (text, "cp1252")
    else:  # pure ASCII (or valid UTF-8 by accident) is UTF-8 by the rules
        assert decode(raw) == (raw.decode("utf-8"), "utf-8")


_LINES = st.lists(st.text(_LINE_CHARS.filter(lambda c: c not in "\r\n"), max_size=30),
                  min_size=1, max_size=10).filter(lambda ls: "".join(ls).strip() != "")


@given(_LINES)
def test_line_ending_invariance(lines: list[str]) -> None:
    variants = [source_from_string(sep.join(lines)) for sep in ("\n", "\r\n", "\r")]
    assert len({v.text for v in variants}) == 1
    assert len({v.sha256 for v in variants}) == 1
    assert variants[0].lines == tuple(lines)


@settings(max_examples=50, deadline=None)
@given(_LINES, st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_line_ending_invariance_on_disk(tmp_path_factory: pytest.TempPathFactory,
                                        lines: list[str], encoding: str) -> None:
    folder = tmp_path_factory.mktemp("eol")
    read = []
    for i, sep in enumerate(("\n", "\r\n", "\r")):
        path = folder / f"{i}.txt"
        path.write_bytes(sep.join(lines).encode(encoding))
        read.append(read_source(path))
    assert {s.text for s in read} == {"\n".join(lines)}
    assert len({s.sha256 for s in read}) == 1
    assert {s.encoding for s in read} == {encoding}
