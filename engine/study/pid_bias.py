"""Bias-corrected PID of discrete codes, with intervals whose coverage is measured.

The plug-in PID (the exact decomposition of the empirical joint) overstates information with
few samples per cell: on an 11×11×3 joint at 5.5 samples per cell it reads synergy 0.13 bits
for a true 0.042. Each of R, U₁, U₂, S, I is a function θ(p) of the joint. Corrections
(``BIAS_CORRECTIONS``; benchmarks/bench_pid_coverage.py measures them on known joints):

- ``jackknife`` (the default, ``BIAS_CORRECTION``): the rows are split at random into G = 20
  groups; θ_J = G·θ̂ − (G−1)·mean θ̂₍₋g₎ over the G delete-a-group subsamples. This removes the
  1/n term of the bias exactly (it over-corrects by the 1/n² term). The 95 % interval takes, on
  each side, the wider of the bootstrap percentile half-width (2.5/97.5 % percentiles of 100
  multinomial resamples of the rows, measured from their mean) and t₀.₉₇₅(G−1) = 2.09 jackknife
  standard errors, and widens both sides by |θ_B − θ_J|, the disagreement of the two bias
  corrections (bias left uncorrected is uncertainty the resampling spread does not show). The
  percentiles follow the skew of parts near 0; the jackknife variance errs on the large side
  (Efron–Stein); the disagreement term matters only where the joint is sparse.
- ``bootstrap``: θ_B = 2θ̂ − mean θ̂*, the percentile interval moved onto it. It under-corrects
  (the empirical joint has fewer occupied cells than the truth, so resampling it shows less
  bias): synergy +0.094 bits too high at 2 samples per cell where the jackknife is +0.027.
- ``none``: the plug-in value with the percentile interval moved onto it (AlignScope before
  issue 12): its intervals covered the true synergy of the 11×11×3 case in 0 of 6 runs.

Both corrections are linear in the replicates, so the corrected parts still sum to the
corrected I exactly.

Negative values: a corrected part can fall below 0 when its true value is near 0 (information
cannot be negative). AlignScope reports it as 0, clips both ends of every interval at 0 (an
interval entirely below 0 reads [0, 0]), names the clipped parts in ``clipped`` and keeps the
unclipped numbers in ``unclipped``; the shown parts can then sum to slightly more than I.
Coverage is measured on the clipped intervals (the truth is ≥ 0, so clipping loses none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.progress import Progress, report
from engine.study.pid import PID_PARTS, RESAMPLE_TOLERANCE, SOLVER, pid_from_joint
from engine.typed_json import JSONObject

BIAS_CORRECTIONS = ("jackknife", "bootstrap", "none")
BIAS_CORRECTION = "jackknife"
DEFAULT_BOOTSTRAP = 100
DEFAULT_JACKKNIFE_GROUPS = 20
# the intervals' coverage (≥ 90 % for a nominal 95 %) was measured from 5 samples per occupied
# cell and 240 rows; below either, near-deterministic joints (rare confusion cells that decide
# the synergy) covered as little as 70 % (docs/study.md, coverage table)
MIN_SAMPLES_PER_OCCUPIED_CELL = 5.0
MIN_ROWS = 240


@dataclass(frozen=True)
class CellCounts:
    """Occupancy of the plug-in joint."""

    n_samples: int
    shape: tuple[int, int, int]          # (codes of modality 1, codes of modality 2, classes)
    occupied: int                        # non-empty cells
    possible: int                        # product of the shape

    @property
    def samples_per_cell(self) -> float:
        return self.n_samples / max(self.possible, 1)

    @property
    def samples_per_occupied_cell(self) -> float:
        return self.n_samples / max(self.occupied, 1)

    @property
    def sparse(self) -> bool:
        """Fewer than MIN_SAMPLES_PER_OCCUPIED_CELL samples per occupied cell."""
        return self.samples_per_occupied_cell < MIN_SAMPLES_PER_OCCUPIED_CELL

    @property
    def small_sample(self) -> bool:
        """Fewer than MIN_ROWS rows."""
        return self.n_samples < MIN_ROWS

    @property
    def intervals_validated(self) -> bool:
        """Inside the region where the intervals' coverage was measured ≥ 90 %."""
        return not (self.sparse or self.small_sample)

    def to_json(self) -> JSONObject:
        return {"n_samples": self.n_samples, "shape": list(self.shape), "occupied": self.occupied,
                "possible": self.possible, "samples_per_cell": self.samples_per_cell,
                "samples_per_occupied_cell": self.samples_per_occupied_cell, "sparse": self.sparse,
                "small_sample": self.small_sample, "intervals_validated": self.intervals_validated}


