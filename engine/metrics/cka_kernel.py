"""RBF CKA (biased and unbiased) by blocks of rows, and CKNNA from the sparse kNN graphs.

RBF: K_ij = exp(−‖x_i − x_j‖² / (2σ²)). Both HSIC estimators only need ΣK∘L, ΣK∘K,
ΣL∘L and the row sums K1, L1 (with and without the unit diagonal), which are summed
block by block: O(n²·d) time, O(block·n) memory. Callers cap n (see api.py).

CKNNA: the masked kernels M∘K have at most k non-zeros per row (M ⊆ the kNN masks),
so HSIC₁ of the masked matrices is computed exactly from sparse matrices in O(n·k) —
no cap is needed. The masked matrices are not symmetric, hence tr(K̃L̃) = Σ(K̃∘L̃ᵀ)
and 1ᵀK̃L̃1 = (K̃ᵀ1)·(L̃1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from engine.metrics.knn import IntArray, block_rows_for, knn_graph
from engine.metrics.validate import FloatArray, check_k, check_pair, check_unbiased_n
from engine.progress import Progress, report

F64 = npt.NDArray[np.float64]


def hsic_unbiased_parts(tr: float, sum_k: float, sum_l: float, cross: float, n: int) -> float:
    """HSIC₁ = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2·1ᵀK̃L̃1/(n−2)] / (n(n−3))."""
    return (tr + sum_k * sum_l / ((n - 1) * (n - 2)) - 2.0 * cross / (n - 2)) / (n * (n - 3))


def hsic_biased_parts(tr: float, sum_k: float, sum_l: float, cross: float, n: int) -> float:
    """tr(KHLH) = tr(KL) − 2·1ᵀKL1/n + 1ᵀK1·1ᵀL1/n² (symmetric K, L)."""
    return tr - 2.0 * cross / n + sum_k * sum_l / (n * n)


def _ratio(kl: float, kk: float, ll: float, bound: bool = True) -> float:
    """kl/√(kk·ll); NaN when a self term is ≤ 0. CKA ratios obey Cauchy–Schwarz (|r| ≤ 1,
    clipped against rounding); CKNNA's self terms use other masks, so it is not clipped."""
    den = kk * ll
    if not den > 0:
        return float("nan")
    r = kl / float(np.sqrt(den))
    return min(max(r, -1.0), 1.0) if bound else r


@dataclass
class RbfSums:
    n: int
    kl: float
    kk: float
    ll: float
    rk: F64  # K1 (diagonal included)
    rl: F64

    def cka(self) -> float:
        n = self.n
        sk, sl = float(self.rk.sum()), float(self.rl.sum())
        return _ratio(
            hsic_biased_parts(self.kl, sk, sl, float(self.rk @ self.rl), n),
            hsic_biased_parts(self.kk, sk, sk, float(self.rk @ self.rk), n),
            hsic_biased_parts(self.ll, sl, sl, float(self.rl @ self.rl), n),
        )

    def unbiased_cka(self) -> float:
        n = self.n
        check_unbiased_n(n, "unbiased RBF CKA")
        tk, tl = self.rk - 1.0, self.rl - 1.0  # K̃1: the diagonal of an RBF kernel is 1
        sk, sl = float(tk.sum()), float(tl.sum())
        return _ratio(
            hsic_unbiased_parts(self.kl - n, sk, sl, float(tk @ tl), n),
            hsic_unbiased_parts(self.kk - n, sk, sk, float(tk @ tk), n),
            hsic_unbiased_parts(self.ll - n, sl, sl, float(tl @ tl), n),
        )


def _rbf_block(x: FloatArray, sq: F64, lo: int, hi: int, gamma: float, out: F64) -> F64:
    g = x[lo:hi] @ x.T
    np.multiply(g, -2.0, out=out)
    out += sq[lo:hi, None]
    out += sq[None, :]
    np.maximum(out, 0.0, out=out)
    out[np.arange(hi - lo), np.arange(lo, hi)] = 0.0
    out *= -gamma
    np.exp(out, out=out)
    return out


