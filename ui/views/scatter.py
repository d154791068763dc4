"""Fast, selectable scatter of one embedding space (pyqtgraph, CPU).

Fast path: the points are rasterised with numpy into one image per redraw
(ui.views.raster_scatter), colour by category through a palette lookup, so pan/zoom costs a
few passes over the points whatever the zoom. Above ``display_limit`` points a fixed random
display sample is drawn; box/lasso selection, hover and click still act on *all* points
(engine.projections.points_in_* on the full coordinates).

Tools: ``pan`` (drag pans, wheel zooms), ``box`` and ``lasso`` (drag selects). Shift adds to
the selection, Ctrl removes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsRectItem, QWidget

from engine.projections import points_in_polygon, points_in_rect
from ui.views.raster_scatter import RasterScatterItem, argb, points_bounds

DISPLAY_LIMIT = 100_000
HOVER_RADIUS_PX = 8.0


class _SelectViewBox(pg.ViewBox):  # type: ignore[misc]
    """ViewBox whose left-drag draws a box or a lasso when a selection tool is active."""

    def __init__(self, owner: SpaceScatter) -> None:
        super().__init__(enableMenu=False)
        self._owner = owner
        self._path: list[QPointF] = []
        pen = QPen(QColor(30, 120, 220), 0)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self._lasso_item = QGraphicsPathItem()
        self._lasso_item.setPen(pen)
        self._lasso_item.setBrush(QBrush(QColor(30, 120, 220, 40)))
        self._lasso_item.setZValue(1e9)
        self._lasso_item.hide()
        self.addItem(self._lasso_item, ignoreBounds=True)
        self._rect_item = QGraphicsRectItem()
        self._rect_item.setPen(pen)
        self._rect_item.setBrush(QBrush(QColor(30, 120, 220, 40)))
        self._rect_item.setZValue(1e9)
        self._rect_item.hide()
        self.addItem(self._rect_item, ignoreBounds=True)

    def mouseDragEvent(self, ev, axis=None):  # type: ignore[no-untyped-def]
        tool = self._owner.tool
        if tool == "pan" or ev.button() != Qt.MouseButton.LeftButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        pos = self.mapSceneToView(ev.scenePos())
        if ev.isStart():
            self._path = [self.mapSceneToView(ev.buttonDownScenePos()), pos]
        else:
            self._path.append(pos)
        if tool == "box":
            a, b = self._path[0], self._path[-1]
            self._rect_item.setRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(a.x() - b.x()), abs(a.y() - b.y()))
            self._rect_item.show()
        else:
            path = QPainterPath(self._path[0])
            for p in self._path[1:]:
                path.lineTo(p)
            path.closeSubpath()
            self._lasso_item.setPath(path)
            self._lasso_item.show()
        if ev.isFinish():
            self._rect_item.hide()
            self._lasso_item.hide()
            poly = np.array([[p.x(), p.y()] for p in self._path], dtype=np.float64)
            self._path = []
            self._owner.select_region(tool, poly, ev.modifiers())


class SpaceScatter(pg.PlotWidget):  # type: ignore[misc]
    """One projected space; emits selections, hovers and clicks as sample indices."""

    region_selected = Signal(object, str)  # (np.ndarray indices, mode)
    hovered = Signal(int, object)  # (index or -1, QPoint global position)
    clicked = Signal(int)

    def __init__(self, title: str = "", parent: QWidget | None = None,
                 display_limit: int = DISPLAY_LIMIT) -> None:
        self._vb = _SelectViewBox(self)
        super().__init__(parent=parent, viewBox=self._vb)
        self.tool = "lasso"
        self.display_limit = display_limit
        self.setTitle(title)
        self.setMenuEnabled(False)
        self.getPlotItem().hideButtons()
        self.getPlotItem().setAspectLocked(False)
        self.xy = np.zeros((0, 2), dtype=np.float32)
        self._shown = np.zeros(0, dtype=np.int64)
        self._codes = np.zeros(0, dtype=np.int64)
        self._colors: list[QColor] = []
        self._selected = np.zeros(0, dtype=np.int64)
        self._draw_order = np.zeros(0, dtype=np.int64)
        self._order_xy = np.zeros((0, 2), dtype=np.float64)
        self._order_codes = np.zeros(0, dtype=np.int64)
        self._xy_bounds = QRectF()
        self._palette = np.zeros(1, dtype=np.uint32)
        self._dim_palette = np.zeros(1, dtype=np.uint32)
        self._base = RasterScatterItem(radius=2.0)
        self._sel_item = RasterScatterItem(radius=2.5, outline=QColor(25, 25, 25, 230))
        self._base.setZValue(10)
        self._sel_item.setZValue(50)
        self.addItem(self._base)
        self.addItem(self._sel_item)
        self._current = pg.ScatterPlotItem(size=16, pxMode=True, symbol="o",
                                           pen=pg.mkPen(QColor("#2F81F7"), width=3), brush=None)
        self._current.setZValue(100)
        self.addItem(self._current)
        self.scene().sigMouseMoved.connect(self._on_move)
        self.scene().sigMouseClicked.connect(self._on_click)

    # -- data ---------------------------------------------------------------------------
    def set_points(self, xy: np.ndarray, codes: np.ndarray, colors: list[QColor], seed: int = 0) -> None:
        """Coordinates [n, 2], a colour category per point and the category colours."""
        self.xy = np.asarray(xy, dtype=np.float32)
        n = self.xy.shape[0]
        # round discs while cheap; smaller ones keep 100k-point redraws fast
        self._base.radius = 3.0 if n <= 500 else 2.3 if n <= 20_000 else 1.6
        self._sel_item.radius = self._base.radius + 0.6
        if n > self.display_limit:
            rng = np.random.default_rng(seed)
            self._shown = np.sort(rng.choice(n, self.display_limit, replace=False))
        else:
            self._shown = np.arange(n)
        self.set_colors(codes, colors)
        self.getPlotItem().enableAutoRange()
        self.autoRange(padding=0.05)

    def set_colors(self, codes: np.ndarray, colors: list[QColor]) -> None:
        self._codes = np.asarray(codes, dtype=np.int64)
        self._colors = list(colors)
        self._palette = np.array([argb(c) for c in self._colors] or [0], dtype=np.uint32)
        self._dim_palette = np.array([argb(c, 0.22) for c in self._colors] or [0], dtype=np.uint32)
        shown_codes = self._codes[self._shown]
        # draw order: by category (higher codes on top), stable within a category
        self._draw_order = self._shown[np.argsort(shown_codes, kind="stable")]
        # kept for every redraw: a new selection only recolours the drawn points
        self._order_xy = self.xy[self._draw_order].astype(np.float64)
        self._order_codes = self._codes[self._draw_order]
        self._xy_bounds = points_bounds(self.xy)
        self.set_selection(self._selected)

    def category_counts(self) -> np.ndarray:
        """Points drawn per colour category."""
        return np.bincount(self._codes[self._shown], minlength=len(self._colors))

    def set_selection(self, indices: np.ndarray) -> None:
        """Draw the selected points on top in full colour with an outline; dim the others."""
        self._selected = np.asarray(indices, dtype=np.int64)
        dim = self._selected.size > 0
        palette = self._dim_palette if dim else self._palette
        self._base.set_points(self._order_xy, palette[self._order_codes], self._xy_bounds)
        if dim and self._codes.size:
            sel = self._selected[np.argsort(self._codes[self._selected], kind="stable")]
            # the selection lies within all points' bounds: no need to compute its own
            self._sel_item.set_points(self.xy[sel], self._palette[self._codes[sel]], self._xy_bounds)
        else:
            self._sel_item.set_points(np.zeros((0, 2)), np.zeros(0, np.uint32))

    def selected_drawn(self) -> int:
        return len(self._sel_item)

    def set_current(self, index: int) -> None:
        if 0 <= index < self.xy.shape[0]:
            self._current.setData(x=[float(self.xy[index, 0])], y=[float(self.xy[index, 1])])
        else:
            self._current.setData(x=[], y=[])

    def set_tool(self, tool: str) -> None:
        if tool not in ("pan", "box", "lasso"):
            raise ValueError(f"unknown tool {tool!r}")
        self.tool = tool

    # -- interaction ----------------------------------------------------------------------
    def select_region(self, tool: str, poly: np.ndarray, modifiers: Qt.KeyboardModifier) -> None:
        """Select every point (not only the displayed ones) inside a box or lasso in view coords."""
        if tool == "box":
            (x0, y0), (x1, y1) = poly[0], poly[-1]
            mask = points_in_rect(self.xy, x0, y0, x1, y1)
        else:
            mask = points_in_polygon(self.xy, poly)
        mode = "replace"
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            mode = "add"
        elif modifiers & Qt.KeyboardModifier.ControlModifier:
            mode = "remove"
        self.region_selected.emit(np.flatnonzero(mask), mode)

    def nearest(self, scene_pos: QPointF) -> int:
        """Displayed point nearest to a scene position within HOVER_RADIUS_PX, else -1."""
        if self._shown.size == 0 or not self._vb.sceneBoundingRect().contains(scene_pos):
            return -1
        p = self._vb.mapSceneToView(scene_pos)
        px_w, px_h = self._vb.viewPixelSize()
        if px_w <= 0 or px_h <= 0:
            return -1
        pts = self.xy[self._shown]
        d2 = ((pts[:, 0] - p.x()) / px_w) ** 2 + ((pts[:, 1] - p.y()) / px_h) ** 2
        j = int(np.argmin(d2))
        return int(self._shown[j]) if d2[j] <= HOVER_RADIUS_PX**2 else -1

    def _on_move(self, scene_pos: QPointF) -> None:
        i = self.nearest(scene_pos)
        view = self.mapFromScene(scene_pos)
        self.hovered.emit(i, self.mapToGlobal(view))

    def _on_click(self, ev) -> None:  # type: ignore[no-untyped-def]
        if ev.button() != Qt.MouseButton.LeftButton or ev.double():
            return
        i = self.nearest(ev.scenePos())
        if i >= 0:
            self.clicked.emit(i)

    def leaveEvent(self, ev) -> None:  # type: ignore[no-untyped-def]
        self.hovered.emit(-1, None)
        super().leaveEvent(ev)
