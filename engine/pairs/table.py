"""Ranking, rows and CSV of the per-pair scores: the one place that orders suspects.

Order: higher suspicion first, ties by sample id (:func:`rank_order`, used by every list:
CLI, GUI, PDF, CSV, self-test). Rows with a tied score are flagged (:func:`tied_mask`).
CSV: UTF-8 with BOM (Excel reads Japanese), every cell that a spreadsheet would run as a
formula (= + - @ tab CR at the start, unless it is a number) prefixed with an apostrophe,
written atomically (temporary file in the same folder, then renamed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.safe_io import csv_cell
from engine.safe_io import csv_text as safe_csv_text
from engine.safe_io import write_csv as safe_write_csv

SCORE_COLUMN = "suspect_score"        # the per-pair suspect score, everywhere (CSV, JSON "score")
Q_COLUMN = "q_value"
OVERLAP_COLUMN = "neighbour_overlap"  # per-pair neighbour overlap |N_img ∩ N_rep| / k


def rank_order(suspicion: NDArray[np.float64] | Sequence[float], ids: Sequence[str]) -> NDArray[np.int64]:
    """Row indices, most suspect first; equal suspicion ordered by id (deterministic)."""
    s = np.asarray(suspicion, dtype=np.float64)
    if s.ndim != 1 or s.shape[0] != len(ids):
        raise InputError(f"scores must be [n] with n = {len(ids)} ids; got shape {s.shape}")
    order: NDArray[np.int64] = np.lexsort((np.asarray(ids, dtype=str), -s)).astype(np.int64)
    return order


def tied_mask(suspicion: NDArray[np.float64]) -> NDArray[np.bool_]:
    """[n] whether another pair has exactly the same score (its place is then decided by id)."""
    _, inverse, counts = np.unique(np.asarray(suspicion, dtype=np.float64), return_inverse=True,
                                   return_counts=True)
    out: NDArray[np.bool_] = counts[inverse.ravel()] > 1
    return out


def _matches(value: str, wanted: str | Iterable[str]) -> bool:
    if isinstance(wanted, str):
        return value == wanted
    return value in set(wanted)


def rank_suspects(
    suspicion: NDArray[np.float64],
    ids: Sequence[str],
    columns: Mapping[str, Sequence[str]] | None = None,
    filters: Mapping[str, str | Iterable[str]] | None = None,
    reviewed: Iterable[str] | None = None,
    hide_reviewed: bool = False,
    limit: int | None = None,
) -> NDArray[np.int64]:
    """:func:`rank_order` after filtering: ``filters`` maps a column to the value(s) a row must have."""
    order = rank_order(suspicion, ids)
    keep = np.ones(order.size, dtype=bool)
    cols = columns or {}
    for name, wanted in (filters or {}).items():
        if name not in cols:
            raise InputError(f"unknown filter column {name!r}; known: {', '.join(cols)}")
        values = cols[name]
        keep &= np.fromiter((_matches(values[i], wanted) for i in order), dtype=bool, count=order.size)
    if hide_reviewed and reviewed is not None:
        done = set(reviewed)
        keep &= np.fromiter((ids[i] not in done for i in order), dtype=bool, count=order.size)
    out = order[keep]
    return out[:limit] if limit is not None else out


def suspect_rows(
    order: NDArray[np.int64],
    ids: Sequence[str],
    scores: NDArray[np.float64],
    columns: Mapping[str, Sequence[str]],
    reviewed: Iterable[str],
    image_paths: Sequence[Path] | None = None,
    reports: Sequence[str] | None = None,
    snippet: int = 120,
    score_column: str = SCORE_COLUMN,
    extra: Mapping[str, Sequence[object]] | None = None,
) -> list[dict[str, object]]:
    """Plain rows for tables, CSV and the PDF, in the given order (``extra``: more per-row columns)."""
    done = set(reviewed)
    rows: list[dict[str, object]] = []
    for rank, i in enumerate(np.asarray(order).tolist(), start=1):
        row: dict[str, object] = {"rank": rank, "id": ids[i], score_column: float(scores[i])}
        for name, values in (extra or {}).items():
            row[name] = values[i]
        for name, values in columns.items():
            row[name] = values[i]
        if image_paths is not None:
            row["image"] = str(image_paths[i])
        if reports is not None:
            text = " ".join(reports[i].split())
            row["report"] = text if len(text) <= snippet else text[: snippet - 1] + "…"
        row["reviewed"] = ids[i] in done
        rows.append(row)
    return rows


def selection_rows(
    indices: Sequence[int] | NDArray[np.int64],
    ids: Sequence[str],
    xy_image: NDArray[np.float64] | None,
    xy_text: NDArray[np.float64] | None,
    scores: NDArray[np.float64] | None,
    columns: Mapping[str, Sequence[str]],
    score_column: str = OVERLAP_COLUMN,
) -> tuple[list[str], list[list[object]]]:
    """Header and rows for a selection export: id, coordinates in both spaces, score, labels."""
    header = ["id", "image_x", "image_y", "report_x", "report_y", score_column, *columns]
    rows: list[list[object]] = []
    for i in np.asarray(indices, dtype=np.int64).tolist():
        row: list[object] = [ids[i]]
        for xy in (xy_image, xy_text):
            row += [float(xy[i, 0]), float(xy[i, 1])] if xy is not None else ["", ""]
        row.append(float(scores[i]) if scores is not None else "")
        row += [values[i] for values in columns.values()]
        rows.append(row)
    return header, rows


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (engine.safe_io.csv_cell)."""
    return csv_cell(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV as text (formula-escaped cells, CRLF line ends), without the BOM."""
    return safe_csv_text(header, rows)


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV in UTF-8 with BOM, formula-escaped, atomically, never over an input
    (engine.safe_io.write_csv: the one CSV writer)."""
    safe_write_csv(path, header, rows)