def rbf_sums(
    a: FloatArray, b: FloatArray, sigma: float = 1.0, *, progress: Progress | None = None
) -> RbfSums:
    """Blockwise sums of the two RBF kernels (float64 accumulation)."""
    if not sigma > 0:
        raise ValueError(f"rbf sigma must be positive, got {sigma}")
    n = a.shape[0]
    gamma = 1.0 / (2.0 * sigma * sigma)
    sqa = np.einsum("ij,ij->i", a, a, dtype=np.float64)
    sqb = np.einsum("ij,ij->i", b, b, dtype=np.float64)
    rows = max(16, block_rows_for(n, 8) // 4)
    kbuf = np.empty((min(rows, n), n))
    lbuf = np.empty((min(rows, n), n))
    kl = kk = ll = 0.0
    rk = np.empty(n)
    rl = np.empty(n)
    for lo in range(0, n, rows):
        hi = min(lo + rows, n)
        kblk = _rbf_block(a, sqa, lo, hi, gamma, kbuf[: hi - lo])
        lblk = _rbf_block(b, sqb, lo, hi, gamma, lbuf[: hi - lo])
        kl += float(np.einsum("ij,ij->", kblk, lblk))
        kk += float(np.einsum("ij,ij->", kblk, kblk))
        ll += float(np.einsum("ij,ij->", lblk, lblk))
        rk[lo:hi] = kblk.sum(axis=1)
        rl[lo:hi] = lblk.sum(axis=1)
        report(progress, hi, n, "RBF CKA")
    return RbfSums(n, kl, kk, ll, rk, rl)


def rbf_kernel(x: FloatArray, sigma: float) -> F64:
    """The full n×n RBF kernel in float64 (small n only: uncertainty on a capped subsample)."""
    x64 = x.astype(np.float64)
    sq = np.einsum("ij,ij->i", x64, x64)
    n = x.shape[0]
    return _rbf_block(x64, sq, 0, n, 1.0 / (2.0 * sigma * sigma), np.empty((n, n)))


def rbf_sums_from_kernels(kmat: F64, lmat: F64) -> RbfSums:
    return RbfSums(
        kmat.shape[0],
        float(np.einsum("ij,ij->", kmat, lmat)),
        float(np.einsum("ij,ij->", kmat, kmat)),
        float(np.einsum("ij,ij->", lmat, lmat)),
        kmat.sum(axis=1),
        lmat.sum(axis=1),
    )


def cka_rbf(a: FloatArray, b: FloatArray, sigma: float = 1.0) -> float:
    """Biased RBF CKA, exact ratio, all n (O(n²·d) time)."""
    a, b = check_pair(a, b)
    return rbf_sums(a, b, sigma).cka()


def unbiased_cka_rbf(a: FloatArray, b: FloatArray, sigma: float = 1.0) -> float:
    """Unbiased RBF CKA, exact ratio, all n (O(n²·d) time)."""
    a, b = check_pair(a, b)
    check_unbiased_n(a.shape[0], "unbiased RBF CKA")
    return rbf_sums(a, b, sigma).unbiased_cka()


# ---------------------------------------------------------------- CKNNA (sparse, exact)


def _sparse(rows: IntArray, cols: IntArray, vals: F64, n: int) -> sp.csr_matrix:
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))


def hsic1_sparse(p: sp.csr_matrix, q: sp.csr_matrix) -> float:
    """HSIC₁ of two zero-diagonal, possibly asymmetric sparse matrices."""
    n = p.shape[0]
    tr = float(p.multiply(q.T).sum())
    col_p = np.asarray(p.sum(axis=0)).ravel()
    row_q = np.asarray(q.sum(axis=1)).ravel()
    return hsic_unbiased_parts(tr, float(p.sum()), float(q.sum()), float(col_p @ row_q), n)


def shared_neighbours(ia: IntArray, ib: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(row i, rank in A's list, rank in B's list) of every neighbour in N_A(i) ∩ N_B(i)."""
    n, k = ia.shape
    step = max(1, (1 << 24) // (k * k))
    parts: list[tuple[IntArray, IntArray, IntArray]] = []
    for lo in range(0, n, step):
        r, x, y = np.nonzero(ia[lo : lo + step, :, None] == ib[lo : lo + step, None, :])
        parts.append((r.astype(np.int64) + lo, x.astype(np.int64), y.astype(np.int64)))
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def cknna_from_graphs(
    ia: IntArray,
    sa: FloatArray,
    ib: IntArray,
    sb: FloatArray,
    keep: npt.NDArray[np.bool_] | None = None,
) -> float:
    """CKNNA from the two kNN graphs with their similarities K_ij = a_i·a_j, L_ij = b_i·b_j.

    cknna = HSIC₁(M∘K, M∘L) / √(HSIC₁(M_A∘K, M_A∘K)·HSIC₁(M_B∘L, M_B∘L)), M = M_A∘M_B.
    ``keep`` (bootstrap) restricts the graphs to the kept samples, renumbered 0..m−1.
    """
    n, k = ia.shape
    rows = np.repeat(np.arange(n, dtype=np.int64), k)
    mr, ra, rb = shared_neighbours(ia, ib)  # M = M_A∘M_B, found by index (values may be 0)
    a_r, a_c, a_v = rows, ia.ravel(), sa.ravel().astype(np.float64)
    b_r, b_c, b_v = rows, ib.ravel(), sb.ravel().astype(np.float64)
    m_r, m_c = mr, ia[mr, ra]
    m_k, m_l = sa[mr, ra].astype(np.float64), sb[mr, rb].astype(np.float64)
    size = n
    if keep is not None:
        new_id = np.cumsum(keep) - 1
        size = int(keep.sum())
        ka, kb, km = keep[a_r] & keep[a_c], keep[b_r] & keep[b_c], keep[m_r] & keep[m_c]
        a_r, a_c, a_v = new_id[a_r[ka]], new_id[a_c[ka]], a_v[ka]
        b_r, b_c, b_v = new_id[b_r[kb]], new_id[b_c[kb]], b_v[kb]
        m_r, m_c, m_k, m_l = new_id[m_r[km]], new_id[m_c[km]], m_k[km], m_l[km]
    check_unbiased_n(size, "cknna")
    pa = _sparse(a_r, a_c, a_v, size)
    pb = _sparse(b_r, b_c, b_v, size)
    mk = _sparse(m_r, m_c, m_k, size)
    ml = _sparse(m_r, m_c, m_l, size)
    return _ratio(hsic1_sparse(mk, ml), hsic1_sparse(pa, pa), hsic1_sparse(pb, pb), bound=False)


def cknna(a: FloatArray, b: FloatArray, k: int = 10) -> float:
    """CKNNA with linear kernels on the arrays as given (normalise first)."""
    a, b = check_pair(a, b)
    check_k(a.shape[0], k)
    ia, sa = knn_graph(a, k)
    ib, sb = knn_graph(b, k)
    return cknna_from_graphs(ia, sa, ib, sb)
