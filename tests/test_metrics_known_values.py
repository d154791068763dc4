"""Known values: identical → 1, rotations → 1, independent → chance, invariances, uncertainty."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ortho_group

from engine.metrics import METRIC_NAMES, compute_metrics, knn_curve, knn_indices, per_sample_overlap


def _data(n: int, d: int, seed: int, dtype: type = np.float64) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d)).astype(dtype)


def test_identical_inputs_score_one_everywhere():
    a = _data(400, 24, 0)
    out = compute_metrics(a, a.copy(), k=10)
    for m in METRIC_NAMES:
        expected = 10.0 if m == "lcs_knn" else 1.0
        assert out[m] == pytest.approx(expected, abs=1e-12), m
    assert out["n"] == 400 and out["k"] == 10 and out["normalized"] is True


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 2e-6)])
def test_orthogonal_rotation_scores_one(dtype, tol):
    a = _data(500, 32, 1)
    r = ortho_group.rvs(32, random_state=2)
    b = (a @ r).astype(dtype)
    out = compute_metrics(a.astype(dtype), b, k=10)
    for m in ("mutual_knn", "cycle_knn", "cka_linear", "unbiased_cka_linear", "cka_rbf",
              "unbiased_cka_rbf", "cknna", "svcca"):
        assert out[m] == pytest.approx(1.0, abs=tol), m
    assert out["lcs_knn"] == pytest.approx(10.0, abs=1e-9)


def test_rotation_into_more_dimensions_scores_one():
    # B = A·Q with Q a 32×48 matrix with orthonormal rows: an isometric embedding
    a = _data(300, 32, 3)
    q = ortho_group.rvs(48, random_state=4)[:32]
    out = compute_metrics(a, a @ q, k=5, metrics="mutual_knn,cka_linear,unbiased_cka_linear,svcca")
    for m in ("mutual_knn", "cka_linear", "unbiased_cka_linear", "svcca"):
        assert out[m] == pytest.approx(1.0, abs=1e-10), m


def test_independent_random_spaces_score_chance():
    n, k = 2000, 10
    a, b = _data(n, 64, 5), _data(n, 48, 6)
    out = compute_metrics(a, b, k=k, metrics="mutual_knn,unbiased_cka_linear,cka_linear,svcca")
    chance = k / (n - 1)
    # per-sample overlap ~ Binomial(k, chance)/k: sd of the mean ≈ sqrt(chance/(k n)) ≈ 7e-4
    assert abs(out["mutual_knn"] - chance) < 4e-3
    assert abs(out["unbiased_cka_linear"]) < 2e-3
    assert 0 < out["cka_linear"] < 0.05  # biased CKA: small positive
    curve = knn_curve(a, b, ks=[1, 10, 50])
    for v, c in zip(curve["mutual_knn"], curve["chance"], strict=True):
        assert abs(v - c) < 4 * np.sqrt(c / (len(a))) + 1e-3


def test_invariant_to_shared_row_permutation_and_isotropic_scaling():
    rng = np.random.default_rng(8)
    a = _data(300, 16, 8)
    b = np.tanh(a @ rng.standard_normal((16, 12))) + 0.5 * _data(300, 12, 9)
    base = compute_metrics(a, b, k=7, svcca_dim=6)
    p = rng.permutation(300)
    perm = compute_metrics(a[p], b[p], k=7, svcca_dim=6)
    for m in METRIC_NAMES:
        assert perm[m] == pytest.approx(base[m], abs=1e-10), m
    # isotropic scaling: without normalisation the scale-free metrics are unchanged
    raw = compute_metrics(a, b, k=7, svcca_dim=6, normalize=False,
                          metrics="mutual_knn,cycle_knn,lcs_knn,cka_linear,unbiased_cka_linear,cknna,svcca")
    scaled = compute_metrics(3.5 * a, 0.2 * b, k=7, svcca_dim=6, normalize=False,
                             metrics="mutual_knn,cycle_knn,lcs_knn,cka_linear,unbiased_cka_linear,cknna,svcca")
    for m in ("mutual_knn", "cycle_knn", "lcs_knn", "cka_linear", "unbiased_cka_linear", "cknna", "svcca"):
        assert scaled[m] == pytest.approx(raw[m], abs=1e-10), m
    # with normalisation (default) every metric, RBF included, ignores the scale
    norm_scaled = compute_metrics(3.5 * a, 0.2 * b, k=7, svcca_dim=6)
    for m in METRIC_NAMES:
        assert norm_scaled[m] == pytest.approx(base[m], abs=1e-10), m


def test_clamping_is_optional_and_not_rotation_invariant():
    a = _data(400, 32, 10)
    a[:, 0] *= 20  # heavy column, so clamping bites
    b = a @ ortho_group.rvs(32, random_state=11)
    plain = compute_metrics(a, b, metrics="mutual_knn")
    clamped = compute_metrics(a, b, metrics="mutual_knn", clamp_quantile=0.95)
    assert plain["mutual_knn"] == pytest.approx(1.0)
    assert clamped["mutual_knn"] < 0.99


def test_gui_helpers_shapes_and_self_exclusion():
    a = _data(120, 8, 12)
    idx = knn_indices(a, 5)
    assert idx.shape == (120, 5)
    assert not np.any(idx == np.arange(120)[:, None])
    over = per_sample_overlap(a, a, k=5)
    np.testing.assert_array_equal(over, np.ones(120))


def test_bootstrap_and_null_are_seeded_and_shaped():
    rng = np.random.default_rng(13)
    a = _data(200, 12, 13)
    b = a[:, :8] @ rng.standard_normal((8, 10)) + 0.3 * _data(200, 10, 14)
    one = compute_metrics(a, b, k=5, svcca_dim=4, bootstrap=15, permutations=19, seed=3)
    two = compute_metrics(a, b, k=5, svcca_dim=4, bootstrap=15, permutations=19, seed=3)
    assert one["ci"] == two["ci"] and one["null"] == two["null"]
    assert one["seed"] == 3
    assert set(one["ci"]) == set(METRIC_NAMES) == set(one["null"])
    for m in METRIC_NAMES:
        lo, hi = one["ci"][m]
        assert lo <= hi
        # strongly paired data: every permutation scores lower → p = 1/(1+N)
        assert one["null"][m]["p"] == pytest.approx(1 / 20), m
        assert one["null"][m]["mean"] < one[m], m
    assert "ci" not in compute_metrics(a, b, k=5, metrics="mutual_knn")


def test_null_p_value_is_large_for_independent_spaces():
    a, b = _data(300, 10, 15), _data(300, 10, 16)
    out = compute_metrics(a, b, k=5, metrics="mutual_knn,unbiased_cka_linear", permutations=99, seed=1)
    for m in ("mutual_knn", "unbiased_cka_linear"):
        assert out["null"][m]["p"] > 0.01, m
        assert 0 < out["null"][m]["p"] <= 1


def test_uncertainty_subsample_cap_is_stated(monkeypatch):
    from engine.metrics import uncertainty

    monkeypatch.setattr(uncertainty, "LINEAR_MAX_N", 100)
    a = _data(250, 6, 17)
    out = compute_metrics(a, a, metrics="cka_linear", bootstrap=5, permutations=5, seed=2)
    assert any("subsample of 100 of 250" in n for n in out["notes"])
    assert out["ci"]["cka_linear"][0] == pytest.approx(1.0)


def test_uncertainty_on_tiny_data_skips_degenerate_replicates():
    a, b = _data(5, 3, 18), _data(5, 3, 19)
    out = compute_metrics(a, b, k=2, svcca_dim=2, bootstrap=30, permutations=10, seed=0)
    assert set(out["null"]) == set(METRIC_NAMES)
    assert any("skipped" in n for n in out["notes"])
    for lo_hi in out["ci"].values():
        assert lo_hi[0] <= lo_hi[1]
