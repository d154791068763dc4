"""Suspect pairs: the image–report pairs whose neighbourhoods disagree the most.

A pair's score is its neighbour overlap |N_img(i) ∩ N_txt(i)| / k (the per-sample term of
mutual k-NN): 0 means none of the image's nearest images has its report among the report's
nearest reports, i.e. the report may not describe this image. Lower = more suspect.

Public API::

    overlap_from_neighbours(nn_a, nn_b) -> np.ndarray        # [n] float64 in 0..1
    shared_neighbours(nn_a_row, nn_b_row) -> list[int]       # neighbours present in both lists
    rank_suspects(scores, ids, columns=None, filters=None, reviewed=None,
                  hide_reviewed=False, limit=None) -> np.ndarray   # row indices, most suspect first
    suspect_rows(order, ids, scores, columns, reviewed, image_paths=None, reports=None,
                 snippet=120) -> list[dict[str, object]]
    load_reviewed(store_path) -> set[str]                     # reviewed marks kept in the store
    save_reviewed(store_path, reviewed: Iterable[str]) -> None
    write_csv(path, header, rows) -> None                     # UTF-8 with BOM (opens in Excel)
    selection_rows(indices, ids, xy_image, xy_text, scores, columns) -> (header, rows)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from engine.errors import InputError, StoreError

REVIEWED_RESULT = "suspects_reviewed"
REVIEWED_KEY = "reviewed-v1"


def overlap_from_neighbours(nn_a: np.ndarray, nn_b: np.ndarray) -> np.ndarray:
    """Per-row fraction of neighbours shared by two [n, k] neighbour-index arrays."""
    a = np.asarray(nn_a)
    b = np.asarray(nn_b)
    if a.shape != b.shape or a.ndim != 2:
        raise InputError(f"neighbour arrays must both be [n, k]; got {a.shape} and {b.shape}")
    n, k = a.shape
    if k == 0:
        return np.zeros(n, dtype=np.float64)
    # a row's entries are distinct, so |A ∩ B| = 2k - |A ∪ B|; count with a sort per row
    both = np.sort(np.concatenate([a, b], axis=1), axis=1)
    dup = (both[:, 1:] == both[:, :-1]).sum(axis=1)
    return np.asarray(dup / k, dtype=np.float64)


def shared_neighbours(nn_a_row: Sequence[int] | np.ndarray, nn_b_row: Sequence[int] | np.ndarray) -> list[int]:
    """Neighbours present in both lists, in the order of the first."""
    in_b = {int(j) for j in nn_b_row}
    return [int(j) for j in nn_a_row if int(j) in in_b]


def _matches(value: str, wanted: str | Iterable[str]) -> bool:
    if isinstance(wanted, str):
        return value == wanted
    return value in set(wanted)


def rank_suspects(
    scores: np.ndarray,
    ids: Sequence[str],
    columns: Mapping[str, Sequence[str]] | None = None,
    filters: Mapping[str, str | Iterable[str]] | None = None,
    reviewed: Iterable[str] | None = None,
    hide_reviewed: bool = False,
    limit: int | None = None,
) -> np.ndarray:
    """Row indices sorted from least to most aligned (ties broken by id), after filtering.

    ``filters`` maps a column name to the value (or set of values) a row must have.
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1 or s.shape[0] != len(ids):
        raise InputError(f"scores must be [n] with n = {len(ids)} ids; got shape {s.shape}")
    keep = np.ones(s.shape[0], dtype=bool)
    cols = columns or {}
    for name, wanted in (filters or {}).items():
        if name not in cols:
            raise InputError(f"unknown filter column {name!r}; known: {', '.join(cols)}")
        values = cols[name]
        keep &= np.fromiter((_matches(v, wanted) for v in values), dtype=bool, count=len(values))
    if hide_reviewed and reviewed is not None:
        done = set(reviewed)
        keep &= np.fromiter((i not in done for i in ids), dtype=bool, count=len(ids))
    idx = np.flatnonzero(keep)
    id_arr = np.asarray(ids, dtype=object)[idx]
    order = np.lexsort((id_arr.astype(str), s[idx]))
    out = idx[order]
    return out[:limit] if limit is not None else out


def suspect_rows(
    order: np.ndarray,
    ids: Sequence[str],
    scores: np.ndarray,
    columns: Mapping[str, Sequence[str]],
    reviewed: Iterable[str],
    image_paths: Sequence[Path] | None = None,
    reports: Sequence[str] | None = None,
    snippet: int = 120,
) -> list[dict[str, object]]:
    """Plain rows for tables, CSV and the PDF report, in the given order."""
    done = set(reviewed)
    rows: list[dict[str, object]] = []
    for rank, i in enumerate(np.asarray(order).tolist(), start=1):
        row: dict[str, object] = {"rank": rank, "id": ids[i], "score": float(scores[i])}
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


def load_reviewed(store_path: str | Path) -> set[str]:
    """Sample ids marked as reviewed in the store (empty when none were marked)."""
    from engine.store import Store

    with Store.open(store_path, mode="r") as st:
        got = st.get_result(REVIEWED_RESULT, REVIEWED_KEY)
    if got is None:
        return set()
    return {str(x) for x in got[0].get("ids", [])}


def save_reviewed(store_path: str | Path, reviewed: Iterable[str]) -> None:
    """Persist the reviewed marks (replaces the previous set)."""
    from engine.store import Store

    ids = sorted({str(x) for x in reviewed})
    try:
        with Store.open(store_path, mode="a") as st:
            st.put_result(REVIEWED_RESULT, REVIEWED_KEY, {"ids": ids})
    except OSError as exc:
        raise StoreError(f"cannot save reviewed marks in {store_path}: {exc}") from exc


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a CSV in UTF-8 with BOM (Excel reads Japanese text correctly)."""
    target = Path(path)
    try:
        with target.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(header))
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from exc


def selection_rows(
    indices: Sequence[int] | np.ndarray,
    ids: Sequence[str],
    xy_image: np.ndarray | None,
    xy_text: np.ndarray | None,
    scores: np.ndarray | None,
    columns: Mapping[str, Sequence[str]],
) -> tuple[list[str], list[list[object]]]:
    """Header and rows for a selection export: id, coordinates in both spaces, score, labels."""
    header = ["id", "image_x", "image_y", "report_x", "report_y", "alignment", *columns]
    rows: list[list[object]] = []
    for i in np.asarray(indices, dtype=np.int64).tolist():
        row: list[object] = [ids[i]]
        for xy in (xy_image, xy_text):
            row += [float(xy[i, 0]), float(xy[i, 1])] if xy is not None else ["", ""]
        row.append(float(scores[i]) if scores is not None else "")
        row += [values[i] for values in columns.values()]
        rows.append(row)
    return header, rows
