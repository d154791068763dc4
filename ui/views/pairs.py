"""Suspect pairs: the image–report pairs whose report most likely does not describe its image.

Ranked by the study's per-pair suspect score (:mod:`engine.pairs`) when the project has one,
with one line above the table that says how far to trust the list (the self-test on this data
and the state: "flagging", "weak" or "no signal" — then no list, the neighbour-overlap ranking
only on request). Before any study: ranked by neighbour overlap, with a button that asks the
window to run the study (``run_study_requested``). The table model is
:class:`ui.views.pairs_model.SuspectTableModel`; the detail pane shows the current pair's
reasons and full report. Filter, "only the selection", "hide reviewed", reviewed marks
(persisted in the store in a worker) and CSV export (formula-escaped, :mod:`engine.pairs`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.pairs import PairScores
from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from ui.views.detail import DetailPane
from ui.views.pair_text import FLAGGING, NO_SIGNAL, trust_line, trust_state, usable_scores
from ui.views.pairs_io import ReviewedSaver, export_listed
from ui.views.pairs_model import THUMB_PX, SuspectTableModel, column_widths
from ui.worker import JobManager

SYNC_LIMIT = 2_000           # selected row ranges mirrored from other views at most
REPORT_LINES = 3          # a row shows this many lines of the report (double-click a row for all)
REPORT_MIN_PX = 320


class _PairsTable(QTableView):
    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class PairsView(QWidget):
    message = Signal(str)
    failed = Signal(str, str)
    run_study_requested = Signal()

    def __init__(self, project: ProjectModel, jobs: JobManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.selection = project.selection
        self.data: ProjectData | None = None
        self.scores: PairScores | None = None
        self.state: str | None = None     # FLAGGING / WEAK / NO_SIGNAL, None without the study's scores
        self.model: SuspectTableModel | None = None
        self._syncing = False
        self.jobs = jobs  # saving the marks writes the store: in a worker when there is a job manager
        self.saver = ReviewedSaver(jobs, self.message.emit, self.failed.emit)
        lay = QVBoxLayout(self)
        lay.addLayout(self._build_trust_row())
        lay.addLayout(self._build_filter_bar())
        self.table = self._build_table()
        self.detail = DetailPane()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.count)
        self.detail.navigate.connect(self.selection.set_current)
        self.selection.changed.connect(self._on_selection)
        self.selection.current_changed.connect(self.detail.show_sample)
        project.project_changed.connect(self.set_project)
        project.analysis_changed.connect(self._on_analysis)
        project.reviewed_changed.connect(self._on_reviewed)

    # -- construction ---------------------------------------------------------------------
    def _build_trust_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.trust = QLabel()
        self.trust.setObjectName("Hint")
        self.trust.setTextFormat(Qt.TextFormat.PlainText)
        self.trust.setWordWrap(True)
        row.addWidget(self.trust, 1)
        self.overlap_choice = QCheckBox(self.tr("Show the neighbour-overlap ranking instead"))
        self.overlap_choice.setToolTip(self.tr(
            "Pairs whose image and report share the fewest nearest neighbours first. This is not a list of "
            "suspects: on weakly aligned data most pairs share none."))
        self.overlap_choice.toggled.connect(self._rebuild)
        row.addWidget(self.overlap_choice)
        self.run_button = QPushButton(self.tr("Run the study"))
        self.run_button.setToolTip(self.tr("Compute the suspect scores, their self-test and q-values (Ctrl+R)."))
        self.run_button.clicked.connect(self.run_study_requested.emit)
        row.addWidget(self.run_button)
        return row

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Filter")))
        self.filter_column = QComboBox()
        self.filter_value = QComboBox()
        self.filter_value.setMinimumContentsLength(12)
        self.filter_column.currentIndexChanged.connect(self._fill_values)
        self.filter_value.currentIndexChanged.connect(self.refresh)
        self.hide_reviewed = QCheckBox(self.tr("Hide reviewed"))
        self.hide_reviewed.toggled.connect(self.refresh)
        self.only_selection = QCheckBox(self.tr("Only the selection"))
        self.only_selection.toggled.connect(self.refresh)
        self.review_button = QPushButton(self.tr("Mark reviewed"))
        self.review_button.setShortcut(QKeySequence("Ctrl+M"))
        self.review_button.clicked.connect(self.mark_selected_reviewed)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(lambda: self.export_csv())
        for w in (self.filter_column, self.filter_value, self.hide_reviewed, self.only_selection):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.review_button)
        bar.addWidget(self.export_button)
        return bar

    def _build_table(self) -> _PairsTable:
        table = _PairsTable()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSortingEnabled(True)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setIconSize(QSize(THUMB_PX, THUMB_PX))
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.horizontalHeader().setStretchLastSection(False)
        table.horizontalHeader().setMinimumSectionSize(36)
        table.doubleClicked.connect(self._toggle_row_height)
        table.resized.connect(self._fit_report)
        return table

    # -- project and study ----------------------------------------------------------------
    def set_project(self, data: ProjectData | None) -> None:
        self.data = data
        self.detail.set_project(data)
        self.filter_column.blockSignals(True)
        self.filter_column.clear()
        self.filter_column.addItem(self.tr("(no filter)"), None)
        if data is not None:
            for name in data.columns:
                self.filter_column.addItem(name, name)
        self.filter_column.blockSignals(False)
        self.overlap_choice.blockSignals(True)
        self.overlap_choice.setChecked(False)
        self.overlap_choice.blockSignals(False)
        self._fill_values(rebuild=False)
        self._rebuild()

    def _on_analysis(self, _analysis: object) -> None:
        self.detail.set_analysis()
        self._rebuild()

    def _rebuild(self) -> None:
        """Choose the ranking (suspect score, neighbour overlap, or none) and make a new table model."""
        data = self.data
        self.scores = usable_scores(data)
        self.state = trust_state(data, self.scores) if data is not None and self.scores is not None else None
        no_list = self.state == NO_SIGNAL and not self.overlap_choice.isChecked()
        use_scores = self.scores if self.state != NO_SIGNAL else None
        self._show_trust()
        old = self.model
        if data is None or no_list or (use_scores is None and data.overlap is None):
            self.model = None
            self.table.setModel(None)
        else:
            self.model = SuspectTableModel(data, self.project, use_scores, flagging=self.state == FLAGGING)
            self.table.setModel(self.model)
            self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
            self._size_columns()
        if old is not None:
            old.detach()
        self.review_button.setEnabled(self.model is not None)
        self.export_button.setEnabled(self.model is not None)
        self.refresh()

    def _show_trust(self) -> None:
        data, scores, state = self.data, self.scores, self.state
        self.run_button.setVisible(data is not None and data.analysis is None)
        self.overlap_choice.setVisible(state == NO_SIGNAL)
        self.overlap_choice.setEnabled(data is not None and data.overlap is not None)
        if data is None:
            self.trust.clear()
        elif scores is not None:
            line = trust_line(data, scores)
            if state == NO_SIGNAL and self.overlap_choice.isChecked():
                line += " " + self.tr("Shown instead: every pair by neighbour overlap, lowest first — not a list "
                                      "of suspects.")
            self.trust.setText(line)
        elif data.analysis is None:
            self.trust.setText(self.tr(
                "No study yet: the pairs are ranked by neighbour overlap (the share of nearest neighbours the "
                "image and the report have in common), lowest first. Run the study for suspect scores with a "
                "self-test and a false-discovery threshold."))
        else:
            self.trust.setText(self.tr(
                "The study has no per-pair suspect scores for these samples (too few pairs, or another set of "
                "samples): the pairs are ranked by neighbour overlap, lowest first."))

    def _size_columns(self) -> None:
        """Widths from the headers and a sample of rows (never all rows); the report takes the rest."""
        model = self.model
        assert model is not None
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.table.fontMetrics()
        for column, width in column_widths(model, fm.horizontalAdvance).items():
            header.resizeSection(column, width)
        self._fit_report()
        lines = REPORT_LINES * fm.lineSpacing() + 10
        self.row_height = max(THUMB_PX + 6, lines)
        self.table.verticalHeader().setDefaultSectionSize(self.row_height)

    def _fit_report(self) -> None:
        """The report takes the visible width left by the other columns but the metadata ones after
        the label (those are reached by scrolling), never less than REPORT_MIN_PX."""
        model = self.model
        if model is None:
            return
        header = self.table.horizontalHeader()
        report = model.column_of("report")
        label = model.label_column
        used = sum(header.sectionSize(c) for c, col in enumerate(model.columns)
                   if (col.key != "meta" or col.name == label) and c != report)
        header.resizeSection(report, max(REPORT_MIN_PX, self.table.viewport().width() - used))

    def _toggle_row_height(self, index: QModelIndex) -> None:
        """Double-click a row: show its whole report in the table; again: back to a few lines."""
        vh = self.table.verticalHeader()
        row = index.row()
        full = max(self.table.sizeHintForRow(row), self.row_height)
        vh.resizeSection(row, full if vh.sectionSize(row) == self.row_height else self.row_height)

    # -- filtering ------------------------------------------------------------------------
    def _fill_values(self, _index: int = 0, rebuild: bool = True) -> None:
        self.filter_value.blockSignals(True)
        self.filter_value.clear()
        name = self.filter_column.currentData()
        if self.data is not None and name in self.data.columns:
            for v in sorted(set(self.data.columns[name])):
                self.filter_value.addItem(v or self.tr("(empty)"), v)
        self.filter_value.setEnabled(self.filter_value.count() > 0)
        self.filter_value.blockSignals(False)
        if rebuild:
            self.refresh()

    def filters(self) -> dict[str, str]:
        name = self.filter_column.currentData()
        if name is None or self.filter_value.count() == 0:
            return {}
        return {str(name): str(self.filter_value.currentData())}

    def shown_samples(self) -> np.ndarray:
        """The samples the table lists: the ranking, filtered (column value, reviewed, selection)."""
        d, model = self.data, self.model
        if d is None or model is None:
            return np.zeros(0, dtype=np.int64)
        keep = np.ones(d.n, dtype=bool)
        for name, wanted in self.filters().items():
            keep &= np.asarray(d.columns[name], dtype=object) == wanted
        if self.hide_reviewed.isChecked() and d.reviewed:
            keep &= np.fromiter((i not in d.reviewed for i in d.ids), dtype=bool, count=d.n)
        if self.only_selection.isChecked():
            keep &= self.selection.mask
        return model.ranking[keep[model.ranking]]

    def refresh(self) -> None:
        if self.model is None:
            self._show_count(0)
            return
        order = self.shown_samples()
        self.model.set_order(order)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._show_count(order.size)
        if self.selection.last_source != "pairs":
            self._mirror(self.selection.indices())

    def first_sample(self) -> int | None:
        """The most suspect pair listed (None when nothing is listed)."""
        if self.model is None or self.model.ranking.size == 0:
            return None
        return int(self.model.ranking[0])

    def _show_count(self, shown: int) -> None:
        d = self.data
        if d is None:
            self.count.clear()
        elif self.model is None:
            self.count.setText(self.tr("No pairs listed · {0} pairs · {1} reviewed").format(
                f"{d.n:,}", len(d.reviewed)) if d.n else "")
        else:
            self.count.setText(self.tr("{0} of {1} pairs shown · {2} reviewed").format(
                f"{shown:,}", f"{d.n:,}", len(d.reviewed)))

    def _on_reviewed(self, reviewed: frozenset[str]) -> None:
        if self.model is not None and self.data is not None:
            self.model.reviewed_changed()
            if self.hide_reviewed.isChecked():
                self.refresh()
            else:
                self._show_count(self.model.order.size)

    # -- selection ------------------------------------------------------------------------
    def selected_samples(self) -> list[int]:
        if self.model is None:
            return []
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedRows()})
        return [self.model.sample(r) for r in rows]

    def _on_table_selection(self) -> None:
        if self._syncing:
            return
        samples = self.selected_samples()
        self.selection.select(samples, source="pairs")
        if samples:
            self.selection.set_current(samples[0])

    def _on_selection(self, indices: np.ndarray) -> None:
        """A selection made elsewhere: listed (with "only the selection") and mirrored."""
        if self.model is None or self.selection.last_source == "pairs":
            return
        if self.only_selection.isChecked():
            self.refresh()
        else:
            self._mirror(indices)

    def _mirror(self, indices: np.ndarray) -> None:
        """Select ``indices``' rows: consecutive rows as one range; beyond SYNC_LIMIT ranges the
        table shows none selected (Qt's selection merge grows faster than linearly)."""
        if self.model is None:
            return
        rows = self.model.row_of[np.asarray(indices, dtype=np.int64)] if len(indices) else np.zeros(0, np.int64)
        rows = np.sort(rows[rows >= 0])
        breaks = np.flatnonzero(np.diff(rows) != 1)
        starts = rows[np.r_[0, breaks + 1]] if rows.size else rows
        ends = rows[np.r_[breaks, rows.size - 1]] if rows.size else rows
        sel = QItemSelection()
        if starts.size <= SYNC_LIMIT:
            last = self.model.columnCount() - 1
            for r0, r1 in zip(starts.tolist(), ends.tolist(), strict=True):
                sel.select(self.model.index(r0, 0), self.model.index(r1, last))
        self._syncing = True
        try:
            self.table.selectionModel().select(
                sel, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._syncing = False

    # -- reviewed marks -------------------------------------------------------------------
    def mark_selected_reviewed(self, reviewed: bool = True) -> None:
        if self.model is None or self.data is None:
            return
        samples = self.selected_samples()
        if not samples:
            return
        self.model.set_reviewed(samples, reviewed)
        self.persist_reviewed()

    def persist_reviewed(self) -> None:
        if self.data is not None:
            self.saver.save(self.data)

    # -- export ---------------------------------------------------------------------------
    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """The pairs listed, in the order shown (see :func:`ui.views.pairs_io.export_listed`)."""
        from ui.plots.export import ask_save_path

        if self.model is None or self.data is None:
            return None
        if path is None:
            path = ask_save_path(self, self.tr("Export suspect pairs"), "suspect_pairs.csv", self.tr("CSV (*.csv)"))
            if path is None:
                return None
        written = export_listed(path, self.model, self.data)
        self.message.emit(self.tr("Exported {0} pairs to {1}").format(written, path))
        return Path(path)
