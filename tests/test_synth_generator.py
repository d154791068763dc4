"""The paper's synthetic generator: bit layout, uniform p(y), I(X1,X2;Y) ≈ 1.159 nats, tiny training."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.synth.calibrate import DEFAULT_LABEL_SEED, SynthConfig, run_sweep
from engine.synth.generator import (
    all_patterns,
    apply_heterogeneity,
    bit_split,
    generate,
    label_mutual_information,
    make_label_model,
)


@pytest.mark.parametrize("r", range(9))
def test_bit_split_matches_paper(r: int) -> None:
    shared, u1, u2 = bit_split(r)
    assert shared == r and u1 == (8 - r) // 2 and shared + u1 + u2 == 8
    assert u1 <= 4 and u2 <= 4


def test_bit_layout_shared_and_unique_parts() -> None:
    d = generate(4000, 4, 0, seed=1)
    # x2 is raw bits: the first 8 (xc) equal modality 1's first 8 bits, the last 4 are its own
    assert np.array_equal(d.x2[:, :8], d.bits1[:, :8])
    assert set(np.unique(d.x2)) == {0.0, 1.0}
    # unique parts are independent of each other: agreement ≈ 1/2
    agree = np.mean(d.x2[:, 8:] == d.bits1[:, 8:])
    assert agree == pytest.approx(0.5, abs=0.03)
    assert d.x1.shape == d.x2.shape == (4000, 12)


@pytest.mark.parametrize("r", [0, 3, 8])
def test_py_uniform_exactly_and_empirically(r: int) -> None:
    model = make_label_model(r, seed=DEFAULT_LABEL_SEED)
    py = model.probabilities(all_patterns()).mean(axis=0)
    assert py == pytest.approx(np.full(4, 0.25), abs=1e-10)
    d = generate(20000, r, 0, seed=2, label_seed=DEFAULT_LABEL_SEED)
    counts = np.bincount(d.y, minlength=4) / d.y.size
    assert counts == pytest.approx(np.full(4, 0.25), abs=0.015)


def test_mutual_information_held_at_paper_value() -> None:
    values = [label_mutual_information(make_label_model(r, seed=DEFAULT_LABEL_SEED)) for r in range(9)]
    assert max(values) - min(values) < 1e-9  # the same W for every r: I is constant by design
    assert values[0] == pytest.approx(1.159, abs=0.005)  # nats, as the paper
    assert values[0] < np.log(4)


def test_label_depends_on_the_selected_bits_only() -> None:
    # r = 8: the label uses the 8 shared bits, so unique bits carry no information about y
    d = generate(20000, 8, 0, seed=3, label_seed=DEFAULT_LABEL_SEED)
    for j in range(8, 12):
        p1 = np.bincount(d.y[d.x2[:, j] == 1], minlength=4) / np.sum(d.x2[:, j] == 1)
        p0 = np.bincount(d.y[d.x2[:, j] == 0], minlength=4) / np.sum(d.x2[:, j] == 0)
        assert np.abs(p1 - p0).max() < 0.03


def test_heterogeneity_transform_linear_at_zero_and_nested() -> None:
    x = np.random.default_rng(0).integers(0, 2, size=(50, 12)).astype(np.float32)
    # D_phi = 0 is affine: f(a) + f(b) - f(0) = f(a + b) on any inputs
    f0 = apply_heterogeneity(np.zeros((1, 12)), 0)
    lhs = apply_heterogeneity(x[:25], 0) + apply_heterogeneity(x[25:], 0) - f0
    rhs = apply_heterogeneity(x[:25] + x[25:], 0)
    assert lhs == pytest.approx(rhs, abs=1e-4)
    assert not np.allclose(apply_heterogeneity(x, 2), apply_heterogeneity(x, 1))


def test_bad_parameters() -> None:
    with pytest.raises(InputError, match=r"0\.\.8"):
        bit_split(9)
    with pytest.raises(InputError, match="D_phi"):
        apply_heterogeneity(np.zeros((1, 12)), -1)


def test_tiny_sweep_runs_and_reports_the_contract_keys() -> None:
    cfg = SynthConfig(u_values=(0, 4, 8), dphi_values=(0, 1), n_train=1024, n_eval=128, depth=2,
                      epochs=3, k=10, seeds=(0,), heterogeneity_check=False)
    out = run_sweep(cfg)
    for key in ("spearman_alignment_vs_U", "spearman_alignment_vs_Dphi"):
        assert set(out[key]) >= {"mutual_knn", "unbiased_cka_linear"}
    assert set(out["spearman_alignment_vs_U"]["mutual_knn"]) == {"0", "1"}
    assert set(out["spearman_alignment_vs_Dphi"]["mutual_knn"]) == {"0", "4", "8"}
    assert len(out["rows"]) == 6
    for row in out["rows"]:
        assert 0.0 <= row["mutual_knn"] <= 1.0
        assert 0.25 <= row["accuracy_2"] <= 1.0 or row["U"] > 0
