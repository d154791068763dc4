"""The three results of the synthetic calibration, from the sweep's rows.

Alignment of a (U, D_phi) cell follows the reference: the maximum over layer pairs (each
row), then over the transformed encoder's depth, then over seeds, with the untransformed
encoder at the headline depth (1, as the reference's figures).

1. ρ(alignment, U) for every D_phi (the paper: strongly negative);
2. ρ(alignment, D_phi) for every U (the paper: negative, weaker at mid U);
3. ρ(alignment, performance) for every (U, D_phi): one point per (transformed encoder depth,
   seed), alignment against that encoder's test accuracy (the reference: Pearson r over the
   depths with seeds pooled, untransformed encoder of depth 1); its median over D_phi per U
   (the paper: ≈ 0.68 at U = 0–1 falling to ≈ 0 at U = 7).
Spearman and Pearson both; the paper's figures fit Pearson r (``linregress``).
"""

from __future__ import annotations

import numpy as np

from engine.study.ladder import spearman_pearson
from engine.synth.config import SynthConfig
from engine.synth.rows import SweepRow
from engine.typed_json import JSONObject

# The paper's figures (Tjandrasuwita et al. 2025), for the side-by-side tables.
PAPER_RHO_VS_U: dict[str, dict[str, float]] = {
    "unbiased_cka_linear": {"1": -0.95, "3": -0.83, "5": -0.98, "7": -0.98, "9": -1.0},
    "mutual_knn": {"1": -0.95, "3": -0.95, "5": -0.98, "7": -0.98, "9": -1.0},
}
PAPER_RHO_VS_DPHI: dict[str, dict[str, float]] = {
    "unbiased_cka_linear": {"0": -0.92, "2": -0.71, "4": -0.44, "6": -0.77},
    "mutual_knn": {"0": -0.94, "2": -0.65, "4": -0.31, "6": -0.59},
}
PAPER_ALIGNMENT_PERFORMANCE = {"0": 0.68, "1": 0.68, "7": 0.0}  # median ρ, read off the figure
ALIGNMENT_PERFORMANCE_METRIC = "mutual_knn"
FLOOR_GAP = 0.3  # median ρ at U ≤ 1 must exceed the median at U ≥ 7 by this


def best_alignment(rows: list[SweepRow], metric: str, fixed_depth: int) -> dict[tuple[int, int], float]:
    """(U, D_phi) → max over depth and seeds of the row metric (rows: max over layer pairs)."""
    best: dict[tuple[int, int], float] = {}
    for row in rows:
        val = row.alignment(metric)
        if row.fixed_depth != fixed_depth or not np.isfinite(val):
            continue
        key = (row.U, row.D_phi)
        best[key] = max(best.get(key, -np.inf), val)
    return best


