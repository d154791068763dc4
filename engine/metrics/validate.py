"""Input checks and preparation shared by every metric.

Every public metric entry point goes through :func:`prepare_pair`: it refuses
arrays that cannot be compared (wrong shape, dtype, NaN/inf rows, mismatched
sample counts) with an :class:`InputError` that names the problem, then applies
the optional outlier clamping and the L2 row normalisation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InputError

FloatArray = npt.NDArray[np.floating[Any]]

_MAX_LISTED_ROWS = 10


def _row_list(rows: npt.NDArray[np.intp]) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:_MAX_LISTED_ROWS])
    more = len(rows) - _MAX_LISTED_ROWS
    return shown + (f" and {more} more" if more > 0 else "")


def check_matrix(x: object, name: str = "A") -> FloatArray:
    """Return ``x`` as a 2-D float32/float64 array, or raise InputError saying what is wrong.

    float32 and float64 are kept as they are; other real numeric types (ints, float16,
    bools) are converted to float64 (float16 to float32). Object, string and complex
    arrays are refused. Rows holding NaN or inf are reported by row number (0-based).
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "OSUVMm":
        raise InputError(
            f"{name}: expected a numeric feature matrix, got dtype {arr.dtype} "
            "(strings/objects cannot be compared; save the features as float32 or float64)"
        )
    if arr.dtype.kind == "c":
        raise InputError(f"{name}: complex values are not supported (dtype {arr.dtype})")
    if arr.ndim != 2:
        raise InputError(
            f"{name}: expected a 2-D array (samples × features), got {arr.ndim}-D "
            f"with shape {arr.shape}"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"{name}: empty array (shape {arr.shape}); need samples and features")
    if arr.dtype == np.float16:
        arr = arr.astype(np.float32)
    elif arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    finite = np.empty(arr.shape[0], dtype=bool)
    step = max(1, (1 << 22) // arr.shape[1])  # blocks: no n×d boolean temporary
    for lo in range(0, arr.shape[0], step):
        finite[lo : lo + step] = np.isfinite(arr[lo : lo + step]).all(axis=1)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        raise InputError(
            f"{name}: {len(bad)} row(s) contain NaN or inf values (rows {_row_list(bad)}, "
            "0-based); remove or re-embed those samples"
        )
    return arr


def check_pair(a: object, b: object) -> tuple[FloatArray, FloatArray]:
    """Check both matrices and that their rows pair up."""
    aa = check_matrix(a, "A")
    bb = check_matrix(b, "B")
    if aa.shape[0] != bb.shape[0]:
        raise InputError(
            f"A has {aa.shape[0]} samples but B has {bb.shape[0]}: rows must be paired "
            "(row i of A and row i of B describe the same sample)"
        )
    return aa, bb


def check_k(n: int, k: int, what: str = "kNN metrics") -> None:
    """Refuse neighbourhood sizes the data cannot provide (self excluded: k ≤ n − 1)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise InputError(f"k must be an integer, got {k!r}")
    if k < 1:
        raise InputError(f"k must be at least 1, got {k}")
    if n <= k:
        raise InputError(
            f"{what} need more samples than neighbours: n={n} ≤ k={k} "
            f"(each sample has only n−1={n - 1} other samples); lower k or add samples"
        )


def check_unbiased_n(n: int, what: str = "unbiased HSIC") -> None:
    """The unbiased estimator divides by n(n−3) and (n−1)(n−2)."""
    if n < 4:
        raise InputError(f"{what} needs at least 4 samples, got n={n}")


def clamp_outliers(x: FloatArray, q: float) -> FloatArray:
    """Clamp every value to ±(q-quantile of |x| over the whole matrix); returns a new array."""
    if not 0.0 < q <= 1.0:
        raise InputError(f"clamp quantile must be in (0, 1], got {q}")
    limit = float(np.quantile(np.abs(x), q))
    out: FloatArray = np.clip(x, -limit, limit).astype(x.dtype, copy=False)
    return out


def l2_normalize(x: FloatArray, name: str = "A") -> FloatArray:
    """Rows scaled to unit L2 norm; a zero row is refused (it has no direction)."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x, dtype=np.float64))
    zero = norms == 0.0
    if zero.any():
        bad = np.flatnonzero(zero)
        raise InputError(
            f"{name}: {len(bad)} all-zero row(s) cannot be L2-normalised (rows "
            f"{_row_list(bad)}, 0-based); remove them or pass normalize=False"
        )
    out: FloatArray = (x / norms[:, None].astype(x.dtype)).astype(x.dtype, copy=False)
    return out


def prepare_pair(
    a: object,
    b: object,
    *,
    normalize: bool = True,
    clamp_quantile: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Checked, optionally clamped, optionally L2-normalised copies of A and B."""
    aa, bb = check_pair(a, b)
    if clamp_quantile is not None:
        aa = clamp_outliers(aa, clamp_quantile)
        bb = clamp_outliers(bb, clamp_quantile)
    if normalize:
        aa = l2_normalize(aa, "A")
        bb = l2_normalize(bb, "B")
    return aa, bb
