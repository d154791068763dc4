"""The suspect-pairs table and its CSV: one row per pair, most suspect first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from engine.pairs.result import PairScores
from engine.pairs.table import OVERLAP_COLUMN, Q_COLUMN, SCORE_COLUMN, write_csv


def suspects_table(scores: PairScores, *, columns: Mapping[str, Sequence[str]] | None = None,
                   image_paths: Sequence[Path | str] | None = None, reports: Sequence[str] | None = None,
                   overlap: NDArray[np.float64] | None = None, reviewed: Iterable[str] = (),
                   top: int | None = None) -> tuple[list[str], list[list[object]]]:
    """Header and rows: rank, id, suspect_score, q_value, flagged, tied, reasons, [neighbour_overlap],
    label/metadata columns, image, report, reviewed. Without signal the q-values are 1, nothing is
    flagged, and the rows still come in score order."""
    cols = dict(columns or {})
    header = ["rank", "id", SCORE_COLUMN, Q_COLUMN, "flagged", "tied", "reasons"]
    if overlap is not None:
        header.append(OVERLAP_COLUMN)
    header += [*cols, *(["image"] if image_paths is not None else []),
               *(["report"] if reports is not None else []), "reviewed"]
    done = set(reviewed)
    a = scores.arrays
    order = a.order if top is None else a.order[:max(top, 0)]
    rows: list[list[object]] = []
    for rank, i in enumerate(order.tolist(), start=1):
        row: list[object] = [rank, scores.ids[i], f"{a.score[i]:.6g}", f"{a.q_value[i]:.4g}",
                             bool(a.q_value[i] <= scores.fdr_level), bool(a.tied[i]),
                             "; ".join(scores.reasons(i))]
        if overlap is not None:
            row.append(f"{overlap[i]:.6g}")
        row += [values[i] for values in cols.values()]
        if image_paths is not None:
            row.append(str(image_paths[i]))
        if reports is not None:
            row.append(reports[i])
        row.append(scores.ids[i] in done)
        rows.append(row)
    return header, rows


def write_suspects_csv(path: str | Path, scores: PairScores, **table: object) -> Path:
    """Write :func:`suspects_table` to ``path`` (UTF-8 with BOM, formula-escaped, atomic)."""
    header, rows = suspects_table(scores, **table)  # type: ignore[arg-type]
    write_csv(path, header, rows)
    return Path(path)