def _trend(best: dict[tuple[int, int], float], outer: list[int], inner: list[int],
           by_u: bool) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Spearman and Pearson of alignment over ``inner`` for every value of ``outer``."""
    spear: dict[str, float | None] = {}
    pear: dict[str, float | None] = {}
    for o in outer:
        xs, ys = [], []
        for i in inner:
            key = (i, o) if by_u else (o, i)
            if key in best:
                xs.append(float(i))
                ys.append(best[key])
        spear[str(o)], pear[str(o)] = spearman_pearson(xs, ys)
    return spear, pear


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None


def alignment_performance(rows: list[SweepRow], config: SynthConfig,
                          metric: str = ALIGNMENT_PERFORMANCE_METRIC) -> JSONObject:
    """Median over D_phi of ρ(alignment, transformed encoder accuracy) per U (result 3)."""
    f = config.headline_fixed_depth
    points: dict[tuple[int, int], tuple[list[float], list[float]]] = {}
    for row in rows:
        if row.fixed_depth != f or not np.isfinite(row.alignment(metric)):
            continue
        xs, ys = points.setdefault((row.U, row.D_phi), ([], []))
        xs.append(row.alignment(metric))
        ys.append(row.accuracy_transformed)
    by_u: dict[str, dict[str, float | int | None]] = {}
    per_u: dict[int, list[float]] = {}
    for u in config.u_values:
        spear, pear = [], []
        for d in config.dphi_values:
            if (u, d) in points:
                s, p = spearman_pearson(*points[(u, d)])
                if s is not None and p is not None:
                    spear.append(s)
                    pear.append(p)
        per_u[u] = spear
        by_u[str(u)] = {"median_spearman": _median(spear), "median_pearson": _median(pear),
                        "n": len(spear)}
    low = [v for u, vals in per_u.items() if u <= 1 for v in vals]
    high = [v for u, vals in per_u.items() if u >= 7 for v in vals]
    low_m, high_m = _median(low), _median(high)
    gap = None if low_m is None or high_m is None else low_m - high_m
    return {
        "metric": metric,
        "by_uniqueness": by_u,
        "median_spearman_U_le_1": low_m,
        "median_spearman_U_ge_7": high_m,
        "gap": gap,
        "convention": (f"for every (U, D_phi): one point per transformed-encoder depth and seed "
                       f"(x1 encoder of depth {f}), alignment = max over layer pairs, performance = "
                       "the transformed encoder's test accuracy; ρ over those points; median over "
                       "D_phi; n = number of D_phi values with a defined ρ"),
        "paper": {"median_correlation": PAPER_ALIGNMENT_PERFORMANCE, "statistic": "Pearson r"},
    }


def _targets(vs_u: dict[str, dict[str, float | None]], vs_d: dict[str, dict[str, float | None]],
             align_perf: JSONObject) -> dict[str, bool]:
    def at_most(v: float | None, bound: float) -> bool:
        return v is not None and v <= bound

    gap = align_perf.get("gap")
    return {
        "rho_vs_U_at_Dphi_1_3_5_le_-0.8": all(
            at_most(vs_u[m].get(str(d)), -0.8) for m in vs_u for d in (1, 3, 5) if str(d) in vs_u[m]),
        "rho_vs_Dphi_at_U0_negative": all(at_most(vs_d[m].get("0"), -1e-12) for m in vs_d
                                          if "0" in vs_d[m]),
        "alignment_performance_U_le_1_exceeds_U_ge_7_by_0.3": gap is not None and gap >= FLOOR_GAP,
    }


def summarise(rows: list[SweepRow], config: SynthConfig, *, seconds: float) -> JSONObject:
    """The JSON object of ``alignscope synth --json`` (without the heterogeneity validation)."""
    us, ds = list(config.u_values), list(config.dphi_values)
    out: JSONObject = {k: {} for k in ("spearman_alignment_vs_U", "pearson_alignment_vs_U",
                                           "spearman_alignment_vs_Dphi", "pearson_alignment_vs_Dphi",
                                           "alignment", "by_fixed_depth")}
    for m in config.metrics:
        best = best_alignment(rows, m, config.headline_fixed_depth)
        (out["spearman_alignment_vs_U"][m], out["pearson_alignment_vs_U"][m]) = _trend(best, ds, us, True)
        (out["spearman_alignment_vs_Dphi"][m], out["pearson_alignment_vs_Dphi"][m]) = _trend(best, us, ds, False)
        out["alignment"][m] = {f"U={u}": {f"D_phi={d}": best[(u, d)] for d in ds if (u, d) in best}
                               for u in us}
        for f in config.fixed_depths:
            b = best_alignment(rows, m, f)
            out["by_fixed_depth"].setdefault(str(f), {})[m] = {
                "spearman_alignment_vs_U": _trend(b, ds, us, True)[0],
                "spearman_alignment_vs_Dphi": _trend(b, us, ds, False)[0]}
    align_perf = alignment_performance(rows, config)
    cells = {(r.seed, r.U) for r in rows}
    out.update({
        "alignment_performance": align_perf,
        "targets_met": _targets(out["spearman_alignment_vs_U"], out["spearman_alignment_vs_Dphi"],
                                align_perf),
        "paper": {"spearman_alignment_vs_U": PAPER_RHO_VS_U,
                  "spearman_alignment_vs_Dphi": PAPER_RHO_VS_DPHI,
                  "alignment_performance": PAPER_ALIGNMENT_PERFORMANCE},
        "definition": ("alignment of a (U, D_phi) cell = max over layer pairs (batch of "
                       f"{config.n_align} test samples, k = {config.k}), then over the transformed "
                       f"encoder's depth {list(config.depths)}, then over seeds {list(config.seeds)}; "
                       f"untransformed encoder of depth {config.headline_fixed_depth}"),
        "cells_done": len(cells),
        "cells_total": len(config.seeds) * len(config.u_values),
        "config": config.as_json(),
        "rows": [r.to_json() for r in rows],
        "seconds": seconds,
    })
    return out