@dataclass(frozen=True)
class PIDEstimate:
    """Bias-corrected PID in bits (parts clipped at 0) with 95 % intervals, keyed as PID_PARTS."""

    values: dict[str, float]                 # corrected, clipped at 0
    ci: dict[str, tuple[float, float]]       # lower end clipped at 0
    plugin: dict[str, float]                 # uncorrected plug-in decomposition
    unclipped: dict[str, float]              # corrected, before clipping
    clipped: tuple[str, ...]                 # parts whose corrected value was < 0
    bias_correction: str
    bootstrap: int
    jackknife_groups: int
    cells: CellCounts
    solver: str = SOLVER
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> JSONObject:
        return {**self.values, "ci": {k: list(v) for k, v in self.ci.items()}, "plugin": dict(self.plugin),
                "unclipped": dict(self.unclipped), "clipped": list(self.clipped),
                "bias_correction": self.bias_correction, "bootstrap": self.bootstrap,
                "jackknife_groups": self.jackknife_groups, "cells": self.cells.to_json(),
                "solver": self.solver, "notes": list(self.notes)}


@dataclass(frozen=True)
class Replicates:
    """The plug-in PID of a joint and of its resamples, rows in the order of PID_PARTS."""

    point: NDArray[np.float64]         # [5]
    bootstrap: NDArray[np.float64]     # [B, 5]
    jackknife: NDArray[np.float64]     # [G, 5]


def _parts(counts: NDArray[np.float64], tolerance: float = RESAMPLE_TOLERANCE) -> NDArray[np.float64]:
    return pid_from_joint(counts, tolerance=tolerance).parts() if counts.sum() > 0 else np.zeros(len(PID_PARTS))


def pid_replicates(counts: NDArray[Any], *, bootstrap: int = DEFAULT_BOOTSTRAP,
                   groups: int = DEFAULT_JACKKNIFE_GROUPS, seed: int = 0,
                   progress: Progress | None = None) -> Replicates:
    """Plug-in PID of a count array [x1, x2, y], of ``bootstrap`` multinomial resamples of its
    rows, and of the ``groups`` delete-a-group jackknife subsamples (rows split at random)."""
    c = np.asarray(counts)
    flat = c.reshape(-1).astype(np.int64)
    n = int(flat.sum())
    rng = np.random.default_rng(seed)
    point = pid_from_joint(c.astype(np.float64)).parts()
    total = bootstrap + groups
    boots = np.empty((bootstrap, len(PID_PARTS)))
    for b in range(bootstrap):
        boots[b] = _parts(rng.multinomial(n, flat / n).reshape(c.shape).astype(np.float64))
        report(progress, b + 1, total, "PID bootstrap")
    jack = np.empty((groups, len(PID_PARTS)))
    if groups >= 2:
        rows = np.repeat(np.arange(flat.size), flat)
        group = rng.permutation(n) % groups
        for g in range(groups):
            kept = np.bincount(rows[group != g], minlength=flat.size)
            jack[g] = _parts(kept.reshape(c.shape).astype(np.float64))
            report(progress, bootstrap + g + 1, total, "PID jackknife")
    return Replicates(point=point, bootstrap=boots, jackknife=jack[:groups] if groups >= 2 else jack[:0])


