"""A copy of the report font whose PDF text layer extracts every character as itself.

Why: Qt's PDF writer builds each embedded font's ToUnicode map by walking the BMP from U+0000
up and giving every glyph the *first* code point that maps to it. Noto Sans CJK maps several
code points to one glyph, so the lowest one wins: 目 (U+76EE) is copied out as the Kangxi
radical ⽬ (U+2F6C), the en dash as the figure dash U+2012, ・ as U+2027, ／ as U+2215.

Fix: a copy of the font without those shadowing code points, derived once per font file and
cached (``font_cache_dir()``). The duplicates come from the font's own cmap: for each glyph that
several BMP code points share, the preferred one (``preference``) is kept, and every *lower*
code point of that glyph — the ones Qt would pick instead — is removed. Higher ones stay (Qt
never picks them, and they still render). A removed code point, if a report ever contains one
(a radical, a figure dash), is drawn by Qt's font fallback.

The copy gets its own family name (``FAMILY``) so Qt never resolves the report font to the
system's Noto Sans CJK (installer/sysdeps.sh installs it) with the unfixed cmap; its PostScript
name is unchanged. Only the 'cmap' and 'name' tables are rewritten: the 16 MB CFF outlines are
copied byte for byte (fontTools reads lazily), so glyphs, metrics and rendering are identical.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

FAMILY = "AlignScope Report Sans"
# bump when the derivation changes: the cache key includes it, so old copies are re-derived
DERIVATION_VERSION = 1
# Legacy code pages as a proxy for "what people type": a code point that the Windows/JIS code
# pages of the product's languages (English, Japanese) carry beats one that only other CJK code
# pages carry, which beats one that none does (radical symbols, figure dash, division slash).
_COMMON_CODE_PAGES = (("cp1252", "cp932", "shift_jis_2004"), ("cp949", "gbk", "big5"))
# Kangxi radicals and CJK radicals supplement: look-alike symbols of ideographs, never text
_RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
_COLLECTION_SUFFIXES = (".ttc", ".otc")


def font_cache_dir() -> Path:
    """Where derived fonts are cached (not created here): ``$ALIGNSCOPE_FONT_CACHE``, else the
    user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``; ``%LOCALAPPDATA%`` on Windows)."""
    env = os.environ.get("ALIGNSCOPE_FONT_CACHE")
    if env:
        return Path(env)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "AlignScope" / "cache" / "fonts"
    cache = os.environ.get("XDG_CACHE_HOME")
    return (Path(cache) if cache else Path.home() / ".cache") / "alignscope" / "fonts"


def _is_variant_form(code_point: int) -> bool:
    """A radical, or a code point with a singleton canonical decomposition (a CJK compatibility
    ideograph, U+2329): normalisation replaces it by another character, nobody types it."""
    if any(lo <= code_point <= hi for lo, hi in _RADICAL_BLOCKS):
        return True
    decomposition = unicodedata.decomposition(chr(code_point))
    return bool(decomposition) and not decomposition.startswith("<") and " " not in decomposition


def _code_page_rank(code_point: int) -> int:
    char = chr(code_point)
    for rank, code_pages in enumerate(_COMMON_CODE_PAGES):
        for code_page in code_pages:
            try:
                char.encode(code_page)
            except UnicodeEncodeError:
                continue
            return rank
    return len(_COMMON_CODE_PAGES)


def preference(code_point: int) -> tuple[bool, int, int]:
    """Sort key: the smallest is the code point a shared glyph should copy out as."""
    return (_is_variant_form(code_point), _code_page_rank(code_point), code_point)


def shadowing_code_points(cmap: Mapping[int, str]) -> set[int]:
    """The BMP code points of ``cmap`` (code point → glyph name) that make Qt copy a glyph out
    as the wrong character: for each glyph shared by several BMP code points, those below the
    preferred one."""
    by_glyph: dict[str, list[int]] = defaultdict(list)
    for code_point, glyph in cmap.items():
        if code_point < 0x10000:
            by_glyph[glyph].append(code_point)
    shadowing: set[int] = set()
    for code_points in by_glyph.values():
        if len(code_points) > 1:
            kept = min(code_points, key=preference)
            shadowing.update(cp for cp in code_points if cp < kept)
    return shadowing


def derived_path(source: Path, cache_dir: Path, face_family: str | None = None) -> Path:
    """The cached copy's path: it changes with the source file and the derivation version."""
    stat = source.stat()
    key = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{face_family}|{DERIVATION_VERSION}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    suffix = ".otf" if source.suffix.lower() in _COLLECTION_SUFFIXES else source.suffix
    return cache_dir / f"{source.stem}.textlayer.{digest}{suffix}"


