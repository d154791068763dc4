"""Start page: open a project, create one from a dataset (drag and drop works), open the demo,
recent projects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

STORE_SUFFIXES = (".h5", ".hdf5")
MANIFEST_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".xlsx")


def classify_drop(path: Path) -> str:
    """"open" for a project store, "import" for a dataset folder or manifest, "" otherwise."""
    if path.suffix.lower() in STORE_SUFFIXES and path.is_file():
        return "open"
    if path.is_dir() or (path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES):
        return "import"
    return ""


class DropZone(QFrame):
    dropped = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DropZone")
        self.setAcceptDrops(True)
        self.setMinimumHeight(110)
        lay = QVBoxLayout(self)
        label = QLabel(self.tr("Drop a project (.h5), a dataset folder or a manifest "
                               "(CSV, TSV, JSON Lines, Excel) here"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        lay.addWidget(label)

    def _paths(self, event: QDragEnterEvent | QDropEvent) -> list[Path]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(classify_drop(p) for p in self._paths(event)):
            self.setProperty("hover", True)
            self.style().polish(self)
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.setProperty("hover", False)
        self.style().polish(self)

    def dropEvent(self, event: QDropEvent) -> None:
        self.setProperty("hover", False)
        self.style().polish(self)
        for p in self._paths(event):
            if classify_drop(p):
                event.acceptProposedAction()
                self.dropped.emit(p)
                return


class StartPage(QWidget):
    open_requested = Signal(Path)
    open_dialog_requested = Signal()
    import_requested = Signal(object)  # Path or None (ask)
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        col.setSpacing(14)
        title = QLabel("AlignScope")
        title.setObjectName("PageTitle")
        hint = QLabel(self.tr("How well do your inspection images and inspection reports agree? "
                              "Open a project, or create one from a folder of images and reports."))
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        col.addStretch(1)
        col.addWidget(title)
        col.addWidget(hint)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open project…"))
        self.new_button = QPushButton(self.tr("New project from dataset…"))
        self.demo_button = QPushButton(self.tr("Open the demo"))
        self.open_button.clicked.connect(self.open_dialog_requested.emit)
        self.new_button.clicked.connect(lambda: self.import_requested.emit(None))
        self.demo_button.clicked.connect(self.demo_requested.emit)
        for b in (self.open_button, self.new_button, self.demo_button):
            b.setMinimumHeight(34)
            buttons.addWidget(b)
        col.addLayout(buttons)
        self.drop = DropZone()
        self.drop.dropped.connect(self._on_drop)
        col.addWidget(self.drop)
        col.addWidget(QLabel(self.tr("Recent projects")))
        self.recent = QListWidget()
        self.recent.setMaximumHeight(200)
        self.recent.itemActivated.connect(
            lambda item: self.open_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole))))
        col.addWidget(self.recent)
        col.addStretch(2)
        holder = QWidget()
        holder.setLayout(col)
        holder.setMaximumWidth(760)
        holder.setMinimumWidth(520)
        outer.addWidget(holder, 4)
        outer.addStretch(1)

    def set_recent(self, paths: list[str]) -> None:
        from ui.thumbs import plain_tooltip

        self.recent.clear()
        for p in paths:
            path = Path(p)
            item = QListWidgetItem(f"{path.name}    —    {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(plain_tooltip(str(path)))
            if not path.exists():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        if not paths:
            item = QListWidgetItem(self.tr("(none yet)"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    def _on_drop(self, path: Path) -> None:
        kind = classify_drop(path)
        if kind == "open":
            self.open_requested.emit(path)
        elif kind == "import":
            self.import_requested.emit(path)