def corrected(rep: Replicates, correction: str = BIAS_CORRECTION
              ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(estimate, lower, upper) per part for one bias correction (see the module doc).

    Needs at least 2 bootstrap resamples, and for "jackknife" at least 2 groups.
    """
    if correction not in BIAS_CORRECTIONS:
        raise InputError(f"PID: unknown bias correction '{correction}'; choose one of {', '.join(BIAS_CORRECTIONS)}")
    th, boots, jack = rep.point, rep.bootstrap, rep.jackknife
    if boots.shape[0] < 2:
        raise InputError("PID: the intervals need at least 2 bootstrap resamples")
    lo, hi = np.percentile(boots, [2.5, 97.5], axis=0)
    mean = boots.mean(axis=0)
    if correction == "none":  # percentile interval moved onto the (uncorrected) estimate
        return th, lo - mean + th, hi - mean + th
    if correction == "bootstrap":
        est_b = 2.0 * th - mean
        return est_b, lo - mean + est_b, hi - mean + est_b
    g = jack.shape[0]
    if g < 2:
        raise InputError("PID: the jackknife correction needs at least 2 groups")
    est = g * th - (g - 1) * jack.mean(axis=0)
    se = np.sqrt((g - 1) / g * ((jack - jack.mean(axis=0)) ** 2).sum(axis=0))
    t = _t975(g - 1)
    gap = np.abs(2.0 * th - mean - est)   # the bootstrap and jackknife corrections disagree by this
    return est, est - np.maximum(mean - lo, t * se) - gap, est + np.maximum(hi - mean, t * se) + gap


def _t975(df: int) -> float:
    """97.5 % quantile of Student's t with ``df`` degrees of freedom (the grouped jackknife's)."""
    from scipy.stats import t

    return float(t.ppf(0.975, df))


def counts_of(c1: NDArray[Any], c2: NDArray[Any], y: NDArray[Any]) -> NDArray[np.int64]:
    """Count array [x1, x2, y] of integer codes (0..k-1 each)."""
    a, b, yy = (np.asarray(v, dtype=np.int64) for v in (c1, c2, y))
    if not (a.size == b.size == yy.size) or a.size == 0:
        raise InputError(f"PID: code arrays differ in length or are empty ({a.size}, {b.size}, {yy.size})")
    if min(int(a.min()), int(b.min()), int(yy.min())) < 0:
        raise InputError("PID: codes must be non-negative integers")
    out = np.zeros((int(a.max()) + 1, int(b.max()) + 1, int(yy.max()) + 1), dtype=np.int64)
    np.add.at(out, (a, b, yy), 1)
    return out


def estimate_pid(counts: NDArray[Any], *, correction: str = BIAS_CORRECTION,
                 bootstrap: int = DEFAULT_BOOTSTRAP, groups: int = DEFAULT_JACKKNIFE_GROUPS,
                 seed: int = 0, progress: Progress | None = None) -> PIDEstimate:
    """Bias-corrected PID with intervals from a count array [x1, x2, y] (see the module doc)."""
    c = np.asarray(counts)
    if c.ndim != 3 or np.any(c < 0) or c.sum() <= 0 or not np.allclose(c, np.round(c)):
        raise InputError(f"PID: expected a 3-D array of non-negative counts, got shape {c.shape}")
    c = np.round(c).astype(np.int64)
    rep = pid_replicates(c, bootstrap=bootstrap, groups=groups if correction == "jackknife" else 0,
                         seed=seed, progress=progress)
    est, lo, hi = corrected(rep, correction)
    names = PID_PARTS
    unclipped = {k: float(v) for k, v in zip(names, est, strict=True)}
    clipped = tuple(k for k in names if unclipped[k] < 0.0)
    ci = {k: (max(float(a), 0.0), max(float(b), 0.0)) for k, a, b in zip(names, lo, hi, strict=True)}
    cells = CellCounts(n_samples=int(c.sum()), shape=(int(c.shape[0]), int(c.shape[1]), int(c.shape[2])),
                       occupied=int(np.count_nonzero(c)), possible=int(c.size))
    return PIDEstimate(
        values={k: max(v, 0.0) for k, v in unclipped.items()}, ci=ci,
        plugin={k: float(v) for k, v in zip(names, rep.point, strict=True)},
        unclipped=unclipped, clipped=clipped, bias_correction=correction,
        bootstrap=rep.bootstrap.shape[0], jackknife_groups=rep.jackknife.shape[0], cells=cells)
