"""Each sample's nearest neighbours in the image and the report space, cached in the store.

The lists (k = 10 by default, most similar first, self excluded) feed the detail pane and the
per-sample overlap. They cost two exact n×n searches (minutes at 100,000 pairs), so they are
computed once — by the study (which builds the graphs anyway) or by the first project open —
and cached in the store under ``("neighbours:<image>+<text>", key)``; ``key`` hashes the
models, the sample ids and k. Opening a project then reads them in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import AlignScopeError
from engine.progress import Progress

log = logging.getLogger(__name__)
RESULT_PREFIX = "neighbours:"
Lists = tuple[NDArray[np.int64], NDArray[np.int64]]


def result_name(image_model: str, text_model: str) -> str:
    return f"{RESULT_PREFIX}{image_model}+{text_model}"


def neighbours_key(st: Any, image_model: str, text_model: str, ids: Sequence[str], k: int) -> str:
    """Cache key: the two models (sha256, dim, creation), the sample ids in order, and k."""
    h = hashlib.sha256()
    for mid in (image_model, text_model):
        attrs = st.model_attrs(mid)
        h.update(json.dumps({"id": mid, **{f: str(attrs.get(f)) for f in ("sha256", "dim", "created")}},
                            sort_keys=True).encode())
    h.update(json.dumps({"k": int(k), "n": len(ids), "normalize": True}).encode())
    for sid in ids:
        h.update(sid.encode() + b"\0")
    return h.hexdigest()[:32]


def cached_neighbours(st: Any, image_model: str, text_model: str, ids: Sequence[str], k: int) -> Lists | None:
    """The cached lists of an open store, or None."""
    got = st.get_result(result_name(image_model, text_model), neighbours_key(st, image_model, text_model, ids, k))
    if got is None:
        return None
    arrays = got[1]
    nn_a, nn_b = arrays.get("image"), arrays.get("text")
    if nn_a is None or nn_b is None or nn_a.shape != (len(ids), k) or nn_b.shape != (len(ids), k):
        return None
    return np.asarray(nn_a, dtype=np.int64), np.asarray(nn_b, dtype=np.int64)


def put_neighbours(st: Any, image_model: str, text_model: str, nn_a: NDArray[np.int64],
                   nn_b: NDArray[np.int64]) -> None:
    """Cache the lists in a store open for writing (in place, journaled)."""
    ids = st.sample_ids()
    k = int(nn_a.shape[1])
    st.put_result(result_name(image_model, text_model), neighbours_key(st, image_model, text_model, ids, k),
                  {"k": k, "image": image_model, "text": text_model},
                  {"image": nn_a.astype(np.int32), "text": nn_b.astype(np.int32)})


def save_neighbours(store_path: str | Path, image_model: str, text_model: str,
                    nn_a: NDArray[np.int64], nn_b: NDArray[np.int64]) -> bool:
    """Cache the lists; False (logged) when the store is busy or read-only."""
    from engine.store import Store

    try:
        with Store.open(store_path, mode="a") as st:
            put_neighbours(st, image_model, text_model, nn_a, nn_b)
        return True
    except (AlignScopeError, OSError) as exc:
        log.info("neighbour lists not cached in %s: %s", store_path, exc)
        return False


def compute_neighbours(a: NDArray[Any], b: NDArray[Any], k: int, progress: Progress | None = None) -> Lists:
    """The k nearest neighbours of every row in each space (cosine, self excluded)."""
    from engine.metrics.knn import pair_graphs
    from engine.metrics.validate import prepare_pair

    aa, bb = prepare_pair(a, b, normalize=True)
    graphs = pair_graphs(aa, bb, k, progress=progress,
                         messages=("nearest neighbours (images)", "nearest neighbours (reports)"))
    return graphs.ia, graphs.ib
