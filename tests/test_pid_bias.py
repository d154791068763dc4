"""Bias-corrected PID: measured coverage on a known joint, the issue's 11×11×3 case, clipping."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.study.pid import PID_PARTS, pid_from_joint
from engine.study.pid_bias import BIAS_CORRECTION, corrected, estimate_pid, pid_replicates
from engine.study.pid_coverage import (
    coverage,
    issue_joint,
    simulate,
    small_synergy_joint,
    unique_joint,
)


def test_coverage_of_the_default_intervals_on_a_known_joint() -> None:
    # the 5×5×3 row of the coverage table in docs/study.md at 5 samples per occupied cell
    # (n = 375): the plug-in overstates synergy by ~0.08 bits, three standard deviations.
    # 100 samples, each with the product's 100 bootstrap resamples and 20 jackknife groups;
    # benchmarks/bench_pid_coverage.py prints the full table
    run = simulate(small_synergy_joint(), 5.0, 100, seed=1)
    cov, err = coverage(run, BIAS_CORRECTION)
    assert min(cov.values()) >= 0.90, cov
    assert abs(err["synergy"]) < 0.02 and abs(err["total_mi"]) < 0.02, err
    # the same replicates without correction: the test can tell a broken correction
    plug_cov, plug_err = coverage(run, "none")
    assert plug_cov["synergy"] < 0.5 and plug_err["synergy"] > 0.05


def test_issue_case_synergy_is_corrected_into_its_interval() -> None:
    p = issue_joint()
    truth = pid_from_joint(p)
    assert (truth.synergy, truth.total_mi) == pytest.approx((0.042, 0.200), abs=0.001)
    assert truth.redundancy / truth.total_mi == pytest.approx(0.28, abs=0.005)
    counts = np.random.default_rng(7).multinomial(2000, p.reshape(-1)).reshape(p.shape)
    est = estimate_pid(counts, seed=0)
    assert est.plugin["synergy"] > 0.10          # what AlignScope reported before: 3× the truth
    lo, hi = est.ci["synergy"]
    assert lo <= truth.synergy <= hi
    lo, hi = est.ci["total_mi"]
    assert lo <= truth.total_mi <= hi
    assert abs(est.values["synergy"] - truth.synergy) < 0.3 * abs(est.plugin["synergy"] - truth.synergy)
    assert est.bias_correction == "jackknife" and est.cells.samples_per_occupied_cell > 5


def test_negative_parts_are_clipped_and_named() -> None:
    # redundancy and synergy are exactly 0 in this joint: corrected values scatter around 0
    p = unique_joint()
    clipped_seen = 0
    for seed in range(6):
        counts = np.random.default_rng(seed).multinomial(120, p.reshape(-1)).reshape(p.shape)
        est = estimate_pid(counts, bootstrap=30, groups=10, seed=seed)
        for k in PID_PARTS:
            assert est.values[k] >= 0.0 and est.ci[k][0] >= 0.0 and est.ci[k][1] >= est.ci[k][0]
            if k in est.clipped:
                assert est.unclipped[k] < 0.0 and est.values[k] == 0.0
            else:
                assert est.values[k] == est.unclipped[k]
        parts = sum(est.unclipped[k] for k in PID_PARTS[:4])
        assert parts == pytest.approx(est.unclipped["total_mi"], abs=1e-9)   # corrections are linear
        clipped_seen += len(est.clipped)
    assert clipped_seen > 0


def test_corrections_and_bad_counts() -> None:
    counts = np.random.default_rng(0).multinomial(300, small_synergy_joint().reshape(-1)).reshape(5, 5, 3)
    rep = pid_replicates(counts, bootstrap=10, groups=5, seed=1)
    for name in ("jackknife", "bootstrap", "none"):
        est, lo, hi = corrected(rep, name)
        assert np.all(lo <= est + 1e-12) and np.all(est <= hi + 1e-12)
    assert np.array_equal(corrected(rep, "none")[0], rep.point)
    with pytest.raises(InputError, match="unknown bias correction"):
        corrected(rep, "magic")
    with pytest.raises(InputError, match="non-negative counts"):
        estimate_pid(-np.ones((2, 2, 2)))
    with pytest.raises(InputError, match="non-negative counts"):
        estimate_pid(np.full((2, 2, 2), 0.5))
    with pytest.raises(InputError, match="at least 2 bootstrap"):
        estimate_pid(counts, bootstrap=1)
