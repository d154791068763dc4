"""2-D projections of embedding spaces for the Spaces view, cached in the project store.

PCA is the default (exact, deterministic, O(n·d²) through the d×d covariance, so 100,000
rows of 1280-d features take seconds, not minutes). The nonlinear view "on request" is
t-SNE by openTSNE: FFT-accelerated interpolation (FIt-SNE, O(n) per iteration) from
10,000 rows, Barnes-Hut below (where FFT's fixed grid cost dominates: 6 s against 0.4 s of
CPU at n=240), Annoy neighbours above 1,000 rows; ``initialization="pca"``, fixed ``random_state``, so a seed
gives the same map every time) run on the L2-normalised rows reduced to their first 50
principal components. UMAP and PaCMAP are not bundled: they pull numba/llvmlite, which do
not freeze into the offline bundle. t-SNE is offered up to :data:`TSNE_MAX_ROWS` rows: its
time grows about linearly (measured on the loaded 2-vCPU dev machine, one thread:
n=20,000 30 s of CPU; n=100,000 22 min of wall time at load ~20 in benchmarks/bench_scale.py
--tsne), so 250,000 rows are a few CPU-minutes, up to an hour on a busy 2-core workstation; above that it refuses with a
message suggesting PCA rather than silently embedding a subsample. It runs in the
background while PCA stays on screen, and only once per model since the result is cached.
``METHODS`` lists what this build offers.

Public API::

    METHODS = ("pca", "tsne")
    TSNE_MAX_ROWS = 250_000
    pca_2d(X, normalize=True) -> np.ndarray                      # float32 [n, 2]
    tsne_2d(X, normalize=True, perplexity=30.0, random_state=0, progress=None) -> np.ndarray
    project(X, method="pca", normalize=True, progress=None) -> np.ndarray   # float32 [n, 2]
    check_method(method, n) -> None                              # InputError when unusable
    method_steps(method) -> int                                  # progress steps of store_projection
    projection_key(model_id, sha256, n, method, normalize, params=None) -> str
    store_projection(store_path, model_id, method="pca", normalize=True, progress=None) -> np.ndarray
        # reads the embeddings, returns the projection; computed once then cached in the store
        # (``put_result("projection:<model>", key, ...)``: one key per method and parameters,
        # so PCA and t-SNE stay cached side by side); falls back to computing without
        # caching when the store cannot be written (e.g. `embed` holds it).
    store_projection_pair(store_path, image_model, text_model, method="pca", normalize=True,
                          progress=None) -> tuple[np.ndarray, np.ndarray]
    points_in_polygon(xy, polygon) -> np.ndarray                 # bool [n], even-odd rule
    points_in_rect(xy, x0, y0, x1, y1) -> np.ndarray             # bool [n]

Progress: t-SNE reports its stages (reduce → neighbours and affinities → every 25
iterations of the optimisation → save) and honours :class:`engine.progress.Cancelled`
at each of them (the callback raises out of openTSNE's optimisation).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import InputError, StoreError
from engine.progress import Progress, report
from engine.typed_json import JSONObject

METHODS: tuple[str, ...] = ("pca", "tsne")
TSNE_MAX_ROWS = 250_000
TSNE_MIN_ROWS = 5
TSNE_PCA_DIM = 50
TSNE_PERPLEXITY = 30.0
TSNE_SEED = 0
TSNE_ITERATIONS = (250, 500)  # early exaggeration, then normal (openTSNE's defaults)
TSNE_EVERY = 25  # iterations between progress reports
TSNE_TICKS = sum(TSNE_ITERATIONS) // TSNE_EVERY
TSNE_IMPLEMENTATION = "openTSNE"
TSNE_FFT_FROM = 10_000  # FFT interpolation from this many rows; Barnes-Hut below (faster there)
_RESULT_NAME = "projection"
_SAME_ROWS_TOL = 1e-6
_LABELS = {"pca": "PCA", "tsne": "t-SNE"}


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


def _prepared(X: np.ndarray, normalize: bool) -> np.ndarray:
    """float64 copy of the checked rows, L2-normalised when asked (zero rows stay zero), centred."""
    arr = _check_matrix(X).astype(np.float64, copy=True)
    if normalize:
        norms = np.linalg.norm(arr, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        arr /= norms
    arr -= arr.mean(axis=0, keepdims=True)
    return arr


def _principal_scores(arr: np.ndarray, k: int) -> np.ndarray:
    """Scores of centred ``arr`` on its first ``k`` principal axes, zero-padded to k columns.

    Signs are fixed so that the largest-magnitude loading of each component is positive,
    which makes the result deterministic across runs and platforms.
    """
    n, d = arr.shape
    out = np.zeros((n, k), dtype=np.float64)
    if n == 1 or d == 0:
        return out
    if d <= n:
        evals, evecs = np.linalg.eigh(arr.T @ arr)
        order = np.argsort(evals)[::-1][: min(k, d)]
        comps = evecs[:, order]
    else:  # wide matrix (fewer rows than dims): the n×n Gram matrix is the cheaper side
        evals, u = np.linalg.eigh(arr @ arr.T)
        order = np.argsort(evals)[::-1][: min(k, n)]
        order = order[evals[order] > evals.max() * 1e-12] if evals.max() > 0 else order[:0]
        comps = arr.T @ u[:, order]
        comps /= np.maximum(np.linalg.norm(comps, axis=0, keepdims=True), 1e-300)
    for j in range(comps.shape[1]):
        if comps[np.argmax(np.abs(comps[:, j])), j] < 0:
            comps[:, j] = -comps[:, j]
    out[:, : comps.shape[1]] = arr @ comps
    return out


PCA_LARGE_FROM = 20_000  # rows from which PCA never copies the space (subspace iteration below)
PCA_OVERSAMPLE, PCA_ITERATIONS = 10, 8
PCA_FIT_ROWS = 20_000  # the axes are fitted on a seeded subsample of this many rows; every row is scored


def pca_2d(X: np.ndarray, normalize: bool = True) -> np.ndarray:
    """First two principal components of ``X`` (rows optionally L2-normalised first).

    From PCA_LARGE_FROM rows (normalised, more than 2 columns): :func:`_pca_large`. The dense
    path copies the space into float64 three times over: 6.4 s of a GUI's first open at
    100,000 × 1,280, against about 1 s."""
    arr = _check_matrix(X)
    if normalize and arr.shape[0] >= PCA_LARGE_FROM and arr.shape[1] > 2 + PCA_OVERSAMPLE:
        return _pca_large(arr, 2)
    return _principal_scores(_prepared(arr, normalize), 2).astype(np.float32)


def _pca_large(x: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Scores on the first ``k`` principal axes of the row-normalised, centred ``x``, by seeded
    subspace iteration (k + PCA_OVERSAMPLE vectors, PCA_ITERATIONS passes, then Rayleigh–Ritz)
    on ``x`` as it is: with D the row norms and μ the mean normalised row, the normalised,
    centred rows times Q are D⁻¹(xQ) − 1(μᵀQ), so no copy of x is made. Above PCA_FIT_ROWS
    rows the iteration runs on a seeded random subsample of that size (centred on the mean of
    all rows) and every row is scored on its axes: two axes for a picture, at a fifth of the
    cost at 100,000 rows. Signs as :func:`_principal_scores` (the largest-magnitude loading of
    each axis positive)."""
    n, d = x.shape
    norms = np.sqrt(np.einsum("ij,ij->i", x, x, dtype=np.float64))
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    mu = np.asarray(x.T @ inv.astype(x.dtype), dtype=np.float64) / n
    rng = np.random.default_rng(seed)
    fit = np.sort(rng.choice(n, PCA_FIT_ROWS, replace=False)) if n > PCA_FIT_ROWS else None
    xf, invf = (x, inv) if fit is None else (x[fit], inv[fit])

    def times(q: np.ndarray, rows: np.ndarray = xf, scale: np.ndarray = invf) -> np.ndarray:
        out: np.ndarray = scale[:, None] * (rows @ q.astype(x.dtype)) - (mu @ q)[None, :]
        return out  # [rows, p] = normalised, centred rows @ q

    def t_times(y: np.ndarray) -> np.ndarray:  # [d, p] = (normalised, centred fitted rows)ᵀ @ y
        return np.asarray(xf.T @ (invf[:, None] * y).astype(x.dtype), dtype=np.float64) - np.outer(mu, y.sum(axis=0))

    q = np.linalg.qr(rng.standard_normal((d, k + PCA_OVERSAMPLE)))[0]
    for _ in range(PCA_ITERATIONS):
        q = np.linalg.qr(t_times(np.linalg.qr(times(q))[0]))[0]
    y = times(q)
    evals, w = np.linalg.eigh(y.T @ y)
    comps = q @ w[:, np.argsort(evals)[::-1][:k]]
    for j in range(k):
        if comps[np.argmax(np.abs(comps[:, j])), j] < 0:
            comps[:, j] = -comps[:, j]
    out: np.ndarray = times(comps, x, inv).astype(np.float32)
    return out


