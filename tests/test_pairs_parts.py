"""Parts of the scorer against independent truth: exact ranks, CCA, q-values, the null score."""

from __future__ import annotations

import numpy as np

from engine.pairs.cca import FoldStats, fit_cca, llr_vectors
from engine.pairs.combine import fit_combination, mismatch_share, null_score, q_values
from engine.pairs.ranks import Queries, partner_positions
from engine.pairs.reduce import duplicate_counts, reduce_space


def test_partner_positions_match_a_plain_count_with_duplicates() -> None:
    rng = np.random.default_rng(0)
    n, d = 700, 5
    # small integers: every product is exact, so "higher" has one meaning (distinct candidates
    # with equal scores are not higher; identical ones share their place)
    cand = rng.integers(-4, 5, size=(n, d)).astype(np.float32)
    cand[10] = cand[3]          # an exact duplicate candidate (a template report)
    cand[11] = cand[3]
    query = rng.integers(-4, 5, size=(n, d)).astype(np.float32)
    targets = rng.integers(0, n, size=n)
    targets[:4] = 3             # target with two duplicates
    dup = duplicate_counts(cand)
    assert dup[3] == dup[10] == dup[11] == 3 and dup[0] == 1
    (got,) = partner_positions([Queries(query, cand, targets)], dup, threads=2)
    sim = query.astype(np.float64) @ cand.T.astype(np.float64)
    t = sim[np.arange(n), targets]
    higher = (sim > t[:, None]).sum(axis=1)
    expected = 1 + higher + 0.5 * (dup[targets] - 1)
    assert np.array_equal(got, expected)
    assert got[0] == 1 + higher[0] + 1.0  # shares its place with two identical reports


def test_cca_recovers_known_canonical_correlations() -> None:
    rng = np.random.default_rng(1)
    n, rho = 20000, np.array([0.9, 0.6, 0.3])
    z = rng.standard_normal((n, 3))
    a = np.concatenate([z, rng.standard_normal((n, 3))], axis=1)
    b = np.concatenate([rho * z + np.sqrt(1 - rho**2) * rng.standard_normal((n, 3)),
                        rng.standard_normal((n, 3))], axis=1)
    # random rotations: the relation is hidden in mixed coordinates
    a = a @ np.linalg.qr(rng.standard_normal((6, 6)))[0]
    b = b @ np.linalg.qr(rng.standard_normal((6, 6)))[0]
    folds = np.arange(n) % 4
    model = fit_cca(FoldStats.of(a, b, folds, 4), 0, 6, reg=1e-6)
    assert np.allclose(model.rho[:3], rho, atol=0.02)
    assert np.all(model.rho[3:] < 0.05)
    # the LLR vectors reproduce the formula s(i, j) = Σ [ρ u_i v_j − ρ² v_j² / 2] / (1 − ρ²)
    top = model.top(2)
    u, v = top.canonical(a[:5], b[:5])
    q, c = llr_vectors(u, v, top.rho)
    r = top.rho
    direct = (u * r / (1 - r**2)) @ v.T - (v**2 @ (r**2 / (2 * (1 - r**2))))[None, :]
    assert np.allclose(q.astype(np.float64) @ c.T.astype(np.float64), direct, atol=1e-4)


def test_reduce_space_is_pca_of_the_normalised_rows() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((300, 40)) * np.linspace(3, 0.1, 40) + 2.0
    got = reduce_space(x.astype(np.float32), max_dim=5)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    centred = unit - unit.mean(axis=0)
    vt = np.linalg.svd(centred, full_matrices=False)[2]
    expected = centred @ vt[:5].T
    assert np.allclose(np.abs(got), np.abs(expected), atol=1e-5)  # axes up to sign


def test_null_score_is_the_share_of_null_pairs_at_least_as_good() -> None:
    null = np.arange(1000, dtype=np.float64)          # evidence 0..999
    got = null_score(np.array([-5.0, 499.5, 2000.0]), null)
    assert np.isclose(got[0], 1 - 0.5 / 1000) and np.isclose(got[2], 0.5 / 1000)
    assert abs(got[1] - 0.5) < 1e-3


def test_q_values_on_a_known_mixture() -> None:
    rng = np.random.default_rng(3)
    # 900 well-fitting pairs with scores near 0, 100 mismatches uniform on (0, 1)
    score = np.concatenate([rng.uniform(0, 0.02, 900), rng.uniform(0, 1, 100)])
    share = mismatch_share(score)
    assert abs(share - 0.1) < 0.03
    q = q_values(score, share)
    order = np.argsort(-score)
    assert np.all(np.diff(q[order]) >= -1e-12)          # monotone along the list
    flagged = q <= 0.05
    # π̂₁ comes from ~30 pairs above λ: the realised false share is within counting noise of 5 %
    assert flagged.sum() >= 70 and np.mean(np.arange(1000)[flagged] >= 900) >= 0.8
    # tied scores get the same q-value
    tied = q_values(np.array([0.9, 0.9, 0.1, 0.05]), 0.5)
    assert tied[0] == tied[1]


def test_combination_weights_follow_the_informative_signal() -> None:
    rng = np.random.default_rng(4)
    real = np.stack([rng.exponential(3.0, 4000), rng.exponential(1.0, 4000)], axis=1)  # signal 1 only
    null = rng.exponential(1.0, (4000, 2))
    w, _ = fit_combination(real, null)
    assert w[0] > 0.3 and abs(w[1]) < 0.1
