"""Heterogeneity scores: known cases and the validation on the synthetic generator."""

from __future__ import annotations

import numpy as np
import pytest

from engine.study.heterogeneity import heterogeneity_scores, validate_on_generator


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


@pytest.mark.slow
def test_scores_rise_with_dphi_on_the_generator() -> None:
    out = validate_on_generator()
    rho = out["spearman_vs_Dphi"]
    assert rho["linear_deficit"] >= 0.9
    assert rho["transfer"] >= 0.9
