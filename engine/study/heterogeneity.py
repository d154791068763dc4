"""Computable heterogeneity scores between two paired representation spaces A and B.

The paper sets heterogeneity by construction (D_phi random Tanh+Linear layers on one
modality's input). On real data it has to be measured from the embeddings. What each score
measures, and what it mixes (validated on trained synthetic encoders at U = 0..8, see
``engine.synth.validate_heterogeneity`` and docs/study.md):

- ``linear_deficit`` — 1 - R²_ridge (both directions averaged): the share of each space that
  the other cannot reproduce linearly. Label-free. Mixes heterogeneity with uniqueness:
  on trained encoders it is driven mainly by how much label information one modality holds
  that the other lacks.
- ``transfer`` (needs a label) — HighMMT-style: information about the label, in bits per
  sample, lost when a label probe trained on one space is applied to the other through the
  best linear map, compared with that space's own probe: mean(log2 p_own(y|b) - log2
  p_src(y|M b)), averaged over both directions, >= 0 in expectation. Mixes the same two
  things: :func:`transfer_decomposition` splits it into the part explained by label
  information one space lacks (uniqueness, or a weaker encoder) and the rest.
- ``nonlinear_gap`` — how much better an RBF kernel ridge regressor predicts one space from
  the other than the best linear (ridge) map does, as a share of what the kernel model
  explains: 1 - R²_ridge / R²_kernel, averaged over both directions (clipped to [0, 1]).
  Conditioned on what is shared by construction (a ratio of two predictabilities), so it
  does not grow with uniqueness; it sees only heterogeneity that is nonlinear at the scale
  of the RBF kernel, and the paper's transform is not (see docs/study.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.typed_json import JSONObject

EXPLANATIONS: dict[str, str] = {
    "nonlinear_gap": (
        "Share of the cross-modal predictability that only a nonlinear (RBF kernel) model "
        "finds (0 = whatever the two spaces share, they share linearly; 1 = only nonlinearly). "
        "High values mean a simple linear alignment layer will leave shared structure unused. "
        "It does not grow with information unique to one modality."
    ),
    "linear_deficit": (
        "Share of each embedding space that the other cannot reproduce with a linear map "
        "(0 = perfectly linear relation, 1 = nothing linear in common). It mixes heterogeneity "
        "with information unique to each modality, and on trained encoders mostly measures the "
        "latter."
    ),
    "transfer": (
        "Bits of label information per sample lost when a defect classifier trained on one "
        "modality is applied to the other through the best linear map. Near 0 = a model "
        "trained on images transfers to reports (and back). Large values mix two causes: label "
        "information one modality lacks (uniqueness, or a weaker encoder) and a different "
        "encoding of the same information."
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


def kernel_ridge_predict(x_train: NDArray[np.float64], y_train: NDArray[np.float64],
                         x_test: NDArray[np.float64], alpha: float, gamma: float) -> NDArray[np.float64]:
    """RBF kernel ridge regression (scikit-learn's KernelRidge, same kernel and solution):
    dual coefficients (K + αI)⁻¹ y, prediction K(test, train) · coefficients.

    Solved with numpy, which releases the GIL: scikit-learn solves with scipy.linalg, which
    holds it (measured: a GUI thread blocked 0.45 s per fit at 2,100 rows)."""
    from sklearn.metrics.pairwise import rbf_kernel

    k = rbf_kernel(x_train, gamma=gamma)
    k.flat[:: k.shape[0] + 1] += alpha
    try:
        factor = np.linalg.cholesky(k)
        dual = np.linalg.solve(factor.T, np.linalg.solve(factor, y_train))
    except np.linalg.LinAlgError:  # not positive definite in floating point: least squares
        dual = np.linalg.lstsq(k, y_train, rcond=None)[0]
    out: NDArray[np.float64] = rbf_kernel(x_test, x_train, gamma=gamma) @ dual
    return out


def _cross_r2(src: NDArray[np.float64], dst: NDArray[np.float64], train: NDArray[np.int64],
              test: NDArray[np.int64]) -> tuple[float, float]:
    from sklearn.linear_model import Ridge

    ridge = Ridge(alpha=1.0).fit(src[train], dst[train])
    r2_lin = _r2(dst[test], ridge.predict(src[test]))
    pred = kernel_ridge_predict(src[train], dst[train], src[test], 1.0, 1.0 / (2.0 * src.shape[1]))
    r2_nonlin = _r2(dst[test], pred)
    return r2_lin, r2_nonlin


def _reduce(x: NDArray[np.float64], max_dim: int) -> NDArray[np.float64]:
    """PCA to at most max_dim dimensions (kernel ridge in 1,000+ dims is slow and noisy)."""
    if x.shape[1] <= max_dim:
        return x
    xc = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(xc, full_matrices=False)
    out: NDArray[np.float64] = xc @ vt[:max_dim].T
    return _standardise(out)


def cross_predictability(a: NDArray[Any], b: NDArray[Any], *, seed: int = 0,
                         max_dim: int = 32) -> dict[str, float]:
    """Linear (ridge) and nonlinear (RBF kernel ridge) R² of each space from the other, held-out 30 %."""
    sa = _reduce(_standardise(a), max_dim)
    sb = _reduce(_standardise(b), max_dim)
    train, test = _split(sa.shape[0], seed)
    lin_ab, kernel_ab = _cross_r2(sa, sb, train, test)
    lin_ba, kernel_ba = _cross_r2(sb, sa, train, test)
    return {"ridge_r2_a_to_b": lin_ab, "kernel_r2_a_to_b": kernel_ab,
            "ridge_r2_b_to_a": lin_ba, "kernel_r2_b_to_a": kernel_ba}


def _gap(lin: float, kernel: float) -> float:
    if kernel <= 1e-9:
        return 0.0
    return float(np.clip(1.0 - max(lin, 0.0) / kernel, 0.0, 1.0))


def _logp(model: Any, x: NDArray[np.float64], yy: NDArray[Any]) -> NDArray[np.float64]:
    proba = np.clip(model.predict_proba(x), 1e-12, 1.0)
    col = np.searchsorted(model.classes_, yy)
    out: NDArray[np.float64] = np.log2(proba[np.arange(len(yy)), col])
    return out


def _transfer_parts(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any], seed: int, max_dim: int,
                    joint: bool) -> dict[str, float] | None:
    """Held-out log-likelihoods (bits per sample) of the own, moved and (optionally) joint probes."""
    from sklearn.linear_model import LogisticRegression, Ridge

    labels = np.unique(np.asarray(y), return_inverse=True)[1]
    if np.unique(labels).size < 2:
        return None
    sa = _reduce(_standardise(a), max_dim)
    sb = _reduce(_standardise(b), max_dim)
    train, test = _split(sa.shape[0], seed)
    test = test[np.isin(labels[test], np.unique(labels[train]))]
    ytr, yte = labels[train], labels[test]
    probes = {"a": LogisticRegression(max_iter=500).fit(sa[train], ytr),
              "b": LogisticRegression(max_iter=500).fit(sb[train], ytr)}
    prior = np.bincount(ytr, minlength=int(labels.max()) + 1) / ytr.size
    out = {"null": float(np.mean(np.log2(np.maximum(prior[yte], 1e-12))))}
    for src, dst, xs, xd in (("a", "b", sa, sb), ("b", "a", sb, sa)):
        bridge = Ridge(alpha=1.0).fit(xd[train], xs[train])  # dst -> src space
        out[f"own_{dst}"] = float(np.mean(_logp(probes[dst], xd[test], yte)))
        out[f"moved_{dst}"] = float(np.mean(_logp(probes[src], bridge.predict(xd[test]), yte)))
    if joint:
        both = np.hstack([sa, sb])
        fused = LogisticRegression(max_iter=500).fit(both[train], ytr)
        out["joint"] = float(np.mean(_logp(fused, both[test], yte)))
    return out


def transfer_score(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any], *, seed: int = 0,
                   max_dim: int = 32) -> float:
    """HighMMT-style transfer loss in bits per sample (see module docstring)."""
    parts = _transfer_parts(a, b, y, seed, max_dim, joint=False)
    if parts is None:
        return 0.0
    losses = [parts[f"own_{d}"] - parts[f"moved_{d}"] for d in ("a", "b")]
    return float(np.mean(losses))


@dataclass(frozen=True)
class TransferDecomposition:
    """``transfer`` split into what label-information differences explain and the rest (bits).

    A probe moved from A to B's points can at best recover the label information B shares
    with A; the rest of B's own information (estimated by probes: I(A,B) - I(A), the
    information B adds to A) is lost whatever the encoding. So

        transfer = explained_by_information + beyond_information,
        explained_by_information = mean over directions of (I(A,B) - I(source)),

    and ``beyond_information`` is the loss a different *encoding* of shared information
    causes (≈ 0 when the spaces differ only in what they know). Information in bits per
    sample: held-out log-likelihood of a linear probe minus that of the class prior.
    """

    transfer: float
    information_a: float
    information_b: float
    information_joint: float
    explained_by_information: float
    beyond_information: float


def transfer_decomposition(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any], *, seed: int = 0,
                           max_dim: int = 32) -> TransferDecomposition | None:
    """The decomposition above; None when y has a single class."""
    parts = _transfer_parts(a, b, y, seed, max_dim, joint=True)
    if parts is None:
        return None
    info = {k: parts[k] - parts["null"] for k in ("own_a", "own_b", "joint")}
    transfer = float(np.mean([parts[f"own_{d}"] - parts[f"moved_{d}"] for d in ("a", "b")]))
    # moving a probe from B to A's points loses at least what A knows and B does not
    explained = float(np.mean([info["joint"] - info["own_b"], info["joint"] - info["own_a"]]))
    return TransferDecomposition(transfer=transfer, information_a=info["own_a"],
                                 information_b=info["own_b"], information_joint=info["joint"],
                                 explained_by_information=explained,
                                 beyond_information=transfer - explained)


MAX_SAMPLES = 3000  # pairs the scores are computed on (a random subsample above this)


def subsample_rows(n: int, max_samples: int, seed: int) -> NDArray[np.int64]:
    """The rows the scores use when n > max_samples (sorted; seeded)."""
    out: NDArray[np.int64] = np.sort(np.random.default_rng(seed).choice(n, max_samples, replace=False))
    return out


def heterogeneity_scores(a: NDArray[Any], b: NDArray[Any], y: NDArray[Any] | None = None, *,
                         seed: int = 0, max_samples: int = MAX_SAMPLES) -> JSONObject:
    """All scores for paired spaces a [n, da], b [n, db]; ``transfer`` is None without labels."""
    a_arr = np.asarray(a)
    b_arr = np.asarray(b)
    y_arr = None if y is None else np.asarray(y)
    n = a_arr.shape[0]
    if n > max_samples:  # cost control: the scores are stable well below this
        idx = subsample_rows(n, max_samples, seed)
        a_arr, b_arr = a_arr[idx], b_arr[idx]
        y_arr = None if y_arr is None else y_arr[idx]
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        cp = cross_predictability(a_arr, b_arr, seed=seed)
        transfer = None if y_arr is None else transfer_score(a_arr, b_arr, y_arr, seed=seed)
    gap = 0.5 * (_gap(cp["ridge_r2_a_to_b"], cp["kernel_r2_a_to_b"])
                 + _gap(cp["ridge_r2_b_to_a"], cp["kernel_r2_b_to_a"]))
    deficit = 1.0 - 0.5 * (max(cp["ridge_r2_a_to_b"], 0.0) + max(cp["ridge_r2_b_to_a"], 0.0))
    return {
        "nonlinear_gap": gap,
        "linear_deficit": float(deficit),
        "transfer": transfer,
        "cross_predictability": cp,
        "explanation": dict(EXPLANATIONS),
    }
