"""Deprecated alias of :mod:`engine.pairs`, kept only for ``engine/study/analyze.py`` until the
study is wired to the per-pair suspect score; every other module imports ``engine.pairs``.

``rank_suspects`` here keeps its old meaning: **lowest** score first (the neighbour overlap),
ties by id — it is :func:`engine.pairs.rank_suspects` on the negated score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from engine.pairs import (
    load_reviewed,
    overlap_from_neighbours,
    save_reviewed,
    selection_rows,
    shared_neighbours,
    suspect_rows,
    write_csv,
)
from engine.pairs import rank_suspects as _rank_most_suspect_first

__all__ = ["load_reviewed", "overlap_from_neighbours", "rank_suspects", "save_reviewed",
           "selection_rows", "shared_neighbours", "suspect_rows", "write_csv"]


def rank_suspects(
    scores: NDArray[np.float64],
    ids: Sequence[str],
    columns: Mapping[str, Sequence[str]] | None = None,
    filters: Mapping[str, str | Iterable[str]] | None = None,
    reviewed: Iterable[str] | None = None,
    hide_reviewed: bool = False,
    limit: int | None = None,
) -> NDArray[np.int64]:
    """Row indices from the lowest to the highest score (ties by id), after filtering."""
    return _rank_most_suspect_first(-np.asarray(scores, dtype=np.float64), ids, columns, filters,
                                    reviewed, hide_reviewed, limit)
