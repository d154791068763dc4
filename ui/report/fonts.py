"""The report's font: Noto Sans CJK JP, loaded from its file so the PDF never depends on
the system's font configuration, and embedded (subset) by Qt's PDF writer.

Where it comes from, first found wins:
1. the PyPI packages ``noto-cjk-sans-jp-regular`` / ``noto-cjk-sans-jp-bold`` (runtime
   dependencies of AlignScope: they travel with the wheelhouse and the bundle);
2. Debian's ``fonts-noto-cjk`` (``installer/sysdeps.sh`` installs it).
It covers Latin as well, so English and Japanese reports use the same typeface.

Qt is given a derived copy (``ui.report.font_text_layer``: same outlines, a cmap without the
code points that made Qt's PDF text layer copy 目 out as the radical ⽬), cached in the user's
cache folder on first use. Should that fail, the original font is used and a warning logged.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import AlignScopeError
from ui.report import font_text_layer

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

_PACKAGES = ("noto_cjk_sans_jp_regular", "noto_cjk_sans_jp_bold")
_SYSTEM = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)
FAMILY = "Noto Sans CJK JP"
log = logging.getLogger(__name__)


def font_files() -> list[Path]:
    """The font files found, regular first."""
    found: list[Path] = []
    for name in _PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        path = Path(str(module.FONT_PATH))
        if path.is_file():
            found.append(path)
    if found:
        return found
    return [p for p in _SYSTEM if p.is_file()]


def _text_layer_safe(paths: list[Path]) -> list[Path]:
    """The derived copies of ``paths`` (see ``font_text_layer``); ``paths`` themselves if one
    fails (one family for regular and bold, never a derived regular with a synthetic bold)."""
    derived: list[Path] = []
    for path in paths:
        try:
            derived.append(font_text_layer.text_layer_font(path, face_family=FAMILY))
        except Exception as exc:  # any failure (no fontTools, cache not writable, odd font)
            log.warning("report font %s used as is (its PDF text may copy out some characters as "
                        "look-alikes): could not derive the text-layer copy: %s", path, exc,
                        exc_info=True)
            return paths
    return derived


@lru_cache(maxsize=1)
def report_font_family() -> str:
    """Register the report font with Qt (once) and return its family name.

    Raises AlignScopeError when no CJK font is installed (a Japanese report would print boxes).
    """
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    for path in _text_layer_safe(font_files()):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        raise AlignScopeError(
            "no CJK font for the report: install the Python package noto-cjk-sans-jp-regular "
            "(pip install noto-cjk-sans-jp-regular) or the system package fonts-noto-cjk"
        )
    for family in (font_text_layer.FAMILY, FAMILY):
        if family in families:
            return family
    return families[0]


# OpenType features that break the PDF's text layer: with 'locl' on, Noto Sans CJK JP draws
# digits with locale-specific glyphs that have no Unicode mapping, so `pdftotext` (and a PDF
# viewer's search) lost every digit of running text; 'liga' turns "fi" into one glyph (U+FB01).
TEXT_LAYER_UNSAFE_FEATURES = ("locl", "liga")


def report_font(point_size: float) -> QFont:
    """The report font at ``point_size``, with the features that spoil copy-out switched off."""
    from PySide6.QtGui import QFont

    font = QFont(report_font_family())
    font.setPointSizeF(point_size)
    for tag in TEXT_LAYER_UNSAFE_FEATURES:
        font.setFeature(QFont.Tag(tag), 0)
    return font
