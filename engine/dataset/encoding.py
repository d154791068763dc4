"""Text decoding for factory exports: UTF-8 (with or without BOM), UTF-16/32 (with BOM, as
Excel's "Unicode text" writes them), CP932/Shift-JIS and Windows-1252.

Excel on Japanese Windows writes CSV in CP932, on Western Windows in Windows-1252; newer
exports use UTF-8 with a BOM. The two legacy code pages overlap (most Windows-1252 bytes
also form valid CP932 pairs: "Défaut" reads as "D馭aut"), so a file that is not UTF-8 is
decoded as CP932 only when the result reads as Japanese (kana, or kanji not glued to Latin
letters) and as Windows-1252 when that reads as Western text. :func:`decode_text` says
which encoding it chose and which lines could not be decoded, so a single broken row can
be quarantined instead of refusing the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"
# longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-32", "cp932" or "cp1252"
    bad_lines: frozenset[int]  # 1-based physical lines holding undecodable bytes (replaced by U+FFFD)


# Bytes CP932 "decodes" to private-use or C1 code points (0x80, 0xA0, 0xFD-0xFF): never real text.
_CP932_SUSPECT = frozenset("\u0080\uf8f0\uf8f1\uf8f2\uf8f3")
_KANA_OR_CJK_PUNCT = re.compile(r"[\u3000-\u30ff\uff01-\uff5e]")
_KANJI = re.compile(r"[\u4e00-\u9fff]")
_HALFWIDTH_RUN = re.compile(r"[\uff61-\uff9f]{3}")
_GLUED = re.compile(r"(?<=[A-Za-z])[\u4e00-\u9fff\uff61-\uff9f]|[\u4e00-\u9fff\uff61-\uff9f](?=[A-Za-z])")
# accented letters of the Western European languages, and the typographic marks Windows-1252
# adds; bytes that decode to anything else (þ, ¦, ¤…) are more likely broken than meant
_WESTERN_CHARS = frozenset("àâäáãåæçèéêëìíîïñòóôöõøœùúûüýÿßÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖÕØŒÙÚÛÜÝŸšžŠŽ"
                           "’‘“”–—…•€°±µ×÷·«»¿¡§©®™ºª²³")


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


def looks_japanese(text: str) -> bool:
    """Kana or CJK punctuation, a run of half-width katakana, or kanji that mostly do not
    sit inside Latin words (Windows-1252 read as CP932 glues them to letters: "D馭aut")."""
    if _KANA_OR_CJK_PUNCT.search(text) or _HALFWIDTH_RUN.search(text):
        return True
    kanji = len(_KANJI.findall(text))
    return kanji > 0 and len(_GLUED.findall(text)) * 2 < kanji


def looks_western(text: str) -> bool:
    """Non-ASCII characters that are (mostly) accented letters or typographic marks."""
    extra = [ch for ch in text if ord(ch) > 0x7F]
    if not extra:
        return False
    good = sum(1 for ch in extra if ch in _WESTERN_CHARS)
    return good >= 0.8 * len(extra)


def _wide(raw: bytes) -> DecodedText | None:
    """UTF-16/UTF-32 with a BOM, or UTF-16 without one (every other byte NUL)."""
    for bom, codec in _WIDE_BOMS:
        if raw.startswith(bom):
            return _decode_wide(raw[len(bom):], codec)
    sample = raw[:4096]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return _decode_wide(raw, "utf-16-le")
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return _decode_wide(raw, "utf-16-be")
    return None


def _decode_wide(body: bytes, codec: str) -> DecodedText:
    name = codec[:6].upper()
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise InputError(
            f"line {line}: not valid {name} (byte {exc.start}); open the file in Excel and "
            "save it as \"CSV UTF-8\", or as UTF-8 text"
        ) from None
    return DecodedText(text.lstrip("\ufeff"), codec[:6], frozenset())


def decode_text(raw: bytes) -> DecodedText:
    """Decode bytes as UTF-16/32 (BOM), UTF-8 (BOM or not), CP932 or Windows-1252.

    When no candidate decodes every line, the one with the fewest bad lines wins (UTF-8
    on a tie, or whenever other lines hold valid multi-byte UTF-8), the bad bytes become
    U+FFFD and their line numbers are returned in ``bad_lines``. Extra BOMs at the start
    (a file saved twice with one) are dropped. Raises InputError for broken UTF-16/32.
    """
    wide = _wide(raw)
    if wide is not None:
        return wide
    if raw.startswith(UTF8_BOM):
        body = raw[len(UTF8_BOM) :]
        bad = _bad_lines(body, "utf-8")
        text = _decode_lines(body, "utf-8", bad).lstrip("\ufeff")
        return DecodedText(text, "utf-8-sig", frozenset(bad))
    try:
        return DecodedText(raw.decode("utf-8").lstrip("\ufeff"), "utf-8", frozenset())
    except UnicodeDecodeError:
        pass
    return _legacy(raw)


def _legacy(raw: bytes) -> DecodedText:
    lines = raw.split(b"\n")
    utf8_bad = [n for n, line in enumerate(lines, start=1) if not _line_ok(line, "utf-8")]
    utf8_multibyte = any(not line.isascii() and _line_ok(line, "utf-8") for line in lines)
    if not utf8_multibyte:
        cp_bad = [n for n, line in enumerate(lines, start=1) if not _line_ok(line, "cp932")]
        west_bad = [n for n, line in enumerate(lines, start=1) if not _line_ok(line, "cp1252")]
        japanese = looks_japanese(raw.decode("cp932", errors="replace"))
        western = looks_western(raw.decode("cp1252", errors="replace"))
        if not west_bad and western and not japanese:
            return DecodedText(raw.decode("cp1252"), "cp1252", frozenset())
        if len(cp_bad) < len(utf8_bad) and (japanese or not western):
            return DecodedText(_decode_lines(raw, "cp932", cp_bad), "cp932", frozenset(cp_bad))
        if len(west_bad) < len(utf8_bad) and western:
            return DecodedText(_decode_lines(raw, "cp1252", west_bad), "cp1252",
                               frozenset(west_bad))
        if len(cp_bad) < len(utf8_bad):
            return DecodedText(_decode_lines(raw, "cp932", cp_bad), "cp932", frozenset(cp_bad))
    return DecodedText(_decode_lines(raw, "utf-8", utf8_bad), "utf-8", frozenset(utf8_bad))


def describe_encoding(encoding: str) -> str:
    """Human name of an encoding returned by :func:`decode_text`."""
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8 with BOM",
        "utf-16": "UTF-16",
        "utf-32": "UTF-32",
        "cp932": "CP932 (Shift-JIS)",
        "cp1252": "Windows-1252 (Western European)",
    }.get(encoding, encoding)
