"""Linear CKA and unbiased linear CKA in feature space: O(n·d²) time, O(d²) memory.

With K = XXᵀ and L = YYᵀ nothing n×n is needed:
- biased: HSIC(K, L) ∝ ‖X̃ᵀỸ‖²_F with column-centred X̃, Ỹ;
- unbiased (Song et al. 2012), K̃, L̃ with zeroed diagonals, a_i = ‖x_i‖², b_i = ‖y_i‖²:
  tr(K̃L̃) = ‖XᵀY‖²_F − Σ a_i b_i;  1ᵀK̃1 = ‖Xᵀ1‖² − Σ a_i;
  1ᵀK̃L̃1 = (K̃1)·(L̃1) with K̃1 = X(Xᵀ1) − a.
The unbiased HSIC is exactly invariant to shifting each space by a constant vector,
so the rows are shifted by their column means (computed first, in float64) before
the products: that removes the cancellation large means would otherwise cause in
float32. Products run by blocks of rows in the input dtype and are summed in float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from engine.metrics.validate import FloatArray, check_pair, check_unbiased_n
from engine.progress import Progress, report

F64 = npt.NDArray[np.float64]
BLOCK_ROWS = 8192


@dataclass
class GramStats:
    """Sufficient statistics of two shifted spaces for linear CKA, unbiased CKA and SVCCA."""

    shift_a: F64
    shift_b: F64
    n: int = 0
    s_a: F64 = field(default_factory=lambda: np.zeros(0))
    s_b: F64 = field(default_factory=lambda: np.zeros(0))
    g_aa: F64 = field(default_factory=lambda: np.zeros((0, 0)))
    g_bb: F64 = field(default_factory=lambda: np.zeros((0, 0)))
    g_ab: F64 = field(default_factory=lambda: np.zeros((0, 0)))
    at_a: F64 = field(default_factory=lambda: np.zeros(0))  # Xᵀa
    at_b: F64 = field(default_factory=lambda: np.zeros(0))  # Xᵀb
    bt_a: F64 = field(default_factory=lambda: np.zeros(0))  # Yᵀa
    bt_b: F64 = field(default_factory=lambda: np.zeros(0))  # Yᵀb
    sum_a: float = 0.0
    sum_b: float = 0.0
    sum_aa: float = 0.0
    sum_bb: float = 0.0
    sum_ab: float = 0.0

    def __post_init__(self) -> None:
        da, db = len(self.shift_a), len(self.shift_b)
        self.s_a, self.s_b = np.zeros(da), np.zeros(db)
        self.g_aa, self.g_bb, self.g_ab = np.zeros((da, da)), np.zeros((db, db)), np.zeros((da, db))
        self.at_a, self.at_b = np.zeros(da), np.zeros(da)
        self.bt_a, self.bt_b = np.zeros(db), np.zeros(db)

    def update(self, xa: FloatArray, xb: FloatArray) -> None:
        """Add a block of paired rows (raw, unshifted; float32 products stay float32)."""
        dt = np.result_type(xa.dtype, xb.dtype, np.float32)
        # the shift only conditions the sums (every result is exactly shift-invariant),
        # so it is applied in the product dtype: no float64 temporaries for float32 data
        sa = np.subtract(xa, self.shift_a.astype(dt), dtype=dt)
        sb = np.subtract(xb, self.shift_b.astype(dt), dtype=dt)
        a = np.einsum("ij,ij->i", sa, sa, dtype=np.float64)
        b = np.einsum("ij,ij->i", sb, sb, dtype=np.float64)
        ab = np.stack([a, b], axis=1).astype(dt)
        self.n += sa.shape[0]
        self.s_a += sa.sum(axis=0, dtype=np.float64)
        self.s_b += sb.sum(axis=0, dtype=np.float64)
        self.g_aa += sa.T @ sa
        self.g_bb += sb.T @ sb
        self.g_ab += sa.T @ sb
        pa = sa.T @ ab
        pb = sb.T @ ab
        self.at_a += pa[:, 0]
        self.at_b += pa[:, 1]
        self.bt_a += pb[:, 0]
        self.bt_b += pb[:, 1]
        self.sum_a += float(a.sum())
        self.sum_b += float(b.sum())
        self.sum_aa += float(a @ a)
        self.sum_bb += float(b @ b)
        self.sum_ab += float(a @ b)

    # ---- centred Gram matrices (exact centring: shift removed through s/n) ----
    def centred(self) -> tuple[F64, F64, F64]:
        n = self.n
        caa = self.g_aa - np.outer(self.s_a, self.s_a) / n
        cbb = self.g_bb - np.outer(self.s_b, self.s_b) / n
        cab = self.g_ab - np.outer(self.s_a, self.s_b) / n
        return caa, cbb, cab

    def cka(self) -> float:
        caa, cbb, cab = self.centred()
        num = float(np.sum(cab * cab))
        den = float(np.sqrt(np.sum(caa * caa)) * np.sqrt(np.sum(cbb * cbb)))
        # 0 ≤ CKA ≤ 1 (Cauchy–Schwarz); clip float32-product rounding (~1e-7) at the ends
        return min(max(num / den, 0.0), 1.0) if den > 0 else float("nan")

    def _hsic1(self, tr: float, sk: float, sl: float, cross: float) -> float:
        n = self.n
        return (tr + sk * sl / ((n - 1) * (n - 2)) - 2.0 * cross / (n - 2)) / (n * (n - 3))

    def unbiased_terms(self) -> tuple[float, float, float]:
        """(HSIC₁(K,L), HSIC₁(K,K), HSIC₁(L,L)) for the linear kernels."""
        check_unbiased_n(self.n, "unbiased linear CKA")
        sk = float(self.s_a @ self.s_a) - self.sum_a
        sl = float(self.s_b @ self.s_b) - self.sum_b
        kl = self._hsic1(
            float(np.sum(self.g_ab * self.g_ab)) - self.sum_ab,
            sk,
            sl,
            float(self.s_a @ self.g_ab @ self.s_b)
            - float(self.s_a @ self.at_b)
            - float(self.bt_a @ self.s_b)
            + self.sum_ab,
        )
        kk = self._hsic1(
            float(np.sum(self.g_aa * self.g_aa)) - self.sum_aa,
            sk,
            sk,
            float(self.s_a @ self.g_aa @ self.s_a) - 2.0 * float(self.s_a @ self.at_a) + self.sum_aa,
        )
        ll = self._hsic1(
            float(np.sum(self.g_bb * self.g_bb)) - self.sum_bb,
            sl,
            sl,
            float(self.s_b @ self.g_bb @ self.s_b) - 2.0 * float(self.s_b @ self.bt_b) + self.sum_bb,
        )
        return kl, kk, ll

    def unbiased_cka(self) -> float:
        kl, kk, ll = self.unbiased_terms()
        den = kk * ll
        # HSIC₁ is an inner product of U-centred matrices, so |ratio| ≤ 1: clip rounding
        return min(max(kl / float(np.sqrt(den)), -1.0), 1.0) if den > 0 else float("nan")


def column_means(x: FloatArray, block_rows: int = BLOCK_ROWS) -> F64:
    """Column means by blocks: BLAS sums per block (input dtype), added up in float64.

    Used as the shift that conditions the Gram sums, which needs no more precision.
    """
    total = np.zeros(x.shape[1])
    ones = np.ones(min(block_rows, x.shape[0]), dtype=x.dtype)
    for lo in range(0, x.shape[0], block_rows):
        blk = x[lo : lo + block_rows]
        total += ones[: blk.shape[0]] @ blk
    out: F64 = total / x.shape[0]
    return out


def gram_stats(
    a: FloatArray,
    b: FloatArray,
    *,
    block_rows: int = BLOCK_ROWS,
    progress: Progress | None = None,
) -> GramStats:
    """Two passes over the paired rows: column means, then the shifted products."""
    stats = GramStats(column_means(a, block_rows), column_means(b, block_rows))
    n = a.shape[0]
    for lo in range(0, n, block_rows):
        hi = min(lo + block_rows, n)
        stats.update(a[lo:hi], b[lo:hi])
        report(progress, hi, n, "linear CKA")
    return stats


def cka_linear(a: FloatArray, b: FloatArray) -> float:
    """Biased linear CKA, exact ratio (arrays used as given: normalise first)."""
    a, b = check_pair(a, b)
    return gram_stats(a, b).cka()


def unbiased_cka_linear(a: FloatArray, b: FloatArray) -> float:
    """Unbiased linear CKA (Song et al. HSIC₁), exact ratio."""
    a, b = check_pair(a, b)
    check_unbiased_n(a.shape[0], "unbiased linear CKA")
    return gram_stats(a, b).unbiased_cka()