def check_method(method: str, n: int) -> None:
    """Raise a readable InputError when ``method`` cannot project ``n`` rows."""
    if method not in METHODS:
        raise InputError(f"unknown projection method {method!r}; available: {', '.join(METHODS)}")
    if method == "tsne":
        if n > TSNE_MAX_ROWS:
            raise InputError(
                f"t-SNE is limited to {TSNE_MAX_ROWS:,} samples and this space has {n:,}; "
                "use the PCA projection for a project this large"
            )
        if n < TSNE_MIN_ROWS:
            raise InputError(f"t-SNE needs at least {TSNE_MIN_ROWS} samples, this space has {n}")


def _tsne_threads() -> int:
    """Leave one core to the GUI: with every core busy, OpenMP's spinning threads slow
    t-SNE down by an order of magnitude on a loaded 2-core machine."""
    return max(1, (os.cpu_count() or 1) - 1)


def tsne_steps() -> int:
    """Progress steps of :func:`tsne_2d`: reduce, affinities, then one per TSNE_EVERY iterations."""
    return 2 + TSNE_TICKS


def tsne_2d(
    X: np.ndarray,
    normalize: bool = True,
    perplexity: float = TSNE_PERPLEXITY,
    random_state: int = TSNE_SEED,
    progress: Progress | None = None,
) -> np.ndarray:
    """t-SNE map of ``X`` (openTSNE; FFT-accelerated from TSNE_FFT_FROM rows): rows L2-normalised (optional), reduced
    to 50 principal components, then embedded in 2-D. Deterministic for a given ``random_state``.

    The perplexity is lowered to (n - 1) / 3 for small n. Raises InputError above
    :data:`TSNE_MAX_ROWS` or below :data:`TSNE_MIN_ROWS` rows.
    """
    arr = _check_matrix(X)
    check_method("tsne", arr.shape[0])
    if not perplexity > 0:
        raise InputError(f"t-SNE perplexity must be positive, got {perplexity}")
    n = arr.shape[0]
    total = tsne_steps()
    report(progress, 0, total, f"reducing {n:,} rows to {TSNE_PCA_DIM} principal components")
    prepared = _prepared(arr, normalize)
    scale = 1.0 if normalize else float(np.abs(arr).max())
    if float(np.ptp(prepared, axis=0).max()) <= _SAME_ROWS_TOL * scale:
        # every row (numerically) the same: nothing to spread (the PCA initialisation
        # would divide by a zero spread)
        return np.zeros((n, 2), dtype=np.float32)
    reduced = _principal_scores(prepared, TSNE_PCA_DIM)
    report(progress, 1, total, f"t-SNE of {n:,} points: nearest neighbours and affinities")
    from openTSNE import TSNE
    from threadpoolctl import threadpool_limits

    ticks = [0]

    def on_iterations(iteration: int, error: float, embedding: Any) -> bool:
        ticks[0] += 1
        done = min(ticks[0] * TSNE_EVERY, sum(TSNE_ITERATIONS))
        report(progress, 1 + ticks[0], total, f"t-SNE of {n:,} points: iteration {done}/{sum(TSNE_ITERATIONS)}")
        return False

    tsne = TSNE(
        n_components=2,
        perplexity=float(min(perplexity, max(1.0, (n - 1) / 3.0))),
        initialization="pca",
        early_exaggeration_iter=TSNE_ITERATIONS[0],
        n_iter=TSNE_ITERATIONS[1],
        negative_gradient_method="fft" if n >= TSNE_FFT_FROM else "bh",
        n_jobs=_tsne_threads(),
        random_state=random_state,
        callbacks=on_iterations,
        callbacks_every_iters=TSNE_EVERY,
        verbose=False,
    )
    with threadpool_limits(limits=_tsne_threads()):
        xy = np.asarray(tsne.fit(reduced.astype(np.float64)), dtype=np.float32)
    report(progress, total, total, "t-SNE done")
    return xy


