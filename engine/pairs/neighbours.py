"""The neighbour-overlap score of a pair: |N_img(i) ∩ N_rep(i)| / k (the per-pair term of mutual k-NN).

0 means none of the image's nearest images has its report among the report's nearest
reports. Kept as a column beside the suspect score: with independently trained encoders it
is 0 for most pairs, so it cannot rank suspects on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError


def overlap_from_neighbours(nn_a: NDArray[np.int64], nn_b: NDArray[np.int64]) -> NDArray[np.float64]:
    """Per-row fraction of neighbours shared by two [n, k] neighbour-index arrays."""
    a = np.asarray(nn_a)
    b = np.asarray(nn_b)
    if a.shape != b.shape or a.ndim != 2:
        raise InputError(f"neighbour arrays must both be [n, k]; got {a.shape} and {b.shape}")
    n, k = a.shape
    if k == 0:
        return np.zeros(n, dtype=np.float64)
    # a row's entries are distinct, so |A ∩ B| = 2k - |A ∪ B|; count with a sort per row
    both = np.sort(np.concatenate([a, b], axis=1), axis=1)
    dup = (both[:, 1:] == both[:, :-1]).sum(axis=1)
    return np.asarray(dup / k, dtype=np.float64)


def shared_neighbours(nn_a_row: Sequence[int] | NDArray[np.int64],
                      nn_b_row: Sequence[int] | NDArray[np.int64]) -> list[int]:
    """Neighbours present in both lists, in the order of the first."""
    in_b = {int(j) for j in nn_b_row}
    return [int(j) for j in nn_a_row if int(j) in in_b]
