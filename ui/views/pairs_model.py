"""The suspect-pairs table model: one row per pair, in the order the view asks for.

Two rankings, one model:
- with the study's per-pair scores (:class:`engine.pairs.PairScores`): the one suspect order
  ``scores.arrays.order``; columns Rank, Image, Id, Suspect score, q, Report, Reviewed,
  Neighbour overlap, then the label column and the other metadata columns; pairs beyond the
  FDR threshold are tinted;
- before any study: lowest neighbour overlap first (``engine.pairs.rank_order``, ties by id);
  the score column is then "Neighbour overlap".

Nothing here scans all rows while painting: cells are computed for the rows on screen, the
thumbnails are decoded by :class:`ui.thumbs.ThumbnailLoader` on a background thread and the
row repainted when ready. Sorting by a column is numpy for numbers, one Python sort for text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from engine.pairs import PairScores, rank_order
from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from ui.thumbs import ThumbnailLoader, cached, plain_tooltip, shared_loader
from ui.views.pair_text import score_text

_Index = QModelIndex | QPersistentModelIndex
THUMB_PX = 56
REPORT_CHARS = 600          # a cell shows a few wrapped lines; the tooltip and the detail pane the rest
TOOLTIP_CHARS = 4000
FLAGGED = QColor(230, 159, 0, 70)   # amber tint over the row colours (light and dark theme)
NUMERIC = ("rank", "score", "q", "overlap")
_ROLE = Qt.ItemDataRole
WIDTH_SAMPLE = 200      # rows measured to size the id and metadata columns (never all rows)


@dataclass(frozen=True)
class Column:
    key: str      # rank, thumb, id, score, q, overlap, report, reviewed, or "meta" (with name)
    header: str
    name: str = ""  # the metadata column's name


def report_tooltip(text: str) -> str:
    """The full report (up to TOOLTIP_CHARS) for a tooltip, shown literally, never as markup."""
    return plain_tooltip(text if len(text) <= TOOLTIP_CHARS else text[: TOOLTIP_CHARS - 1] + "…")


class SuspectTableModel(QAbstractTableModel):
    def __init__(self, data: ProjectData, project: ProjectModel, scores: PairScores | None,
                 flagging: bool = False, loader: ThumbnailLoader | None = None) -> None:
        super().__init__()
        self.data_ = data
        self.project = project
        self.scores = scores
        self.flagging = flagging and scores is not None  # q-values mean something (state "flagging")
        n = data.n
        self.overlap = data.overlap if data.overlap is not None else np.zeros(n)
        if scores is not None:
            self.suspicion = np.asarray(scores.arrays.score, dtype=np.float64)
            self.ranking = np.asarray(scores.arrays.order, dtype=np.int64)
            self.flagged = np.asarray(scores.arrays.q_value) <= scores.fdr_level
        else:
            self.suspicion = 1.0 - self.overlap
            self.ranking = rank_order(self.suspicion, data.ids)
            self.flagged = np.zeros(n, dtype=bool)
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[self.ranking] = np.arange(1, n + 1)
        self.columns = self._columns()
        self.keys = [c.key for c in self.columns]
        self.order = np.zeros(0, dtype=np.int64)
        self.row_of = np.full(n, -1, dtype=np.int64)
        self.loader = loader or shared_loader()
        self._asked: dict[str, int] = {}    # image path → sample whose thumbnail is being decoded
        self.loader.ready.connect(self._on_thumbnail)

    def _columns(self) -> list[Column]:
        cols = [Column("rank", self.tr("Rank")), Column("thumb", self.tr("Image")), Column("id", self.tr("Id"))]
        if self.scores is not None:
            cols += [Column("score", self.tr("Suspect score")), Column("q", self.tr("q"))]
        else:
            cols.append(Column("overlap", self.tr("Neighbour overlap")))
        cols += [Column("report", self.tr("Report")), Column("reviewed", self.tr("Reviewed"))]
        if self.scores is not None:
            cols.append(Column("overlap", self.tr("Neighbour overlap")))
        label = self.label_column
        names = [name for name in self.data_.columns if name == label]
        names += [name for name in self.data_.columns if name != label]
        cols += [Column("meta", name, name) for name in names]
        return cols

    @property
    def label_column(self) -> str | None:
        """The study's label column (else the one chosen at import), listed first among the metadata."""
        d = self.data_
        if d.analysis is not None:
            return d.analysis.label.column
        return d.label_choice.column if d.label_choice is not None else None

    def column_of(self, key: str) -> int:
        return self.keys.index(key)

    # -- order ---------------------------------------------------------------------------
    def set_order(self, order: np.ndarray) -> None:
        self.beginResetModel()
        self._set_rows(np.asarray(order, dtype=np.int64))
        self.endResetModel()

    def _set_rows(self, order: np.ndarray) -> None:
        self.row_of[self.order] = -1
        self.order = order
        self.row_of[order] = np.arange(order.size)

    def sample(self, row: int) -> int:
        return int(self.order[row])

    # -- Qt API --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else int(self.order.size)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _ROLE.DisplayRole:
            return self.columns[section].header
        if role == _ROLE.ToolTipRole:
            return self._header_tip(self.columns[section].key)
        return None

    def _header_tip(self, key: str) -> str | None:
        tips = {
            "score": self.tr("Share of random re-pairings that fit at least as well as this pair, judged by an "
                             "alignment learned on the other pairs only: 1 = fits no better than chance."),
            "q": self.tr("Expected share of false alarms if this pair and all above it are called mismatches."),
            "overlap": self.tr("Share of its nearest neighbours that the image and the report have in common."),
            "rank": self.tr("Place in the suspect list, most suspect first."),
        }
        return tips.get(key)

    def data(self, index: _Index, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i = int(self.order[index.row()])
        key = self.keys[index.column()]
        if role == _ROLE.DisplayRole:
            return self._display(i, key, index.column())
        if role == _ROLE.DecorationRole and key == "thumb":
            return self._thumbnail(i)
        if role == _ROLE.CheckStateRole and key == "reviewed":
            return Qt.CheckState.Checked if self.data_.ids[i] in self.data_.reviewed else Qt.CheckState.Unchecked
        if role == _ROLE.ToolTipRole:
            return self._tooltip(i, key)
        if role == _ROLE.BackgroundRole and self.flagging and self.flagged[i]:
            return QBrush(FLAGGED)
        if role == _ROLE.TextAlignmentRole:
            if key in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if key in ("thumb", "reviewed"):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, i: int, key: str, column: int) -> Any:
        d = self.data_
        if key == "rank":
            return int(self.rank[i])
        if key == "id":
            return d.ids[i]
        if key == "score":
            return score_text(float(self.suspicion[i]))
        if key == "q":
            from ui.views.pair_text import q_text

            assert self.scores is not None
            return q_text(float(self.scores.arrays.q_value[i]), self.flagging)
        if key == "overlap":
            return f"{float(self.overlap[i]):.2f}"
        if key == "report":
            text = " ".join(d.reports[i][: REPORT_CHARS * 2].split())
            return text if len(text) <= REPORT_CHARS else text[: REPORT_CHARS - 1] + "…"
        if key == "meta":
            return d.columns[self.columns[column].name][i]
        if key == "thumb":
            pix = cached(d.image_paths[i], THUMB_PX)
            return self.tr("no image") if pix is not None and pix.isNull() else None
        return None

    def _tooltip(self, i: int, key: str) -> str | None:
        d = self.data_
        if key == "report":
            return report_tooltip(d.reports[i])
        if key == "thumb":
            return plain_tooltip(str(d.image_paths[i]))
        if key in ("q", "score", "rank") and self.flagging and self.flagged[i]:
            assert self.scores is not None
            return self.tr("Flagged: q ≤ {0} %").format(f"{self.scores.fdr_level * 100:g}")
        return None

    def _thumbnail(self, i: int) -> Any:
        path = str(self.data_.image_paths[i])
        if not path or path == ".":
            return None
        pix = self.loader.request(path, THUMB_PX)
        if pix is None:
            self._asked[path] = i
            return None
        return pix if not pix.isNull() else None

    def _on_thumbnail(self, path: str, size: int) -> None:
        i = self._asked.pop(path, None)
        if i is None or size != THUMB_PX:
            return
        row = int(self.row_of[i])
        if row >= 0:
            ix = self.index(row, self.column_of("thumb"))
            self.dataChanged.emit(ix, ix, [_ROLE.DecorationRole])

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.keys[index.column()] == "reviewed":
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: _Index, value: Any, role: int = _ROLE.EditRole) -> bool:
        if role == _ROLE.CheckStateRole and self.keys[index.column()] == "reviewed":
            checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            self.set_reviewed([int(self.order[index.row()])], bool(checked))
            return True
        return False

    def set_reviewed(self, samples: list[int], reviewed: bool) -> None:
        """Ask the project model to (un)mark these samples; it tells every view."""
        self.project.set_reviewed([self.data_.ids[i] for i in samples], reviewed)

    def reviewed_changed(self) -> None:
        col = self.column_of("reviewed")
        if self.rowCount():
            self.dataChanged.emit(self.index(0, col), self.index(self.rowCount() - 1, col))

    # -- sorting -------------------------------------------------------------------------
    def sort_keys(self, column: int) -> np.ndarray | list[str]:
        """The values column ``column`` sorts by, for the rows shown."""
        d, o, key = self.data_, self.order, self.keys[column]
        numeric = {"rank": self.rank, "score": self.suspicion, "overlap": self.overlap}
        if key in numeric:
            return numeric[key][o]
        if key == "q" and self.scores is not None:
            return np.asarray(self.scores.arrays.q_value)[o]
        if key == "reviewed":
            return np.fromiter((d.ids[i] in d.reviewed for i in o), dtype=bool, count=o.size)
        if key == "id":
            return [d.ids[i] for i in o]
        if key == "thumb":
            return [str(d.image_paths[int(i)]) for i in o]
        if key == "report":
            return [d.reports[i] for i in o]
        values = d.columns[self.columns[column].name]
        return [values[i] for i in o]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0 or column >= len(self.columns) or self.order.size == 0:
            return
        keys = self.sort_keys(column)
        if isinstance(keys, np.ndarray):
            perm = np.argsort(keys, kind="stable")
        else:
            perm = np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
        if order == Qt.SortOrder.DescendingOrder:
            perm = perm[::-1]
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        samples = [int(self.order[ix.row()]) for ix in before]
        self._set_rows(self.order[perm])
        self.changePersistentIndexList(
            before, [self.index(int(self.row_of[i]), ix.column()) for i, ix in zip(samples, before, strict=True)])
        self.layoutChanged.emit()

    def detach(self) -> None:
        """Stop listening for thumbnails (the view is done with this model)."""
        self.loader.ready.disconnect(self._on_thumbnail)


def column_widths(model: SuspectTableModel, advance: Callable[[str], int]) -> dict[int, int]:
    """Pixel widths of every column but the report's (which takes the rest), from the headers and
    the first rows of the ranking (never all rows). ``advance``: the font's text width."""
    data, pad = model.data_, 18
    sample = model.ranking[:WIDTH_SAMPLE].tolist()
    widths: dict[int, int] = {}
    for c, col in enumerate(model.columns):
        title = advance(col.header) + pad + 12  # room for the sort arrow
        if col.key == "thumb":
            widths[c] = max(THUMB_PX + 12, title)
        elif col.key == "rank":
            widths[c] = max(advance(f"{data.n:,}") + pad, title)
        elif col.key in ("score", "q", "overlap"):
            widths[c] = max(advance("< 0.001") + pad, title)
        elif col.key == "reviewed":
            widths[c] = title + 16
        elif col.key == "id":
            widths[c] = min(max([title, *(advance(data.ids[i]) + pad for i in sample)]), 240)
        elif col.key == "meta":
            values = data.columns[col.name]
            widths[c] = min(max([title, *(advance(values[i]) + pad for i in sample)]), 140)
    return widths
