"""A scatter item that rasterises its points with numpy.

pyqtgraph's ScatterPlotItem draws one pixmap fragment per point: ~0.15 s per redraw at 100,000
points on a busy 2-core machine. Here the points are mapped to device pixels with the
painter's transform and splatted as small discs into an index image of the visible area: each
pixel holds the draw position of the point that covers it (later points over earlier ones).
The image is coloured with one gather and drawn as one QImage. The index image is kept while
the view, the device and the points stay the same, so a new colouring (a selection dims the
other points) costs one pass over the pixels; an outline is the one-pixel ring around the
discs, found by dilating the covered pixels. Pan/zoom costs a few numpy passes over the
points, independent of zoom. Exports (PNG via pyqtgraph, SVG via QSvgGenerator) draw through
the same paint().
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from ui.none_guard import top_up


def argb(color: QColor, alpha: float = 1.0) -> int:
    """Premultiplied ARGB32 value of a colour at an extra opacity."""
    a = max(0.0, min(1.0, color.alphaF() * alpha))
    r, g, b = (round(c * a) for c in (color.red(), color.green(), color.blue()))
    return (round(a * 255) << 24) | (r << 16) | (g << 8) | b


@functools.lru_cache(maxsize=32)
def disc_offsets(radius: float) -> np.ndarray:
    """Integer pixel offsets [m, 2] covering a disc of the given radius (read-only, cached)."""
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    keep = xx**2 + yy**2 <= (radius + 0.4) ** 2
    out = np.stack([xx[keep], yy[keep]], axis=1)
    out.flags.writeable = False
    return out


RING = np.array([(dx, dy) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dx or dy])  # outline dilation


def points_bounds(xy: np.ndarray) -> QRectF:
    """Bounding rectangle of [n, 2] points (columns reduced contiguously: fast at 100k)."""
    if xy.shape[0] == 0:
        return QRectF()
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    return QRectF(x0, y0, x1 - x0, y1 - y0)


def cover_index(ix: np.ndarray, iy: np.ndarray, width: int, height: int, radius: float) -> np.ndarray:
    """[height, width] int32 image: the position (in ``ix``) of the last point whose disc covers
    each pixel, −1 where none does. ``ix``/``iy`` are the points' pixel centres."""
    rd = int(np.ceil(radius))
    r = 2 * rd  # a border of 2·rd px takes the discs' overhang: no per-offset bounds checks
    wp = width + 2 * r
    vis = np.flatnonzero((ix >= -rd) & (ix < width + rd) & (iy >= -rd) & (iy < height + rd))
    base = (iy[vis] + r) * wp + (ix[vis] + r)
    buf = np.full((height + 2 * r) * wp, -1, dtype=np.int32)
    order = vis.astype(np.int32)
    for dx, dy in disc_offsets(radius).tolist():
        buf[base + (dy * wp + dx)] = order
    return np.ascontiguousarray(buf.reshape(height + 2 * r, wp)[r:r + height, r:r + width])


def ring_of(covered: np.ndarray) -> np.ndarray:
    """Pixels next to a covered pixel (8-neighbourhood) that are not covered themselves."""
    h, w = covered.shape
    grown = np.zeros((h + 2, w + 2), dtype=bool)
    for dx, dy in RING.tolist():
        grown[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] |= covered
    out: np.ndarray = grown[1:h + 1, 1:w + 1] & ~covered
    return out


class RasterScatterItem(pg.GraphicsObject):  # type: ignore[misc]
    """Points of one colour each, drawn as discs of ``radius`` px (with an optional outline)."""

    def __init__(self, radius: float = 2.2, outline: QColor | None = None) -> None:
        super().__init__()
        self.radius = radius
        self.outline = outline
        self._xy = np.zeros((0, 2), dtype=np.float64)
        self._argb = np.zeros(0, dtype=np.uint32)
        self._bounds = QRectF()
        self._image: QImage | None = None  # kept alive while painted
        self._version = 0  # bumps when the coordinates change
        self._cover: tuple[tuple[Any, ...], np.ndarray] | None = None  # (view key, index image)

    def set_points(self, xy: np.ndarray, colors: np.ndarray, bounds: QRectF | None = None) -> None:
        """Coordinates [n, 2] and premultiplied ARGB32 colours [n], drawn in this order.

        Passing the same coordinate array again (only new colours) keeps the rasterised
        positions; ``bounds`` (the points' bounding rectangle, or any rectangle containing it)
        saves computing it."""
        self.prepareGeometryChange()
        if xy is not self._xy:
            arr = np.asarray(xy, dtype=np.float64)
            self._xy = arr if arr.ndim == 2 and arr.shape[1] == 2 else arr.reshape(-1, 2)
            self._version += 1
            self._bounds = QRectF(bounds) if bounds is not None else points_bounds(self._xy)
        self._argb = np.asarray(colors, dtype=np.uint32).reshape(-1)
        self.update()

    def __len__(self) -> int:
        return int(self._xy.shape[0])

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: Any = None) -> tuple[float, float] | None:
        if self._xy.shape[0] == 0:
            return None
        col = self._xy[:, ax]
        return float(col.min()), float(col.max())

    def pixelPadding(self) -> float:
        return self.radius + 1

    def _cover_image(self, painter: QPainter, width: int, height: int, dpr: float) -> np.ndarray:
        """The index image of the points for this painter (cached while nothing moved)."""
        t = painter.transform()
        key = (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy(), width, height, dpr, self._version,
               self.radius)
        if self._cover is not None and self._cover[0] == key:
            return self._cover[1]
        x, y = self._xy[:, 0], self._xy[:, 1]
        px = (t.m11() * x + t.m21() * y + t.dx()) * dpr
        py = (t.m12() * x + t.m22() * y + t.dy()) * dpr
        ix = np.rint(np.nan_to_num(px, nan=-1e9)).clip(-1e9, 1e9).astype(np.int64)
        iy = np.rint(np.nan_to_num(py, nan=-1e9)).clip(-1e9, 1e9).astype(np.int64)
        cover = cover_index(ix, iy, width, height, self.radius * dpr)
        self._cover = (key, cover)
        return cover

    def paint(self, painter: QPainter, option: Any = None, widget: Any = None) -> None:
        top_up()  # see ui.none_guard: paint() overrides leak references to None on PySide6 6.12 / Py3.11
        n = self._xy.shape[0]
        device = painter.device()
        if n == 0 or device is None:
            return
        dpr = float(device.devicePixelRatioF()) if hasattr(device, "devicePixelRatioF") else 1.0
        width, height = int(device.width() * dpr), int(device.height() * dpr)
        if width <= 0 or height <= 0:
            return
        cover = self._cover_image(painter, width, height, dpr)
        covered = cover >= 0
        # Qt owns the image memory (a QImage over a numpy buffer upsets PySide6's refcounts)
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        view = np.frombuffer(image.bits(), dtype=np.uint32).reshape(height, image.bytesPerLine() // 4)[:, :width]
        view[...] = 0
        view[covered] = self._argb[cover[covered]]
        if self.outline is not None:
            view[ring_of(covered)] = np.uint32(argb(self.outline))
        del view
        image.setDevicePixelRatio(dpr)
        self._image = image
        painter.save()
        painter.resetTransform()
        painter.drawImage(0, 0, image)
        painter.restore()
