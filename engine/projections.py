"""2-D projections of embedding spaces for the Spaces view, cached in the project store.

PCA is the default (exact, deterministic, O(n·d²) through the d×d covariance, so 100,000
rows of 1280-d features take seconds, not minutes). UMAP is not bundled: the product
notes measured it >100× slower than PCA, and it would add a dependency; ``METHODS``
lists what this build offers.

Public API::

    METHODS = ("pca",)
    pca_2d(X, normalize=True) -> np.ndarray                      # float32 [n, 2]
    project(X, method="pca", normalize=True) -> np.ndarray       # float32 [n, 2]
    projection_key(model_id, sha256, n, method, normalize) -> str
    store_projection(store_path, model_id, method="pca", progress=None) -> np.ndarray
        # reads the embeddings, returns the projection; computed once then cached in the store
        # (``put_result("projection", key, ...)``); falls back to computing without caching when
        # the store cannot be written (e.g. `embed` holds it).
    points_in_polygon(xy, polygon) -> np.ndarray                 # bool [n], even-odd rule
    points_in_rect(xy, x0, y0, x1, y1) -> np.ndarray             # bool [n]
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from engine.errors import InputError, StoreError
from engine.progress import Progress, report

METHODS: tuple[str, ...] = ("pca",)
_RESULT_NAME = "projection"


def _check_matrix(X: np.ndarray) -> np.ndarray:
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise InputError(f"projection needs a 2-D array [n, dim], got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise InputError("projection needs at least one row, got an empty array")
    if not np.issubdtype(arr.dtype, np.floating):
        raise InputError(f"projection needs floating-point embeddings, got dtype {arr.dtype}")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        rows = np.flatnonzero(bad)[:5].tolist()
        raise InputError(f"embeddings contain NaN or infinite values in rows {rows}")
    return arr


def pca_2d(X: np.ndarray, normalize: bool = True) -> np.ndarray:
    """First two principal components of ``X`` (rows optionally L2-normalised first).

    Signs are fixed so that the largest-magnitude loading of each component is positive,
    which makes the result deterministic across runs and platforms.
    """
    arr = _check_matrix(X).astype(np.float64, copy=True)
    if normalize:
        norms = np.linalg.norm(arr, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        arr /= norms
    arr -= arr.mean(axis=0, keepdims=True)
    n, d = arr.shape
    if n == 1 or d == 0:
        return np.zeros((n, 2), dtype=np.float32)
    cov = arr.T @ arr
    evals, evecs = np.linalg.eigh(cov)
    order = np.argsort(evals)[::-1][: min(2, d)]
    comps = evecs[:, order]
    for j in range(comps.shape[1]):
        if comps[np.argmax(np.abs(comps[:, j])), j] < 0:
            comps[:, j] = -comps[:, j]
    out = np.zeros((n, 2), dtype=np.float64)
    out[:, : comps.shape[1]] = arr @ comps
    return out.astype(np.float32)


def project(X: np.ndarray, method: str = "pca", normalize: bool = True) -> np.ndarray:
    """2-D projection of ``X`` by ``method`` (one of :data:`METHODS`)."""
    if method not in METHODS:
        raise InputError(f"unknown projection method {method!r}; available: {', '.join(METHODS)}")
    return pca_2d(X, normalize=normalize)


def projection_key(model_id: str, sha256: str, n: int, method: str, normalize: bool) -> str:
    """Cache key of a projection: everything that changes its result."""
    blob = json.dumps(
        {"model": model_id, "sha256": sha256, "n": n, "method": method, "normalize": normalize},
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def store_projection(
    store_path: str | Path,
    model_id: str,
    method: str = "pca",
    normalize: bool = True,
    progress: Progress | None = None,
) -> np.ndarray:
    """Projection of one model's embeddings in a store, cached there under ``projection``."""
    from engine.store import Store

    report(progress, 0, 3, f"reading {model_id}")
    with Store.open(store_path, mode="r") as st:
        emb = st.embeddings(model_id)
        attrs = st.model_attrs(model_id)
        ids_hash = hashlib.sha256("\n".join(st.sample_ids()).encode()).hexdigest()
        key = projection_key(
            model_id, f"{attrs.get('sha256', '')}:{ids_hash}", emb.shape[0], method, normalize
        )
        cached = st.get_result(_RESULT_NAME + ":" + model_id, key)
    if cached is not None and "xy" in cached[1]:
        report(progress, 3, 3, "projection from cache")
        return np.asarray(cached[1]["xy"], dtype=np.float32)
    report(progress, 1, 3, f"{method.upper()} of {model_id}")
    xy = project(emb, method=method, normalize=normalize)
    report(progress, 2, 3, "saving projection")
    try:
        with Store.open(store_path, mode="a") as st:
            st.put_result(
                _RESULT_NAME + ":" + model_id,
                key,
                {"method": method, "model": model_id, "normalize": normalize},
                {"xy": xy},
            )
    except (StoreError, OSError):
        pass  # store busy or read-only: the projection is still returned, just not cached
    report(progress, 3, 3, "projection ready")
    return xy


def points_in_rect(xy: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """Mask of the points inside the axis-aligned rectangle (corners in any order)."""
    lo_x, hi_x = min(x0, x1), max(x0, x1)
    lo_y, hi_y = min(y0, y1), max(y0, y1)
    x = xy[:, 0]
    y = xy[:, 1]
    return np.asarray((x >= lo_x) & (x <= hi_x) & (y >= lo_y) & (y <= hi_y))


def points_in_polygon(xy: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Mask of the points inside a closed polygon (even-odd rule), vectorised over points.

    ``polygon`` is [m, 2] vertices; the closing edge is implied. Fewer than 3 vertices
    select nothing. Cost O(n·m) with only the points inside the polygon's bounding box tested.
    """
    pts = np.asarray(xy, dtype=np.float64)
    poly = np.asarray(polygon, dtype=np.float64)
    inside = np.zeros(pts.shape[0], dtype=bool)
    if poly.ndim != 2 or poly.shape[0] < 3:
        return inside
    (bx0, by0), (bx1, by1) = poly.min(axis=0), poly.max(axis=0)
    cand = np.flatnonzero(points_in_rect(pts, bx0, by0, bx1, by1))
    if cand.size == 0:
        return inside
    px = pts[cand, 0]
    py = pts[cand, 1]
    hit = np.zeros(cand.size, dtype=bool)
    xj, yj = poly[-1]
    for xi, yi in poly:
        crosses = (yi > py) != (yj > py)
        if crosses.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                x_at = (xj - xi) * (py - yi) / (yj - yi) + xi
            hit ^= crosses & (px < x_at)
        xj, yj = xi, yi
    inside[cand] = hit
    return inside
