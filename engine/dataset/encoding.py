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
# accented letters of the Western European languages, and the typographic marks Windows-1252
# adds; bytes that decode to anything else (þ, ¦, ¤…) are more likely broken than meant
_WESTERN_CHARS = frozenset("àâäáãåæçèéêëìíîïñòóôöõøœùúûüýÿßÀÂÄÁÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖÕØÙÚÛÜÝ"
                           "’‘“”„‚‹›–—…•€°±µ×÷·«»¿¡§©®™ºª²³")
_QUOTES = frozenset("“”‘„‚‹›")  # not ’, the apostrophe


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


def _neighbours(text: str, i: int) -> tuple[str, str]:
    return (text[i - 1] if i else " "), (text[i + 1] if i + 1 < len(text) else " ")


def _ascii_lower(ch: str) -> bool:
    return "a" <= ch <= "z"


def japanese_score(text: str) -> int:
    """How much ``text`` (read as CP932) looks like Japanese: kana, CJK punctuation and common
    (JIS level 1) kanji count for; rare kanji, the more so stuck to lower-case Latin letters
    (what Windows-1252 accented letters become: "D馭aut"), and odd symbols count against."""
    score = 0
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 0x80:
            continue
        prev, nxt = _neighbours(text, i)
        if 0x3000 <= code <= 0x30FF or 0xFF01 <= code <= 0xFF5E:
            score += 2
        elif 0x4E00 <= code <= 0x9FFF and _jis_level1(ch):
            # never a Western accented letter (those become level-2 kanji or kana in CP932);
            # between two lower-case letters it is a mark inside a word ("well–known")
            score += -1 if _ascii_lower(prev) and _ascii_lower(nxt) else 1
        elif 0x4E00 <= code <= 0x9FFF:
            score -= 1 + (2 if _ascii_lower(nxt) else 0) + (1 if _ascii_lower(prev) else 0)
        elif 0xFF61 <= code <= 0xFF9F:  # half-width katakana: in runs, not alone
            score += 1 if (0xFF61 <= ord(prev) <= 0xFF9F or 0xFF61 <= ord(nxt) <= 0xFF9F) else -1
        else:
            score -= 1
    return score


def western_score(text: str) -> int:
    """How much ``text`` (read as Windows-1252) looks like Western European text: accented
    letters inside words and typographic marks between letters and spaces count for; runs
    of marks (what CP932 byte pairs become: "A判" → "A”»"), quotes inside a word
    ("a度" → "a“x"), bullets stuck to a word ("不b" → "•sb") and other symbols count against."""
    score = 0
    for i, ch in enumerate(text):
        if ord(ch) < 0x80:
            continue
        if ch not in _WESTERN_CHARS:
            score -= 2
            continue
        prev, nxt = _neighbours(text, i)
        if not prev.isascii() or not nxt.isascii():  # next to another non-ASCII character
            in_word = ch.isalpha() and any(c.isascii() and c.isalpha() for c in (prev, nxt))
            score += 1 if in_word else 0 if ch.isalpha() else -1  # "créée" is fine, "”»" not
        elif ch.isalpha():
            score += 2 if (prev.isalpha() or nxt.isalpha()) else 1
        elif ch == "’" and prev.isalpha() and nxt.isalpha():
            score += 2  # the apostrophe: "don’t"
        elif (ch in _QUOTES and prev.isalnum() and nxt.isalnum()) or (ch == "•" and (prev.isalnum() or nxt.isalnum())):
            score -= 1  # "a“x", "•s": a quote inside a word, a bullet stuck to one (CP932 "a度", "不")
        else:
            score += 1
    return score


def _jis_level1(ch: str) -> bool:
    try:
        return 0x88 <= ch.encode("cp932")[0] <= 0x98
    except UnicodeEncodeError:
        return False


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


# what `--encoding` (and the import dialog's encoding box) accepts: name → codec of decode_text
ENCODING_CHOICES: dict[str, str] = {"utf-8": "utf-8", "cp932": "cp932", "shift-jis": "cp932",
                                    "cp1252": "cp1252", "utf-16": "utf-16", "utf-32": "utf-32"}


def _forced(raw: bytes, encoding: str) -> DecodedText:
    """``raw`` read as ``encoding`` (chosen by the user); undecodable lines are marked."""
    codec = ENCODING_CHOICES.get(encoding.lower())
    if codec is None:
        raise InputError(f"--encoding {encoding}: not one of {', '.join(ENCODING_CHOICES)}")
    if codec in ("utf-16", "utf-32"):
        wide = _wide(raw)
        if wide is None:
            return _decode_wide(raw, f"{codec}-le")
        return wide
    if codec == "utf-8" and raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    bad = _bad_lines(raw, codec)
    return DecodedText(_decode_lines(raw, codec, bad).lstrip("\ufeff"), codec, frozenset(bad))


def decode_text(raw: bytes, encoding: str | None = None) -> DecodedText:
    """Decode bytes as UTF-16/32 (BOM), UTF-8 (BOM or not), CP932 or Windows-1252.

    ``encoding`` (one of :data:`ENCODING_CHOICES`): read as that, detecting nothing.

    When no candidate decodes every line, the one with the fewest bad lines wins (UTF-8
    on a tie, or whenever other lines hold valid multi-byte UTF-8), the bad bytes become
    U+FFFD and their line numbers are returned in ``bad_lines``. Extra BOMs at the start
    (a file saved twice with one) are dropped. Raises InputError for broken UTF-16/32.
    """
    if encoding:
        return _forced(raw, encoding)
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
        japanese = japanese_score(raw.decode("cp932", errors="replace"))
        western = western_score(raw.decode("cp1252", errors="replace"))
        # the more plausible reading wins, each undecodable line costing it 10 points; a
        # Windows-1252 reading must look Western at all; CP932 wins ties (the old default)
        candidates: list[tuple[int, int, str, list[int]]] = []
        if len(west_bad) < len(utf8_bad) and western > 0:
            candidates.append((western - 10 * len(west_bad), 0, "cp1252", west_bad))
        if len(cp_bad) < len(utf8_bad):
            candidates.append((japanese - 10 * len(cp_bad), 1, "cp932", cp_bad))
        if candidates:
            _, _, codec, bad = max(candidates)
            return DecodedText(_decode_lines(raw, codec, bad), codec, frozenset(bad))
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