def project(
    X: np.ndarray, method: str = "pca", normalize: bool = True, progress: Progress | None = None
) -> np.ndarray:
    """2-D projection of ``X`` by ``method`` (one of :data:`METHODS`), float32 [n, 2]."""
    if method not in METHODS:
        raise InputError(f"unknown projection method {method!r}; available: {', '.join(METHODS)}")
    if method == "tsne":
        return tsne_2d(X, normalize=normalize, progress=progress)
    return pca_2d(X, normalize=normalize)


def _method_params(method: str) -> JSONObject | None:
    if method == "tsne":
        return {"perplexity": TSNE_PERPLEXITY, "seed": TSNE_SEED, "pca_dim": TSNE_PCA_DIM,
                "implementation": TSNE_IMPLEMENTATION, "iterations": list(TSNE_ITERATIONS)}
    return None


def method_steps(method: str) -> int:
    """Progress steps of :func:`store_projection`: read, compute (t-SNE: its own steps), save."""
    return 2 + (tsne_steps() if method == "tsne" else 1)


def projection_key(
    model_id: str, sha256: str, n: int, method: str, normalize: bool, params: JSONObject | None = None
) -> str:
    """Cache key of a projection: everything that changes its result (PCA keys predate
    ``params`` and leave it out, so existing caches stay valid)."""
    fields: JSONObject = {"model": model_id, "sha256": sha256, "n": n, "method": method,
                              "normalize": normalize}
    if params:
        fields["params"] = params
    blob = json.dumps(fields, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _offset(progress: Progress | None, start: int, total: int) -> Progress | None:
    """A progress callback whose steps count from ``start`` on a fixed ``total``."""
    if progress is None:
        return None
    outer = progress

    def forward(done: int, _sub_total: int, message: str) -> None:
        outer(start + done, total, message)

    return forward


def store_projection(
    store_path: str | Path,
    model_id: str,
    method: str = "pca",
    normalize: bool = True,
    progress: Progress | None = None,
) -> np.ndarray:
    """Projection of one model's embeddings in a store, cached there under ``projection``.

    Steps reported: 0 read, 1 … compute (t-SNE: one per stage), then save, out of
    :func:`method_steps` (3 for PCA).
    """
    from engine.store import Store

    if method not in METHODS:
        raise InputError(f"unknown projection method {method!r}; available: {', '.join(METHODS)}")
    steps = method_steps(method)
    report(progress, 0, steps, f"reading {model_id}")
    with Store.open(store_path, mode="r") as st:
        attrs = st.model_attrs(model_id)
        ids = st.sample_ids()
        ids_hash = hashlib.sha256("\n".join(ids).encode()).hexdigest()
        key = projection_key(
            model_id, f"{attrs.get('sha256', '')}:{ids_hash}", len(ids), method, normalize,
            _method_params(method),
        )
        cached = st.get_result(_RESULT_NAME + ":" + model_id, key) if st.is_complete(model_id) else None
        # the vectors (hundreds of MB at 100,000 rows, checksummed) are read only when computing
        emb = None if cached is not None and "xy" in cached[1] else st.embeddings(model_id)
    if emb is None:
        assert cached is not None
        report(progress, steps, steps, "projection from cache")
        return np.asarray(cached[1]["xy"], dtype=np.float32)
    check_method(method, emb.shape[0])
    report(progress, 1, steps, f"{_LABELS[method]} of {model_id}")
    xy = project(emb, method=method, normalize=normalize, progress=_offset(progress, 1, steps))
    report(progress, steps - 1, steps, "saving projection")
    try:
        with Store.open(store_path, mode="a") as st:
            st.put_result(
                _RESULT_NAME + ":" + model_id,
                key,
                {"method": method, "model": model_id, "normalize": normalize,
                 "params": _method_params(method) or {}},
                {"xy": xy},
            )
    except (StoreError, OSError):
        pass  # store busy or read-only: the projection is still returned, just not cached
    report(progress, steps, steps, "projection ready")
    return xy


def store_projection_pair(
    store_path: str | Path,
    image_model: str,
    text_model: str,
    method: str = "pca",
    normalize: bool = True,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Projections of the image space and the report space (for the Spaces view's worker).

    Progress runs over both halves as one job of 2 × method_steps(method) steps; Cancelled
    raised by the callback stops it (what was already computed stays cached).
    """
    if method not in METHODS:
        raise InputError(f"unknown projection method {method!r}; available: {', '.join(METHODS)}")
    half = method_steps(method)
    xy_image = store_projection(store_path, image_model, method, normalize, _offset(progress, 0, 2 * half))
    xy_text = store_projection(store_path, text_model, method, normalize, _offset(progress, half, 2 * half))
    return xy_image, xy_text


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
