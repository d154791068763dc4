"""BLAS threading for the study's many small solves.

Probes, k-means, ridge maps and CCA work on matrices of a few hundred columns: they run
fastest on one BLAS thread, and many times faster than multi-threaded BLAS when the
cores are shared with other work (measured: a 5-fold probe 16 s → 2.5 s on a loaded
2-core machine).
"""

from __future__ import annotations

from typing import Any


def one_blas_thread() -> Any:
    """Context manager limiting BLAS (OpenBLAS/MKL) to one thread inside the block."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
