"""Linear probes: how well a plain linear classifier reads the label from an embedding space.

Stratified k-fold accuracy and macro-F1 with 95 % bootstrap intervals over the pooled
out-of-fold predictions (scikit-learn logistic regression on standardised features).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError

if TYPE_CHECKING:
    from engine.study.result import ProbeResult


def macro_f1(y: NDArray[np.int64], pred: NDArray[np.int64], n_classes: int) -> float:
    """Macro-averaged F1 over the classes present in y or pred (as scikit-learn's default)."""
    cm = np.bincount(y * n_classes + pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    present = (support + predicted) > 0
    denom = support + predicted
    f1 = np.where(denom > 0, 2.0 * tp / np.maximum(denom, 1), 0.0)
    return float(f1[present].mean()) if present.any() else 0.0


def _bootstrap_ci(y: NDArray[np.int64], pred: NDArray[np.int64], n_classes: int, n_boot: int,
                  seed: int) -> tuple[list[float], list[float]]:
    if n_boot < 1:  # no resampling asked for: no interval
        return [float("nan")] * 2, [float("nan")] * 2
    rng = np.random.default_rng(seed)
    n = y.size
    accs = np.empty(n_boot)
    f1s = np.empty(n_boot)
    for b in range(n_boot):
        idx = rng.integers(0, n, size=n)
        accs[b] = np.mean(y[idx] == pred[idx])
        f1s[b] = macro_f1(y[idx], pred[idx], n_classes)
    pct = [2.5, 97.5]
    return ([float(v) for v in np.percentile(accs, pct)], [float(v) for v in np.percentile(f1s, pct)])


def reduce_features(x: NDArray[Any], max_dim: int = 128, rows: NDArray[np.int64] | None = None,
                    fit_cap: int | None = None) -> NDArray[np.float64]:
    """L2-normalise rows, centre, and project on the top ``max_dim`` principal axes
    (of ``x[rows]``, all rows when None; the axes from at most ``fit_cap`` of them when given;
    by blocks of rows: engine.study.reduce).

    Label-free, so fitting it once on all rows leaks nothing about the label into the
    probe's test folds; it makes a 1,280-d image space cheap to probe on two cores.
    """
    from engine.study.reduce import pca_reduce

    return pca_reduce(x, max_dim, rows, fit_cap)


@dataclass(frozen=True)
class OutOfFold:
    """Out-of-fold predictions of a linear probe: every row predicted by a model that never saw it,
    the probabilities calibrated by one temperature (:func:`calibrate_temperature`).

    One computation shared by the probe scores, the PID discretisation and the per-pair
    mismatch score (p(class | image) and p(class | report)).
    """

    classes: tuple[str, ...]      # class names; column c of ``proba`` is classes[c]
    y: NDArray[np.int64]          # [n] true class index of each row
    proba: NDArray[np.float64]    # [n, C] out-of-fold predicted probabilities (rows sum to 1)
    folds: int
    notes: tuple[str, ...] = ()

    @property
    def pred(self) -> NDArray[np.int64]:
        """[n] predicted class index (argmax of ``proba``; ties to the lower index)."""
        out: NDArray[np.int64] = np.argmax(self.proba, axis=1).astype(np.int64)
        return out

    def label_entropy_bits(self) -> float:
        """Plug-in entropy H(Y) of the labels, in bits."""
        p = np.bincount(self.y, minlength=len(self.classes)) / max(self.y.size, 1)
        p = p[p > 0]
        return float(-(p * np.log2(p)).sum())

    def cross_entropy_bits(self) -> float:
        """Mean out-of-fold cross-entropy −log₂ p̂(yᵢ | xᵢ), in bits (probabilities floored at 1e-12)."""
        p = self.proba[np.arange(self.y.size), self.y]
        return float(-np.mean(np.log2(np.maximum(p, 1e-12))))

    def information_lower_bound_bits(self) -> float:
        """H(Y) − cross-entropy: a (variational) lower bound on I(X; Y) achieved by the probe, ≥ 0."""
        return max(0.0, self.label_entropy_bits() - self.cross_entropy_bits())


def out_of_fold_probe(x: NDArray[Any], labels: NDArray[Any] | list[str], *, folds: int = 5,
                      seed: int = 0, max_dim: int = 128) -> OutOfFold:
    """Stratified k-fold logistic-regression probe; returns the out-of-fold probabilities.

    Features go through :func:`reduce_features` (PCA to ``max_dim``, label-free) and are
    standardised inside each fold. Raises InputError for fewer than two classes or a class
    with a single sample.
    """
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        return _out_of_fold(x, labels, folds, seed, max_dim)


def _out_of_fold(x: NDArray[Any], labels: NDArray[Any] | list[str], folds: int, seed: int,
                 max_dim: int) -> OutOfFold:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    arr = reduce_features(x, max_dim)
    names, y = np.unique(np.asarray(labels).astype(str), return_inverse=True)
    if names.size < 2:
        raise InputError(f"probe: the label has a single value ({names[0] if names.size else '-'}); "
                         "a probe needs at least two classes")
    counts = np.bincount(y)
    n_splits = int(min(folds, counts.min()))
    notes: list[str] = []
    if n_splits < 2:
        rare = [str(names[i]) for i in np.flatnonzero(counts < 2)]
        raise InputError(f"probe: classes with fewer than 2 samples cannot be cross-validated: {rare}")
    if n_splits < folds:
        notes.append(f"{n_splits}-fold instead of {folds}: the rarest class has {counts.min()} samples")
    proba = np.zeros((y.size, names.size), dtype=np.float64)
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train, test in skf.split(arr, y):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=200, C=1.0, tol=1e-3))
        model.fit(arr[train], y[train])
        cols = np.asarray(model.classes_, dtype=np.int64)
        proba[np.ix_(test, cols)] = model.predict_proba(arr[test])
    proba, temperature = calibrate_temperature(proba, y)
    if temperature > 1.5:
        notes.append(f"probe probabilities were over-confident: softened with temperature {temperature:.2f}")
    return OutOfFold(classes=tuple(str(v) for v in names), y=y.astype(np.int64), proba=proba,
                     folds=n_splits, notes=tuple(notes))


