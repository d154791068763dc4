"""Exact k-nearest-neighbour graphs by blocks of rows, never forming the n×n matrix.

Similarity is the dot product (rows are usually L2-normalised first), the sample
itself is excluded, and each row's neighbours come sorted by similarity, highest
first, ties broken by the smaller index — a total order, so the top-k list is a
prefix of the top-(k+1) list and the result is deterministic.

How: one preallocated ``block × n`` buffer receives ``X[block] @ Xᵀ`` (BLAS, all
cores). For each row, the maxima of 64 strided column groups give a lower bound on
the row's k-th largest value (the k largest group maxima are k distinct entries);
only columns at or above that bound (about k per row) are kept and sorted exactly.
Selection runs on sub-chunks of rows in a thread pool (numpy releases the GIL), so
it costs a few passes over the buffer instead of a full argpartition.
Memory: O(n·k + block·n).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.metrics.validate import FloatArray, check_k, check_matrix, l2_normalize
from engine.onnx_session import default_threads
from engine.progress import Progress, report

IntArray = npt.NDArray[np.int64]

GROUP = 64  # strided column groups per row for the candidate bound
SUB_ROWS = 256  # rows per selection task
BUFFER_ELEMENTS = 1 << 27  # similarity buffer size target (512 MB in float32)


def block_rows_for(n: int, itemsize: int = 4) -> int:
    """Rows per similarity block: about BUFFER_ELEMENTS·4/itemsize entries, 64..4096 rows."""
    rows = (BUFFER_ELEMENTS * 4 // itemsize) // max(n, 1)
    rows = max(64, min(4096, rows))
    return int(rows // 64 * 64)


def _select_rows(s: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
    """Exact top-k of every row of ``s`` (r × n, self already set to −inf)."""
    r, n = s.shape
    m = n // GROUP
    if m >= 2 * k:
        groups = s[:, : m * GROUP].reshape(r, GROUP, m).max(axis=1)
        if m * GROUP < n:
            groups = np.concatenate([groups, s[:, m * GROUP :]], axis=1)
        bound = np.partition(groups, groups.shape[1] - k, axis=1)[:, groups.shape[1] - k]
    else:
        bound = np.partition(s, n - k, axis=1)[:, n - k]
    flat = np.flatnonzero(s >= bound[:, None])  # 2-D np.nonzero is ~15× slower
    rows, cols = np.divmod(flat, n)
    vals = s.ravel()[flat] if s.flags.c_contiguous else s[rows, cols]
    order = np.lexsort((cols, -vals, rows))
    counts = np.bincount(rows, minlength=r)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    take = order[(starts[:, None] + np.arange(k)[None, :]).ravel()]
    return cols[take].reshape(r, k).astype(np.int64), vals[take].reshape(r, k)


def knn_graph(
    x: FloatArray,
    k: int,
    *,
    block_rows: int | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
    progress_offset: int = 0,
    progress_total: int | None = None,
    message: str = "nearest neighbours",
) -> tuple[IntArray, FloatArray]:
    """Indices [n, k] and similarities [n, k] of each row's k nearest other rows.

    ``x`` is used as given (no normalisation); float32 stays float32 (products in
    float32), float64 stays float64.
    """
    x = check_matrix(x, "X")
    n = x.shape[0]
    check_k(n, k)
    x = np.ascontiguousarray(x)
    rows = block_rows or block_rows_for(n, x.dtype.itemsize)
    workers = threads or default_threads()
    buf = np.empty((min(rows, n), n), dtype=x.dtype)
    out_idx = np.empty((n, k), dtype=np.int64)
    out_sim = np.empty((n, k), dtype=x.dtype)
    total = progress_total if progress_total is not None else n
    xt = x.T
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, n, rows):
            stop = min(start + rows, n)
            b = stop - start
            s = buf[:b]
            np.matmul(x[start:stop], xt, out=s)
            s[np.arange(b), np.arange(start, stop)] = -np.inf
            subs = [(lo, min(lo + SUB_ROWS, b)) for lo in range(0, b, SUB_ROWS)]
            parts = [s[lo:hi] for lo, hi in subs]
            results: list[Any] = list(pool.map(_select_rows, parts, [k] * len(parts)))
            for (lo, hi), (idx, sim) in zip(subs, results, strict=True):
                out_idx[start + lo : start + hi] = idx
                out_sim[start + lo : start + hi] = sim
            report(progress, progress_offset + stop, total, message)
    return out_idx, out_sim


def knn_indices(x: object, k: int, normalize: bool = True) -> IntArray:
    """[n, k] indices of each sample's k nearest neighbours (self excluded), most similar first.

    With ``normalize`` the rows are L2-normalised first (cosine similarity), as every
    metric does by default.
    """
    arr = check_matrix(x, "X")
    if normalize:
        arr = l2_normalize(arr, "X")
    idx, _ = knn_graph(arr, k)
    return idx
