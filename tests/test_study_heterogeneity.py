"""Heterogeneity scores: known cases, the transfer decomposition, and the validation on
trained synthetic encoders at U > 0."""

from __future__ import annotations

import numpy as np
import pytest

from engine.study.heterogeneity import heterogeneity_scores, transfer_decomposition
from engine.synth.validate_heterogeneity import validate_on_encoders


def test_linear_relation_scores_low_and_independent_scores_high() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(800, 10))
    q, _ = np.linalg.qr(rng.normal(size=(10, 10)))
    same = heterogeneity_scores(a, a @ q, None)
    assert same["linear_deficit"] == pytest.approx(0.0, abs=0.01)  # a rotation: linear, nothing lost
    assert same["nonlinear_gap"] == pytest.approx(0.0, abs=0.01)
    assert same["transfer"] is None
    other = heterogeneity_scores(a, rng.normal(size=(800, 10)), None)
    assert other["linear_deficit"] > 0.95  # nothing in common


def test_nonlinear_relation_has_a_gap() -> None:
    rng = np.random.default_rng(1)
    t = rng.uniform(-3, 3, size=(1500, 1))
    a = np.hstack([t, rng.normal(scale=0.01, size=(1500, 1))])
    b = np.hstack([np.sin(2 * t), np.cos(2 * t)])  # a circle: no linear map recovers it
    s = heterogeneity_scores(a, b, None)
    assert s["nonlinear_gap"] > 0.3  # vs ≈ 0 for the rotation above


def _bits(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.integers(0, 2, size=(n, k))


def test_transfer_loss_from_uniqueness_is_explained_by_information() -> None:
    """A and B share two bits and each has two of its own; the label uses one of B's own bits."""
    rng = np.random.default_rng(0)
    n = 3000
    shared, own_a, own_b = _bits(rng, n, 2), _bits(rng, n, 2), _bits(rng, n, 2)
    y = shared[:, 0] * 2 + own_b[:, 0]
    a = np.hstack([shared, own_a]) + 0.1 * rng.normal(size=(n, 4))
    b = np.hstack([shared, own_b]) + 0.1 * rng.normal(size=(n, 4))
    dec = transfer_decomposition(a, b, y)
    assert dec is not None
    assert dec.transfer == pytest.approx(0.5, abs=0.1)  # the one bit only B has, half the time lost
    assert dec.information_b - dec.information_a == pytest.approx(1.0, abs=0.1)  # bits
    assert abs(dec.beyond_information) < 0.1  # nothing left once uniqueness is accounted for
    assert dec.transfer == pytest.approx(dec.explained_by_information + dec.beyond_information)


def test_transfer_loss_from_a_different_encoding_is_beyond_information() -> None:
    rng = np.random.default_rng(1)
    t = rng.normal(size=3000)
    y = (t > 1).astype(int)
    a = np.column_stack([t, rng.normal(size=3000)])
    b = np.column_stack([np.exp(2 * t), rng.normal(size=3000)])  # same information, bent
    dec = transfer_decomposition(a, b, y)
    assert dec is not None
    assert abs(dec.information_a - dec.information_b) < 0.2  # both read the label about as well
    assert dec.beyond_information > 0.5  # but a probe does not survive the linear bridge
    rotated = transfer_decomposition(a, a @ np.array([[0.0, 1.0], [1.0, 0.0]]), y)
    assert rotated is not None and abs(rotated.transfer) < 0.02 and abs(rotated.beyond_information) < 0.02
    assert transfer_decomposition(a, b, np.zeros(3000)) is None  # one class: nothing to transfer


@pytest.mark.slow
def test_validation_on_trained_encoders_shows_what_each_score_mixes() -> None:
    out = validate_on_encoders(quick=True)
    enc, raw = out["on"]["encoders"], out["on"]["raw_inputs"]
    # on trained encoders the deficit follows uniqueness at every D_phi ...
    assert enc["linear_deficit"]["median_spearman_vs_U"] >= 0.8
    # ... while on raw inputs (which do not depend on U) it follows D_phi
    assert raw["linear_deficit"]["median_spearman_vs_Dphi"] >= 0.8
    # transfer rises with D_phi at low U only
    assert enc["transfer"]["spearman_vs_Dphi"]["0"] >= 0.6
    assert enc["transfer"]["spearman_vs_Dphi"]["8"] < 0.3
    # the part of transfer that information differences do not explain does not follow U
    assert abs(enc["transfer_beyond_information"]["median_spearman_vs_U"]) < 0.7
    assert set(out["mixes"]) == set(enc)
