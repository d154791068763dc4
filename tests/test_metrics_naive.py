"""Every metric against a deliberately naive n×n implementation written here (float64, 1e-9)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.metrics import (
    cka_linear,
    cka_rbf,
    cknna,
    compute_metrics,
    cycle_knn,
    knn_curve,
    knn_graph,
    lcs_knn,
    mutual_knn,
    per_sample_overlap,
    svcca,
    unbiased_cka_linear,
    unbiased_cka_rbf,
)

TOL = 1e-9


# ----------------------------------------------------------------- naive reference code
def naive_knn(x: np.ndarray, k: int) -> np.ndarray:
    s = x @ x.T
    n = len(x)
    out = np.zeros((n, k), dtype=int)
    for i in range(n):
        cand = sorted((j for j in range(n) if j != i), key=lambda j: (-s[i, j], j))
        out[i] = cand[:k]
    return out


def naive_mutual(a, b, k):
    na, nb = naive_knn(a, k), naive_knn(b, k)
    return np.mean([len(set(na[i]) & set(nb[i])) / k for i in range(len(a))])


def naive_cycle(a, b, k):
    na, nb = naive_knn(a, k), naive_knn(b, k)
    return np.mean([any(i in na[j] for j in nb[i]) for i in range(len(a))])


def naive_lcs_pair(x, y):
    dp = [[0] * (len(y) + 1) for _ in range(len(x) + 1)]
    for i in range(len(x)):
        for j in range(len(y)):
            dp[i + 1][j + 1] = dp[i][j] + 1 if x[i] == y[j] else max(dp[i][j + 1], dp[i + 1][j])
    return dp[-1][-1]


def naive_lcs(a, b, k):
    na, nb = naive_knn(a, k), naive_knn(b, k)
    return np.mean([naive_lcs_pair(list(na[i]), list(nb[i])) for i in range(len(a))])


def hsic_biased(k_mat, l_mat):
    n = len(k_mat)
    h = np.eye(n) - np.ones((n, n)) / n
    return np.trace(k_mat @ h @ l_mat @ h)


def hsic_unbiased(k_mat, l_mat):
    m = len(k_mat)
    kt, lt = k_mat.copy(), l_mat.copy()
    np.fill_diagonal(kt, 0)
    np.fill_diagonal(lt, 0)
    return (
        np.sum(kt * lt.T) + kt.sum() * lt.sum() / ((m - 1) * (m - 2)) - 2 * np.sum(kt @ lt) / (m - 2)
    ) / (m * (m - 3))


def cka_of(k_mat, l_mat, hsic):
    return hsic(k_mat, l_mat) / np.sqrt(hsic(k_mat, k_mat) * hsic(l_mat, l_mat))


def rbf(x, sigma):
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2 * sigma**2))


def naive_cknna(a, b, k):
    kk, ll = a @ a.T, b @ b.T
    n = len(a)

    def mask(s):
        m = np.zeros((n, n))
        for i, row in enumerate(naive_knn_from_sim(s, k)):
            m[i, row] = 1
        return m

    ma, mb = mask(kk), mask(ll)
    m = ma * mb
    return hsic_unbiased(m * kk, m * ll) / np.sqrt(
        hsic_unbiased(ma * kk, ma * kk) * hsic_unbiased(mb * ll, mb * ll)
    )


def naive_knn_from_sim(s, k):
    n = len(s)
    return [sorted((j for j in range(n) if j != i), key=lambda j: (-s[i, j], j))[:k] for i in range(n)]


def naive_svcca(a, b, d):
    ua = np.linalg.svd(a - a.mean(0), full_matrices=False)[0][:, :d]
    ub = np.linalg.svd(b - b.mean(0), full_matrices=False)[0][:, :d]
    return np.linalg.svd(ua.T @ ub, compute_uv=False).mean()


# ----------------------------------------------------------------- data
@pytest.fixture(scope="module")
def pair() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    n = 70
    a = rng.standard_normal((n, 12)) + 0.5  # non-zero mean: exercises the centring
    b = np.tanh(a[:, :8] @ rng.standard_normal((8, 9))) + 0.6 * rng.standard_normal((n, 9))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    return a, b


def test_knn_graph_matches_sorting_every_row(pair):
    a, _ = pair
    idx, sims = knn_graph(a, 9)
    ref = naive_knn(a, 9)
    np.testing.assert_array_equal(idx, ref)
    np.testing.assert_allclose(sims, np.take_along_axis(a @ a.T, ref, 1), atol=1e-12)


def test_knn_graph_candidate_path_matches_sorting():
    # n ≥ 64·2k takes the strided-group candidate bound; blocks of 64 rows, uneven tail
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1500, 6))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    idx, _ = knn_graph(x, 5, block_rows=64)
    s = x @ x.T
    np.fill_diagonal(s, -np.inf)
    ref = np.lexsort((np.broadcast_to(np.arange(1500), s.shape), -s), axis=1)[:, :5]
    np.testing.assert_array_equal(idx, ref)


def test_knn_graph_ties_break_by_index():
    x = np.array([[1.0, 0], [1.0, 0], [1.0, 0], [0, 1.0], [1.0, 0]])
    idx, _ = knn_graph(x, 3)
    np.testing.assert_array_equal(idx[0], [1, 2, 4])
    np.testing.assert_array_equal(idx[3], [0, 1, 2])


@pytest.mark.parametrize("k", [1, 5, 10])
def test_knn_metrics_match_naive(pair, k):
    a, b = pair
    assert abs(mutual_knn(a, b, k) - naive_mutual(a, b, k)) < TOL
    assert abs(cycle_knn(a, b, k) - naive_cycle(a, b, k)) < TOL
    assert abs(lcs_knn(a, b, k) - naive_lcs(a, b, k)) < TOL


def test_cka_variants_match_naive(pair):
    a, b = pair
    k_lin, l_lin = a @ a.T, b @ b.T
    assert abs(cka_linear(a, b) - cka_of(k_lin, l_lin, hsic_biased)) < TOL
    assert abs(unbiased_cka_linear(a, b) - cka_of(k_lin, l_lin, hsic_unbiased)) < TOL
    for sigma in (0.5, 1.0, 2.0):
        kr, lr = rbf(a, sigma), rbf(b, sigma)
        assert abs(cka_rbf(a, b, sigma) - cka_of(kr, lr, hsic_biased)) < TOL
        assert abs(unbiased_cka_rbf(a, b, sigma) - cka_of(kr, lr, hsic_unbiased)) < TOL


def test_unbiased_linear_cka_uncentred_data_matches_naive():
    # the feature-space formula shifts by the means; the naive one uses raw K = XXᵀ
    rng = np.random.default_rng(11)
    a = rng.standard_normal((40, 5)) + 3.0
    b = a @ rng.standard_normal((5, 4)) + rng.standard_normal((40, 4)) - 2.0
    ref = cka_of(a @ a.T, b @ b.T, hsic_unbiased)
    assert abs(unbiased_cka_linear(a, b) - ref) < 1e-9


@pytest.mark.parametrize("k", [3, 10])
def test_cknna_matches_naive(pair, k):
    a, b = pair
    assert abs(cknna(a, b, k) - naive_cknna(a, b, k)) < TOL


def test_svcca_matches_exact_svd(pair):
    a, b = pair
    for d in (1, 5, 9):
        assert abs(svcca(a, b, d) - naive_svcca(a, b, d)) < TOL


def test_compute_metrics_matches_naive_with_normalisation():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((50, 10)) * 3
    b = a[:, :6] @ rng.standard_normal((6, 7)) + rng.standard_normal((50, 7))
    out = compute_metrics(a, b, k=4, rbf_sigma=0.8, svcca_dim=5)
    an = a / np.linalg.norm(a, axis=1, keepdims=True)
    bn = b / np.linalg.norm(b, axis=1, keepdims=True)
    assert abs(out["mutual_knn"] - naive_mutual(an, bn, 4)) < TOL
    assert abs(out["cycle_knn"] - naive_cycle(an, bn, 4)) < TOL
    assert abs(out["lcs_knn"] - naive_lcs(an, bn, 4)) < TOL
    assert abs(out["cka_linear"] - cka_of(an @ an.T, bn @ bn.T, hsic_biased)) < TOL
    assert abs(out["unbiased_cka_linear"] - cka_of(an @ an.T, bn @ bn.T, hsic_unbiased)) < TOL
    assert abs(out["cka_rbf"] - cka_of(rbf(an, 0.8), rbf(bn, 0.8), hsic_biased)) < TOL
    assert abs(out["unbiased_cka_rbf"] - cka_of(rbf(an, 0.8), rbf(bn, 0.8), hsic_unbiased)) < TOL
    assert abs(out["cknna"] - naive_cknna(an, bn, 4)) < TOL
    assert abs(out["svcca"] - naive_svcca(an, bn, 5)) < TOL
    # without normalisation the raw arrays are used
    raw = compute_metrics(a, b, k=4, metrics="cka_linear,mutual_knn", normalize=False)
    assert abs(raw["cka_linear"] - cka_of(a @ a.T, b @ b.T, hsic_biased)) < TOL
    assert abs(raw["mutual_knn"] - naive_mutual(a, b, 4)) < TOL


def test_per_sample_overlap_and_curve_match_naive(pair):
    a, b = pair
    per = per_sample_overlap(a, b, k=6, normalize=False)
    na, nb = naive_knn(a, 6), naive_knn(b, 6)
    ref = [len(set(na[i]) & set(nb[i])) / 6 for i in range(len(a))]
    np.testing.assert_allclose(per, ref, atol=1e-12)
    curve = knn_curve(a, b, ks=range(1, 21), normalize=False)
    assert curve["k"] == list(range(1, 21))
    for kk, v, c in zip(curve["k"], curve["mutual_knn"], curve["chance"], strict=True):
        assert abs(v - naive_mutual(a, b, kk)) < TOL
        assert c == pytest.approx(kk / (len(a) - 1))


def test_rbf_subsample_cap_is_stated():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((300, 5))
    out = compute_metrics(a, a, metrics="cka_rbf,unbiased_cka_rbf", rbf_max_n=100, seed=4)
    assert any("subsample of 100 of 300" in note for note in out["notes"])
    assert out["cka_rbf"] == pytest.approx(1.0, abs=1e-12)
    assert out["unbiased_cka_rbf"] == pytest.approx(1.0, abs=1e-12)
