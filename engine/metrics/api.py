"""`compute_metrics`: every alignment metric of two paired feature matrices, as the CLI prints it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InputError
from engine.metrics import uncertainty
from engine.metrics.cka_kernel import cknna_from_graphs, rbf_sums
from engine.metrics.cka_linear import gram_stats
from engine.metrics.knn import IntArray, PairGraphs, knn_graph
from engine.metrics.knn_metrics import (
    curve_from_graphs,
    cycle_hits,
    lcs_lengths,
    overlap_counts,
    overlap_from_graphs,
)
from engine.metrics.svcca import dtype_eps, linear_values, zero_variance_columns
from engine.metrics.validate import (
    FloatArray,
    check_k,
    check_matrix,
    check_unbiased_n,
    l2_normalize,
    prepare_pair,
)
from engine.progress import Progress, report

METRIC_NAMES: tuple[str, ...] = (
    "mutual_knn",
    "cycle_knn",
    "lcs_knn",
    "cka_linear",
    "cka_rbf",
    "unbiased_cka_linear",
    "unbiased_cka_rbf",
    "cknna",
    "svcca",
)
KNN_METRICS = ("mutual_knn", "cycle_knn", "lcs_knn", "cknna")
UNBIASED = ("unbiased_cka_linear", "unbiased_cka_rbf", "cknna")
RBF_MAX_N = 20_000  # RBF kernels cost O(n²·d): above this, a stated random subsample


def resolve_metrics(metrics: str | Sequence[str]) -> list[str]:
    """"all", a comma-separated string or a sequence of names → names in METRIC_NAMES order."""
    if isinstance(metrics, str):
        wanted = list(METRIC_NAMES) if metrics.strip() == "all" else metrics.split(",")
    else:
        wanted = list(metrics)
    wanted = [w.strip() for w in wanted if w.strip()]
    if not wanted:
        raise InputError(f"no metric named; choose from: all, {', '.join(METRIC_NAMES)}")
    unknown = [w for w in wanted if w not in METRIC_NAMES]
    if unknown:
        raise InputError(
            f"unknown metric(s) {', '.join(unknown)}; choose from: all, {', '.join(METRIC_NAMES)}"
        )
    return [m for m in METRIC_NAMES if m in wanted]


NUMPY_KNN = "numpy (CPU)"  # the provider named in the note when the numpy path ran


def _graph(x: FloatArray, k: int, device: str, progress: Progress | None,
           msg: str) -> tuple[IntArray, Any, str]:
    """kNN graph and who computed it: the ONNX graph on CUDA ("cuda", or "auto" when CUDA
    really runs), else the numpy path."""
    if device != "cpu":
        from engine.metrics.knn_onnx import cuda_works, knn_graph_onnx

        if device == "cuda" or (device == "auto" and cuda_works()):
            return knn_graph_onnx(x, k, device=device, progress=progress, message=msg)
    idx, sims = knn_graph(x, k, progress=progress, message=msg)
    return idx, sims, NUMPY_KNN


def _given_graphs(graphs: PairGraphs, n: int, k: int) -> tuple[IntArray, Any, IntArray, Any]:
    if graphs.n != n or graphs.k < k:
        raise InputError(f"the kNN graphs given cover {graphs.n} rows at k = {graphs.k}; "
                         f"these metrics need {n} rows at k = {k}")
    g = graphs.prefix(k)
    return g.ia, g.sa, g.ib, g.sb


def compute_metrics(
    a: object,
    b: object,
    *,
    k: int = 10,
    metrics: str | Sequence[str] = "all",
    rbf_sigma: float = 1.0,
    svcca_dim: int = 10,
    clamp_quantile: float | None = None,
    normalize: bool = True,
    bootstrap: int = 0,
    permutations: int = 0,
    seed: int = 0,
    progress: Progress | None = None,
    rbf_max_n: int = RBF_MAX_N,
    device: str = "cpu",
    graphs: PairGraphs | None = None,
) -> dict[str, Any]:
    """All requested metrics of the paired rows of ``a`` and ``b`` (the CLI's JSON object).

    Keys: ``n``, ``k``, ``normalized``, one float per metric (NaN when undefined, with a
    note), ``seed``, ``notes``; ``ci`` with ``bootstrap > 0``; ``null`` with
    ``permutations > 0``. ``device`` "cuda"/"auto" runs the kNN search as an ONNX graph on a CUDA GPU
    (engine/metrics/knn_onnx.py); a note then says what ran ("k-NN graphs computed by …").
    ``graphs``: the kNN graphs of the *prepared* rows (same ``normalize`` and
    ``clamp_quantile``) at any k' ≥ ``k``, already computed (:func:`engine.metrics.knn.pair_graphs`):
    their top-``k`` prefixes are used and no neighbour search runs.
    """
    names = resolve_metrics(metrics)
    if not rbf_sigma > 0:
        raise InputError(f"rbf sigma must be positive, got {rbf_sigma}")
    if bootstrap < 0 or permutations < 0:
        raise InputError("bootstrap and permutations must be ≥ 0")
    aa, bb = prepare_pair(a, b, normalize=normalize, clamp_quantile=clamp_quantile)
    n = aa.shape[0]
    if any(m in KNN_METRICS for m in names):
        check_k(n, k, f"{', '.join(m for m in names if m in KNN_METRICS)}")
    for m in names:
        if m in UNBIASED:
            check_unbiased_n(n, m)
    notes: list[str] = []
    out: dict[str, Any] = {"n": n, "k": k, "normalized": bool(normalize)}
    values: dict[str, float] = {}

    ia = ib = sa = sb = None
    if any(m in KNN_METRICS for m in names):
        if graphs is not None:
            ia, sa, ib, sb = _given_graphs(graphs, n, k)
        else:
            ia, sa, provider = _graph(aa, k, device, progress, "nearest neighbours in A")
            ib, sb, _ = _graph(bb, k, device, progress, "nearest neighbours in B")
            if device != "cpu":
                notes.append(f"k-NN graphs computed by {provider}")
        if "mutual_knn" in names:
            values["mutual_knn"] = float(overlap_counts(ia, ib).mean() / k)
        if "cycle_knn" in names:
            values["cycle_knn"] = float(cycle_hits(ia, ib).mean())
        if "lcs_knn" in names:
            values["lcs_knn"] = float(lcs_lengths(ia, ib).mean())
        if "cknna" in names:
            values["cknna"] = cknna_from_graphs(ia, sa, ib, sb)

    eps = dtype_eps(aa, bb)
    if any(m in ("cka_linear", "unbiased_cka_linear", "svcca") for m in names):
        if "svcca" in names:
            for label, x in (("A", aa), ("B", bb)):
                zero = zero_variance_columns(x)
                if len(zero):
                    shown = ", ".join(str(int(c)) for c in zero[:10])
                    notes.append(
                        f"svcca: {label} has {len(zero)} zero-variance column(s) ({shown}"
                        f"{'…' if len(zero) > 10 else ''}); centre-only SVCCA ignores them "
                        "(they carry no variance), unlike std-scaled SVCCA which divides by 0"
                    )
        stats = gram_stats(aa, bb, progress=progress)
        values.update(linear_values(stats, names, svcca_dim, eps, notes))

    if any(m in ("cka_rbf", "unbiased_cka_rbf") for m in names):
        ra, rb = aa, bb
        if n > rbf_max_n:
            pick = np.sort(np.random.default_rng(seed).choice(n, rbf_max_n, replace=False))
            ra, rb = aa[pick], bb[pick]
            notes.append(
                f"RBF CKA computed on a random subsample of {rbf_max_n} of {n} pairs "
                f"(seed {seed}): exact RBF kernels cost O(n²·d)"
            )
        sums = rbf_sums(ra, rb, rbf_sigma, progress=progress)
        if "cka_rbf" in names:
            values["cka_rbf"] = sums.cka()
        if "unbiased_cka_rbf" in names:
            values["unbiased_cka_rbf"] = sums.unbiased_cka()

    for m in names:
        if not np.isfinite(values[m]):
            notes.append(
                f"{m} is undefined here (a self-similarity term is ≤ 0, e.g. too few or "
                "degenerate samples); reported as NaN"
            )
        out[m] = values[m]
    out["seed"] = seed
    if bootstrap > 0 or permutations > 0:
        inp = uncertainty.Inputs(aa, bb, names, k, rbf_sigma, svcca_dim, eps, ia, sa, ib, sb)
        ci, null, unotes = uncertainty.run(
            inp, values, bootstrap=bootstrap, permutations=permutations, seed=seed,
            progress=progress,
        )
        if bootstrap > 0:
            out["ci"] = ci
        if permutations > 0:
            out["null"] = null
        notes.extend(unotes)
    out["notes"] = notes
    report(progress, 1, 1, "metrics done")
    return out


def _prepared_one(x: object, name: str, normalize: bool) -> FloatArray:
    arr = check_matrix(x, name)
    return l2_normalize(arr, name) if normalize else arr


def per_sample_overlap(a: object, b: object, k: int = 10, normalize: bool = True) -> npt.NDArray[np.float64]:
    """[n] each sample's neighbour overlap |N_A(i) ∩ N_B(i)| / k (mean = mutual_knn)."""
    aa, bb = prepare_pair(a, b, normalize=normalize)
    check_k(aa.shape[0], k)
    return overlap_from_graphs(knn_graph(aa, k)[0], knn_graph(bb, k)[0])


def knn_curve(
    a: object, b: object, ks: Iterable[int] = range(1, 101), normalize: bool = True
) -> dict[str, list[Any]]:
    """{"k": [...], "mutual_knn": [...], "chance": [k/(n−1) ...]} from one kNN pass at max(ks)."""
    aa, bb = prepare_pair(a, b, normalize=normalize)
    kk = [int(v) for v in ks]
    if not kk:
        raise InputError("knn_curve: no k values given")
    if min(kk) < 1:
        raise InputError(f"knn_curve: k values must be ≥ 1, got {min(kk)}")
    kmax = max(kk)
    check_k(aa.shape[0], kmax, "the kNN curve")
    return curve_from_graphs(knn_graph(aa, kmax)[0], knn_graph(bb, kmax)[0], kk)
