"""Neighbourhood metrics from two kNN graphs: mutual, cycle and LCS kNN, per sample and over k.

All functions here take neighbour lists as produced by :func:`engine.metrics.knn.knn_graph`
([n, k] indices, most similar first, self excluded) and work in O(n·k²) or better,
chunked over rows so memory stays bounded for large k.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.metrics.knn import IntArray, knn_graph
from engine.metrics.validate import FloatArray, check_k, check_pair

F64 = npt.NDArray[np.float64]

_CHUNK_ELEMENTS = 1 << 24  # bools per equality chunk (rows·k·k)


def _chunks(n: int, k: int) -> Iterable[tuple[int, int]]:
    step = max(1, _CHUNK_ELEMENTS // max(k * k, 1))
    for lo in range(0, n, step):
        yield lo, min(lo + step, n)


def overlap_counts(ia: IntArray, ib: IntArray) -> npt.NDArray[np.int64]:
    """|N_A(i) ∩ N_B(i)| for every row (neighbour lists hold distinct indices)."""
    n, k = ia.shape
    out = np.empty(n, dtype=np.int64)
    for lo, hi in _chunks(n, k):
        eq = ia[lo:hi, :, None] == ib[lo:hi, None, :]
        out[lo:hi] = eq.sum(axis=(1, 2))
    return out


def cycle_hits(ia: IntArray, ib: IntArray) -> npt.NDArray[np.bool_]:
    """For every i: is i among N_A(j) for some j in N_B(i)?"""
    n, k = ia.shape
    out = np.empty(n, dtype=bool)
    for lo, hi in _chunks(n, k):
        back = ia[ib[lo:hi]]  # [c, k, k]: N_A(j) for each j in N_B(i)
        me = np.arange(lo, hi)[:, None, None]
        out[lo:hi] = (back == me).any(axis=(1, 2))
    return out


def lcs_lengths(ia: IntArray, ib: IntArray) -> npt.NDArray[np.int64]:
    """Length of the longest common subsequence of the two ordered neighbour lists, per row.

    A row's lists hold distinct indices, so its LCS is its number of shared neighbours when
    that is 0 or 1; the k×k dynamic programme runs only on rows sharing two or more (under
    a shuffled pairing, and for most pairs of independently trained encoders, few rows do).
    """
    n, k = ia.shape
    out = np.empty(n, dtype=np.int64)
    for lo, hi in _chunks(n, k):
        eq = ia[lo:hi, :, None] == ib[lo:hi, None, :]
        shared = eq.sum(axis=(1, 2))
        out[lo:hi] = shared
        several = np.flatnonzero(shared >= 2)
        if several.size:
            out[lo + several] = _lcs_dp(eq[several], k)
    return out


def _lcs_dp(eq: npt.NDArray[np.bool_], k: int) -> npt.NDArray[np.int64]:
    """LCS lengths from the [c, k, k] equality masks (row-vectorised dynamic programme)."""
    c = eq.shape[0]
    prev = np.zeros((c, k + 1), dtype=np.int64)
    for i in range(k):
        cur = np.zeros((c, k + 1), dtype=np.int64)
        for j in range(k):
            diag = prev[:, j] + 1
            best = np.maximum(prev[:, j + 1], cur[:, j])
            cur[:, j + 1] = np.where(eq[:, i, j], diag, best)
        prev = cur
    out: npt.NDArray[np.int64] = prev[:, k]
    return out


def overlap_curve_counts(ia: IntArray, ib: IntArray) -> npt.NDArray[np.int64]:
    """Total shared neighbours Σ_i |N_A^k(i) ∩ N_B^k(i)| for every k = 1..k_max, from one pass.

    A shared neighbour at rank r_A in A's list and r_B in B's list counts for every
    k > max(r_A, r_B), since the top-k lists are prefixes of the top-k_max lists.
    """
    n, k = ia.shape
    hist = np.zeros(k, dtype=np.int64)
    for lo, hi in _chunks(n, k):
        eq = ia[lo:hi, :, None] == ib[lo:hi, None, :]
        _, ra, rb = np.nonzero(eq)
        hist += np.bincount(np.maximum(ra, rb), minlength=k)
    return np.cumsum(hist)


def _graphs(a: FloatArray, b: FloatArray, k: int) -> tuple[IntArray, IntArray]:
    a, b = check_pair(a, b)
    check_k(a.shape[0], k)
    return knn_graph(a, k)[0], knn_graph(b, k)[0]


def mutual_knn(a: FloatArray, b: FloatArray, k: int = 10) -> float:
    """Mean over i of |N_A(i) ∩ N_B(i)| / k (arrays used as given: normalise first)."""
    ia, ib = _graphs(a, b, k)
    return float(overlap_counts(ia, ib).mean() / k)


def cycle_knn(a: FloatArray, b: FloatArray, k: int = 10) -> float:
    """Fraction of i with i ∈ N_A(j) for some j ∈ N_B(i)."""
    ia, ib = _graphs(a, b, k)
    return float(cycle_hits(ia, ib).mean())


def lcs_knn(a: FloatArray, b: FloatArray, k: int = 10) -> float:
    """Mean LCS length of the two ordered neighbour lists (0..k)."""
    ia, ib = _graphs(a, b, k)
    return float(lcs_lengths(ia, ib).mean())


def overlap_from_graphs(ia: IntArray, ib: IntArray) -> F64:
    """Per-sample |N_A(i) ∩ N_B(i)| / k as float64."""
    out: F64 = overlap_counts(ia, ib).astype(np.float64) / ia.shape[1]
    return out


def curve_from_graphs(ia: IntArray, ib: IntArray, ks: Iterable[int]) -> dict[str, list[Any]]:
    """{"k", "mutual_knn", "chance"} for the requested ks (each ≤ the graphs' k)."""
    n, kmax = ia.shape
    kk = [int(v) for v in ks]
    if not kk:
        raise ValueError("ks is empty")
    if min(kk) < 1 or max(kk) > kmax:
        raise ValueError(f"ks must lie in 1..{kmax}")
    cum = overlap_curve_counts(ia, ib)
    return {
        "k": kk,
        "mutual_knn": [float(cum[v - 1] / (n * v)) for v in kk],
        "chance": [v / (n - 1) for v in kk],
    }
