"""Text decoding for factory exports: UTF-8 (with or without BOM) and CP932/Shift-JIS.

Excel on Japanese Windows writes CSV in CP932; newer exports use UTF-8 with a BOM.
:func:`decode_text` picks the encoding and says which lines could not be decoded, so a
single broken row can be quarantined instead of refusing the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp932"
    bad_lines: frozenset[int]  # 1-based physical lines holding undecodable bytes (replaced by U+FFFD)


# Bytes CP932 "decodes" to private-use or C1 code points (0x80, 0xA0, 0xFD-0xFF): never real text.
_CP932_SUSPECT = frozenset("\u0080\uf8f0\uf8f1\uf8f2\uf8f3")


def _line_ok(line: bytes, encoding: str) -> bool:
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not (encoding == "cp932" and any(ch in _CP932_SUSPECT for ch in text))


def _bad_lines(raw: bytes, encoding: str) -> list[int]:
    return [n for n, line in enumerate(raw.split(b"\n"), start=1) if not _line_ok(line, encoding)]


def _decode_lines(raw: bytes, encoding: str, bad: list[int]) -> str:
    if not bad:
        return raw.decode(encoding)
    return raw.decode(encoding, errors="replace")


def decode_text(raw: bytes) -> DecodedText:
    """Decode bytes as UTF-8-with-BOM, UTF-8 or CP932 (in that order of preference).

    When no candidate decodes every line, the one with the fewest bad lines wins (UTF-8
    on a tie, or whenever other lines hold valid multi-byte UTF-8), the bad bytes become
    U+FFFD and their line numbers are returned in ``bad_lines``.
    """
    if raw.startswith(UTF8_BOM):
        body = raw[len(UTF8_BOM) :]
        bad = _bad_lines(body, "utf-8")
        return DecodedText(_decode_lines(body, "utf-8", bad), "utf-8-sig", frozenset(bad))
    try:
        return DecodedText(raw.decode("utf-8"), "utf-8", frozenset())
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8_bad = [n for n, line in enumerate(lines, start=1) if not _line_ok(line, "utf-8")]
    utf8_multibyte = any(not line.isascii() and _line_ok(line, "utf-8") for line in lines)
    cp_bad = [n for n, line in enumerate(lines, start=1) if not _line_ok(line, "cp932")]
    if not utf8_multibyte and len(cp_bad) < len(utf8_bad):
        return DecodedText(_decode_lines(raw, "cp932", cp_bad), "cp932", frozenset(cp_bad))
    return DecodedText(_decode_lines(raw, "utf-8", utf8_bad), "utf-8", frozenset(utf8_bad))


def describe_encoding(encoding: str) -> str:
    """Human name of an encoding returned by :func:`decode_text`."""
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with BOM",
        "cp932": "CP932 (Shift-JIS)",
    }.get(encoding, encoding)
