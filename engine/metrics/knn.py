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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PairGraphs:
    """The kNN graphs of both spaces of a pair, computed once at ``k``.

    Each row's neighbours are sorted by (similarity desc, index asc), a total order, so the
    graph at any smaller k is a prefix of these lists (:meth:`prefix`): one pair of n×n
    passes serves every kNN quantity (metrics, CKNNA, intervals and nulls, the curve over k,
    the per-sample overlap). Built on the normalised arrays the metrics use.
    """

    ia: IntArray    # [n, k] neighbours in A
    sa: FloatArray  # [n, k] their similarities
    ib: IntArray
    sb: FloatArray

    @property
    def k(self) -> int:
        return int(self.ia.shape[1])

    @property
    def n(self) -> int:
        return int(self.ia.shape[0])

    def prefix(self, k: int) -> PairGraphs:
        """The graphs at ``k`` ≤ self.k (contiguous copies; self when k is self.k)."""
        if k == self.k:
            return self
        if not 1 <= k <= self.k:
            raise ValueError(f"k = {k} is not within 1..{self.k}, the k these graphs were built at")
        def top(v: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return np.ascontiguousarray(v[:, :k])

        return PairGraphs(top(self.ia), top(self.sa), top(self.ib), top(self.sb))


def pair_graphs(a: FloatArray, b: FloatArray, k: int, *, progress: Progress | None = None,
                messages: tuple[str, str] = ("nearest neighbours in A", "nearest neighbours in B")
                ) -> PairGraphs:
    """kNN graphs of ``a`` and ``b`` (used as given: normalise first) at ``k``, one progress
    count over both searches (rows of A, then rows of B)."""
    n = a.shape[0]
    ia, sa = knn_graph(a, k, progress=progress, progress_total=2 * n, message=messages[0])
    ib, sb = knn_graph(b, k, progress=progress, progress_offset=n, progress_total=2 * n, message=messages[1])
    return PairGraphs(ia, sa, ib, sb)


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
