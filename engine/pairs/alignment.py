"""The label-free signal: where does a pair's true partner rank under a cross-fitted alignment?

1. Folds: the pairs are split at random into K folds; fold f's pairs are scored by a CCA
   fitted on the other folds (engine.pairs.cca).
2. Dimensions by held-out fit: on a subsample, every (PCA dimensions, CCA components)
   candidate is cross-fitted the same way and scored by the mean held-out evidence
   log(m / position) of the true partners, both directions; the simplest candidate within
   one standard error of the best wins (fewest components, then fewest dimensions).
3. Positions: for every pair, the position of its report among all n reports for its image,
   and of its image among all n images for its report (engine.pairs.ranks). The same is
   done for shuffled pairs (the null): an image with the report of another pair *of the same
   fold*, so that, as for a real pair, both sides are held out from the model that scores it
   (a held-out report sits differently among the fitted ones than a fitted one does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.pairs.cca import FoldStats, fit_cca, llr_vectors
from engine.pairs.ranks import Queries, partner_positions
from engine.pairs.reduce import assign_folds

FOLDS = 10
SELECT_ROWS = 2000
DIM_GRID = (8, 16, 32, 64, 128)
COMPONENT_GRID = (1, 2, 4, 8, 16, 32)
REGULARISATION = 0.1


@dataclass(frozen=True)
class AlignConfig:
    """The cross-fitted CCA chosen by held-out fit."""

    dims: int           # PCA dimensions per space
    components: int     # CCA components
    reg: float          # covariance shrinkage (× mean eigenvalue)
    folds: int
    held_out_fit: float     # mean held-out evidence log(m / position), both directions, chosen config
    tried: tuple[tuple[int, int, float], ...]   # (dims, components, fit) of every candidate


@dataclass(frozen=True)
class NullPairs:
    """Shuffled pairs (image null_image[k] with report null_report[k], never its own)."""

    image: NDArray[np.int64]
    report: NDArray[np.int64]


def null_pairs(folds: NDArray[np.int64], count: int, rng: np.random.Generator) -> NullPairs:
    """``count`` shuffled pairs: every image in turn with the report of a random other pair of its fold."""
    images, reports = [], []
    n = folds.size
    reps = -(-count // n)
    for f in np.unique(folds):
        rows = np.flatnonzero(folds == f)
        for _ in range(reps):
            order = rng.permutation(rows.size)
            shift = rng.integers(1, rows.size, size=rows.size)
            images.append(rows[order])
            reports.append(rows[(order + shift) % rows.size])
    image, report = np.concatenate(images), np.concatenate(reports)
    keep = np.sort(rng.permutation(image.size)[:count])
    return NullPairs(image[keep].astype(np.int64), report[keep].astype(np.int64))


@dataclass(frozen=True)
class AlignmentSignal:
    """Positions (1 = best of n) of every pair's partner and of the null pairs' partners."""

    config: AlignConfig
    image_to_report: NDArray[np.float64]       # [n] position of the pair's report for its image
    report_to_image: NDArray[np.float64]       # [n] position of the pair's image for its report
    null_image_to_report: NDArray[np.float64]  # [M] same for the shuffled pairs
    null_report_to_image: NDArray[np.float64]  # [M]
    canonical_correlations: tuple[float, ...]  # mean over folds (in-sample of each fold's fit)
    null: NullPairs                            # the shuffled pairs behind the null positions


def _batches(fold: int, folds: NDArray[np.int64], u: NDArray[np.float64], v: NDArray[np.float64],
             rho: NDArray[np.float64], null: NullPairs) -> tuple[list[Queries], list[Queries],
                                                               NDArray[np.int64], NDArray[np.int64]]:
    """Queries of one fold: its own pairs (both directions) and the null pairs whose query it holds."""
    q1, c1 = llr_vectors(u, v, rho)   # image queries, report candidates
    q2, c2 = llr_vectors(v, u, rho)   # report queries, image candidates
    own = np.flatnonzero(folds == fold)
    n1 = np.flatnonzero(folds[null.image] == fold)
    n2 = np.flatnonzero(folds[null.report] == fold)
    forward = [Queries(q1[own], c1, own), Queries(q1[null.image[n1]], c1, null.report[n1])]
    backward = [Queries(q2[own], c2, own), Queries(q2[null.report[n2]], c2, null.image[n2])]
    return forward, backward, n1, n2


def alignment_signal(za: NDArray[np.float64], zb: NDArray[np.float64], dup_image: NDArray[np.int64],
                     dup_report: NDArray[np.int64], null_count: int, rng: np.random.Generator,
                     on_rows: Callable[[int], None] | None = None) -> AlignmentSignal:
    """Cross-fit, choose dimensions, and place every pair's partner (see the module docstring)."""
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        return _alignment_signal(za, zb, dup_image, dup_report, null_count, rng, on_rows)


