"""Exact partial information decomposition (PID) of a discrete joint p(x1, x2, y).

Following Bertschinger et al. (2014) as used by Liang et al. (NeurIPS 2023): find

    q* = argmin_{q in Delta_p} I_q(X1, X2; Y),
    Delta_p = {q >= 0 : q(x1, y) = p(x1, y), q(x2, y) = p(x2, y)},

then (all in bits)

    R  = I(X1;Y) + I(X2;Y) - I_q*(X1,X2;Y)
    U1 = I_q*(X1,X2;Y) - I(X2;Y)          (= I_q*(X1;Y|X2))
    U2 = I_q*(X1,X2;Y) - I(X1;Y)          (= I_q*(X2;Y|X1))
    S  = I_p(X1,X2;Y) - I_q*(X1,X2;Y)

which sum to I_p(X1,X2;Y) exactly. I(Xi;Y) is the same under p and q (the
constraints fix those marginals), so it is computed from p.

The convex problem is solved with cvxpy and the interior-point solver Clarabel
(exponential cones), requested explicitly and checked afterwards: the reference
implementation silently fell back to SCS, which is only accurate to ~1e-5.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError

_LOG2 = float(np.log(2.0))
# tolerances for Clarabel: the analytic test cases must hold to 1e-6 bits
_CLARABEL_OPTS: dict[str, Any] = {
    "tol_gap_abs": 1e-11,
    "tol_gap_rel": 1e-11,
    "tol_feas": 1e-11,
    "tol_ktratio": 1e-9,
    "max_iter": 400,
}


@dataclass(frozen=True)
class PIDResult:
    """PID of one joint, in bits. The five quantities satisfy R + U1 + U2 + S = total_mi."""

    redundancy: float
    unique_1: float
    unique_2: float
    synergy: float
    total_mi: float
    solver: str

    def as_dict(self) -> dict[str, float | str]:
        return dict(asdict(self))


def check_joint(p: NDArray[Any], *, name: str = "joint") -> tuple[NDArray[np.float64], list[str]]:
    """Validate a joint array [x1, x2, y]; return it normalised plus any warnings."""
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 3:
        raise InputError(f"{name}: expected a 3-D array [x1, x2, y], got shape {arr.shape}")
    if arr.size == 0 or min(arr.shape) < 1:
        raise InputError(f"{name}: empty array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name}: contains NaN or infinite values")
    if np.any(arr < 0):
        raise InputError(f"{name}: contains negative values (min {arr.min():.3g}); a joint must be >= 0")
    total = float(arr.sum())
    if total <= 0:
        raise InputError(f"{name}: sums to 0; a joint distribution needs positive mass")
    warnings: list[str] = []
    if abs(total - 1.0) > 1e-9:
        warnings.append(f"{name} sums to {total:.6g}, not 1: normalised before the decomposition")
    return arr / total, warnings


def _mi_bits(pxy: NDArray[np.float64]) -> float:
    """I(X;Y) in bits for a 2-D joint (rows x, columns y)."""
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    mask = pxy > 0
    ratio = pxy[mask] / (px @ py)[mask]
    return float(np.sum(pxy[mask] * np.log(ratio)) / _LOG2)


def mutual_information_bits(joint: NDArray[Any]) -> dict[str, float]:
    """I(X1;Y), I(X2;Y), I(X1,X2;Y) in bits for a normalised joint [x1, x2, y]."""
    p = np.asarray(joint, dtype=np.float64)
    n1, n2, ny = p.shape
    return {
        "x1": _mi_bits(p.sum(axis=1)),
        "x2": _mi_bits(p.sum(axis=0)),
        "x1x2": _mi_bits(p.reshape(n1 * n2, ny)),
    }


def _solve_min_synergy(p: NDArray[np.float64]) -> tuple[NDArray[np.float64], str]:
    """Return q* (same shape as p) and the name of the solver that actually ran."""
    import cvxpy
    import scipy.sparse as sp

    cp: Any = cvxpy  # cvxpy ships no complete type information

    _n1, n2, ny = p.shape
    p1y = p.sum(axis=1)  # [n1, ny]
    p2y = p.sum(axis=0)  # [n2, ny]
    py = p.sum(axis=(0, 1))  # [ny]
    # support: q(x1,x2,y) can be > 0 only where both pairwise marginals are > 0
    support = (p1y[:, None, :] > 0) & (p2y[None, :, :] > 0)
    i1, i2, iy = np.nonzero(support)
    m = i1.size
    pair = i1 * n2 + i2
    uniq_pairs, pair_idx = np.unique(pair, return_inverse=True)
    ones = np.ones(m)
    cols = np.arange(m)
    pair_sum = sp.csr_matrix((ones, (pair_idx, cols)), shape=(uniq_pairs.size, m))
    # marginal constraints, only on the non-zero (x1, y) / (x2, y) cells (zeros hold by support)
    a1_rows = i1 * ny + iy
    u1, r1 = np.unique(a1_rows, return_inverse=True)
    a1 = sp.csr_matrix((ones, (r1, cols)), shape=(u1.size, m))
    b1 = p1y.reshape(-1)[u1]
    a2_rows = i2 * ny + iy
    u2, r2 = np.unique(a2_rows, return_inverse=True)
    a2 = sp.csr_matrix((ones, (r2, cols)), shape=(u2.size, m))
    b2 = p2y.reshape(-1)[u2]

    q = cp.Variable(m, nonneg=True)
    q12 = pair_sum.T @ (pair_sum @ q)  # q(x1, x2) at every support entry
    denom = cp.multiply(py[iy], q12)  # q(x1, x2) p(y)
    objective = cp.Minimize(cp.sum(cp.rel_entr(q, denom)))
    prob = cp.Problem(objective, [a1 @ q == b1, a2 @ q == b2])
    try:
        with warnings.catch_warnings():
            # "Solution may be inaccurate" at our very tight tolerances: the status is checked below
            warnings.simplefilter("ignore", UserWarning)
            prob.solve(solver=cp.CLARABEL, **_CLARABEL_OPTS)
    except cvxpy.error.SolverError as exc:  # pragma: no cover - depends on the solver build
        raise InputError(f"PID: the Clarabel solver failed on this joint ({exc})") from exc
    solver = str(prob.solver_stats.solver_name)
    if solver != "CLARABEL":  # pragma: no cover - cvxpy never substitutes a named solver
        raise InputError(f"PID: expected the CLARABEL solver, cvxpy ran {solver}")
    if prob.status not in ("optimal", "optimal_inaccurate") or q.value is None:
        raise InputError(f"PID: the optimisation did not converge (status {prob.status})")
    qv = np.clip(np.asarray(q.value, dtype=np.float64), 0.0, None)
    out = np.zeros_like(p)
    out[i1, i2, iy] = qv
    return out, solver


def pid_from_joint(joint: NDArray[Any]) -> PIDResult:
    """Exact PID (bits) of a joint array [x1, x2, y]; it is normalised if it does not sum to 1.

    Use :func:`check_joint` first when the normalisation warning must be shown to a user.
    """
    p, _ = check_joint(joint)
    # drop empty rows/classes: they carry no mass and only enlarge the problem
    p = p[p.sum(axis=(1, 2)) > 0][:, p.sum(axis=(0, 2)) > 0][:, :, p.sum(axis=(0, 1)) > 0]
    mi = mutual_information_bits(p)
    if p.shape[2] == 1 or mi["x1x2"] <= 1e-12:
        return PIDResult(0.0, 0.0, 0.0, 0.0, max(mi["x1x2"], 0.0), "none (I(X1,X2;Y) = 0)")
    q, solver = _solve_min_synergy(p)
    n1, n2, ny = p.shape
    iq = _mi_bits(q.reshape(n1 * n2, ny))
    # q* can only lower I(X1,X2;Y) and never below max(I(X1;Y), I(X2;Y)); clip solver noise
    iq = min(max(iq, mi["x1"], mi["x2"]), mi["x1x2"])
    redundancy = mi["x1"] + mi["x2"] - iq
    unique_1 = iq - mi["x2"]
    unique_2 = iq - mi["x1"]
    synergy = mi["x1x2"] - iq
    return PIDResult(
        redundancy=float(redundancy),
        unique_1=float(unique_1),
        unique_2=float(unique_2),
        synergy=float(synergy),
        total_mi=float(mi["x1x2"]),
        solver=solver,
    )
