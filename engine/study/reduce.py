"""Row-normalised PCA of one embedding space by blocks of rows (the study's label-free reduction).

Rows are L2-normalised, centred on the mean of the fitting rows, and projected on the top
principal axes of those rows — the eigenvectors of the d×d scatter matrix, accumulated in
float64 over blocks of rows. Memory stays O(block·d + n·dims): a 100,000 × 1,280 float32
space is never copied whole into float64 (that alone would be 1 GB per copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

BLOCK_ROWS = 8192
FIT_MAX_ROWS = 20_000  # rows the study fits a reduction on (a seeded random subsample above)
F64 = NDArray[np.float64]


def unit_rows(block: NDArray[Any]) -> F64:
    """A block of rows in float64, each scaled to unit L2 norm (zero rows stay zero)."""
    arr = np.asarray(block, dtype=np.float64)
    out: F64 = arr / np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12)
    return out


@dataclass(frozen=True)
class Axes:
    """Mean and principal axes [d, dims] (descending variance) of row-normalised vectors."""

    mean: F64
    axes: F64 | None  # None: keep all d coordinates (d ≤ dims), only centred

    def apply(self, x: NDArray[Any], rows: NDArray[np.int64] | None = None) -> F64:
        """[m, dims] coordinates of ``x[rows]`` (all rows when None)."""
        idx = np.arange(x.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
        width = self.mean.size if self.axes is None else self.axes.shape[1]
        out = np.empty((idx.size, width), dtype=np.float64)
        for lo in range(0, idx.size, BLOCK_ROWS):
            part = unit_rows(x[idx[lo:lo + BLOCK_ROWS]]) - self.mean
            out[lo:lo + part.shape[0]] = part if self.axes is None else part @ self.axes
        return out


def fit_rows(rows: NDArray[np.int64], cap: int, seed: int = 0) -> NDArray[np.int64]:
    """The rows a reduction is fitted on: all of ``rows``, or a seeded random ``cap`` of them
    (sorted). Principal axes of a few hundred dimensions are settled long before 20,000 rows;
    the scatter matrix costs rows·d², a third of the whole study's own work at 100,000 × 1,280."""
    if rows.size <= cap:
        return rows
    out: NDArray[np.int64] = np.sort(np.random.default_rng(seed).choice(rows, cap, replace=False))
    return out


def fit_axes(x: NDArray[Any], max_dim: int, rows: NDArray[np.int64] | None = None,
             fit_cap: int | None = None) -> Axes:
    """Mean and top ``max_dim`` principal axes of the normalised ``x[rows]`` (all rows when None).

    The mean is always over all those rows; with ``fit_cap`` the scatter matrix is summed over
    at most that many of them (:func:`fit_rows`)."""
    idx = np.arange(x.shape[0]) if rows is None else np.asarray(rows, dtype=np.int64)
    d = x.shape[1]
    total = np.zeros(d)
    for lo in range(0, idx.size, BLOCK_ROWS):
        total += unit_rows(x[idx[lo:lo + BLOCK_ROWS]]).sum(axis=0)
    mean = total / max(idx.size, 1)
    if d <= max_dim:
        return Axes(mean, None)
    fit = idx if fit_cap is None else fit_rows(idx, fit_cap)
    scatter = np.zeros((d, d))
    for lo in range(0, fit.size, BLOCK_ROWS):
        part = unit_rows(x[fit[lo:lo + BLOCK_ROWS]]) - mean
        scatter += part.T @ part
    w, v = np.linalg.eigh(scatter)
    top: F64 = v[:, np.argsort(w)[::-1][:max_dim]]
    return Axes(mean, top)


def pca_reduce(x: NDArray[Any], max_dim: int, rows: NDArray[np.int64] | None = None,
               fit_cap: int | None = None) -> F64:
    """Row-normalise, centre and project ``x[rows]`` on its own top ``max_dim`` axes (the scatter
    over at most ``fit_cap`` of those rows when given)."""
    return fit_axes(x, max_dim, rows, fit_cap).apply(x, rows)
