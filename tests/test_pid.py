"""PID: the analytic cases of paper.md to 1e-6 bits, the solver actually used, input checks, CLI."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.errors import InputError
from engine.study.pid import check_joint, mutual_information_bits, pid_from_joint
from engine.study.pid_bias import counts_of, estimate_pid

TOL = 1e-6


def _uniform_binary(f: Callable[[int, int], int], ny: int) -> np.ndarray:
    p = np.zeros((2, 2, ny))
    for a in (0, 1):
        for b in (0, 1):
            p[a, b, f(a, b)] += 0.25
    return p


# (joint, R, U1, U2, S) in bits; R for AND = h(1/4) - 1/2 = 0.311278 (h = binary entropy)
AND_R = 0.8112781244591328 - 0.5
CASES = {
    "and": (_uniform_binary(lambda a, b: a & b, 2), AND_R, 0.0, 0.0, 0.5),
    "xor": (_uniform_binary(lambda a, b: a ^ b, 2), 0.0, 0.0, 0.0, 1.0),
    "copy_x1": (_uniform_binary(lambda a, b: a, 2), 0.0, 1.0, 0.0, 0.0),
    "copy_x2": (_uniform_binary(lambda a, b: b, 2), 0.0, 0.0, 1.0, 0.0),
    "pair": (_uniform_binary(lambda a, b: 2 * a + b, 4), 0.0, 1.0, 1.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_analytic_cases(name: str) -> None:
    joint, r, u1, u2, s = CASES[name]
    res = pid_from_joint(joint)
    assert res.solver == "CLARABEL"
    assert res.redundancy == pytest.approx(r, abs=TOL)
    assert res.unique_1 == pytest.approx(u1, abs=TOL)
    assert res.unique_2 == pytest.approx(u2, abs=TOL)
    assert res.synergy == pytest.approx(s, abs=TOL)
    assert res.redundancy + res.unique_1 + res.unique_2 + res.synergy == pytest.approx(res.total_mi, abs=1e-12)


def test_and_marginal_information_closed_form() -> None:
    # for AND with uniform inputs each input alone tells h(1/4) - 1/2 bits (h = binary entropy),
    # and the two-input information is H(Y) = h(1/4); U1 = U2 = 0 makes R = I(X1;Y)
    h = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    mi = mutual_information_bits(CASES["and"][0])
    assert mi["x1"] == pytest.approx(h - 0.5, abs=1e-12)
    assert mi["x2"] == pytest.approx(h - 0.5, abs=1e-12)
    assert mi["x1x2"] == pytest.approx(h, abs=1e-12)
    assert pid_from_joint(CASES["and"][0]).redundancy == pytest.approx(mi["x1"], abs=TOL)


def _cvxpy_min_synergy_bits(p: np.ndarray) -> float:
    """I_q*(X1,X2;Y) through cvxpy's own exponential-cone modelling: an independent formulation."""
    import cvxpy as cp

    n1, n2, ny = p.shape
    q = [cp.Variable((n1, n2), nonneg=True) for _ in range(ny)]
    py = p.sum(axis=(0, 1))
    q12 = sum(q)
    cons = []
    for y in range(ny):
        cons += [cp.sum(q[y], axis=1) == p[:, :, y].sum(axis=1), cp.sum(q[y], axis=0) == p[:, :, y].sum(axis=0)]
    obj = sum(cp.sum(cp.rel_entr(q[y], py[y] * q12)) for y in range(ny))
    prob = cp.Problem(cp.Minimize(obj), cons)
    prob.solve(solver=cp.CLARABEL)
    return float(prob.value) / math.log(2.0)


def test_direct_cone_program_matches_cvxpy() -> None:
    rng = np.random.default_rng(11)
    for shape in ((2, 3, 2), (4, 3, 3), (5, 5, 2)):
        p = rng.random(shape) ** 3
        p /= p.sum()
        res = pid_from_joint(p)
        iq = res.total_mi - res.synergy
        assert iq == pytest.approx(_cvxpy_min_synergy_bits(p), abs=1e-6)


def test_identical_copies_are_pure_redundancy() -> None:
    p = np.zeros((2, 2, 2))
    p[0, 0, 0] = p[1, 1, 1] = 0.5
    res = pid_from_joint(p)
    assert (res.redundancy, res.unique_1, res.unique_2, res.synergy) == pytest.approx((1, 0, 0, 0), abs=TOL)
    assert res.total_mi == pytest.approx(1.0, abs=1e-12)


def test_unnormalised_joint_warns_and_gives_same_result() -> None:
    joint = CASES["and"][0] * 8.0
    _, warnings = check_joint(joint)
    assert warnings and "normalised" in warnings[0]
    assert pid_from_joint(joint).synergy == pytest.approx(0.5, abs=TOL)


def test_independent_label_gives_zero() -> None:
    p = np.full((3, 2, 2), 1.0 / 12)
    res = pid_from_joint(p)
    assert res.total_mi == pytest.approx(0.0, abs=1e-12)
    assert res.redundancy == res.synergy == 0.0


@pytest.mark.parametrize(("arr", "msg"), [
    (np.ones((2, 2)), "3-D"),
    (-np.ones((2, 2, 2)), "negative"),
    (np.zeros((2, 2, 2)), "sums to 0"),
    (np.full((2, 2, 2), np.nan), "NaN"),
])
def test_bad_joints_are_refused(arr: np.ndarray, msg: str) -> None:
    with pytest.raises(InputError, match=msg):
        check_joint(arr)


def test_random_joint_sums_and_is_non_negative() -> None:
    rng = np.random.default_rng(3)
    p = rng.random((4, 5, 3)) ** 3
    res = pid_from_joint(p)
    parts = (res.redundancy, res.unique_1, res.unique_2, res.synergy)
    assert min(parts) > -1e-7
    assert sum(parts) == pytest.approx(res.total_mi, abs=1e-10)


def test_estimate_from_codes_and_sparsity() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=400)
    est = estimate_pid(counts_of(y, y, y), bootstrap=10, groups=5)  # both copy Y: pure redundancy
    assert est.values["redundancy"] == pytest.approx(est.values["total_mi"], abs=1e-6)
    assert est.values["synergy"] == est.values["unique_1"] == 0.0
    lo, hi = est.ci["redundancy"]
    assert lo <= est.values["redundancy"] <= hi
    assert est.cells.occupied == 2 and est.cells.possible == 8
    assert est.cells.intervals_validated and not est.cells.sparse and not est.cells.small_sample
    c = rng.integers(0, 30, size=100)
    sparse = estimate_pid(counts_of(c, c[::-1].copy(), y[:100]), bootstrap=3, groups=3)
    assert sparse.cells.sparse and sparse.cells.samples_per_occupied_cell < 5
    small = estimate_pid(counts_of(y[:200], y[:200], y[:200]), bootstrap=3, groups=3)   # dense but 200 rows
    assert small.cells.small_sample and not small.cells.sparse and not small.cells.intervals_validated


def test_cli_joint_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "and.npy"
    np.save(path, CASES["and"][0] * 4)
    assert main(["pid", "--joint", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert set(out) == {"redundancy", "unique_1", "unique_2", "synergy", "total_mi", "solver"}
    assert out["solver"] == "CLARABEL"
    assert out["synergy"] == pytest.approx(0.5, abs=TOL)
    assert "normalised" in captured.err


def test_cli_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.npy"
    bad.write_text("not numpy")
    assert main(["pid", "--joint", str(bad)]) == 2
    assert "bad.npy" in capsys.readouterr().err