def calibrate_temperature(proba: NDArray[np.float64], y: NDArray[np.int64]
                          ) -> tuple[NDArray[np.float64], float]:
    """Out-of-fold probabilities rescaled by the one temperature T that minimises their
    cross-entropy (p ∝ p^(1/T)); the predicted class never changes.

    A logistic probe on a few hundred samples in 128 dimensions is over-confident: a handful of
    confident mistakes (p(true class) ≈ 1e-8) dominate the cross-entropy and the information
    bound H(Y) − CE collapses, and 1 − Σ p_img·p_txt reads every disagreement as certain. One
    parameter fitted on n predictions adds no noticeable optimism.
    """
    from scipy.optimize import minimize_scalar

    logp = np.log(np.maximum(proba, 1e-300))
    rows = np.arange(y.size)

    def scaled(t: float) -> NDArray[np.float64]:
        z = logp / t
        z -= z.max(axis=1, keepdims=True)
        q = np.exp(z)
        out: NDArray[np.float64] = q / q.sum(axis=1, keepdims=True)
        return out

    def ce(t: float) -> float:
        return float(-np.mean(np.log(np.maximum(scaled(t)[rows, y], 1e-300))))

    best = minimize_scalar(ce, bounds=(0.05, 100.0), method="bounded", options={"xatol": 1e-3})
    t = float(best.x) if best.success and ce(float(best.x)) < ce(1.0) else 1.0
    return scaled(t), t


def linear_probe(x: NDArray[Any], labels: NDArray[Any] | list[str], *, folds: int = 5, seed: int = 0,
                 n_boot: int = 200, max_dim: int = 128, model: str = "", modality: str = "") -> ProbeResult:
    """Out-of-fold accuracy / macro-F1 of a logistic-regression probe, with intervals.

    Built on :func:`out_of_fold_probe`; intervals are bootstrap percentiles over the pooled
    out-of-fold predictions.
    """
    return probe_scores(out_of_fold_probe(x, labels, folds=folds, seed=seed, max_dim=max_dim),
                        n_boot=n_boot, seed=seed, model=model, modality=modality)


def probe_scores(oof: OutOfFold, *, n_boot: int = 200, seed: int = 0, model: str = "",
                 modality: str = "") -> ProbeResult:
    """Accuracy, macro-F1 (with bootstrap intervals, within 0–1) and information bound of
    out-of-fold predictions, as the study's typed :class:`~engine.study.result.ProbeResult`."""
    from engine.study.result import ProbeResult

    y, pred, c = oof.y, oof.pred, len(oof.classes)
    acc_ci, f1_ci = _bootstrap_ci(y, pred, c, n_boot, seed)

    def interval(v: list[float]) -> tuple[float, float]:
        return (float(np.clip(v[0], 0.0, 1.0)), float(np.clip(v[1], 0.0, 1.0)))

    return ProbeResult(model=model, modality=modality, accuracy=float(np.mean(pred == y)),
                       accuracy_ci=interval(acc_ci), macro_f1=macro_f1(y, pred, c), macro_f1_ci=interval(f1_ci),
                       info_bits=oof.information_lower_bound_bits(), folds=oof.folds, n=int(y.size),
                       n_classes=c, notes=oof.notes)


def chance_accuracy(labels: NDArray[Any] | list[str]) -> float:
    """Accuracy of always predicting the majority class."""
    _, counts = np.unique(np.asarray(labels).astype(str), return_counts=True)
    return float(counts.max() / counts.sum())
