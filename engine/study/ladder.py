"""The ladder study: does alignment track performance across the encoder pairs in a store?

Correlates one alignment metric with a performance figure over (image model, text model)
pairs — Spearman and Pearson with 95 % bootstrap intervals over pairs — and says plainly
when there are too few pairs (or too little spread) for the correlation to mean anything.
The same correlation over the (image layer, text layer) points of one model pair is
:func:`layerwise_performance_correlation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from engine.study.messages import msg

if TYPE_CHECKING:
    from engine.metrics.layerwise import LayerwiseAlignment
    from engine.study.result import Correlation

MIN_PAIRS = 5  # below this a rank correlation over pairs is noise (4 pairs: ρ takes 11 values)


def spearman_pearson(x: Any, y: Any) -> tuple[float | None, float | None]:
    """(Spearman ρ, Pearson r) of two paired samples; None when fewer than 3 or no spread."""
    from scipy.stats import pearsonr, spearmanr

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None, None
    s = float(spearmanr(x, y)[0])
    p = float(pearsonr(x, y)[0])
    return (s if np.isfinite(s) else None), (p if np.isfinite(p) else None)


def _rowwise_pearson(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Pearson r of each row pair; NaN where a row has no spread."""
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    den = np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (xc * yc).sum(axis=1) / den
    return np.where(den > 1e-15, r, np.nan)


def _rowwise_spearman(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Spearman ρ of each row pair (average ranks for ties)."""
    from scipy.stats import rankdata

    return _rowwise_pearson(rankdata(x, axis=1), rankdata(y, axis=1))


def alignment_performance_correlation(alignment: list[float], performance: list[float], *,
                                      metric: str = "mutual_knn", n_boot: int = 1000,
                                      seed: int = 0, unit: str = "model pair",
                                      over: str = "model pairs") -> Correlation:
    """Spearman and Pearson with bootstrap intervals (clipped to [−1, 1]) over the points, and
    whether they mean anything (``unit`` names a point in ``reason``, ``over`` the set)."""
    from engine.study.result import Correlation
    x = np.asarray(alignment, dtype=np.float64)
    y = np.asarray(performance, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    spearman, pearson = spearman_pearson(x, y)
    s_ci: list[float] | None = None
    p_ci: list[float] | None = None
    if n >= 4 and spearman is not None:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, n, size=(n_boot, n))
        ss, ps = _rowwise_spearman(x[idx], y[idx]), _rowwise_pearson(x[idx], y[idx])
        ok_rows = np.isfinite(ss) & np.isfinite(ps)
        if ok_rows.sum() >= n_boot // 2:
            s_ci = [float(np.percentile(ss[ok_rows], 2.5)), float(np.percentile(ss[ok_rows], 97.5))]
            p_ci = [float(np.percentile(ps[ok_rows], 2.5)), float(np.percentile(ps[ok_rows], 97.5))]
    if n < MIN_PAIRS:
        meaningful = False
        reason = msg("corr_too_few_one" if n == 1 else "corr_too_few", n=n, min_pairs=MIN_PAIRS, unit=unit,
                     units=f"{unit}s")
    elif spearman is None:
        meaningful = False
        reason = msg("corr_no_spread", unit=unit)
    elif s_ci is not None and s_ci[0] <= 0.0 <= s_ci[1]:
        meaningful = True
        reason = msg("corr_includes_zero", n=n, lo=s_ci[0], hi=s_ci[1], units=f"{unit}s")
    else:
        meaningful = True
        reason = msg("corr_excludes_zero", n=n, units=f"{unit}s")

    def interval(v: list[float] | None) -> tuple[float, float] | None:
        return None if v is None else (max(-1.0, float(v[0])), min(1.0, float(v[1])))

    return Correlation(metric=metric, over=over, n_points=n, spearman=spearman,
                       spearman_ci=interval(s_ci), pearson=pearson, pearson_ci=interval(p_ci),
                       meaningful=meaningful, reason=reason)


LayerPoints = Literal["all_pairs", "vary_image", "vary_text"]

CONVENTIONS: dict[str, str] = {
    "all_pairs": (
        "one point per (image layer, text layer) pair: alignment = the metric between the two "
        "layers, performance = the mean of the two layers' probe accuracies (as the ladder's "
        "mean of the two encoders' accuracies); Spearman ρ and Pearson r over all points"),
    "vary_image": (
        "the paper's convention, text model held fixed: one point per image layer, alignment = "
        "its maximum over the text model's layers, performance = that image layer's probe "
        "accuracy; the reference reports Pearson r, AlignScope Spearman ρ and Pearson r"),
    "vary_text": (
        "the paper's convention, image model held fixed: one point per text layer, alignment = "
        "its maximum over the image model's layers, performance = that text layer's probe "
        "accuracy; the reference reports Pearson r, AlignScope Spearman ρ and Pearson r"),
}


# what a point is, in the ``over`` field of the returned Correlation
OVER: dict[str, str] = {
    "all_pairs": "layer pairs",
    "vary_image": "image layers (text model held fixed)",
    "vary_text": "text layers (image model held fixed)",
}


def _layer_points(alignment: LayerwiseAlignment, image_accuracy: Mapping[str, float],
                  text_accuracy: Mapping[str, float], points: str) -> tuple[list[float], list[float]]:
    from engine.errors import InputError

    for side, names, acc in (("image", alignment.image_layers, image_accuracy),
                             ("text", alignment.text_layers, text_accuracy)):
        missing = [name for name in names if name not in acc]
        if missing and (points == "all_pairs" or points == f"vary_{side}"):
            raise InputError(f"no probe accuracy for {side} layer(s) {', '.join(missing)}; "
                             f"give one per layer of {', '.join(names)}")
    mat = np.asarray(alignment.matrix, dtype=np.float64)
    if points == "all_pairs":
        x = [float(mat[i, j]) for i in range(mat.shape[0]) for j in range(mat.shape[1])]
        y = [0.5 * (float(image_accuracy[a]) + float(text_accuracy[b]))
             for a in alignment.image_layers for b in alignment.text_layers]
    elif points == "vary_image":
        x = [float(v) for v in mat.max(axis=1)]
        y = [float(image_accuracy[a]) for a in alignment.image_layers]
    elif points == "vary_text":
        x = [float(v) for v in mat.max(axis=0)]
        y = [float(text_accuracy[b]) for b in alignment.text_layers]
    else:
        raise InputError(f"points must be one of {', '.join(CONVENTIONS)}, got {points!r}")
    return x, y


def layerwise_performance_correlation(alignment: LayerwiseAlignment,
                                      image_accuracy: Mapping[str, float],
                                      text_accuracy: Mapping[str, float], *,
                                      points: LayerPoints = "all_pairs", n_boot: int = 1000,
                                      seed: int = 0) -> Correlation:
    """Alignment vs performance over the layer points of one model pair.

    ``image_accuracy`` / ``text_accuracy``: probe accuracy of each layer, keyed by the layer
    names of ``alignment``. ``points`` chooses the convention (``CONVENTIONS``; ``over`` of
    the result names it). The statistics, intervals and the ``meaningful`` rule are those of
    :func:`alignment_performance_correlation`, over layer points instead of model pairs.
    """
    x, y = _layer_points(alignment, image_accuracy, text_accuracy, points)
    unit = "layer pair" if points == "all_pairs" else "layer"
    return alignment_performance_correlation(x, y, metric=alignment.metric, n_boot=n_boot,
                                             seed=seed, unit=unit, over=OVER[points])
