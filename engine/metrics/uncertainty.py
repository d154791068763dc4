"""Bootstrap confidence intervals and permutation nulls for every reported metric.

Bootstrap (pairs resampled with replacement, 95 % percentile interval):
- mutual_knn, cycle_knn, lcs_knn are means of per-sample scores; the scores (computed
  once on all n pairs) are resampled. Recomputing neighbours on a resample would be
  wrong: a duplicated row is its copy's nearest neighbour. The interval is therefore
  conditional on the neighbour graph.
- every other metric is recomputed on the *distinct* drawn pairs (duplicates dropped,
  ≈63 % of the rows): a duplicated pair enters kernel estimators as a zero-distance
  off-diagonal pair (it breaks the unbiased U-statistic and inflates biased CKA) and
  the kNN masks. cknna keeps the full-data graph restricted to those rows. Fewer rows
  give somewhat wider (conservative) intervals; the biased CKAs' small-sample upward
  bias (∝ 1/n) shifts their intervals up slightly.
Permutation null: B's rows are shuffled (the pairing is broken), the metric recomputed;
p = (1 + #{null ≥ observed}) / (1 + N). kNN metrics and cknna relabel the B graph (no
new neighbour search, all n). Linear-kernel metrics work on at most LINEAR_MAX_N rows,
RBF metrics on at most RBF_MAX_N rows (full kernels kept in memory); when a cap applies
the observed value the p-value is compared with is that subsample's own value, and the
notes say so. One seeded generator drives everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InputError
from engine.metrics.cka_kernel import (
    cknna_from_graphs,
    rbf_kernel,
    rbf_sums_from_kernels,
)
from engine.metrics.cka_linear import GramStats, column_means
from engine.metrics.knn import IntArray
from engine.metrics.knn_metrics import cycle_hits, lcs_lengths, overlap_counts
from engine.metrics.svcca import linear_values
from engine.metrics.validate import FloatArray
from engine.progress import Progress, report

F64 = npt.NDArray[np.float64]
LINEAR_MAX_N = 10_000
RBF_MAX_N = 3_000
KNN_SCORES = ("mutual_knn", "cycle_knn", "lcs_knn")
LINEAR = ("cka_linear", "unbiased_cka_linear", "svcca")
RBF = ("cka_rbf", "unbiased_cka_rbf")


@dataclass
class Inputs:
    a: FloatArray
    b: FloatArray
    metrics: Sequence[str]
    k: int
    rbf_sigma: float
    svcca_dim: int
    svcca_eps: float
    ia: IntArray | None = None
    sa: FloatArray | None = None
    ib: IntArray | None = None
    sb: FloatArray | None = None


def _knn_scores(ia: IntArray, ib: IntArray, names: Sequence[str]) -> dict[str, F64]:
    k = ia.shape[1]
    out: dict[str, F64] = {}
    if "mutual_knn" in names:
        out["mutual_knn"] = overlap_counts(ia, ib).astype(np.float64) / k
    if "cycle_knn" in names:
        out["cycle_knn"] = cycle_hits(ia, ib).astype(np.float64)
    if "lcs_knn" in names:
        out["lcs_knn"] = lcs_lengths(ia, ib).astype(np.float64)
    return out


def _relabel(ib: IntArray, sb: FloatArray, perm: npt.NDArray[np.intp]) -> tuple[IntArray, Any]:
    """Graph of B[perm] from B's graph: neighbours of i are perm⁻¹(N_B(perm(i)))."""
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm))
    return inv[ib[perm]].astype(np.int64), sb[perm]


def _resampled_means(scores: dict[str, F64], idx: npt.NDArray[np.intp] | None) -> dict[str, float]:
    return {m: float((s if idx is None else s[idx]).mean()) for m, s in scores.items()}


def _cknna(
    ia: IntArray, sa: Any, ib: IntArray, sb: Any, keep: npt.NDArray[np.bool_] | None
) -> dict[str, float]:
    return {"cknna": cknna_from_graphs(ia, sa, ib, sb, keep)}


def _linear_on(a: FloatArray, b: FloatArray, names: Sequence[str], inp: Inputs) -> dict[str, float]:
    return linear_values(_stats(a, b), names, inp.svcca_dim, inp.svcca_eps)


