"""Discretise embeddings for the plug-in PID: L2-normalise → PCA(d) → k-means(c), as the reference.

Also: the plug-in joint p(x1, x2, y) from cluster ids and labels, and the PID with
bootstrap intervals and a sparsity warning (plug-in estimates are biased when there are
few samples per cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.progress import Progress, report
from engine.study.pid import pid_from_joint

# below this many samples per possible cell the plug-in estimate is flagged as unreliable
MIN_SAMPLES_PER_CELL = 5.0


def auto_clusters(n: int, n_classes: int, *, max_clusters: int = 30, min_clusters: int = 2) -> int:
    """Clusters per modality so that n / (c · c · n_classes) >= MIN_SAMPLES_PER_CELL, capped at 30."""
    c = int(np.floor(np.sqrt(n / max(n_classes * MIN_SAMPLES_PER_CELL, 1.0))))
    return max(min_clusters, min(max_clusters, c))


@dataclass(frozen=True)
class DiscretizeOptions:
    pca_dim: int = 5
    n_clusters: int = 30
    seed: int = 0


def discretize(x: NDArray[Any], options: DiscretizeOptions = DiscretizeOptions()) -> NDArray[np.int64]:
    """Cluster id per row: L2-normalise rows, PCA to ``pca_dim``, k-means with ``n_clusters``."""
    from sklearn.cluster import KMeans

    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] < 2:
        raise InputError(f"discretize: need a 2-D array with at least 2 rows, got shape {arr.shape}")
    arr = arr / np.maximum(np.linalg.norm(arr, axis=1, keepdims=True), 1e-12)
    arr = arr - arr.mean(axis=0)
    dim = min(options.pca_dim, arr.shape[1], arr.shape[0])
    _, _, vt = np.linalg.svd(arr, full_matrices=False)
    z = arr @ vt[:dim].T
    n_clusters = min(options.n_clusters, np.unique(z.round(12), axis=0).shape[0])
    km = KMeans(n_clusters=n_clusters, n_init=4, random_state=options.seed).fit(z)
    return np.asarray(km.labels_, dtype=np.int64)


def encode_labels(labels: list[str] | NDArray[Any]) -> tuple[NDArray[np.int64], list[str]]:
    """Integer codes and the sorted class names."""
    names, codes = np.unique(np.asarray(labels).astype(str), return_inverse=True)
    return codes.astype(np.int64), [str(n) for n in names]


def plugin_joint(c1: NDArray[Any], c2: NDArray[Any], y: NDArray[Any], shape: tuple[int, int, int]
                 ) -> NDArray[np.float64]:
    """Empirical p(x1, x2, y) from integer codes."""
    counts = np.zeros(shape, dtype=np.float64)
    np.add.at(counts, (np.asarray(c1), np.asarray(c2), np.asarray(y)), 1.0)
    out: NDArray[np.float64] = counts / counts.sum()
    return out


PID_KEYS = ("redundancy", "unique_1", "unique_2", "synergy", "total_mi")


def pid_from_codes(c1: NDArray[Any], c2: NDArray[Any], y: NDArray[Any], *, bootstrap: int = 50,
                   seed: int = 0, progress: Progress | None = None) -> dict[str, Any]:
    """PID (bits) of discrete codes with bootstrap intervals and cell statistics.

    Intervals are bias-shifted percentile intervals: the 2.5/97.5 % bootstrap percentiles moved
    by (bootstrap mean - estimate), because resampled joints overstate information.

    Returns the keys of ``alignscope pid``: redundancy, unique_1, unique_2, synergy, total_mi,
    solver, ci {key: [lo, hi]}, cells {...}, plus warning (str | None).
    """
    c1 = np.asarray(c1, dtype=np.int64)
    c2 = np.asarray(c2, dtype=np.int64)
    y = np.asarray(y, dtype=np.int64)
    n = c1.size
    if not (c2.size == n and y.size == n):
        raise InputError(f"PID: code arrays differ in length ({c1.size}, {c2.size}, {y.size})")
    shape = (int(c1.max()) + 1, int(c2.max()) + 1, int(y.max()) + 1)
    joint = plugin_joint(c1, c2, y, shape)
    point = pid_from_joint(joint).as_dict()
    rng = np.random.default_rng(seed)
    boots: dict[str, list[float]] = {k: [] for k in PID_KEYS}
    for b in range(bootstrap):
        idx = rng.integers(0, n, size=n)
        res = pid_from_joint(plugin_joint(c1[idx], c2[idx], y[idx], shape)).as_dict()
        for k in PID_KEYS:
            boots[k].append(float(res[k]))
        report(progress, b + 1, bootstrap, "PID bootstrap")
    # resampling duplicates rows, which inflates plug-in information terms (bias ∝ cells / n):
    # shift the percentile interval by the bootstrap bias so it is centred on the estimate
    ci: dict[str, list[float]] = {}
    if bootstrap > 1:
        for k, v in boots.items():
            arr = np.asarray(v)
            shift = float(arr.mean()) - float(point[k])
            ci[k] = [float(np.percentile(arr, 2.5)) - shift, float(np.percentile(arr, 97.5)) - shift]
    possible = shape[0] * shape[1] * shape[2]
    occupied = int(np.count_nonzero(joint))
    per_cell = n / possible
    per_occupied = n / max(occupied, 1)
    sparse = per_cell < MIN_SAMPLES_PER_CELL
    warning = None
    if sparse:
        warning = (f"sparse joint: {n} samples over {possible} possible cells "
                   f"({shape[0]} × {shape[1]} clusters × {shape[2]} classes) = {per_cell:.2f} "
                   f"samples per cell (fewer than {MIN_SAMPLES_PER_CELL:g}); plug-in estimates "
                   "overstate synergy and information: use fewer clusters or more samples")
    return {
        **{k: float(point[k]) for k in PID_KEYS},
        "solver": str(point["solver"]),
        "ci": ci,
        "cells": {"occupied": occupied, "possible": possible, "n_samples": n,
                  "shape": list(shape), "samples_per_cell": per_cell,
                  "samples_per_occupied_cell": per_occupied, "sparse": bool(sparse)},
        "warning": warning,
        "bootstrap": bootstrap,
    }


def pid_from_embeddings(a: NDArray[Any], b: NDArray[Any], labels: list[str] | NDArray[Any], *,
                        options: DiscretizeOptions = DiscretizeOptions(), bootstrap: int = 50,
                        progress: Progress | None = None) -> dict[str, Any]:
    """Discretise both spaces, then :func:`pid_from_codes` with Y = labels."""
    if len(labels) != np.asarray(a).shape[0] or np.asarray(b).shape[0] != np.asarray(a).shape[0]:
        raise InputError("PID: embeddings and labels must have the same number of rows")
    from engine.study.blas import one_blas_thread

    y, names = encode_labels(labels)
    with one_blas_thread():
        c1 = discretize(a, options)
        c2 = discretize(b, options)
        out = pid_from_codes(c1, c2, y, bootstrap=bootstrap, seed=options.seed, progress=progress)
    out["discretization"] = {"pca_dim": options.pca_dim, "n_clusters": options.n_clusters,
                             "n_classes": len(names)}
    return out