def text_layer_font(source: Path, cache_dir: Path | None = None, face_family: str | None = None) -> Path:
    """The derived copy of ``source`` (of its face named ``face_family`` when ``source`` is a
    collection, .ttc), written on first use (atomically) and reused after."""
    cache_dir = font_cache_dir() if cache_dir is None else cache_dir
    target = derived_path(source, cache_dir, face_family)
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        removed = _derive(source, tmp, face_family)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("derived %s from %s (%d shadowing code points removed)", target, source, removed)
    _remove_stale(target)
    return target


def _open_face(source: Path, face_family: str | None) -> TTFont:
    from fontTools.ttLib import TTCollection, TTFont

    options: dict[str, Any] = {"lazy": True, "recalcBBoxes": False, "recalcTimestamp": False}
    if source.suffix.lower() not in _COLLECTION_SUFFIXES:
        return TTFont(str(source), **options)
    collection = TTCollection(str(source), lazy=True)
    try:
        families = [{f["name"].getDebugName(16), f["name"].getDebugName(1)} for f in collection]
    finally:
        collection.close()
    for index, names in enumerate(families):
        if face_family is None or face_family in names:
            return TTFont(str(source), fontNumber=index, **options)
    raise ValueError(f"{source} has no font named {face_family!r}")


def _derive(source: Path, out: Path, face_family: str | None) -> int:
    font = _open_face(source, face_family)
    try:
        # glyph ids are all the cmap needs: naming them here keeps fontTools from reading the
        # CFF table for its charset, so the outlines are copied unchanged instead of recompiled
        font.setGlyphOrder([f"g{gid}" for gid in range(font["maxp"].numGlyphs)])
        removed = shadowing_code_points(font["cmap"].getBestCmap())
        _drop_code_points(font, removed)
        _rename_family(font)
        font.save(str(out))
    finally:
        font.close()
    return len(removed)


def _drop_code_points(font: TTFont, drop: set[int]) -> None:
    for table in font["cmap"].tables:
        if table.format == 14:  # variation sequences: forget those based on a removed code point
            for selector, entries in table.uvsDict.items():
                table.uvsDict[selector] = [e for e in entries if e[0] not in drop]
        else:
            for code_point in drop & table.cmap.keys():
                del table.cmap[code_point]


def _rename_family(font: TTFont) -> None:
    """Family (IDs 1, 16) and full name (4) say FAMILY; the unique id (3) says it is derived."""
    names = font["name"]
    original = names.getDebugName(16) or names.getDebugName(1) or ""
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            old = record.toUnicode()
            record.string = old.replace(original, FAMILY) if original in old else FAMILY
        elif record.nameID == 3:
            record.string = f"{record.toUnicode()};AlignScope text layer v{DERIVATION_VERSION}"


def _remove_stale(keep: Path) -> None:
    """Delete older copies of the same font (another version of the source or derivation)."""
    stem = keep.name.split(".textlayer.")[0]
    for old in keep.parent.glob(f"{stem}.textlayer.*"):
        if old != keep:
            try:
                old.unlink()
            except OSError as exc:  # in use by another running AlignScope (Windows): next time
                log.info("could not remove stale derived font %s: %s", old, exc)