def _stats(a: FloatArray, b: FloatArray) -> GramStats:
    st = GramStats(column_means(a), column_means(b))
    st.update(a, b)
    return st


class _Collector:
    def __init__(self, names: Sequence[str]) -> None:
        self.values: dict[str, list[float]] = {m: [] for m in names}

        self.skipped = 0

    def add(self, make: Callable[..., dict[str, float]], *args: Any) -> None:
        """Record one replicate; one too small or degenerate for a metric (e.g. < 4 distinct
        pairs for an unbiased estimator) is skipped and counted."""
        try:
            vals = make(*args)
        except InputError:
            self.skipped += 1
            return
        for m, v in vals.items():
            if m in self.values:
                self.values[m].append(v)


def _distinct(idx: Any, m: int) -> npt.NDArray[np.intp]:
    """The distinct values of ``idx`` (all in 0..m−1), sorted: np.unique's result without its
    hashing, which holds the GIL (seconds for millions of values)."""
    return np.flatnonzero(np.bincount(np.asarray(idx), minlength=m))


def _subsample(n: int, cap: int, rng: np.random.Generator) -> npt.NDArray[np.intp] | None:
    return None if n <= cap else np.sort(rng.choice(n, cap, replace=False))


def _subsampled(inp: Inputs, cap: int, rng: np.random.Generator, names: Sequence[str], seed: int,
                notes: list[str]) -> tuple[FloatArray, FloatArray, bool]:
    """Both spaces, or a random ``cap`` of their pairs (with a note): (a, b, subsampled)."""
    n = inp.a.shape[0]
    sub = _subsample(n, cap, rng)
    if sub is None:
        return inp.a, inp.b, False
    notes.append(
        f"uncertainty for {', '.join(names)} computed on a random subsample of "
        f"{cap} of {n} pairs (seed {seed}); p-values compare with that subsample's value"
    )
    return inp.a[sub], inp.b[sub], True


