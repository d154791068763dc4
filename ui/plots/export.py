"""Export any pyqtgraph plot as PNG (raster) or SVG (vector)."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as pg_exporters
from PySide6.QtWidgets import QFileDialog, QWidget

from engine.errors import InputError


def _export_item(widget: pg.PlotWidget | pg.GraphicsLayoutWidget | pg.GraphicsItem) -> object:
    if isinstance(widget, pg.PlotWidget):
        return widget.getPlotItem()
    if isinstance(widget, pg.GraphicsLayoutWidget):
        return widget.ci
    return widget


def export_plot(widget: pg.PlotWidget | pg.GraphicsLayoutWidget | pg.GraphicsItem, path: str | Path,
                width_px: int | None = None) -> Path:
    """Write the plot to ``path``; the suffix (.png or .svg) chooses the format."""
    from engine.safe_io import atomic_output

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InputError(f"cannot export a plot as {suffix or 'a file without suffix'}: use .png or .svg")
    item = _export_item(widget)
    with atomic_output(target, "plot") as tmp:  # same folder, same suffix; renamed when complete
        try:
            if suffix == ".png":
                exporter = pg_exporters.ImageExporter(item)
                if width_px:
                    exporter.parameters()["width"] = int(width_px)
                exporter.export(str(tmp))
            else:
                _export_svg(item, tmp)
        except OSError as exc:
            raise InputError(f"cannot write {target}: {exc}") from exc
    return target


def _export_svg(item: object, target: Path) -> None:
    """Vector SVG through Qt's QSvgGenerator (pyqtgraph's SVGExporter cannot parse the path data
    Qt 6.12 writes); the scene's items are drawn as vector paths and text."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    rect = item.sceneBoundingRect()  # type: ignore[attr-defined]
    scene = item.scene()  # type: ignore[attr-defined]
    gen = QSvgGenerator()
    gen.setFileName(str(target))
    gen.setSize(QSize(int(rect.width()), int(rect.height())))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    gen.setTitle("AlignScope")
    painter = QPainter()
    if not painter.begin(gen):
        raise InputError(f"cannot write {target}")
    try:
        painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), scene.backgroundBrush())
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    if not target.exists():
        raise InputError(f"cannot write {target}")


def ask_save_path(parent: QWidget, title: str, default_name: str, filters: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, default_name, filters)
    return Path(path) if path else None


def export_plot_interactive(parent: QWidget, widget: pg.PlotWidget | pg.GraphicsLayoutWidget, name: str) -> Path | None:
    """Ask for a file name (PNG or SVG) and export; returns the written path or None."""
    path = ask_save_path(parent, parent.tr("Export plot"), f"{name}.png",
                         parent.tr("PNG image (*.png);;SVG vector image (*.svg)"))
    if path is None:
        return None
    if path.suffix.lower() not in (".png", ".svg"):
        path = path.with_suffix(".png")
    return export_plot(widget, path)
