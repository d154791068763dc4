"""Computable heterogeneity scores between two paired representation spaces A and B.

The paper sets heterogeneity by construction (D_phi random Tanh+Linear layers). On real
data it has to be measured; these scores were designed for that and validated on the
synthetic generator (each rises with D_phi, see ``validate_on_generator`` and docs/study.md):

- ``nonlinear_gap`` — how much better a nonlinear (RBF kernel ridge) regressor predicts one
  space from the other than the best linear (ridge) map does, as a share of what the kernel
  model explains: 1 - R²_ridge / R²_kernel, averaged over both directions (clipped to [0, 1]). 0: whatever
  is shared is shared linearly; near 1: the shared part is only reachable nonlinearly.
- ``linear_deficit`` — 1 - R²_ridge (both directions averaged): the share of each space that the
  other cannot reproduce linearly (heterogeneity and uniqueness together, label-free).
- ``transfer`` (needs a label) — HighMMT-style: information about the label, in bits per
  sample, lost when a label probe trained on one space is applied to the other through the
  best linear map, compared with that space's own probe: mean(log2 p_own(y|b) - log2 p_src(y|M b)),
  averaged over both directions, >= 0 in expectation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

EXPLANATIONS: dict[str, str] = {
    "nonlinear_gap": (
        "Share of the cross-modal predictability that only a nonlinear model finds "
        "(0 = the two spaces relate linearly, 1 = only nonlinearly). High values mean a simple "
        "linear alignment layer will leave much of the shared structure unused."
    ),
    "linear_deficit": (
        "Share of each embedding space that the other cannot reproduce with a linear map "
        "(0 = perfectly linear relation, 1 = nothing linear in common). It mixes heterogeneity "
        "with information unique to each modality."
    ),
    "transfer": (
        "Bits of label information per sample lost when a defect classifier trained on one "
        "modality is applied to the other through the best linear map. Near 0 = a model "
        "trained on images transfers to reports (and back); large = the modalities encode the "
        "label differently."
    ),
}


def _standardise(x: NDArray[Any]) -> NDArray[np.float64]:
    arr = np.asarray(x, dtype=np.float64)
    sd = arr.std(axis=0)
    sd[sd < 1e-12] = 1.0
    out: NDArray[np.float64] = (arr - arr.mean(axis=0)) / sd
    return out


def _split(n: int, seed: int, test_frac: float = 0.3) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    n_test = max(round(n * test_frac), 1)
    return perm[n_test:], perm[:n_test]


def _r2(y_true: NDArray[np.float64], y_pred: NDArray[np.float64]) -> float:
    """Variance-weighted R² over all output columns."""
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    ss_tot = float(np.sum((y_true - y_true.mean(axis=0)) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0


def _cross_r2(src: NDArray[np.float64], dst: NDArray[np.float64], train: NDArray[np.int64],
              test: NDArray[np.int64], k: int) -> tuple[float, float]:
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.linear_model import Ridge

    del k  # kept for API stability; the nonlinear model is an RBF kernel ridge
    ridge = Ridge(alpha=1.0).fit(src[train], dst[train])
    r2_lin = _r2(dst[test], ridge.predict(src[test]))
    kernel = KernelRidge(alpha=1.0, kernel="rbf", gamma=1.0 / (2.0 * src.shape[1]))
    r2_nonlin = _r2(dst[test], kernel.fit(src[train], dst[train]).predict(src[test]))
    return r2_lin, r2_nonlin


def _reduce(x: NDArray[np.float64], max_dim: int) -> NDArray[np.float64]:
    """PCA to at most max_dim dimensions (kNN regression in 1,000+ dims is slow and noisy)."""
    if x.shape[1] <= max_dim:
        return x
    xc = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(xc, full_matrices=False)
    out: NDArray[np.float64] = xc @ vt[:max_dim].T
    return _standardise(out)


def cross_predictability(a: NDArray[Any], b: NDArray[Any], *, k: int = 10, seed: int = 0,
                         max_dim: int = 32) -> dict[str, float]:
    """Linear (ridge) and nonlinear (RBF kernel ridge) R² of each space from the other, held-out 30 %.

    Keys keep the historical ``knn_`` prefix for the nonlinear model.
    """
    sa = _reduce(_standardise(a), max_dim)
    sb = _reduce(_standardise(b), max_dim)
    train, test = _split(sa.shape[0], seed)
    lin_ab, knn_ab = _cross_r2(sa, sb, train, test, k)
    lin_ba, knn_ba = _cross_r2(sb, sa, train, test, k)
    return {"ridge_r2_a_to_b": lin_ab, "knn_r2_a_to_b": knn_ab,
            "ridge_r2_b_to_a": lin_ba, "knn_r2_b_to_a": knn_ba}


def _gap(lin: float, knn: float) -> float:
    if knn <= 1e-9:
        return 0.0
    return float(np.clip(1.0 - max(lin, 0.0) / knn, 0.0, 1.0))


def transfer_score(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any], *, seed: int = 0,
                   max_dim: int = 32) -> float:
    """HighMMT-style transfer loss in bits per sample (see module docstring)."""
    from sklearn.linear_model import LogisticRegression, Ridge

    labels = np.unique(np.asarray(y), return_inverse=True)[1]
    if np.unique(labels).size < 2:
        return 0.0
    sa = _reduce(_standardise(a), max_dim)
    sb = _reduce(_standardise(b), max_dim)
    train, test = _split(sa.shape[0], seed)
    classes = np.unique(labels[train])
    keep = np.isin(labels[test], classes)
    test = test[keep]

    def logp(model: Any, x: NDArray[np.float64], yy: NDArray[Any]) -> NDArray[np.float64]:
        proba = np.clip(model.predict_proba(x), 1e-12, 1.0)
        col = np.searchsorted(model.classes_, yy)
        out: NDArray[np.float64] = np.log2(proba[np.arange(len(yy)), col])
        return out

    losses = []
    for src, dst in ((sa, sb), (sb, sa)):
        probe_src = LogisticRegression(max_iter=500).fit(src[train], labels[train])
        probe_dst = LogisticRegression(max_iter=500).fit(dst[train], labels[train])
        bridge = Ridge(alpha=1.0).fit(dst[train], src[train])  # dst -> src space
        own = logp(probe_dst, dst[test], labels[test])
        moved = logp(probe_src, bridge.predict(dst[test]), labels[test])
        losses.append(float(np.mean(own - moved)))
    return float(np.mean(losses))


def heterogeneity_scores(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any] | None = None, *,
                         k: int = 10, seed: int = 0, max_samples: int = 3000) -> dict[str, Any]:
    """All scores for paired spaces a [n, da], b [n, db]; ``transfer`` is None without labels."""
    a_arr = np.asarray(a)
    b_arr = np.asarray(b)
    y_arr = None if y is None else np.asarray(y)
    n = a_arr.shape[0]
    if n > max_samples:  # cost control: the scores are stable well below this
        idx = np.sort(np.random.default_rng(seed).choice(n, max_samples, replace=False))
        a_arr, b_arr = a_arr[idx], b_arr[idx]
        y_arr = None if y_arr is None else y_arr[idx]
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        cp = cross_predictability(a_arr, b_arr, k=k, seed=seed)
        transfer = None if y_arr is None else transfer_score(a_arr, b_arr, y_arr, seed=seed)
    gap = 0.5 * (_gap(cp["ridge_r2_a_to_b"], cp["knn_r2_a_to_b"])
                 + _gap(cp["ridge_r2_b_to_a"], cp["knn_r2_b_to_a"]))
    deficit = 1.0 - 0.5 * (max(cp["ridge_r2_a_to_b"], 0.0) + max(cp["ridge_r2_b_to_a"], 0.0))
    return {
        "nonlinear_gap": gap,
        "linear_deficit": float(deficit),
        "transfer": transfer,
        "cross_predictability": cp,
        "explanation": dict(EXPLANATIONS),
    }


def validate_on_generator(d_values: tuple[int, ...] = tuple(range(9)), *, n: int = 1500, seed: int = 0,
                          label_seed: int = 6) -> dict[str, Any]:
    """Each score on the synthetic generator at U = 0 (r = 8) over D_phi, and its Spearman ρ with D_phi.

    A valid heterogeneity score rises with D_phi (ρ >= 0.9 is the acceptance bar).
    """
    from scipy.stats import spearmanr

    from engine.synth.generator import generate

    values: dict[str, list[float]] = {"nonlinear_gap": [], "linear_deficit": [], "transfer": []}
    for d in d_values:
        data = generate(n, 8, d, seed=seed, label_seed=label_seed)
        scores = heterogeneity_scores(data.x1, data.x2, data.y, seed=seed)
        for name in values:
            values[name].append(float(scores[name]))
    rho = {}
    for name, vals in values.items():
        r = float(spearmanr(list(d_values), vals)[0]) if np.ptp(vals) > 0 else float("nan")
        rho[name] = r if np.isfinite(r) else None
    return {"D_phi": list(d_values), "values": values, "spearman_vs_Dphi": rho, "n": n, "U": 0}