def run(
    inp: Inputs,
    observed: dict[str, float],
    *,
    bootstrap: int,
    permutations: int,
    seed: int,
    progress: Progress | None = None,
) -> tuple[dict[str, list[float]], dict[str, dict[str, float]], list[str]]:
    """(ci, null, notes) for the metrics in ``inp.metrics``."""
    rng = np.random.default_rng(seed)
    names = list(inp.metrics)
    n = inp.a.shape[0]
    notes: list[str] = []
    boot = _Collector(names)
    null = _Collector(names)
    obs = dict(observed)
    total = bootstrap + permutations
    tick = _ticker(progress, total)

    knn_names = [m for m in names if m in KNN_SCORES]
    if (knn_names or "cknna" in names) and inp.ia is not None and inp.ib is not None:
        assert inp.sa is not None and inp.sb is not None
        ia, sa, ib, sb = inp.ia, inp.sa, inp.ib, inp.sb
        scores = _knn_scores(ia, ib, knn_names)
        for _ in range(bootstrap):
            idx = rng.integers(0, n, n)
            boot.add(_resampled_means, scores, idx)
            if "cknna" in names:
                keep = np.zeros(n, dtype=bool)
                keep[idx] = True
                boot.add(_cknna, ia, sa, ib, sb, keep)
            tick("bootstrap (kNN)")
        for _ in range(permutations):
            pib, psb = _relabel(ib, sb, rng.permutation(n))
            null.add(_resampled_means, _knn_scores(ia, pib, knn_names), None)
            if "cknna" in names:
                null.add(_cknna, ia, sa, pib, psb, None)
            tick("permutations (kNN)")

    lin = [m for m in names if m in LINEAR]
    if lin:
        a, b, sub = _subsampled(inp, LINEAR_MAX_N, rng, lin, seed, notes)
        m = a.shape[0]
        if sub:
            obs.update(linear_values(_stats(a, b), lin, inp.svcca_dim, inp.svcca_eps))
        for _ in range(bootstrap):
            dist = _distinct(rng.integers(0, m, m), m)
            boot.add(_linear_on, a[dist], b[dist], lin, inp)
            tick("bootstrap (linear)")
        base = _stats(a, b)
        for _ in range(permutations):
            perm = rng.permutation(m)
            null.add(_permuted_linear, base, a, b, perm, lin, inp)
            tick("permutations (linear)")

    rbf = [m for m in names if m in RBF]
    if rbf:
        a, b, sub = _subsampled(inp, RBF_MAX_N, rng, rbf, seed, notes)
        m = a.shape[0]
        kmat, lmat = rbf_kernel(a, inp.rbf_sigma), rbf_kernel(b, inp.rbf_sigma)
        if sub:
            obs.update(_rbf_values(kmat, lmat, rbf))
        for _ in range(bootstrap):
            d = _distinct(rng.integers(0, m, m), m)
            boot.add(_rbf_values, kmat[np.ix_(d, d)], lmat[np.ix_(d, d)], rbf)
            tick("bootstrap (RBF)")
        for _ in range(permutations):
            p = rng.permutation(m)
            null.add(_rbf_values, kmat, lmat[np.ix_(p, p)], rbf)
            tick("permutations (RBF)")

    ci: dict[str, list[float]] = {}
    nulls: dict[str, dict[str, float]] = {}
    if bootstrap > 0:
        for name, reps in boot.values.items():
            arr = np.asarray(reps, dtype=np.float64)
            arr = arr[np.isfinite(arr)]
            if len(arr):
                lo, hi = np.percentile(arr, [2.5, 97.5])
                ci[name] = [float(lo), float(hi)]
    if permutations > 0:
        for name, reps in null.values.items():
            arr = np.asarray(reps, dtype=np.float64)
            arr = arr[np.isfinite(arr)]
            o = obs.get(name, float("nan"))
            if len(arr) and np.isfinite(o):
                nulls[name] = {
                    "mean": float(arr.mean()),
                    "p": float((1 + np.sum(arr >= o)) / (1 + len(arr))),
                }
    if boot.skipped or null.skipped:
        notes.append(
            f"{boot.skipped + null.skipped} replicate computation(s) were too small or "
            "degenerate for a metric (e.g. fewer than 4 distinct pairs) and were skipped"
        )
    if bootstrap > 0:
        notes.append(
            f"bootstrap: {bootstrap} resamples of pairs, 95% percentile intervals; kNN-score "
            "metrics resample per-sample scores on the full-data graph; the other metrics are "
            "recomputed on the distinct drawn pairs (conservative)"
        )
    if permutations > 0:
        notes.append(
            f"permutation null: {permutations} shuffles of B's rows; p = (1 + #null ≥ observed)/(1 + N)"
        )
    return ci, nulls, notes


def _ticker(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = [0]

    def tick(message: str) -> None:
        done[0] += 1
        report(progress, done[0], total, message)

    return tick


def _rbf_values(kmat: F64, lmat: F64, names: Sequence[str]) -> dict[str, float]:
    sums = rbf_sums_from_kernels(kmat, lmat)
    out: dict[str, float] = {}
    if "cka_rbf" in names:
        out["cka_rbf"] = sums.cka()
    if "unbiased_cka_rbf" in names:
        out["unbiased_cka_rbf"] = sums.unbiased_cka()
    return out


def _permuted_linear(
    base: GramStats,
    a: FloatArray,
    b: FloatArray,
    perm: npt.NDArray[np.intp],
    names: Sequence[str],
    inp: Inputs,
) -> dict[str, float]:
    """Only the cross terms change when B's rows are permuted; the self terms are reused."""
    st = GramStats(base.shift_a, base.shift_b)
    for f in ("n", "s_a", "s_b", "g_aa", "g_bb", "at_a", "bt_b", "sum_a", "sum_b", "sum_aa", "sum_bb"):
        setattr(st, f, getattr(base, f))
    dt = np.result_type(a.dtype, b.dtype, np.float32)
    xa = (a - base.shift_a).astype(dt)
    xb = (b[perm] - base.shift_b).astype(dt)
    va = np.einsum("ij,ij->i", xa, xa, dtype=np.float64)
    vb = np.einsum("ij,ij->i", xb, xb, dtype=np.float64)
    st.g_ab = (xa.T @ xb).astype(np.float64)
    st.at_b = (xa.T @ vb.astype(dt)).astype(np.float64)
    st.bt_a = (xb.T @ va.astype(dt)).astype(np.float64)
    st.sum_ab = float(va @ vb)
    return linear_values(st, names, inp.svcca_dim, inp.svcca_eps)
