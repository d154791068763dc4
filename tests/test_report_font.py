"""The report font's text-layer copy (ui/report/font_text_layer.py) on the real Noto Sans CJK JP.

The PDF's copy-out itself is read back in test_report_pdf.py; these tests check the derived font
file: which code points go, that nothing else changes, the cache and the fallback."""

from __future__ import annotations

import logging
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from ui.report import fonts
from ui.report.font_text_layer import FAMILY, shadowing_code_points, text_layer_font

SOURCES = fonts.font_files()
SYSTEM_JP = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # installer/sysdeps.sh


def _cmap(path: Path) -> dict[int, int]:
    with TTFont(str(path), lazy=True) as font:
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        return {cp: order[name] for cp, name in font["cmap"].getBestCmap().items()}


def test_shadowing_code_points_keep_the_character_people_type() -> None:
    # glyph "a": radical ⽬ + 目; "b": figure dash + en dash; "c": ∕ + ／ (Japanese text has ／);
    # "d": 〜 + ～ (both typed: the lower one stays, nothing shadows it); "e": one code point
    cmap = {0x2F6C: "a", 0x76EE: "a", 0x2012: "b", 0x2013: "b", 0x2215: "c", 0xFF0F: "c",
            0x301C: "d", 0xFF5E: "d", 0x41: "e", 0x2E9F: "f", 0x6BCD: "f", 0x1F10B: "g", 0x24EA: "g"}
    assert shadowing_code_points(cmap) == {0x2F6C, 0x2012, 0x2215, 0x2E9F}


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    assert SOURCES, "noto-cjk-sans-jp-regular missing: pip install -e .[dev]"
    cache = tmp_path_factory.mktemp("fonts")
    return SOURCES[0], text_layer_font(SOURCES[0], cache, face_family=fonts.FAMILY)


def test_derived_font_drops_only_the_shadowing_code_points(derived: tuple[Path, Path]) -> None:
    source, copy = derived
    before, after = _cmap(source), _cmap(copy)
    dropped = set(before) - set(after)
    assert {0x2F6C, 0x2ED1, 0x2F8C, 0x2012, 0x2027, 0x2215} <= dropped  # ⽬ ⻑ ⾯ ‒ ‧ ∕
    assert all(before[cp] == after[cp] for cp in after)  # every kept code point: same glyph
    for kept in "目長面–・／〜":  # and the characters they shadowed are all still there
        assert after[ord(kept)] == before[ord(kept)], kept
    for cp in dropped:  # each dropped one shared its glyph with a higher code point that stays
        assert any(other > cp and after.get(other) == before[cp] for other in before), hex(cp)
    # every radical that doubles a BMP ideograph goes (Qt's PDF writer reads only the BMP)
    uses = Counter(gid for cp, gid in before.items() if cp < 0x10000)
    radicals = {cp for cp in before if 0x2E80 <= cp <= 0x2FDF and uses[before[cp]] > 1}
    assert len(radicals) > 200 and radicals <= dropped


def test_derived_font_keeps_outlines_and_metrics_byte_for_byte(derived: tuple[Path, Path]) -> None:
    with TTFont(str(derived[0]), lazy=True) as source, TTFont(str(derived[1]), lazy=True) as copy:
        changed = {tag for tag in source.reader.keys() if source.reader[tag] != copy.reader[tag]}
        assert changed == {"cmap", "name", "head"}  # head: the checksum adjustment only
        names = copy["name"]
        assert names.getDebugName(1) == FAMILY and names.getDebugName(6) == "NotoSansCJKjp-Regular"


def test_derived_font_is_written_once(derived: tuple[Path, Path]) -> None:
    source, copy = derived
    stamp = copy.stat().st_mtime_ns
    assert text_layer_font(source, copy.parent, face_family=fonts.FAMILY) == copy
    assert copy.stat().st_mtime_ns == stamp
    assert [p.name for p in copy.parent.iterdir()] == [copy.name]  # no temp file left behind


def test_a_changed_source_is_derived_again_and_the_old_copy_removed(tmp_path: Path) -> None:
    source = tmp_path / "src" / SOURCES[0].name
    source.parent.mkdir()
    shutil.copyfile(SOURCES[0], source)
    cache = tmp_path / "cache"
    first = text_layer_font(source, cache)
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10**9))
    second = text_layer_font(source, cache)
    assert second != first and second.is_file() and not first.exists()


def test_a_font_collection_gives_its_japanese_face(tmp_path: Path) -> None:
    assert SYSTEM_JP.is_file(), "fonts-noto-cjk missing: run installer/sysdeps.sh"
    copy = text_layer_font(SYSTEM_JP, tmp_path, face_family=fonts.FAMILY)
    with TTFont(str(copy), lazy=True) as font:
        assert font["name"].getDebugName(6) == "NotoSansCJKjp-Regular"
    assert 0x76EE in _cmap(copy) and 0x2F6C not in _cmap(copy)
    with pytest.raises(ValueError, match="no font named 'Nope'"):
        text_layer_font(SYSTEM_JP, copy.parent, face_family="Nope")


def test_without_a_writable_cache_the_original_font_is_used_and_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ALIGNSCOPE_FONT_CACHE", str(blocker / "fonts"))
    with caplog.at_level(logging.WARNING, logger="ui.report.fonts"):
        assert fonts._text_layer_safe(SOURCES) == SOURCES
    assert "could not derive the text-layer copy" in caplog.text
