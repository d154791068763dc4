"""Label-preserving discretisation: sufficiency, KL clustering, kept bits, the probe method."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.study.discretize import (
    cross_fitted_information_bits,
    discretize_pair,
    kl_clusters,
    label_entropy_bits,
)
from engine.study.pid import mutual_information_bits, pid_from_joint
from engine.study.probes import OutOfFold, out_of_fold_probe


def test_sufficient_statistic_keeps_redundancy_and_uniqueness() -> None:
    # X1 = (A, extra) where the extra bit is independent of Y given A but may drive X2:
    # merging it (A is sufficient for Y) must leave R, U1, U2 unchanged; only synergy may fall
    rng = np.random.default_rng(1)
    for _ in range(3):
        base = rng.random((4, 3, 3)) ** 2
        base /= base.sum()
        p_ay = base.sum(axis=1)                      # p(a, y)
        fine = np.zeros((8, 3, 3))
        for a in range(4):
            split = rng.random()
            for y in range(3):
                d0, d1 = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3))   # p(x2 | a, extra, y)
                fine[2 * a, :, y] = p_ay[a, y] * split * d0
                fine[2 * a + 1, :, y] = p_ay[a, y] * (1 - split) * d1
        coarse = fine.reshape(4, 2, 3, 3).sum(axis=1)
        f, c = pid_from_joint(fine), pid_from_joint(coarse)
        assert (c.redundancy, c.unique_1, c.unique_2) == pytest.approx((f.redundancy, f.unique_1, f.unique_2), abs=1e-6)
        assert c.synergy <= f.synergy + 1e-9
        assert f.synergy - c.synergy > 1e-3   # the extra bit did carry synergy: the test can tell


def test_kl_clusters_recover_distinct_posteriors() -> None:
    rng = np.random.default_rng(0)
    posts = np.array([[0.9, 0.05, 0.05], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.34, 0.33, 0.33]])
    which = rng.integers(0, 5, size=500)
    codes = kl_clusters(posts[which], 5)
    # same partition as the generating posteriors, whatever the numbering
    pairs = set(zip(codes.tolist(), which.tolist(), strict=True))
    assert len(pairs) == 5 and len({a for a, _ in pairs}) == 5
    assert kl_clusters(posts[which], 20).max() + 1 == 5   # never more clusters than distinct vectors


def test_kl_clusters_lose_less_than_argmax_when_confidence_matters() -> None:
    # binary label, posteriors at several confidence levels: argmax (2 codes) discards the level
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=4000)
    conf = rng.choice([0.55, 0.7, 0.95], size=y.size)
    p1 = np.where(rng.random(y.size) < conf, y, 1 - y)          # p(y = p1 | level) = conf
    proba = np.zeros((y.size, 2))
    proba[np.arange(y.size), p1] = conf
    proba[np.arange(y.size), 1 - p1] = 1 - conf
    argmax_bits = cross_fitted_information_bits(proba.argmax(axis=1), y)
    kl_bits = cross_fitted_information_bits(kl_clusters(proba, 6), y)
    assert kl_bits > argmax_bits + 0.05


def test_cross_fitted_bits_known_values() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, size=2000)
    assert cross_fitted_information_bits(y, y) == pytest.approx(label_entropy_bits(y), abs=0.01)
    noise = rng.integers(0, 40, size=2000)   # 40 codes unrelated to Y: plug-in would read ~0.04 bits
    joint = np.zeros((40, 4))
    np.add.at(joint, (noise, y), 1.0)
    assert mutual_information_bits(np.stack([joint, joint], axis=1) / (2 * joint.sum()))["x1"] > 0.02
    assert cross_fitted_information_bits(noise, y) < 0.0


def _oof(proba: np.ndarray, y: np.ndarray) -> OutOfFold:
    return OutOfFold(classes=tuple(str(i) for i in range(proba.shape[1])), y=y, proba=proba, folds=5)


def _ten_class_views(n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """10 classes readable by a linear probe in both views, hidden under 5 louder nuisance directions."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n)

    def view(scale: float) -> np.ndarray:
        z = rng.normal(size=(10, 64))[y] * scale + rng.normal(size=(n, 64))
        z[:, :5] += 6.0 * rng.normal(size=(n, 5))
        return z @ np.linalg.qr(rng.normal(size=(64, 64)))[0]

    return view(0.55), view(0.6), y


def test_probe_method_keeps_the_label_and_kmeans_loses_it() -> None:
    a, b, y = _ten_class_views()
    labels = y.astype(str)
    probes = (out_of_fold_probe(a, labels), out_of_fold_probe(b, labels))
    assert min(np.mean(p.pred == p.y) for p in probes) > 0.9
    _, _, info = discretize_pair(a, b, probes, method="probe")
    _, _, km = discretize_pair(a, b, probes, method="kmeans")
    for side in ("image", "text"):
        assert info.kept_bits[side] >= 0.9 * info.probe_bits[side]
        assert km.kept_bits[side] < 0.25 * km.probe_bits[side]
    assert info.warnings == ()
    assert len(km.warnings) == 2 and "understates" in km.warnings[0].text
    assert info.to_json()["method"] == "probe" and set(info.to_json()["kept_bits"]) == {"image", "text"}


def test_probe_codes_stay_dense_enough() -> None:
    # 300 rows, 4 classes with rich posteriors: up to 16 clusters each would give a sparse joint
    rng = np.random.default_rng(5)
    y = rng.integers(0, 4, size=300)
    p1 = rng.dirichlet(np.ones(4), size=300) + 2.0 * np.eye(4)[y]
    p2 = rng.dirichlet(np.ones(4), size=300) + 2.0 * np.eye(4)[y]
    probes = (_oof(p1 / p1.sum(1, keepdims=True), y), _oof(p2 / p2.sum(1, keepdims=True), y))
    c1, c2, info = discretize_pair(np.zeros((300, 1)), np.zeros((300, 1)), probes)
    occupied = np.unique(np.stack([c1, c2, y]), axis=1).shape[1]
    assert 300 / occupied >= 10 or (info.n_clusters["image"] == 4 and info.n_clusters["text"] == 4)


def test_discretize_pair_checks_its_inputs() -> None:
    y = np.array([0, 1, 0, 1])
    p = np.full((4, 2), 0.5)
    with pytest.raises(InputError, match="unknown discretisation"):
        discretize_pair(np.zeros((4, 1)), np.zeros((4, 1)), (_oof(p, y), _oof(p, y)), method="pca")
    with pytest.raises(InputError, match="different labels"):
        discretize_pair(np.zeros((4, 1)), np.zeros((4, 1)), (_oof(p, y), _oof(p, 1 - y)))
    with pytest.raises(InputError, match="must match"):
        discretize_pair(np.zeros((3, 1)), np.zeros((4, 1)), (_oof(p, y), _oof(p, y)))
