"""Pairing-free preparation of each space: L2-normalise rows, centre, project on the top principal axes.

Each modality is reduced on its own, so the reduction knows nothing about which report
goes with which image: fitting it once on all rows leaks nothing about a pair into the
cross-fitted alignment that scores it. Computed in row chunks (no float64 copy of an
n × 1280 matrix), so 100,000 pairs stay well under a gigabyte.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError

EPS_NORM = 1e-12
CHUNK_ROWS = 8192
MAX_PCA_DIM = 128


def _unit_rows(x: NDArray[Any]) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=np.float64)
    out: NDArray[np.float64] = arr / np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), EPS_NORM)
    return out


def check_pair_arrays(image: NDArray[Any], report: NDArray[Any]) -> None:
    """Refuse arrays that cannot be scored as pairs, with a message naming the problem."""
    for name, arr in (("image embeddings", image), ("report embeddings", report)):
        if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
            raise InputError(f"{name}: expected a 2-D array (pairs × features), got shape {arr.shape}")
        bad = ~np.isfinite(np.asarray(arr[:, :1], dtype=np.float64)).ravel()
        for lo in range(0, arr.shape[0], CHUNK_ROWS):
            bad[lo:lo + CHUNK_ROWS] |= ~np.isfinite(arr[lo:lo + CHUNK_ROWS]).all(axis=1)
        if bad.any():
            rows = np.flatnonzero(bad)[:10].tolist()
            raise InputError(f"{name}: rows {rows} (0-based) hold NaN or inf; re-embed or remove them")
    if image.shape[0] != report.shape[0]:
        raise InputError(f"image and report embeddings must have one row per pair: "
                         f"{image.shape[0]} image rows, {report.shape[0]} report rows")


def reduce_space(x: NDArray[Any], max_dim: int = MAX_PCA_DIM) -> NDArray[np.float64]:
    """[n, p] principal-axis coordinates of the L2-normalised, centred rows (p = min(max_dim, d, n-1)).

    Columns come in order of decreasing variance, so the first p' columns are the
    p'-dimensional reduction.
    """
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        return _reduce_space(x, max_dim)


def _reduce_space(x: NDArray[Any], max_dim: int) -> NDArray[np.float64]:
    n, d = x.shape
    mean = np.zeros(d)
    for lo in range(0, n, CHUNK_ROWS):
        mean += _unit_rows(x[lo:lo + CHUNK_ROWS]).sum(axis=0)
    mean /= n
    cov = np.zeros((d, d))
    for lo in range(0, n, CHUNK_ROWS):
        part = _unit_rows(x[lo:lo + CHUNK_ROWS]) - mean
        cov += part.T @ part
    w, v = np.linalg.eigh(cov)
    p = int(min(max_dim, d, max(n - 1, 1)))
    axes = v[:, np.argsort(w)[::-1][:p]]
    out = np.empty((n, p), dtype=np.float64)
    for lo in range(0, n, CHUNK_ROWS):
        out[lo:lo + CHUNK_ROWS] = (_unit_rows(x[lo:lo + CHUNK_ROWS]) - mean) @ axes
    return out


def assign_folds(n: int, folds: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """[n] fold index of every pair: a random balanced split into ``folds`` parts."""
    out: NDArray[np.int64] = (rng.permutation(n) % folds).astype(np.int64)
    return out


def duplicate_counts(x: NDArray[Any]) -> NDArray[np.int64]:
    """[n] how many rows (itself included) hold exactly the same vector as each row."""
    arr = np.ascontiguousarray(x)
    keys = arr.view(np.dtype((np.void, arr.dtype.itemsize * arr.shape[1]))).ravel()
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    out: NDArray[np.int64] = counts[inverse.ravel()].astype(np.int64)
    return out
