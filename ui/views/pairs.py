"""Suspect pairs: the least-aligned image–report pairs in a sortable, filterable table
(QAbstractTableModel), reviewed marks persisted in the store, CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from engine.errors import AlignScopeError
from engine.pairs import OVERLAP_COLUMN, rank_suspects, save_reviewed, suspect_rows, write_csv
from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from ui.thumbs import plain_tooltip, snippet
from ui.worker import JobManager

_Index = QModelIndex | QPersistentModelIndex
SYNC_LIMIT = 5_000


class SuspectTableModel(QAbstractTableModel):
    """Rows = sample indices in display order; columns: rank, id, alignment, metadata…, report, reviewed."""

    def __init__(self, data: ProjectData, project: ProjectModel) -> None:
        super().__init__()
        self.data_ = data
        self.project = project
        self.scores = data.overlap if data.overlap is not None else np.zeros(data.n)
        self.meta = list(data.columns)
        self.headers = [self.tr("Rank"), self.tr("Id"), self.tr("Alignment"), *self.meta,
                        self.tr("Report"), self.tr("Reviewed")]
        self.rank = np.empty(data.n, dtype=np.int64)
        self.order = np.zeros(0, dtype=np.int64)

    def set_order(self, order: np.ndarray) -> None:
        self.beginResetModel()
        self.order = np.asarray(order, dtype=np.int64)
        self.rank[self.order] = np.arange(1, self.order.size + 1)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else int(self.order.size)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def sample(self, row: int) -> int:
        return int(self.order[row])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i = int(self.order[index.row()])
        col = index.column()
        d = self.data_
        last = len(self.headers) - 1
        if role == Qt.ItemDataRole.CheckStateRole and col == last:
            return Qt.CheckState.Checked if d.ids[i] in d.reviewed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and col == last - 1:
            return plain_tooltip(snippet(d.reports[i], 600))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return int(self.rank[i])
        if col == 1:
            return d.ids[i]
        if col == 2:
            return f"{float(self.scores[i]):.2f}"
        if col < 3 + len(self.meta):
            return d.columns[self.meta[col - 3]][i]
        if col == last - 1:
            return snippet(d.reports[i], 90)
        return ""

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == len(self.headers) - 1:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == len(self.headers) - 1:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            self.set_reviewed([int(self.order[index.row()])], bool(checked))
            return True
        return False

    def set_reviewed(self, samples: list[int], reviewed: bool) -> None:
        """Ask the project model to (un)mark these samples; it tells every view."""
        self.project.set_reviewed([self.data_.ids[i] for i in samples], reviewed)

    def reviewed_changed(self) -> None:
        last = len(self.headers) - 1
        self.dataChanged.emit(self.index(0, last), self.index(self.rowCount() - 1, last))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        d = self.data_
        o = self.order
        if column < 0 or column >= len(self.headers) or o.size == 0:
            return
        if column in (0, 2):
            keys = self.rank[o] if column == 0 else self.scores[o]
            perm = np.argsort(keys, kind="stable")
        else:
            if column == 1:
                vals = [d.ids[i] for i in o]
            elif column < 3 + len(self.meta):
                col = d.columns[self.meta[column - 3]]
                vals = [col[i] for i in o]
            elif column == len(self.headers) - 1:
                vals = ["1" if d.ids[i] in d.reviewed else "0" for i in o]
            else:
                vals = [d.reports[i] for i in o]
            perm = np.array(sorted(range(len(vals)), key=vals.__getitem__), dtype=np.int64)
        if order == Qt.SortOrder.DescendingOrder:
            perm = perm[::-1]
        self.layoutAboutToBeChanged.emit()
        self.order = o[perm]
        self.layoutChanged.emit()


class PairsView(QWidget):
    message = Signal(str)
    failed = Signal(str, str)

    def __init__(self, project: ProjectModel, jobs: JobManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.selection = project.selection
        self.data: ProjectData | None = None
        self.model: SuspectTableModel | None = None
        self._syncing = False
        self.jobs = jobs  # saving the marks writes the store: in a worker when there is a job manager
        self._saving = False
        self._save_again = False
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("Pairs whose image and report have the fewest nearest neighbours in common: "
                               "the report may not describe this image. Lowest alignment first."))
        intro.setWordWrap(True)
        intro.setObjectName("Hint")
        lay.addWidget(intro)
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
        lay.addLayout(bar)
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setStretchLastSection(False)
        lay.addWidget(self.table, 1)
        self.count = QLabel()
        lay.addWidget(self.count)
        self.selection.changed.connect(self._on_selection)
        project.project_changed.connect(self.set_project)
        project.reviewed_changed.connect(self._on_reviewed)

    def _on_reviewed(self, reviewed: frozenset[str]) -> None:
        if self.model is not None and self.data is not None:
            self.model.reviewed_changed()
            if self.hide_reviewed.isChecked():
                self.refresh()
            else:
                self._show_count(self.model.order.size)

    def set_project(self, data: ProjectData | None) -> None:
        self.data = data
        self.filter_column.blockSignals(True)
        self.filter_column.clear()
        self.filter_column.addItem(self.tr("(no filter)"), None)
        if data is not None:
            for name in data.columns:
                self.filter_column.addItem(name, name)
        self.filter_column.blockSignals(False)
        self._fill_values()
        if data is None or data.overlap is None:
            self.table.setModel(None)
            self.model = None
            self.count.setText(self.tr("No per-sample alignment yet: embed both modalities first."))
            return
        self.model = SuspectTableModel(data, self.project)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.refresh()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.model.headers) - 2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)

    def _fill_values(self) -> None:
        self.filter_value.blockSignals(True)
        self.filter_value.clear()
        name = self.filter_column.currentData()
        if self.data is not None and name in self.data.columns:
            for v in sorted(set(self.data.columns[name])):
                self.filter_value.addItem(v or self.tr("(empty)"), v)
        self.filter_value.setEnabled(self.filter_value.count() > 0)
        self.filter_value.blockSignals(False)
        self.refresh()

    def filters(self) -> dict[str, str]:
        name = self.filter_column.currentData()
        if name is None or self.filter_value.count() == 0:
            return {}
        return {str(name): str(self.filter_value.currentData())}

    def refresh(self) -> None:
        d = self.data
        if d is None or self.model is None or d.overlap is None:
            return
        order = rank_suspects(1.0 - d.overlap, d.ids, d.columns, self.filters(), d.reviewed,
                              hide_reviewed=self.hide_reviewed.isChecked())
        if self.only_selection.isChecked():
            order = order[self.selection.mask[order]]
        self.model.set_order(order)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._show_count(order.size)
        self._on_selection(self.selection.indices())

    def _show_count(self, shown: int) -> None:
        if self.data is not None:
            self.count.setText(self.tr("{0} of {1} pairs shown · {2} reviewed").format(
                shown, self.data.n, len(self.data.reviewed)))

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
        if self.model is None or self.selection.last_source == "pairs" or len(indices) > SYNC_LIMIT:
            return
        pos = {int(s): r for r, s in enumerate(self.model.order.tolist())}
        sel = QItemSelection()
        last = self.model.columnCount() - 1
        for i in np.asarray(indices).tolist():
            r = pos.get(int(i))
            if r is not None:
                sel.select(self.model.index(r, 0), self.model.index(r, last))
        self._syncing = True
        try:
            self.table.selectionModel().select(
                sel, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._syncing = False

    def mark_selected_reviewed(self, reviewed: bool = True) -> None:
        if self.model is None or self.data is None:
            return
        samples = self.selected_samples()
        if not samples:
            return
        self.model.set_reviewed(samples, reviewed)
        self.persist_reviewed()

    def persist_reviewed(self) -> None:
        d = self.data
        if d is None or d.path is None:
            return
        marks = set(d.reviewed)
        done_text = self.tr("{0} pairs marked as reviewed").format(len(marks))
        if self.jobs is not None:
            if self._saving:  # one writer at a time: save the latest marks when this one ends
                self._save_again = True
                return
            self._saving = True
            job = self.jobs.run(save_reviewed, d.path, marks, title=self.tr("Saving reviewed marks"),
                                pass_progress=False)
            job.succeeded.connect(lambda _r: self.message.emit(done_text))
            job.failed.connect(lambda m, det: self.failed.emit(m, det))
            job.done.connect(self._saved)
            return
        try:
            save_reviewed(d.path, marks)
        except AlignScopeError as exc:
            self.failed.emit(str(exc), "")
        else:
            self.message.emit(done_text)

    def _saved(self) -> None:
        self._saving = False
        if self._save_again:
            self._save_again = False
            self.persist_reviewed()

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        from ui.plots.export import ask_save_path

        if self.model is None or self.data is None:
            return None
        if path is None:
            path = ask_save_path(self, self.tr("Export suspect pairs"), "suspect_pairs.csv", self.tr("CSV (*.csv)"))
            if path is None:
                return None
        d = self.data
        rows = suspect_rows(self.model.order, d.ids, self.model.scores, d.columns, d.reviewed,
                            d.image_paths, d.reports, snippet=400, score_column=OVERLAP_COLUMN)
        header = list(rows[0]) if rows else ["rank", "id", OVERLAP_COLUMN, *d.columns, "image", "report", "reviewed"]
        write_csv(path, header, ([r[h] for h in header] for r in rows))
        self.message.emit(self.tr("Exported {0} pairs to {1}").format(len(rows), path))
        return Path(path)
