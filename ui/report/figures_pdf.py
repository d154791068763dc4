"""Plots in the PDF: the GUI's own pyqtgraph figures (``ui.plots.figures``), the same
functions the Ladder and Interactions views show, rendered offscreen.

Each figure is laid out at a screen-like pixel size (so fonts and ticks look as in the
GUI) and drawn into an image at ``SUPERSAMPLE`` times that size, about 250 dpi on paper.
Vector output was tried (QPicture replay and QSvgGenerator of the plot scene): Qt
rescales the recorded fonts and pyqtgraph's cached bar shapes on the 300 dpi PDF device,
so the plots came out distorted; high-resolution images are exact.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from engine.report import FigureSpec

LAYOUT_PX_PER_MM = 96 / 25.4 * 1.15  # plot layout density: fonts and ticks at a readable size
SUPERSAMPLE = 2.5


def _figure_function(name: str) -> Any:
    try:
        module = importlib.import_module("ui.plots.figures")
    except ImportError:
        return None
    return getattr(module, name, None)


def available(spec: FigureSpec) -> bool:
    """Whether the GUI's figure function for ``spec`` exists in this build."""
    return _figure_function(spec.function) is not None


def render_figure(spec: FigureSpec) -> QImage | None:
    """The figure as a high-resolution image; None when its function does not exist."""
    from PySide6.QtWidgets import QApplication

    func = _figure_function(spec.function)
    if func is None:
        return None
    widget = func(*spec.args, theme="light")
    w = max(int(spec.width_mm * LAYOUT_PX_PER_MM), 50)
    h = max(int(spec.height_mm * LAYOUT_PX_PER_MM), 50)
    try:
        widget.resize(w, h)
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.show()
        QApplication.processEvents()
        image = QImage(int(w * SUPERSAMPLE), int(h * SUPERSAMPLE), QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # the scene, not the widget: QWidget.render clips to the unscaled widget size
        source = QRectF(widget.viewport().rect())
        widget.scene().render(painter, QRectF(0, 0, image.width(), image.height()), source)
        painter.end()
    finally:
        widget.hide()
        widget.deleteLater()
    return image


def render_figures(figures: Mapping[str, FigureSpec]) -> tuple[dict[str, QImage], list[str]]:
    """Every figure rendered; returns (images by key, keys whose function is missing)."""
    from PySide6.QtWidgets import QApplication

    images: dict[str, QImage] = {}
    missing: list[str] = []
    for key, spec in figures.items():
        image = render_figure(spec)
        if image is None:
            missing.append(key)
        else:
            images[key] = image
    QApplication.processEvents()
    return images, missing
