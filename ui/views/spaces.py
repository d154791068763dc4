"""Spaces view: image space and report space side by side, linked through the SelectionModel,
with the hover card and the detail pane."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QActionGroup, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.suspects import selection_rows, write_csv
from ui.plots.export import ask_save_path, export_plot, export_plot_interactive
from ui.project import ProjectData
from ui.selection import SelectionModel
from ui.views.colors import label_categories, score_categories
from ui.views.detail import DetailPane
from ui.views.hover import HoverCard
from ui.views.scatter import SpaceScatter

ALIGNMENT = "__alignment__"


class SpacesView(QWidget):
    message = Signal(str)

    def __init__(self, selection: SelectionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection = selection
        self.data: ProjectData | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        bar = QToolBar()
        bar.setObjectName("SpacesToolbar")
        bar.addWidget(QLabel(self.tr("Colour by ")))
        self.color_by = QComboBox()
        self.color_by.setMinimumContentsLength(14)
        self.color_by.currentIndexChanged.connect(self._recolor)
        bar.addWidget(self.color_by)
        bar.addSeparator()
        group = QActionGroup(self)
        self.tool_actions = {}
        for tool, text, key in (("lasso", self.tr("Lasso"), "L"), ("box", self.tr("Box"), "B"),
                                ("pan", self.tr("Pan / zoom"), "P")):
            act = bar.addAction(text)
            act.setCheckable(True)
            act.setShortcut(QKeySequence(key))
            act.setToolTip(self.tr("{0} ({1}); Shift adds, Ctrl removes").format(text, key))
            act.triggered.connect(lambda _=False, t=tool: self.set_tool(t))
            group.addAction(act)
            self.tool_actions[tool] = act
        self.tool_actions["lasso"].setChecked(True)
        bar.addSeparator()
        act = bar.addAction(self.tr("Clear selection"))
        act.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        act.triggered.connect(lambda: self.selection.clear(source="spaces"))
        act = bar.addAction(self.tr("Export selection…"))
        act.triggered.connect(lambda: self.export_selection_csv())
        act = bar.addAction(self.tr("Export plots…"))
        act.triggered.connect(self._export_plots)
        lay.addWidget(bar)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        lay.addWidget(self.legend)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.image_plot = SpaceScatter(self.tr("Image space"))
        self.text_plot = SpaceScatter(self.tr("Report space"))
        self.detail = DetailPane()
        split.addWidget(self.image_plot)
        split.addWidget(self.text_plot)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        self.splitter = split
        lay.addWidget(split, 1)
        self.status = QLabel()
        lay.addWidget(self.status)
        self.hover = HoverCard(self)
        for plot in (self.image_plot, self.text_plot):
            plot.region_selected.connect(self._on_region)
            plot.hovered.connect(self._on_hover)
            plot.clicked.connect(self.selection.set_current)
        self.detail.navigate.connect(self.selection.set_current)
        self.selection.changed.connect(self._on_selection)
        self.selection.current_changed.connect(self._on_current)

    # -- data -----------------------------------------------------------------------------
    def set_project(self, data: ProjectData | None) -> None:
        self.data = data
        self.detail.set_project(data)
        self.color_by.blockSignals(True)
        self.color_by.clear()
        if data is not None:
            if data.overlap is not None:
                self.color_by.addItem(self.tr("Alignment (shared neighbours)"), ALIGNMENT)
            for name in data.columns:
                self.color_by.addItem(name, name)
        self.color_by.blockSignals(False)
        if data is None or not data.has_spaces:
            self.status.setText(self.tr("No embeddings yet: embed both modalities to see the spaces."))
            for plot in (self.image_plot, self.text_plot):
                plot.set_points(np.zeros((0, 2), np.float32), np.zeros(0, np.int64), [])
            return
        codes, colors, names = self._categories()
        assert data.xy_image is not None and data.xy_text is not None
        self.image_plot.setTitle(self.tr("Image space · {0}").format(data.image_model or ""))
        self.text_plot.setTitle(self.tr("Report space · {0}").format(data.text_model or ""))
        self.image_plot.set_points(data.xy_image, codes, colors)
        self.text_plot.set_points(data.xy_text, codes, colors)
        self._show_legend(colors, names)
        self._on_selection(self.selection.indices())

    def _categories(self) -> tuple[np.ndarray, list[QColor], list[str]]:
        data = self.data
        assert data is not None
        key = self.color_by.currentData()
        if key == ALIGNMENT and data.overlap is not None:
            return score_categories(data.overlap, data.k)
        if key in data.columns:
            return label_categories(data.columns[key])
        return np.zeros(data.n, np.int64), [QColor("#0072B2")], [self.tr("all samples")]

    def _recolor(self) -> None:
        if self.data is None or not self.data.has_spaces:
            return
        codes, colors, names = self._categories()
        self.image_plot.set_colors(codes, colors)
        self.text_plot.set_colors(codes, colors)
        self._show_legend(colors, names)

    def _show_legend(self, colors: list[QColor], names: list[str]) -> None:
        from html import escape

        parts = [f'<span style="color:{c.name()}">■</span>&nbsp;{escape(n)}' for c, n in zip(colors, names, strict=False)]
        prefix = escape(self.color_by.currentText())
        self.legend.setText(f"<b>{prefix}</b>: " + " &nbsp; ".join(parts))

    def set_tool(self, tool: str) -> None:
        for plot in (self.image_plot, self.text_plot):
            plot.set_tool(tool)
        self.tool_actions[tool].setChecked(True)

    # -- linking --------------------------------------------------------------------------
    def _on_region(self, indices: np.ndarray, mode: str) -> None:
        self.selection.select(indices, mode=mode, source="spaces")

    def _on_selection(self, indices: np.ndarray) -> None:
        self.image_plot.set_selection(indices)
        self.text_plot.set_selection(indices)
        if self.data is None:
            self.status.clear()
            return
        n_sel = len(indices)
        text = self.tr("{0} samples · {1} selected").format(self.data.n, n_sel)
        if n_sel and self.data.overlap is not None:
            text += self.tr(" · mean alignment of the selection {0:.2f} (all: {1:.2f})").format(
                float(np.mean(self.data.overlap[indices])), float(np.mean(self.data.overlap)))
        self.status.setText(text)

    def _on_current(self, index: int) -> None:
        self.image_plot.set_current(index)
        self.text_plot.set_current(index)
        self.detail.show_sample(index)

    def _on_hover(self, index: int, global_pos: QPoint | None) -> None:
        if self.data is None:
            return
        self.hover.show_sample(self.data, index, global_pos)

    def hideEvent(self, ev) -> None:  # type: ignore[no-untyped-def]
        self.hover.hide()
        super().hideEvent(ev)

    # -- export ---------------------------------------------------------------------------
    def export_selection_csv(self, path: str | Path | None = None) -> Path | None:
        """Selected samples (all samples when nothing is selected) with coordinates, score, labels."""
        data = self.data
        if data is None:
            return None
        if path is None:
            path = ask_save_path(self, self.tr("Export selection"), "selection.csv", self.tr("CSV (*.csv)"))
            if path is None:
                return None
        idx = self.selection.indices()
        if idx.size == 0:
            idx = np.arange(data.n)
        header, rows = selection_rows(idx, data.ids, data.xy_image, data.xy_text, data.overlap, data.columns)
        write_csv(path, header, rows)
        self.message.emit(self.tr("Exported {0} samples to {1}").format(len(rows), path))
        return Path(path)

    def _export_plots(self) -> None:
        out = export_plot_interactive(self, self.image_plot, "image_space")
        if out is not None:
            twin = out.with_name(out.stem.replace("image_space", "") + "report_space" + out.suffix)
            export_plot(self.text_plot, twin)
            self.message.emit(self.tr("Exported {0} and {1}").format(out, twin))
