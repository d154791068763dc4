"""Known joints and the simulation that measures the coverage of the PID intervals.

Used by tests/test_pid_bias.py (a small run that fails when coverage drops) and by
benchmarks/bench_pid_coverage.py (the full table of docs/study.md). Each known joint is built
from a few parameters, so its exact PID is computed, not estimated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.study.pid import PID_PARTS, pid_from_joint
from engine.study.pid_bias import BIAS_CORRECTION, Replicates, corrected, pid_replicates


def issue_joint() -> NDArray[np.float64]:
    """11×11×3 joint with issue 12's figures: R 0.056 (28 %), U1 ≈ 0, U2 0.102, S 0.042, I 0.200 bits.

    X1, X2 are noisy copies (kept with probability 0.54) of a uniform 11-valued Z;
    p(y | x1, x2) = softmax(0.47·u[x1] + 0.69·v[x2] + 0.105·w[x1]∘w'[x2]) with standard-normal
    3-vectors u, v, w, w' drawn from seed 0.
    """
    rng = np.random.default_rng(0)
    u, v, w, w2 = (rng.normal(size=(11, 3)) for _ in range(4))
    keep = 0.54
    copy = np.full((11, 11), (1 - keep) / 11) + keep * np.eye(11)   # p(x | z)
    p12 = copy.T @ copy / 11                                         # Σ_z p(z) p(x1|z) p(x2|z)
    logits = 0.47 * u[:, None, :] + 0.69 * v[None, :, :] + 0.105 * w[:, None, :] * w2[None, :, :]
    py = np.exp(logits - logits.max(axis=2, keepdims=True))
    py /= py.sum(axis=2, keepdims=True)
    out: NDArray[np.float64] = p12[:, :, None] * py
    out /= out.sum()
    return out


def noisy_views_joint(n_classes: int, acc_1: float, acc_2: float, *, neighbours: int = 1
                      ) -> NDArray[np.float64]:
    """Two classifiers' outputs, conditionally independent given a uniform Y.

    View i reports Y with probability acc_i, otherwise one of the next ``neighbours`` classes
    (cyclically, uniformly): the joint of two probe discretisations (redundancy-dominant).
    """
    def channel(acc: float) -> NDArray[np.float64]:
        ch = np.zeros((n_classes, n_classes))   # [y, x]
        for y in range(n_classes):
            ch[y, y] = acc
            for j in range(1, neighbours + 1):
                ch[y, (y + j) % n_classes] += (1 - acc) / neighbours
        return ch

    c1, c2 = channel(acc_1), channel(acc_2)
    out: NDArray[np.float64] = np.einsum("ya,yb->aby", c1, c2) / n_classes
    return out


def confidence_joint() -> NDArray[np.float64]:
    """Binary Y; each view is (predicted class, confident or not), 4 values, views conditionally
    independent given Y (a probe discretisation with 2C clusters on a binary label)."""
    ch1 = np.array([[0.50, 0.25, 0.15, 0.10], [0.10, 0.15, 0.25, 0.50]])   # [y, x]
    ch2 = np.array([[0.35, 0.30, 0.20, 0.15], [0.15, 0.20, 0.30, 0.35]])
    out: NDArray[np.float64] = np.einsum("ya,yb->aby", ch1, ch2) / 2
    return out


def unique_joint() -> NDArray[np.float64]:
    """Y = (A, B), 4 classes; view 1 reads A (90 %), view 2 reads B (85 %): mostly uniqueness."""
    out = np.zeros((2, 2, 4))
    for a in (0, 1):
        for b in (0, 1):
            for x1 in (0, 1):
                for x2 in (0, 1):
                    out[x1, x2, 2 * a + b] = 0.25 * (0.9 if x1 == a else 0.1) * (0.85 if x2 == b else 0.15)
    return out


def small_synergy_joint() -> NDArray[np.float64]:
    """5×5×3 joint with little information and some synergy: the plug-in bias dominates at
    5 samples per cell (the fast case of tests/test_pid_bias.py)."""
    rng = np.random.default_rng(4)
    px = rng.dirichlet(np.full(25, 4.0)).reshape(5, 5)
    logits = 0.6 * rng.normal(size=(5, 1, 3)) + 0.5 * rng.normal(size=(1, 5, 3)) + 0.5 * rng.normal(size=(5, 5, 3))
    py = np.exp(logits)
    py /= py.sum(axis=2, keepdims=True)
    out: NDArray[np.float64] = px[:, :, None] * py
    return out


KNOWN_JOINTS: dict[str, Callable[[], NDArray[np.float64]]] = {
    "issue 11×11×3": issue_joint,
    "3 classes, views 73 % / 97 %": lambda: noisy_views_joint(3, 0.73, 0.97),
    "10 classes, views 90 % / 95 %": lambda: noisy_views_joint(10, 0.90, 0.95),
    "binary, confidence levels": confidence_joint,
    "4 classes, unique halves": unique_joint,
    "5×5×3 small + synergy": small_synergy_joint,
}


@dataclass(frozen=True)
class CoverageRun:
    """Raw replicates of one (joint, n) simulation; :func:`coverage` evaluates any correction."""

    truth: NDArray[np.float64]             # [5] exact PID, PID_PARTS order
    n: int
    true_occupied: int
    replicates: tuple[Replicates, ...]
    observed_per_occupied: NDArray[np.float64]   # [reps] n / occupied cells of each sample


def simulate(joint: NDArray[np.float64], samples_per_occupied_cell: float, reps: int, *,
             bootstrap: int = 100, groups: int = 20, seed: int = 0) -> CoverageRun:
    """Draw ``reps`` samples of n = spc × (occupied cells of the joint) rows; replicate each."""
    p = joint / joint.sum()
    truth = pid_from_joint(p).parts()
    occupied = int(np.count_nonzero(p))
    n = round(samples_per_occupied_cell * occupied)
    rng = np.random.default_rng(seed)
    reps_out = []
    per_occ = np.empty(reps)
    for r in range(reps):
        counts = rng.multinomial(n, p.reshape(-1)).reshape(p.shape)
        per_occ[r] = n / np.count_nonzero(counts)
        reps_out.append(pid_replicates(counts, bootstrap=bootstrap, groups=groups, seed=int(rng.integers(2**31))))
    return CoverageRun(truth, n, occupied, tuple(reps_out), per_occ)


def coverage(run: CoverageRun, correction: str = BIAS_CORRECTION
             ) -> tuple[dict[str, float], dict[str, float]]:
    """({part: share of intervals that contain the truth}, {part: mean estimate − truth})."""
    hits = np.zeros(len(PID_PARTS))
    err = np.zeros(len(PID_PARTS))
    for rep in run.replicates:
        est, lo, hi = corrected(rep, correction)
        lo, hi = np.maximum(lo, 0.0), np.maximum(hi, 0.0)   # as reported: both ends clipped at 0
        hits += (lo <= run.truth + 1e-12) & (run.truth <= hi + 1e-12)
        err += est - run.truth
    k = len(run.replicates)
    return ({name: float(h / k) for name, h in zip(PID_PARTS, hits, strict=True)},
            {name: float(e / k) for name, e in zip(PID_PARTS, err, strict=True)})
