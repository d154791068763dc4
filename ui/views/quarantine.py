"""The Data quality view: what the import refused, with the reason a person understands, and the
encoders of the project. A sheet's quarantine lists rows; a folder's lists files (a folder has
no rows), so its table has no Row column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from engine.project.data import ProjectData
from engine.study.messages import word
from engine.study.messages_recorded import quarantine_reason
from ui.i18n import active_language


def is_folder(data: ProjectData) -> bool:
    """Whether the project was imported from a folder (its quarantine lists files, not rows)."""
    return data.dataset_info.get("kind") == "folder"


class QuarantineView(QWidget):
    """Rows (or, for a folder, files) refused at import, with the reason a person understands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.info)
        self.model = QStandardItemModel(0, 4, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        lay.addWidget(self.table, 1)
        self.models = QLabel()
        self.models.setWordWrap(True)
        self.models.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.models)

    def set_project(self, data: ProjectData | None) -> None:
        self.model.clear()
        folder = data is not None and is_folder(data)
        self.model.setHorizontalHeaderLabels(self._headers(folder))
        if data is None:
            self.info.clear()
            self.models.clear()
            return
        self.models.setText(self._models_text(data))
        src = data.dataset_info.get("source", "")
        enc = data.dataset_info.get("encoding", "")
        if folder:
            self.info.setText(self.tr("{0} samples used, {1} files quarantined. Source: folder {2}").format(
                data.n, len(data.quarantine), src))
        else:
            self.info.setText(self.tr("{0} samples used, {1} rows quarantined. Source: {2} (encoding {3})").format(
                data.n, len(data.quarantine), src, enc))
        for q in data.quarantine:
            self.model.appendRow(self._items(q, folder))

    def _headers(self, folder: bool) -> list[str]:
        if folder:  # a folder has files, not rows: the file names the sample
            return [self.tr("File"), self.tr("Reason")]
        return [self.tr("Row"), self.tr("Id"), self.tr("File"), self.tr("Reason")]

    @staticmethod
    def _items(q: dict[str, Any], folder: bool) -> list[QStandardItem]:
        reason = QStandardItem(quarantine_reason(active_language(), str(q.get("reason", ""))))
        file = QStandardItem(str(q.get("file", "")))
        if folder:
            return [file, reason]
        row = QStandardItem()
        row.setData(int(q.get("row", 0)), Qt.ItemDataRole.DisplayRole)
        return [row, QStandardItem(str(q.get("id", ""))), file, reason]

    def _models_text(self, data: ProjectData) -> str:
        lines = [self.tr("Encoders in this project (device actually used when embedding):")]
        for mid, info in sorted(data.model_info.items(), key=lambda kv: (kv[1].get("modality", ""), kv[0])):
            state = self.tr("complete") if info.get("complete") else self.tr("incomplete: embed again to resume")
            lines.append(self.tr("  {0} ({1}, {2}-d) · {3} · sha256 {4}… · {5}").format(
                mid, word(active_language(), "encoder_", str(info.get("modality", ""))), info.get("dim", ""),
                info.get("provider") or "?",
                info.get("sha256", ""), state))
        return "\n".join(lines)
