"""Cross-fitted CCA between the two reduced spaces, and the pair similarity it implies.

For every fold f the relation is fitted on the pairs of the other folds only (their
sums of products are the totals minus fold f's), so a pair is never scored by a model
that saw it. The fit is a regularised CCA: whiten each side (covariance + ``reg`` × its
mean eigenvalue), take the singular vectors of the whitened cross-covariance.

Similarity of image i and report j in the d-dimensional canonical space is the log
likelihood ratio of "paired" against "independent" under a Gaussian model with canonical
correlations ρ_k (terms constant for the query dropped)::

    s(i, j) = Σ_k [ρ_k u_ik v_jk − ρ_k² v_jk² / 2] / (1 − ρ_k²)

Strongly correlated components weigh more, and candidates far out along a component pay
for it (a "hub" report close to everything does not win every image). Both directions are
one matrix product each: queries carry [ρ/(1−ρ²) ⊙ u, 1], candidates [v, −Σ q v²].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

MAX_RHO = 0.999


@dataclass(frozen=True)
class FoldStats:
    """Sums over the pairs of each fold: counts, means' numerators and products (reduced coordinates)."""

    count: NDArray[np.float64]       # [K]
    sum_a: NDArray[np.float64]       # [K, p]
    sum_b: NDArray[np.float64]       # [K, q]
    aa: NDArray[np.float64]          # [K, p, p]
    bb: NDArray[np.float64]          # [K, q, q]
    ab: NDArray[np.float64]          # [K, p, q]

    @staticmethod
    def of(a: NDArray[np.float64], b: NDArray[np.float64], folds: NDArray[np.int64],
           n_folds: int) -> FoldStats:
        p, q = a.shape[1], b.shape[1]
        count = np.zeros(n_folds)
        sa, sb = np.zeros((n_folds, p)), np.zeros((n_folds, q))
        aa, bb, ab = np.zeros((n_folds, p, p)), np.zeros((n_folds, q, q)), np.zeros((n_folds, p, q))
        for f in range(n_folds):
            rows = np.flatnonzero(folds == f)
            af, bf = a[rows], b[rows]
            count[f] = rows.size
            sa[f], sb[f] = af.sum(axis=0), bf.sum(axis=0)
            aa[f], bb[f], ab[f] = af.T @ af, bf.T @ bf, af.T @ bf
        return FoldStats(count, sa, sb, aa, bb, ab)


@dataclass(frozen=True)
class CcaModel:
    """A fitted CCA: means, projections to the canonical space and canonical correlations."""

    mean_a: NDArray[np.float64]
    mean_b: NDArray[np.float64]
    proj_a: NDArray[np.float64]      # [p', d]
    proj_b: NDArray[np.float64]      # [q', d]
    rho: NDArray[np.float64]         # [d], in-sample canonical correlations of the training pairs

    def top(self, components: int) -> CcaModel:
        """The same model keeping its ``components`` strongest canonical pairs."""
        d = int(min(components, self.rho.size))
        return CcaModel(self.mean_a, self.mean_b, self.proj_a[:, :d], self.proj_b[:, :d], self.rho[:d])

    def canonical(self, a: NDArray[np.float64], b: NDArray[np.float64]
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        p, q = self.proj_a.shape[0], self.proj_b.shape[0]
        return (a[:, :p] - self.mean_a) @ self.proj_a, (b[:, :q] - self.mean_b) @ self.proj_b


def _inv_sqrt(cov: NDArray[np.float64], reg: float) -> NDArray[np.float64]:
    w, v = np.linalg.eigh(cov)
    w = np.maximum(w, 0.0) + reg * max(float(np.mean(np.maximum(w, 0.0))), 1e-12)
    out: NDArray[np.float64] = (v / np.sqrt(w)) @ v.T
    return out


def fit_cca(stats: FoldStats, held_out: int, dims: int, reg: float) -> CcaModel:
    """CCA with every component on every fold but ``held_out``, on the first ``dims`` coordinates.

    :meth:`CcaModel.top` keeps the strongest components.
    """
    keep = np.arange(stats.count.size) != held_out
    n = float(stats.count[keep].sum())
    mean_a = stats.sum_a[keep].sum(axis=0)[:dims] / n
    mean_b = stats.sum_b[keep].sum(axis=0)[:dims] / n
    caa = stats.aa[keep].sum(axis=0)[:dims, :dims] / n - np.outer(mean_a, mean_a)
    cbb = stats.bb[keep].sum(axis=0)[:dims, :dims] / n - np.outer(mean_b, mean_b)
    cab = stats.ab[keep].sum(axis=0)[:dims, :dims] / n - np.outer(mean_a, mean_b)
    wa, wb = _inv_sqrt(caa, reg), _inv_sqrt(cbb, reg)
    u, s, vt = np.linalg.svd(wa @ cab @ wb)
    rho = np.clip(s, 0.0, MAX_RHO)
    return CcaModel(mean_a, mean_b, wa @ u, wb @ vt.T, rho)


def llr_vectors(u: NDArray[np.float64], v: NDArray[np.float64], rho: NDArray[np.float64]
                ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Query rows from ``u`` and candidate rows from ``v`` whose dot product is s(query, candidate)."""
    gain = rho / (1.0 - rho ** 2)
    penalty = rho ** 2 / (2.0 * (1.0 - rho ** 2))
    query = np.concatenate([u * gain, np.ones((u.shape[0], 1))], axis=1)
    cand = np.concatenate([v, -(v ** 2 @ penalty)[:, None]], axis=1)
    return query.astype(np.float32), cand.astype(np.float32)
