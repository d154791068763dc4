"""PID: the analytic cases of paper.md to 1e-6 bits, the solver actually used, input checks, CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.errors import InputError
from engine.study.discretize import pid_from_codes
from engine.study.pid import check_joint, pid_from_joint

TOL = 1e-6


def _uniform_binary(f: Callable[[int, int], int], ny: int) -> np.ndarray:
    p = np.zeros((2, 2, ny))
    for a in (0, 1):
        for b in (0, 1):
            p[a, b, f(a, b)] += 0.25
    return p


# (joint, R, U1, U2, S) in bits; R for AND = 1.5 - (3/4)log2(3) ... = 0.311278
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


def test_and_redundancy_closed_form() -> None:
    # I(X1;Y) for AND with uniform inputs: H(Y) - H(Y|X1) = h(1/4) - 1/2 = 0.311278 bits
    h = -(0.25 * np.log2(0.25) + 0.75 * np.log2(0.75))
    assert AND_R == pytest.approx(h - 0.5, abs=1e-12)
    assert AND_R == pytest.approx(0.3113, abs=1e-4)


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


def test_codes_bootstrap_and_sparsity_warning() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=400)
    out = pid_from_codes(y, y, y, bootstrap=10, seed=0)  # both modalities copy Y: pure redundancy
    assert out["redundancy"] == pytest.approx(out["total_mi"], abs=1e-6)
    assert out["ci"]["redundancy"][0] <= out["redundancy"] <= out["ci"]["redundancy"][1] + 1e-9
    assert out["cells"]["occupied"] == 2 and out["cells"]["possible"] == 8
    assert out["warning"] is None
    c = rng.integers(0, 30, size=100)
    sparse = pid_from_codes(c, c[::-1].copy(), y[:100], bootstrap=0)
    assert sparse["cells"]["sparse"] and "samples per cell" in sparse["warning"]


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
