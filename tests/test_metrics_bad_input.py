"""Every bad input is refused with an InputError that names the problem."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.metrics import (
    cka_linear,
    compute_metrics,
    knn_curve,
    knn_indices,
    mutual_knn,
    per_sample_overlap,
    svcca,
    unbiased_cka_linear,
)


def _ok(n: int = 30, d: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, d))


def test_nan_and_inf_rows_are_reported_by_row():
    a, b = _ok(), _ok(seed=1)
    a[3, 1] = np.nan
    a[17, 0] = np.inf
    with pytest.raises(InputError, match=r"A: 2 row\(s\) contain NaN or inf values \(rows 3, 17"):
        compute_metrics(a, b)
    b[5, 2] = -np.inf
    with pytest.raises(InputError, match=r"B: .*rows 5"):
        compute_metrics(_ok(), b)


def test_many_bad_rows_are_summarised():
    a = _ok(60)
    a[::2, 0] = np.nan
    with pytest.raises(InputError, match=r"30 row\(s\).*and 20 more"):
        compute_metrics(a, _ok(60))


def test_mismatched_sample_counts():
    with pytest.raises(InputError, match="A has 30 samples but B has 29"):
        compute_metrics(_ok(30), _ok(29))


@pytest.mark.parametrize("k", [30, 31, 100])
def test_n_not_above_k(k):
    with pytest.raises(InputError, match=rf"n=30 ≤ k={k}"):
        compute_metrics(_ok(), _ok(seed=1), k=k)
    with pytest.raises(InputError, match=rf"n=30 ≤ k={k}"):
        mutual_knn(_ok(), _ok(seed=1), k)


def test_k_must_be_positive_integer():
    with pytest.raises(InputError, match="at least 1"):
        compute_metrics(_ok(), _ok(), k=0, metrics="mutual_knn")
    with pytest.raises(InputError, match="integer"):
        knn_indices(_ok(), 2.5)  # type: ignore[arg-type]


def test_fewer_than_four_samples_for_unbiased_estimators():
    a, b = _ok(3, 2), _ok(3, 2, 1)
    with pytest.raises(InputError, match="at least 4 samples, got n=3"):
        compute_metrics(a, b, metrics="unbiased_cka_linear")
    with pytest.raises(InputError, match="at least 4 samples"):
        unbiased_cka_linear(a, b)
    with pytest.raises(InputError, match="at least 4 samples"):
        compute_metrics(a, b, metrics="unbiased_cka_rbf")
    # the biased ones are fine with 3
    assert 0 <= compute_metrics(a, b, metrics="cka_linear")["cka_linear"] <= 1


def test_svcca_zero_variance_columns_explained():
    a = _ok(40, 6)
    a[:, 2] = 0.7
    b = _ok(40, 6, 1)
    # too few directions of variance → refused with the reason
    with pytest.raises(InputError, match=r"svcca needs 6 directions of variance in A but .* span only 5"):
        svcca(a, b, 6)
    # enough directions left: computed, and the zero-variance column is named in the notes
    out = compute_metrics(a, b, metrics="svcca", svcca_dim=3, normalize=False)
    assert any("zero-variance column(s) (2)" in n for n in out["notes"])
    with pytest.raises(InputError, match="exceeds the 4 features of B"):
        svcca(_ok(40, 6), _ok(40, 4), 5)
    # the study's metrics clip to what the data span, and say so (issue 17: pick-list reports)
    out = compute_metrics(_ok(40, 6), _ok(40, 4), metrics="svcca", svcca_dim=5, normalize=False)
    assert out["svcca"] == pytest.approx(svcca(_ok(40, 6), _ok(40, 4), 4))
    assert any("computed on 4 directions instead of 5" in n for n in out["notes"])


def test_all_zero_row_cannot_be_normalised():
    a = _ok()
    a[4] = 0
    with pytest.raises(InputError, match=r"A: 1 all-zero row\(s\).*rows 4"):
        compute_metrics(a, _ok(seed=1))


def test_empty_arrays():
    with pytest.raises(InputError, match="empty array"):
        compute_metrics(np.zeros((0, 4)), np.zeros((0, 4)))
    with pytest.raises(InputError, match="empty array"):
        cka_linear(np.zeros((5, 0)), np.zeros((5, 3)))


@pytest.mark.parametrize(
    "bad,match",
    [
        (np.array([["a", "b"], ["c", "d"]]), "dtype <U1"),
        (np.array([[1, "x"]], dtype=object), "dtype object"),
        (np.ones((5, 2), dtype=complex), "complex"),
        (np.ones(5), r"2-D array .* got 1-D"),
        (np.ones((2, 3, 4)), "got 3-D"),
    ],
)
def test_wrong_dtypes_and_shapes(bad, match):
    with pytest.raises(InputError, match=match):
        compute_metrics(bad, np.ones((5, 2)))
    with pytest.raises(InputError, match=match):
        knn_indices(bad, 1)


def test_integer_and_float16_inputs_are_accepted():
    a = np.random.default_rng(0).integers(-5, 5, size=(40, 6))
    out = compute_metrics(a, a.astype(np.float16), metrics="cka_linear")
    assert out["cka_linear"] == pytest.approx(1.0, abs=1e-6)


def test_bad_options():
    with pytest.raises(InputError, match="unknown metric"):
        compute_metrics(_ok(), _ok(), metrics="mutual_knn,cka")
    with pytest.raises(InputError, match="clamp quantile"):
        compute_metrics(_ok(), _ok(), clamp_quantile=1.5)
    with pytest.raises(InputError, match="sigma"):
        compute_metrics(_ok(), _ok(), rbf_sigma=0)
    with pytest.raises(InputError, match="≥ 0"):
        compute_metrics(_ok(), _ok(), bootstrap=-1)
    with pytest.raises(InputError, match="n=30 ≤ k=40"):
        knn_curve(_ok(), _ok(), ks=range(1, 41))
    with pytest.raises(InputError, match="n=30 ≤ k=30"):
        per_sample_overlap(_ok(), _ok(), k=30)
