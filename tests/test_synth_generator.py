"""The paper's synthetic generator: bit layout, uniform p(y), I(X1,X2;Y) ≈ 1.159 nats, the
reference's heterogeneity transform (x2, PyTorch init, independent per D_phi, z-scored)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.synth.calibrate import DEFAULT_LABEL_SEED
from engine.synth.generator import (
    DIM,
    all_patterns,
    apply_heterogeneity,
    bit_split,
    generate,
    heterogeneity_layers,
    label_mutual_information,
    make_label_model,
    split_rows,
    split_standardised,
)


@pytest.mark.parametrize("r", range(9))
def test_bit_split_matches_paper(r: int) -> None:
    shared, u1, u2 = bit_split(r)
    assert shared == r and u1 == (8 - r) // 2 and shared + u1 + u2 == 8
    assert u1 <= 4 and u2 <= 4


def test_bit_layout_shared_and_unique_parts() -> None:
    d = generate(4000, 4, 3, seed=1)
    # x1 is raw bits (the untransformed modality); x2's raw bits share the first 8 (xc) with it
    assert set(np.unique(d.x1)) == {0.0, 1.0}
    assert np.array_equal(d.bits2[:, :8], d.x1[:, :8])
    # unique parts are independent of each other: agreement ≈ 1/2
    agree = np.mean(d.bits2[:, 8:] == d.x1[:, 8:])
    assert agree == pytest.approx(0.5, abs=0.03)
    assert d.x1.shape == d.x2.shape == (4000, 12)
    # only x2 is transformed, and only its transform changes with D_phi
    other = generate(4000, 4, 5, seed=1)
    assert np.array_equal(other.x1, d.x1) and np.array_equal(other.y, d.y)
    assert not np.allclose(other.x2, d.x2)


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
        p1 = np.bincount(d.y[d.bits2[:, j] == 1], minlength=4) / np.sum(d.bits2[:, j] == 1)
        p0 = np.bincount(d.y[d.bits2[:, j] == 0], minlength=4) / np.sum(d.bits2[:, j] == 0)
        assert np.abs(p1 - p0).max() < 0.03


def test_heterogeneity_transform_is_the_references() -> None:
    x = np.random.default_rng(0).integers(0, 2, size=(50, 12)).astype(np.float32)
    # D_phi = 0 is affine: f(a) + f(b) - f(0) = f(a + b) on any inputs
    f0 = apply_heterogeneity(np.zeros((1, 12)), 0)
    lhs = apply_heterogeneity(x[:25], 0) + apply_heterogeneity(x[25:], 0) - f0
    rhs = apply_heterogeneity(x[:25] + x[25:], 0)
    assert lhs == pytest.approx(rhs, abs=1e-4)
    # independent per D_phi: D_phi = 2 is not D_phi = 1 with a layer appended
    one, two = heterogeneity_layers(1), heterogeneity_layers(2)
    assert len(one) == 2 and len(two) == 3
    assert not np.allclose(one[0], two[0]) and not np.allclose(one[1], two[1])
    # PyTorch's default Linear init: weights and biases ~ U(-1/sqrt(12), 1/sqrt(12))
    values = np.concatenate([wb.ravel() for d in range(1, 11) for wb in heterogeneity_layers(d)])
    bound = 1 / np.sqrt(DIM)
    assert np.abs(values).max() <= bound
    assert values.std() == pytest.approx(bound / np.sqrt(3), rel=0.05)  # sd of a uniform


@pytest.mark.parametrize("d_phi", [1, 4, 10])
def test_transform_ill_conditions_rather_than_bends(d_phi: int) -> None:
    # the reference's transform leaves x2 almost linear in its bits (R² 0.96-0.99) while its
    # condition number grows by orders of magnitude
    d = generate(4000, 4, d_phi, seed=0, label_seed=DEFAULT_LABEL_SEED)
    design = np.hstack([d.bits2, np.ones((4000, 1))])
    target = (d.x2 - d.x2.mean(0)) / d.x2.std(0)
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    r2 = 1 - ((target - design @ coef) ** 2).sum() / (target ** 2).sum()
    assert 0.95 <= r2 < 1.0
    assert np.linalg.cond(target) > np.linalg.cond(generate(4000, 4, 0, seed=0).x2)


def test_split_and_zscore_use_training_statistics() -> None:
    d = generate(2000, 4, 3, seed=0)
    split = split_rows(2000, seed=0)
    assert (len(split.train), len(split.val), len(split.test)) == (1400, 300, 300)
    assert len(np.unique(np.concatenate([split.train, split.val, split.test]))) == 2000
    train, val, test = split_standardised(d.x2, split)
    assert train.mean(0) == pytest.approx(np.zeros(12), abs=1e-5)
    assert val.shape == (300, 12)
    assert train.std(0) == pytest.approx(np.ones(12), abs=1e-4)
    mean, sd = d.x2[split.train].mean(0), d.x2[split.train].std(0)
    assert test == pytest.approx((d.x2[split.test] - mean) / sd, abs=1e-4)  # not its own stats


def test_bad_parameters() -> None:
    with pytest.raises(InputError, match=r"0\.\.8"):
        bit_split(9)
    with pytest.raises(InputError, match="D_phi"):
        apply_heterogeneity(np.zeros((1, 12)), -1)


