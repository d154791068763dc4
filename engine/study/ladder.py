"""The ladder study: does alignment track performance across the encoder pairs in a store?

Correlates one alignment metric with a performance figure over (image model, text model)
pairs — Spearman and Pearson with 95 % bootstrap intervals over pairs — and says plainly
when there are too few pairs (or too little spread) for the correlation to mean anything.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MIN_PAIRS = 5  # below this a rank correlation over pairs is noise (4 pairs: ρ takes 11 values)


def _corr(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> tuple[float | None, float | None]:
    from scipy.stats import pearsonr, spearmanr

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
                                      seed: int = 0) -> dict[str, Any]:
    """The ``correlation`` object of the analysis JSON."""
    x = np.asarray(alignment, dtype=np.float64)
    y = np.asarray(performance, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    spearman, pearson = _corr(x, y)
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
        reason = (f"only {n} model pair{'s' if n != 1 else ''}: a correlation over fewer than "
                  f"{MIN_PAIRS} pairs cannot be told apart from chance; embed more encoders of "
                  "each ladder to answer whether alignment tracks performance")
    elif spearman is None:
        meaningful = False
        reason = "no spread: alignment or performance is the same for every pair"
    elif s_ci is not None and s_ci[0] <= 0.0 <= s_ci[1]:
        meaningful = True
        reason = (f"{n} pairs; the Spearman interval [{s_ci[0]:.2f}, {s_ci[1]:.2f}] includes 0, "
                  "so no reliable link between alignment and performance on this ladder")
    else:
        meaningful = True
        reason = f"{n} pairs; the interval excludes 0"
    return {"metric": metric, "n_pairs": n, "spearman": spearman, "spearman_ci": s_ci,
            "pearson": pearson, "pearson_ci": p_ci, "meaningful": meaningful, "reason": reason}
