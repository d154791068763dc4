"""Optional kNN search with torch on a CUDA GPU (imported lazily; torch never at module level).

Blocked products on the device with ``torch.topk``; rows then re-sorted on the CPU by
(similarity desc, index asc) so that the order matches the numpy path. Untested on a
real GPU in development (no GPU there); tested with device="cpu" against the numpy path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.metrics.knn import IntArray
from engine.metrics.validate import FloatArray, check_k, check_matrix


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def knn_graph_torch(
    x: FloatArray, k: int, *, device: str = "cuda", block_rows: int = 4096
) -> tuple[IntArray, Any]:
    """Same contract as engine.metrics.knn.knn_graph, computed with torch on ``device``."""
    import torch

    x = check_matrix(x, "X")
    n = x.shape[0]
    check_k(n, k)
    # one extra candidate per row so that ties at the k-th place resolve like the numpy path
    kk = min(k + 1, n - 1)
    xt = torch.from_numpy(np.ascontiguousarray(x)).to(device)
    idx_parts, sim_parts = [], []
    with torch.no_grad():
        for lo in range(0, n, block_rows):
            hi = min(lo + block_rows, n)
            s = xt[lo:hi] @ xt.T
            r = torch.arange(hi - lo, device=s.device)
            s[r, r + lo] = float("-inf")
            vals, ids = torch.topk(s, kk, dim=1, largest=True, sorted=True)
            idx_parts.append(ids.cpu().numpy())
            sim_parts.append(vals.cpu().numpy())
    ids_np = np.concatenate(idx_parts).astype(np.int64)
    sims_np = np.concatenate(sim_parts).astype(x.dtype)
    order = np.lexsort((ids_np, -sims_np), axis=1)[:, :k]
    return np.take_along_axis(ids_np, order, 1), np.take_along_axis(sims_np, order, 1)
