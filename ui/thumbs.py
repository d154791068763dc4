"""Thumbnails for hover, the detail pane and the suspect table: scaled while decoding, kept in a
small LRU cache.

:func:`thumbnail` decodes on the calling thread (one image at a time: hover, detail pane).
:class:`ThumbnailLoader` decodes on a background thread for tables that show many at once: a
cache hit is returned at once, a miss is queued (newest request first, so scrolling through a
long table decodes what is on screen now) and ``ready(path, size)`` fires on the GUI thread when
the pixmap is in the cache. QImageReader releases the GIL while it decodes, so the GUI thread
keeps running; only QImage crosses threads (QPixmap is made on the GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

log = logging.getLogger(__name__)

_CACHE: OrderedDict[tuple[str, int], QPixmap] = OrderedDict()
_CACHE_MAX = 512
MAX_PENDING = 256  # queued decodes beyond this are dropped, oldest first (they scrolled away)


def read_scaled(path: Path | str, size: int) -> QImage:
    """The image at ``path`` scaled to at most ``size``×``size`` px while decoding (null when unreadable)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    src = reader.size()
    if src.isValid() and (src.width() > size or src.height() > size):
        reader.setScaledSize(src.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.debug("cannot read image %s: %s", path, reader.errorString())
    return image


def cached(path: Path | str, size: int) -> QPixmap | None:
    """The cached pixmap (null when the file could not be read), or None when not decoded yet."""
    key = (str(path), size)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
    return hit


def _store(key: tuple[str, int], pix: QPixmap) -> None:
    _CACHE[key] = pix
    if len(_CACHE) > _CACHE_MAX:
        _CACHE.popitem(last=False)


def thumbnail(path: Path | str, size: int) -> QPixmap:
    """A pixmap of at most ``size``×``size`` px (a null pixmap when the file cannot be read)."""
    hit = cached(path, size)
    if hit is not None:
        return hit
    image = read_scaled(path, size)
    pix = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
    _store((str(path), size), pix)
    return pix


class ThumbnailLoader(QObject):
    """Decodes thumbnails on one background thread; see the module docstring."""

    ready = Signal(str, int)            # (path, size): now in the cache (null pixmap if unreadable)
    _decoded = Signal(str, int, QImage)  # worker thread → GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: OrderedDict[tuple[str, int], None] = OrderedDict()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._decoded.connect(self._on_decoded, Qt.ConnectionType.QueuedConnection)

    def request(self, path: Path | str, size: int) -> QPixmap | None:
        """The cached pixmap, or None after queueing the decode (``ready`` follows)."""
        hit = cached(path, size)
        if hit is not None:
            return hit
        key = (str(path), size)
        with self._wake:
            if self._stopping:
                return None
            self._pending[key] = None
            self._pending.move_to_end(key)
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="thumbnails", daemon=True)
                self._thread.start()
            self._wake.notify()
        return None

    def pending(self) -> int:
        with self._wake:
            return len(self._pending)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                key, _ = self._pending.popitem(last=True)  # newest first: what is on screen now
            try:
                image = read_scaled(*key)
            except Exception:  # a decoder crash must not end the thread: log it, show no image
                log.exception("thumbnail of %s failed", key[0])
                image = QImage()
            with self._wake:
                if self._stopping:
                    return
                self._decoded.emit(key[0], key[1], image)

    def _on_decoded(self, path: str, size: int, image: QImage) -> None:
        _store((path, size), QPixmap.fromImage(image) if not image.isNull() else QPixmap())
        self.ready.emit(path, size)

    def stop(self) -> None:
        """End the worker thread (queued decodes are dropped)."""
        with self._wake:
            self._stopping = True
            self._pending.clear()
            self._wake.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=5)


_shared: list[ThumbnailLoader] = []


def shared_loader() -> ThumbnailLoader:
    """The application's thumbnail loader (stopped when the application quits)."""
    if not _shared:
        loader = ThumbnailLoader()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(loader.stop)
        _shared.append(loader)
    return _shared[0]


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
