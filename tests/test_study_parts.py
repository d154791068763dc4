"""Probes, the ladder correlation, retrieval and findings on cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import pearsonr, spearmanr

from engine.errors import InputError
from engine.study.findings import build_findings
from engine.study.ladder import alignment_performance_correlation
from engine.study.probes import chance_accuracy, linear_probe, macro_f1
from engine.study.retrieval import cca_projections, recall_hits, retrieval_trial


def test_probe_separable_and_random_labels() -> None:
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), 60)
    x = np.eye(3)[y] * 5.0 + 0.1 * rng.normal(size=(180, 3))
    x = np.hstack([x, rng.normal(size=(180, 7))])
    sep = linear_probe(x, y.astype(str), n_boot=50)
    assert sep.accuracy == 1.0 and sep.macro_f1 == 1.0 and sep.folds == 5
    noise = linear_probe(rng.normal(size=(180, 10)), y.astype(str), n_boot=50)
    assert noise.accuracy < 0.55  # chance is 1/3
    assert 0.0 <= noise.accuracy_ci[0] <= noise.accuracy <= noise.accuracy_ci[1] <= 1.0
    assert chance_accuracy(["a", "a", "b"]) == pytest.approx(2 / 3)


def test_macro_f1_matches_definition() -> None:
    y = np.array([0, 0, 1, 1, 2, 2])
    p = np.array([0, 1, 1, 1, 2, 0])
    # class 0: tp 1, fp 1, fn 1 → 0.5; class 1: tp 2, fp 1 → 0.8; class 2: tp 1, fn 1 → 2/3
    assert macro_f1(y, p, 3) == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)


def test_probe_refuses_single_class_and_singletons() -> None:
    with pytest.raises(InputError, match="single value"):
        linear_probe(np.zeros((10, 2)), ["a"] * 10)
    with pytest.raises(InputError, match="fewer than 2"):
        linear_probe(np.random.default_rng(0).normal(size=(5, 2)), ["a", "a", "a", "a", "b"])


def test_correlation_matches_scipy_and_flags_short_ladders() -> None:
    x = [0.1, 0.2, 0.25, 0.4, 0.5, 0.55]
    y = [0.60, 0.62, 0.70, 0.69, 0.80, 0.85]
    out = alignment_performance_correlation(x, y)
    assert out.spearman == pytest.approx(spearmanr(x, y)[0])
    assert out.pearson == pytest.approx(pearsonr(x, y)[0])
    assert out.meaningful is True and out.spearman_ci is not None
    assert -1.0 <= out.spearman_ci[0] <= out.spearman_ci[1] <= 1.0
    short = alignment_performance_correlation(x[:4], y[:4])
    assert short.meaningful is False and "only 4 model pairs" in short.reason.text
    flat = alignment_performance_correlation(x, [0.7] * 6)
    assert flat.spearman is None and flat.meaningful is False


def test_recall_and_cca_on_known_cases() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 8))
    hits = recall_hits(a, a)
    assert all(h.all() for h in hits.values())  # identical spaces: every pair is its own best match
    q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    ac = a - a.mean(axis=0)
    _, _, corr = cca_projections(ac, ac @ q, 4, reg=1e-9)
    assert corr == pytest.approx(np.ones(4), abs=1e-6)  # a rotation is perfectly correlated


def test_retrieval_trial_structure_and_chance() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(200, 4))
    img = z @ rng.normal(size=(4, 20)) + 0.1 * rng.normal(size=(200, 20))
    txt = rng.normal(size=(200, 12))  # unrelated: recall stays near chance
    out, _ = retrieval_trial(img, txt, n_boot=50, contrastive=False)
    assert out.n_test == 60 and out.chance["10"] == pytest.approx(10 / 60)
    assert out.methods["linear_map"].image_to_text["10"] < 0.45
    related, _ = retrieval_trial(img, z @ rng.normal(size=(4, 12)), n_boot=50, contrastive=False)
    assert related.methods["cca"].image_to_text["1"] > 0.8
    assert len(related.methods["cca"].canonical_correlations) == 10


def test_findings_recommendation_rules() -> None:
    """The decision follows the research's rules on the analysis' numbers (engine.study.recommend):
    weak baseline + real overlap + alignment tracking performance (+ a useful retrieval gain)."""
    from dataclasses import replace

    from engine.study.messages import message
    from engine.study.pid_bias import CellCounts
    from engine.study.result import ProbeResult, Probes
    from tests.study_fixtures import sample_analysis

    base = sample_analysis()  # best macro-F1 0.68, R 0.4 of 1.0 bits, p 0.01, contrastive +0.20
    findings, rec = build_findings(base)
    # only 4 model pairs: whether alignment moves performance is not known
    assert (rec.decision, rec.deciding_rule, rec.answer) == ("measure more", "ladder_missing", "not known yet")
    assert any("0.100" in f.text and f.key == "f_alignment_beyond_chance" for f in findings)
    assert any(f.key == "f_pid_shared" for f in findings)
    ladder = replace(base.correlation, meaningful=True, spearman=0.8, spearman_ci=(0.3, 1.0), n_points=12)
    _, rec = build_findings(replace(base, correlation=ladder))
    assert rec.decision == "invest" and rec.key == "r_invest_gain"
    assert "0.68" in rec.text and "+0.20" in rec.text  # best F1 and the recall gain cited
    assert {r.source for r in rec.rules} == {"paper", "alignscope"}
    assert rec.weaker_modality == "text"
    assert "報告書" in message("ja", "r_weaker_modality", **next(r.params for r in rec.rules
                                                                if r.id == "weaker_modality"))
    assert base.probes is not None
    strong_probe = ProbeResult("txt-x", "text", 0.97, (0.95, 0.99), 0.96, (0.94, 0.98), 1.0, 5, 40, 2)
    strong = replace(base, probes=Probes(0.5, 1.0, (*base.probes.unimodal, strong_probe)))
    assert build_findings(strong)[1].deciding_rule == "baseline_strong"
    assert base.pid is not None
    low_overlap = replace(base, pid=replace(base.pid, redundancy=0.05, unique_image=0.5,
                                            ci={**base.pid.ci, "redundancy": (0.0, 0.1)}))
    assert build_findings(low_overlap)[1].deciding_rule == "overlap_not_real"
    few = replace(base, pid=replace(base.pid, cells=CellCounts(100, (4, 4, 2), 30, 32)))  # 100 pairs
    assert build_findings(few)[1].deciding_rule == "pid_unreliable"
    below = Probes(0.9, 1.0, base.probes.unimodal)  # commonest class 0.90 beats every probe
    assert build_findings(replace(base, probes=below))[0][0].key == "f_baseline_below_chance"


def test_out_of_fold_probe_probabilities_and_information_bound():
    from engine.study.probes import out_of_fold_probe

    rng = np.random.default_rng(3)
    y = np.repeat(np.arange(4), 60)
    x = rng.normal(size=(240, 12))
    x[np.arange(240), y] += 6.0  # each class lifts its own coordinate: near-perfectly separable
    oof = out_of_fold_probe(x, y.astype(str), folds=5, seed=0)
    assert oof.proba.shape == (240, 4)
    np.testing.assert_allclose(oof.proba.sum(axis=1), 1.0, atol=1e-9)
    assert oof.classes == ("0", "1", "2", "3")
    assert np.mean(oof.pred == oof.y) > 0.95
    assert oof.label_entropy_bits() == pytest.approx(2.0)
    # separable: the probe recovers most of H(Y) = 2 bits; pure noise: close to nothing
    assert oof.information_lower_bound_bits() > 1.6
    noise = out_of_fold_probe(rng.normal(size=(240, 12)), y.astype(str), folds=5, seed=0)
    assert noise.information_lower_bound_bits() < 0.3


def test_temperature_calibration_softens_overconfident_probabilities_only() -> None:
    from engine.study.probes import calibrate_temperature

    rng = np.random.default_rng(5)
    n, c = 2000, 3
    y = rng.integers(0, c, size=n)
    # honest probabilities: the true class has p = 0.6, drawn from those very probabilities
    honest = np.full((n, c), 0.2)
    pred = np.where(rng.random(n) < 0.6, y, (y + rng.integers(1, c, size=n)) % c)
    honest[np.arange(n), pred] = 0.6
    _, t_honest = calibrate_temperature(honest, y)
    assert 0.8 < t_honest < 1.25
    # the same predictions, stated with certainty: calibration brings the confidence back down
    sharp = np.full((n, c), 1e-9)
    sharp[np.arange(n), pred] = 1.0
    soft, t_sharp = calibrate_temperature(sharp, y)
    assert t_sharp > 3.0
    assert np.array_equal(soft.argmax(axis=1), pred)  # the predicted class never changes
    assert float(np.mean(soft[np.arange(n), pred])) == pytest.approx(0.6, abs=0.05)
