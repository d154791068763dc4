"""Thumbnails for hover and the detail pane: scaled while decoding, kept in a small LRU cache."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

_CACHE: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
_CACHE_MAX = 512


def thumbnail(path: Path | str, size: int) -> QPixmap:
    """A pixmap of at most ``size``×``size`` px (a null pixmap when the file cannot be read)."""
    key = (str(path), size)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    src = reader.size()
    if src.isValid() and (src.width() > size or src.height() > size):
        reader.setScaledSize(src.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    pix = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
    _CACHE[key] = pix
    if len(_CACHE) > _CACHE_MAX:
        _CACHE.popitem(last=False)
    return pix


def snippet(text: str, length: int = 160) -> str:
    """The start of a report on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: Qt renders any tooltip that looks like HTML as
    rich text (a report holding ``<img src=...>`` would load that image), so the text is
    escaped and wrapped as rich text that displays exactly these characters."""
    from html import escape

    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>"
