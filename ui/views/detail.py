"""Detail pane: one sample's image, why it is (or is not) suspect — its suspect score, q-value,
rank and the reasons of the study's per-pair scorer (partner ranks in both directions, what each
label probe said) —, its full report (plain text, never rendered as HTML), its k nearest
neighbours in each space, and which neighbours the two spaces share."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from engine.pairs import PairScores, shared_neighbours
from engine.project.data import ProjectData
from ui.i18n import study_message
from ui.thumbs import snippet, thumbnail
from ui.views.pair_text import (
    NO_SIGNAL,
    percent,
    q_text,
    score_text,
    trust_state,
    usable_scores,
)

IMAGE_PX = 180
NEIGHBOUR_PX = 48


class DetailPane(QScrollArea):
    """Shows :attr:`index`; emits ``navigate(index)`` when a neighbour is activated."""

    navigate = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPane")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.data: ProjectData | None = None
        self.scores: PairScores | None = None
        self.index = -1
        body = QWidget()
        lay = QVBoxLayout(body)
        self.title = QLabel(self.tr("Click a point to see the sample"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        f = QFont(self.title.font())
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)
        self.image = QLabel()
        self.image.setTextFormat(Qt.TextFormat.PlainText)  # its text names a user's file
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumHeight(IMAGE_PX)
        self.why_title = QLabel(self.tr("How suspect is this pair, and why"))
        self.why_title.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.why_title.font())
        bold.setBold(True)
        self.why_title.setFont(bold)
        self.why = QLabel()
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.why.setWordWrap(True)
        self.why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMinimumHeight(90)
        self.report.setMaximumHeight(130)
        self.nn_image_label = QLabel(self.tr("Nearest in image space"))
        self.nn_text_label = QLabel(self.tr("Nearest in report space"))
        self.nn_image = self._make_list()
        self.nn_text = self._make_list()
        self.shared = QLabel()
        self.shared.setTextFormat(Qt.TextFormat.PlainText)
        self.shared.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.meta)
        lay.addWidget(self.image)
        lay.addWidget(self.why_title)
        lay.addWidget(self.why)
        lay.addWidget(QLabel(self.tr("Report")))
        lay.addWidget(self.report)
        lay.addWidget(self.shared)
        for w in (self.nn_image_label, self.nn_image, self.nn_text_label, self.nn_text):
            lay.addWidget(w)
        self.setWidget(body)
        self.setMinimumWidth(280)
        body.setMinimumWidth(0)

    def _make_list(self) -> QListWidget:
        w = QListWidget()
        w.setIconSize(QSize(NEIGHBOUR_PX, NEIGHBOUR_PX))
        w.setWordWrap(True)
        w.setMinimumHeight(170)
        w.itemActivated.connect(lambda item: self.navigate.emit(int(item.data(Qt.ItemDataRole.UserRole))))
        return w

    def set_project(self, data: ProjectData | None) -> None:
        self.data = data
        self.scores = usable_scores(data)
        self.show_sample(-1)

    def set_analysis(self) -> None:
        """The project's study result changed: show the new scores for the same sample."""
        self.scores = usable_scores(self.data)
        self.show_sample(self.index)

    def show_sample(self, index: int) -> None:
        self.index = index
        data = self.data
        self.nn_image.clear()
        self.nn_text.clear()
        if data is None or index < 0 or index >= data.n:
            self.title.setText(self.tr("Click a point to see the sample"))
            self.meta.clear()
            self.image.clear()
            self.report.clear()
            self.shared.clear()
            self._show_why(-1)
            return
        self.title.setText(data.ids[index])
        parts = []
        if data.overlap is not None:
            parts.append(self.tr("neighbour overlap {0:.2f}").format(float(data.overlap[index])))
        parts += [f"{name}: {values[index]}" for name, values in data.columns.items() if values[index]]
        self.meta.setText(" · ".join(parts))
        self._show_why(index)
        pix = thumbnail(data.image_paths[index], IMAGE_PX)
        if pix.isNull():
            self.image.setText(self.tr("image not readable: {0}").format(data.image_paths[index]))
        else:
            self.image.setPixmap(pix)
        self.report.setPlainText(data.reports[index])
        if data.nn_image is None or data.nn_text is None:
            self.shared.setText(self.tr("Neighbours appear once both spaces are embedded."))
            return
        row_a = data.nn_image[index].tolist()
        row_b = data.nn_text[index].tolist()
        common = set(shared_neighbours(row_a, row_b))
        self.shared.setText(
            self.tr("{0} of {1} neighbours are shared by both spaces (marked ★).").format(len(common), data.k)
        )
        self._fill(self.nn_image, row_a, common)
        self._fill(self.nn_text, row_b, common)

    def _show_why(self, index: int) -> None:
        """Score, q, rank and the scorer's reasons for ``index`` (hidden without the study's scores)."""
        scores, data = self.scores, self.data
        shown = scores is not None and data is not None and index >= 0
        self.why_title.setVisible(shown)
        self.why.setVisible(shown)
        if not shown:
            self.why.clear()
            return
        assert scores is not None and data is not None
        a = scores.arrays
        rank = int(np.flatnonzero(a.order == index)[0]) + 1 if a.order.size else 0
        state = trust_state(data, scores)
        q = float(a.q_value[index])
        head = self.tr("Suspect score {0} · q {1} · rank {2} of {3}").format(
            score_text(float(a.score[index])), q_text(q, state == "flagging"), f"{rank:,}", f"{scores.n:,}")
        lines = [head]
        if state == NO_SIGNAL:
            lines.append(self.tr("The self-test found no signal on this data: this pair is not called suspect."))
        elif state == "flagging" and q <= scores.fdr_level:
            lines.append(self.tr("Flagged: likely a mismatch (q ≤ {0}).").format(percent(scores.fdr_level)))
        lines += [f"• {study_message(m.key, m.params)}" for m in scores.reason_messages(index)]
        self.why.setText("\n".join(lines))

    def _fill(self, widget: QListWidget, rows: list[int], common: set[int]) -> None:
        data = self.data
        assert data is not None
        for j in rows:
            mark = "★ " if j in common else ""
            item = QListWidgetItem(f"{mark}{data.ids[j]}\n{snippet(data.reports[j], 70)}")
            pix = thumbnail(data.image_paths[j], NEIGHBOUR_PX)
            if not pix.isNull():
                item.setIcon(QIcon(pix))
            item.setData(Qt.ItemDataRole.UserRole, int(j))
            if j in common:
                f = item.font()
                f.setBold(True)
                item.setFont(f)
            widget.addItem(item)
