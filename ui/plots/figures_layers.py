"""Figures of the layer-wise study (engine.metrics.layerwise.LayerwiseAlignment): the layer ×
layer alignment heatmap of one model pair with its maximum marked, and alignment against
relative depth. Re-exported by :mod:`ui.plots.figures` (the GUI and the PDF draw the same)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from engine.metrics.layerwise import LayerwiseAlignment
from ui.plots.figures import SERIES, THEMES, _base, _legend, _metric, _note, _ticks, _tr


def layer_heatmap(la: LayerwiseAlignment | None, theme: str = "light") -> pg.PlotWidget:
    """Alignment of every (image layer, text layer) pair; the maximum outlined and labelled.
    Colours run from 0 to at least three times chance, so small differences stay small."""
    title = _tr("Alignment per layer pair ({0})").format(_metric(la.metric if la else "mutual_knn"))
    w = _base(title, theme, _tr("report encoder layer"), _tr("image encoder layer"))
    if la is None or not la.matrix:
        return _note(w, _tr("no layers: embed with --layers and run the study"), theme)
    grid = np.asarray(la.matrix, dtype=float).T  # x = text layers, y = image layers
    chance = la.k / max(la.n - 1, 1)
    hi = max(float(np.nanmax(grid)), 3.0 * chance)
    img = pg.ImageItem(np.nan_to_num(grid, nan=0.0))
    img.setColorMap(pg.colormap.get("viridis"))
    img.setLevels((0.0, hi))
    w.addItem(img)
    img.setRect(-0.5, -0.5, grid.shape[0], grid.shape[1])
    bi, bt = la.image_layers.index(la.argmax[0]), la.text_layers.index(la.argmax[1])
    fg = THEMES.get(theme, THEMES["light"])["fg"]
    w.plot([bt - 0.5, bt + 0.5, bt + 0.5, bt - 0.5, bt - 0.5], [bi - 0.5, bi - 0.5, bi + 0.5, bi + 0.5, bi - 0.5],
           pen=pg.mkPen("#FF3030", width=3))
    label = pg.TextItem(_tr("max {0:.3f}").format(la.max), color=fg, anchor=(0.5, 1.2))
    label.setFont(QFont(label.textItem.font().family(), 9, QFont.Weight.Bold))
    w.addItem(label)
    label.setPos(bt, bi + 0.5)
    _ticks(w, la.text_layers, "bottom")
    _ticks(w, la.image_layers, "left")
    w.getPlotItem().showGrid(x=False, y=False)
    w.setXRange(-0.5, grid.shape[0] - 0.5, padding=0.02)
    w.setYRange(-0.5, grid.shape[1] - 0.5, padding=0.05)
    w.setMouseEnabled(x=False, y=False)
    return w


def alignment_vs_depth_plot(la: LayerwiseAlignment | None, theme: str = "light") -> pg.PlotWidget:
    """For each layer of either encoder, its best alignment with any layer of the other,
    against the layer's relative depth (0 = first layer, 1 = the embedding)."""
    w = _base(_tr("Alignment vs layer depth"), theme, _tr("relative depth (0 = first layer, 1 = embedding)"),
              _metric(la.metric if la else "mutual_knn"))
    if la is None or not la.matrix:
        return _note(w, _tr("no layers: embed with --layers and run the study"), theme)
    mat = np.asarray(la.matrix, dtype=float)
    _legend(w, theme, offset=(10, 10))
    for values, name, color in ((mat.max(axis=1), _tr("image layers"), SERIES[0]),
                                (mat.max(axis=0), _tr("report layers"), SERIES[1])):
        x = np.linspace(0.0, 1.0, values.size) if values.size > 1 else np.array([1.0])
        w.plot(x, values, pen=pg.mkPen(color, width=2.5), symbol="o", symbolSize=7,
               symbolBrush=pg.mkBrush(color), name=name)
    chance = la.k / max(la.n - 1, 1)
    w.addItem(pg.InfiniteLine(pos=chance, angle=0, pen=pg.mkPen("#888888", width=1.5, style=Qt.PenStyle.DashLine),
                              label=_tr("chance"), labelOpts={"color": "#888888", "position": 0.95}))
    w.setYRange(0.0, max(float(mat.max()) * 1.15, 3.0 * chance))
    w.setXRange(-0.05, 1.05)
    return w
