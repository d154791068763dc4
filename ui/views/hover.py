"""The hover card: a thumbnail and the start of the report, following the mouse."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from engine.project.data import ProjectData
from ui.thumbs import snippet, thumbnail

THUMB_PX = 128


class HoverCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setObjectName("HoverCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setFixedSize(THUMB_PX, THUMB_PX)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setFixedWidth(240)
        lay.addWidget(self.image, alignment=Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        self.index = -1

    def show_sample(self, data: ProjectData, index: int, global_pos: QPoint | None) -> None:
        if index < 0 or global_pos is None:
            self.index = -1
            self.hide()
            return
        if index != self.index:
            self.index = index
            pix = thumbnail(data.image_paths[index], THUMB_PX)
            if pix.isNull():
                self.image.setText(self.tr("no image"))
            else:
                self.image.setPixmap(pix)
            score = ""
            if data.overlap is not None:
                score = self.tr("  neighbour overlap {0:.2f}").format(float(data.overlap[index]))
            self.title.setText(f"{data.ids[index]}{score}")
            self.text.setText(snippet(data.reports[index], 180))
            self.adjustSize()
        self.move(global_pos + QPoint(16, 16))
        if not self.isVisible():
            self.show()
