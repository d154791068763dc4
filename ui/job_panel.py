"""Status-bar job panel (progress bar, rate, ETA, Cancel) and the readable error dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from engine.study.messages_recorded import progress_text
from ui.i18n import active_language
from ui.worker import Job


def format_eta(seconds: float) -> str:
    if seconds < 0:
        return ""
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class JobPanel(QWidget):
    """Shows the latest running job; hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # job messages carry file names and ids
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.rate = QLabel()
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.clicked.connect(self._cancel)
        for w in (self.label, self.bar, self.rate, self.cancel):
            lay.addWidget(w)
        self.job: Job | None = None
        self.hide()

    def track(self, job: Job) -> None:
        self.job = job
        self.label.setText(job.title)
        self.bar.setRange(0, 0)
        self.rate.clear()
        self.cancel.setEnabled(True)
        job.progressed.connect(lambda d, t, m, r, e, j=job: self._progress(j, d, t, m, r, e))
        job.done.connect(lambda j=job: self._done(j))
        self.show()

    def _progress(self, job: Job, done: int, total: int, message: str, rate: float, eta: float) -> None:
        if job is not self.job:
            return
        shown = progress_text(active_language(), message)  # the engine says what it does in English
        self.label.setText(f"{job.title}: {shown}" if message else job.title)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        parts = []
        if rate > 0 and total > 20:
            parts.append(self.tr("{0:.1f}/s").format(rate))
        if eta >= 0 and total > 20:
            parts.append(self.tr("ETA {0}").format(format_eta(eta)))
        self.rate.setText("  ".join(parts))

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.label.setText(self.tr("{0}: cancelling…").format(self.job.title))

    def _done(self, job: Job) -> None:
        if job is self.job:
            self.job = None
            self.hide()


def show_error(parent: QWidget, title: str, message: str, details: str = "") -> QMessageBox:
    """A non-blocking error box: the readable message, the traceback behind "Show Details…"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names, cells and ids
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setObjectName("ErrorBox")
    box.open()
    return box
