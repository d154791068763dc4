"""SVCCA, centre-only and deterministic (Raghu et al. 2017, without the PRH std scaling).

Each space is column-centred; its top-d left singular vectors U_X span the subspace
kept. The canonical correlations between two such subspaces are the singular values
of U_Aᵀ U_B (cosines of the principal angles); SVCCA is their mean.
U = X̃ V Σ⁻¹ with V, Σ² from the exact symmetric eigendecomposition of X̃ᵀX̃, so
U_Aᵀ U_B = Σ_A⁻¹ V_Aᵀ (X̃ᵀỸ) V_B Σ_B⁻¹ comes straight from the centred Gram matrices
(O(n·d²), no n×n and no randomised SVD). Identical inputs and pure rotations give 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InputError
from engine.metrics.cka_linear import GramStats, gram_stats
from engine.metrics.validate import FloatArray, check_pair

F64 = npt.NDArray[np.float64]


def _one_blas_thread() -> AbstractContextManager[object]:
    """LAPACK's tridiagonal reduction of a d×d matrix runs ~50× slower with threaded
    OpenBLAS on a busy machine (measured: 18.7 s vs 0.33 s for d=1280); it is small work,
    so it runs on one thread. threadpoolctl comes with scikit-learn."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return nullcontext()
    limiter: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limiter


def _eig_top(cov: F64, d: int) -> tuple[F64, F64]:
    """The top ``d`` eigenpairs (descending) of a symmetric matrix (LAPACK syevd, exact).

    numpy's eigh, not scipy's: scipy.linalg holds the GIL for the whole decomposition (measured
    1.0 s of a GUI thread blocked for d = 1280 while the study ran in a worker), numpy's releases it."""
    with _one_blas_thread():
        vals, vecs = np.linalg.eigh(cov)
    return vals[::-1][:d], vecs[:, ::-1][:, :d]


def _rank(vals: F64, eps: float) -> int:
    """Directions of variance among ``vals`` (descending) above the noise floor."""
    top = float(vals[0])
    return int(np.sum(vals > max(top, 0.0) * eps * 10.0)) if top > 0 else 0


def _signed(vals: F64, vecs: F64, d: int) -> tuple[F64, F64]:
    vals, vecs = vals[:d], vecs[:, :d]
    # fix each eigenvector's sign deterministically (largest |component| positive)
    signs = np.sign(vecs[np.argmax(np.abs(vecs), axis=0), np.arange(d)])
    return np.sqrt(vals), vecs * signs


def top_directions(
    cov: F64, d: int, name: str, eps: float = float(np.finfo(np.float64).eps)
) -> tuple[F64, F64]:
    """(σ [d] descending, V [dim, d]) of the centred Gram matrix; InputError if rank < d."""
    dim = cov.shape[0]
    if d < 1:
        raise InputError(f"svcca dimension must be at least 1, got {d}")
    if d > dim:
        raise InputError(
            f"svcca_dim={d} exceeds the {dim} features of {name}; lower --svcca-dim"
        )
    vals, vecs = _eig_top(cov, d)
    rank_ok = _rank(vals, eps)
    if rank_ok < d:
        raise InputError(
            f"svcca needs {d} directions of variance in {name} but its centred features "
            f"span only {rank_ok} (zero-variance or linearly dependent columns, or too few "
            f"samples); lower --svcca-dim to at most {rank_ok}"
        )
    return _signed(vals, vecs, d)


def _svcca_value(sa: F64, va: F64, sb: F64, vb: F64, cab: F64) -> float:
    m = (va.T @ cab @ vb) / np.outer(sa, sb)
    corr = np.clip(np.linalg.svd(m, compute_uv=False), 0.0, 1.0)
    return float(corr.mean())


def svcca_from_stats(stats: GramStats, d: int = 10, eps: float | None = None) -> float:
    caa, cbb, cab = stats.centred()
    e = float(np.finfo(np.float64).eps) if eps is None else eps
    sa, va = top_directions(caa, d, "A", e)
    sb, vb = top_directions(cbb, d, "B", e)
    return _svcca_value(sa, va, sb, vb, cab)


def svcca_clipped(stats: GramStats, d: int, eps: float) -> tuple[float, int, int, int]:
    """SVCCA on at most ``d`` directions, fewer when a space spans fewer (e.g. reports
    drawn from a short pick-list span only as many directions as distinct texts − 1).
    Returns (value, directions used, rank of A, rank of B); NaN when a space has none."""
    if d < 1:
        raise InputError(f"svcca dimension must be at least 1, got {d}")
    caa, cbb, cab = stats.centred()
    vals_a, vecs_a = _eig_top(caa, min(d, caa.shape[0]))
    vals_b, vecs_b = _eig_top(cbb, min(d, cbb.shape[0]))
    rank_a, rank_b = _rank(vals_a, eps), _rank(vals_b, eps)
    used = min(d, rank_a, rank_b)
    if used == 0:
        return float("nan"), 0, rank_a, rank_b
    sa, va = _signed(vals_a, vecs_a, used)
    sb, vb = _signed(vals_b, vecs_b, used)
    return _svcca_value(sa, va, sb, vb, cab), used, rank_a, rank_b


def dtype_eps(*arrays: Any) -> float:
    """Relative eigenvalue noise floor for the products' dtype (float32 products are noisier)."""
    dt = np.result_type(*[x.dtype for x in arrays], np.float32)
    return float(np.finfo(dt).eps)


def svcca(a: FloatArray, b: FloatArray, d: int = 10) -> float:
    """Mean canonical correlation of the top-d centred subspaces (arrays used as given)."""
    a, b = check_pair(a, b)
    return svcca_from_stats(gram_stats(a, b), d, dtype_eps(a, b))


def zero_variance_columns(x: FloatArray) -> npt.NDArray[np.intp]:
    """Indices of columns whose values are all equal."""
    return np.flatnonzero(np.ptp(x, axis=0) == 0)


def linear_values(st: GramStats, names: Sequence[str], d: int, eps: float,
                  notes: list[str] | None = None) -> dict[str, float]:
    """The feature-space metrics among ``names`` (linear CKA, unbiased linear CKA, SVCCA),
    all read off one set of Gram statistics. SVCCA uses at most ``d`` directions, fewer when
    the data span fewer (said in ``notes`` when given)."""
    out: dict[str, float] = {}
    if "cka_linear" in names:
        out["cka_linear"] = st.cka()
    if "unbiased_cka_linear" in names:
        out["unbiased_cka_linear"] = st.unbiased_cka()
    if "svcca" in names:
        value, used, rank_a, rank_b = svcca_clipped(st, d, eps)
        out["svcca"] = value
        if notes is not None and used < d:
            spans = f"A spans {rank_a} and B {rank_b} directions of variance"
            notes.append(
                f"svcca: computed on {used} directions instead of {d}: {spans} (e.g. reports "
                "drawn from a short pick-list, or fewer samples than directions); bootstrap "
                "resamples are limited the same way" if used else
                f"svcca: undefined: {spans} (a space without any variance)")
    return out