def _alignment_signal(za: NDArray[np.float64], zb: NDArray[np.float64], dup_image: NDArray[np.int64],
                      dup_report: NDArray[np.int64], null_count: int, rng: np.random.Generator,
                      on_rows: Callable[[int], None] | None) -> AlignmentSignal:
    n = za.shape[0]
    n_folds = int(min(FOLDS, max(2, n // 20)))
    folds = assign_folds(n, n_folds, rng)
    null = null_pairs(folds, null_count, rng)
    stats = FoldStats.of(za, zb, folds, n_folds)
    config = select_config(za, zb, stats, folds, rng)
    pos1, pos2 = np.empty(n), np.empty(n)
    null1, null2 = np.empty(null.image.size), np.empty(null.image.size)
    rhos = []
    for f in range(n_folds):
        model = fit_cca(stats, f, config.dims, config.reg).top(config.components)
        rhos.append(model.rho)
        u, v = model.canonical(za, zb)
        forward, backward, n1, n2 = _batches(f, folds, u, v, model.rho, null)
        own = np.flatnonzero(folds == f)
        p_own1, p_null1 = partner_positions(forward, dup_report, on_rows=on_rows)
        p_own2, p_null2 = partner_positions(backward, dup_image, on_rows=on_rows)
        pos1[own], pos2[own], null1[n1], null2[n2] = p_own1, p_own2, p_null1, p_null2
    mean_rho = np.mean(np.stack(rhos), axis=0)
    return AlignmentSignal(config, pos1, pos2, null1, null2, tuple(float(r) for r in mean_rho), null)


def _held_out_evidence(za: NDArray[np.float64], zb: NDArray[np.float64], stats: FoldStats,
                       folds: NDArray[np.int64], dims: int, comps: tuple[int, ...], reg: float
                       ) -> NDArray[np.float64]:
    """[len(comps), m] held-out evidence log(m / position) of each subsample pair, both directions summed."""
    m = za.shape[0]
    ones = np.ones(m, dtype=np.int64)
    out = np.zeros((len(comps), m))
    for f in range(stats.count.size):
        own = np.flatnonzero(folds == f)
        if own.size == 0:
            continue
        full = fit_cca(stats, f, dims, reg)
        for k, c in enumerate(comps):
            model = full.top(c)
            u, v = model.canonical(za, zb)
            q1, c1 = llr_vectors(u, v, model.rho)
            q2, c2 = llr_vectors(v, u, model.rho)
            p1, p2 = partner_positions([Queries(q1[own], c1, own), Queries(q2[own], c2, own)], ones,
                                       threads=1)
            out[k, own] = np.log(m / p1) + np.log(m / p2)
    return out


def select_config(za: NDArray[np.float64], zb: NDArray[np.float64], stats: FoldStats,
                  folds: NDArray[np.int64], rng: np.random.Generator) -> AlignConfig:
    """Choose (dimensions, components) by held-out evidence on a subsample; one-standard-error rule."""
    n, p = za.shape[0], min(za.shape[1], zb.shape[1])
    sub = np.sort(rng.choice(n, size=min(n, SELECT_ROWS), replace=False))
    dims_grid = sorted({d for d in DIM_GRID if d < p} | {p})
    tried: list[tuple[int, int, float, float]] = []
    for dims in dims_grid:
        comps = tuple(c for c in COMPONENT_GRID if c <= dims)
        ev = _held_out_evidence(za[sub], zb[sub], stats, folds[sub], dims, comps, REGULARISATION)
        tried += [(dims, c, float(e.mean()), float(e.std() / np.sqrt(e.size))) for c, e in zip(comps, ev, strict=True)]
    best = max(tried, key=lambda t: t[2])
    simple = sorted((t for t in tried if t[2] >= best[2] - best[3]), key=lambda t: (t[1], t[0]))[0]
    return AlignConfig(dims=simple[0], components=simple[1], reg=REGULARISATION,
                       folds=int(stats.count.size), held_out_fit=simple[2],
                       tried=tuple((d, c, round(f, 4)) for d, c, f, _ in tried))
