"""Planted mismatches: report swaps for the self-test, and synthetic paired spaces for tests/benchmarks.

A planted swap exchanges the reports of two random pairs, so each of the two rows then holds
a report written for another part — the situation the scorer must find. Rows whose label
is the same carry the same class either way, so the label signal cannot see that swap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MIN_SWAPS = 5
MAX_SWAPS = 500
SWAP_SHARE = 0.02   # swaps per pair: 2 % of pairs swapped, i.e. 4 % of rows planted


def planted_swaps(n: int, rng: np.random.Generator, swaps: int | None = None) -> NDArray[np.int64]:
    """[n] donor of every row's report: row i keeps its own (donor[i] == i) or swapped with donor[i]."""
    k = swaps if swaps is not None else int(np.clip(round(SWAP_SHARE * n), MIN_SWAPS, MAX_SWAPS))
    k = int(min(k, n // 2))
    rows = rng.choice(n, size=2 * k, replace=False)
    donor = np.arange(n, dtype=np.int64)
    donor[rows[:k]], donor[rows[k:]] = rows[k:], rows[:k]
    return donor


@dataclass(frozen=True)
class SyntheticPairs:
    """Paired embeddings with a known truth: labels, and which rows hold another row's report."""

    image: NDArray[np.float32]
    report: NDArray[np.float32]
    labels: NDArray[np.str_]
    planted: NDArray[np.bool_]


def synthetic_pairs(n: int, *, seed: int = 0, classes: int = 8, shared: int = 12,
                    image_dim: int = 1280, report_dim: int = 384, strength: float = 1.0,
                    planted: int = 0, independent: bool = False,
                    chunk: int = 16384) -> SyntheticPairs:
    """Image and report embeddings driven by one latent part description, plus planted mismatches.

    Latent: a class centre plus ``shared`` continuous attributes of the part. Each space is a
    random non-linear (tanh) read-out of ``strength`` × latent plus its own nuisance factors
    and noise, with a common offset (as real embeddings have). ``planted`` rows receive the
    report of another row of another class when possible. ``independent``: the reports are
    driven by an unrelated latent (no pair structure at all).
    """
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((classes, shared)) * 1.2
    mix_img = rng.standard_normal((2 * shared, image_dim)).astype(np.float32) / np.sqrt(2 * shared)
    mix_rep = rng.standard_normal((2 * shared, report_dim)).astype(np.float32) / np.sqrt(2 * shared)
    y = rng.integers(0, classes, size=n)
    y_other = rng.integers(0, classes, size=n) if independent else y
    image = np.empty((n, image_dim), dtype=np.float32)
    report = np.empty((n, report_dim), dtype=np.float32)
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        latent = centres[y[lo:hi]] + rng.standard_normal((hi - lo, shared))
        other = centres[y_other[lo:hi]] + rng.standard_normal((hi - lo, shared)) if independent else latent
        for out, mix, lat in ((image, mix_img, latent), (report, mix_rep, other)):
            nuisance = rng.standard_normal((hi - lo, shared))
            z = np.concatenate([strength * lat, nuisance], axis=1).astype(np.float32)
            x = np.tanh(z @ mix) + 0.35 * rng.standard_normal((hi - lo, mix.shape[1]), dtype=np.float32)
            out[lo:hi] = x + 0.5
    mask = np.zeros(n, dtype=bool)
    if planted:
        targets = rng.choice(n, size=planted, replace=False)
        donors = np.empty(planted, dtype=np.int64)
        for k, t in enumerate(targets):
            pool = np.flatnonzero(y != y[t]) if classes > 1 else np.flatnonzero(np.arange(n) != t)
            donors[k] = int(rng.choice(pool))
        report[targets] = report[donors].copy()
        mask[targets] = True
    labels = np.asarray([f"class-{c}" for c in y])
    return SyntheticPairs(image, report, labels, mask)
