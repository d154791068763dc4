"""Exact rank of chosen candidates among all n, by blocks of query rows (never an n × n matrix).

For query row i (an image, or a report) and target column c (its true partner, or a
shuffled one), the position is 1 + #{candidates scoring higher than c} + ½ (#{exact
duplicates of c} − 1): 1 when c is the best candidate, about n/2 when it is a random one.
Identical candidates (a report template used many times) share their places.

Work: one product of [rows, d+1] by [d+1, n] per block and one comparison pass per target
over it; the blocks run on all cores (numpy releases the GIL), each worker with one
preallocated similarity and mask buffer. Memory: O(workers × SUB_ROWS × n).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.onnx_session import default_threads

SUB_ROWS = 256           # query rows per task
# scores closer than float32 rounding of a (d+1)-term dot product count as equal:
# ROUNDING × (d+1) × ε₃₂ × |q| × max|c|
ROUNDING = 2.0


@dataclass(frozen=True)
class Queries:
    """Query vectors scored by one fold's model, each with the candidate column to place."""

    query: NDArray[np.float32]       # [r, d+1]
    candidates: NDArray[np.float32]  # [n, d+1], all candidates under the same model
    targets: NDArray[np.int64]       # [r] candidate column whose position is wanted


def _positions_task(query: NDArray[np.float32], cand: NDArray[np.float32], cand_norm_max: float,
                    targets: NDArray[np.int64], dup: NDArray[np.int64],
                    buffers: tuple[NDArray[np.float32], NDArray[np.bool_]]) -> NDArray[np.float64]:
    r = query.shape[0]
    sim, mask = buffers[0][:r], buffers[1][:r]
    np.matmul(query, cand.T, out=sim)
    eps = float(np.finfo(np.float32).eps)
    tol = ROUNDING * query.shape[1] * eps * np.linalg.norm(query, axis=1) * cand_norm_max
    value = sim[np.arange(r), targets]
    np.greater(sim, (value + tol)[:, None], out=mask)
    higher = np.count_nonzero(mask, axis=1)
    out: NDArray[np.float64] = 1.0 + higher + 0.5 * (dup[targets] - 1)
    return out


def partner_positions(batches: Sequence[Queries], dup: NDArray[np.int64], *,
                      threads: int | None = None,
                      on_rows: Callable[[int], None] | None = None) -> list[NDArray[np.float64]]:
    """Per batch, [r] position of each query's target among all n candidates (1 = best).

    ``dup[c]`` counts candidates identical to candidate c (itself included).
    ``on_rows(k)`` is called after every k query rows (progress).
    """
    from engine.study.blas import one_blas_thread

    n = dup.size
    workers = threads or default_threads()
    buffers = [(np.empty((SUB_ROWS, n), dtype=np.float32), np.empty((SUB_ROWS, n), dtype=bool))
               for _ in range(workers)]
    results: list[NDArray[np.float64]] = []
    with one_blas_thread(), ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in batches:
            out = np.empty(batch.targets.size, dtype=np.float64)
            norm_max = float(np.linalg.norm(batch.candidates, axis=1).max()) if n else 0.0
            chunks = [(lo, min(lo + SUB_ROWS, out.size)) for lo in range(0, out.size, SUB_ROWS)]
            for wave in range(0, len(chunks), workers):
                part = chunks[wave:wave + workers]
                futures = [pool.submit(_positions_task, batch.query[lo:hi], batch.candidates, norm_max,
                                       batch.targets[lo:hi], dup, buffers[w])
                           for w, (lo, hi) in enumerate(part)]
                for (lo, hi), fut in zip(part, futures, strict=True):
                    out[lo:hi] = fut.result()
                    if on_rows is not None:
                        on_rows(hi - lo)
            results.append(out)
    return results
