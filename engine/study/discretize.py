"""Discretise each modality for the plug-in PID, keeping the label information.

Two methods (``DISCRETIZE_METHODS``):

- ``probe`` (default): cluster each modality's **out-of-fold probe probabilities** p̂(y | x)
  with k-means under the KL divergence (Bregman hard clustering; Banerjee et al. 2005).
  Replacing X by a statistic T(X) with p(y | x) = p(y | T(x)) leaves I(X;Y) unchanged, and it
  leaves the PID's redundancy and both uniquenesses unchanged too (they depend on the channels
  p(x_i | y) only up to sufficiency; checked numerically in tests/test_discretize.py). KL
  clustering of the posteriors loses exactly E[KL(p̂(y|x) ‖ centroid)] bits, the least a hard
  clustering of them can lose. Synergy is the exception: synergy carried by features that say
  nothing about Y on their own (XOR-like) is not in the posteriors, so with this method S is a
  lower bound.
- ``kmeans``: the reference's L2-normalise → PCA(5) → k-means(30). It keeps whatever lives in
  the top five principal components, which on pretrained embeddings is often not the label.

Label information kept, ``kept_bits``: H(Y) minus the out-of-fold cross-entropy of
p̂(y | cluster) (cluster-to-label table fitted on the other folds, add-½ smoothing). It is the
same kind of number as the probe's own bound (H(Y) minus the probe's out-of-fold
cross-entropy): both are held-out, lower-bound-type estimates of I(X;Y), so they compare like
with like. The in-sample plug-in I(X̂;Y) of the same rows would be biased upward by about
(k−1)(C−1)/(2n ln 2) bits and is not used for the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.study.messages import Message, msg
from engine.study.probes import OutOfFold
from engine.typed_json import JSONObject

DISCRETIZE_METHODS = ("probe", "kmeans")
DEFAULT_METHOD = "probe"
# the clusters of each modality are reduced until the joint has this many samples per occupied cell
TARGET_SAMPLES_PER_OCCUPIED_CELL = 10.0
# warn when the discretisation keeps less than this share of the probe's information bound
KEPT_SHARE_WARNING = 0.75
# more clusters than the fewest candidate only when they keep this much more (cross-fitted bits)
_MORE_CLUSTERS_GAIN = 0.02
_MAX_PROBE_CLUSTERS = 30


@dataclass(frozen=True)
class DiscretizeOptions:
    """Options of the reference discretisation (method ``kmeans``)."""

    pca_dim: int = 5
    n_clusters: int = 30
    seed: int = 0


# the reference's L2 → PCA(5) → k-means(30)
REFERENCE_KMEANS = DiscretizeOptions()


def discretize(x: NDArray[Any], options: DiscretizeOptions = REFERENCE_KMEANS) -> NDArray[np.int64]:
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
    n_clusters = distinct_rows_up_to(z.round(12), options.n_clusters)
    km = KMeans(n_clusters=n_clusters, n_init=4, random_state=options.seed).fit(z)
    return np.asarray(km.labels_, dtype=np.int64)


def encode_labels(labels: list[str] | NDArray[Any]) -> tuple[NDArray[np.int64], list[str]]:
    """Integer codes and the sorted class names."""
    names, codes = np.unique(np.asarray(labels).astype(str), return_inverse=True)
    return codes.astype(np.int64), [str(n) for n in names]


def _dense(codes: NDArray[Any]) -> NDArray[np.int64]:
    """Relabel codes as 0..k-1 (k = distinct values)."""
    _, out = np.unique(np.asarray(codes), return_inverse=True)
    return out.astype(np.int64)


def distinct_rows_up_to(x: NDArray[Any], limit: int) -> int:
    """min(limit, number of distinct rows of ``x``), exactly.

    Greedy: take a row not equal to any row taken so far, ``limit`` times at most; each step is
    one elementwise pass (numpy releases the GIL for it). ``np.unique(x, axis=0)`` sorts a
    structured view while holding the GIL: 0.3 s of a GUI thread blocked at 100,000 rows."""
    left = np.ones(x.shape[0], dtype=bool)
    count = 0
    while count < limit and left.any():
        row = x[int(np.argmax(left))]
        left &= (x != row).any(axis=1)
        count += 1
    return count


def kl_clusters(proba: NDArray[Any], k: int, *, iters: int = 100) -> NDArray[np.int64]:
    """Hard clustering of probability vectors minimising Σ KL(pᵢ ‖ centroid), deterministic.

    Starts from the predicted classes (one centroid per predicted class, the mean posterior of
    its rows); further centroids are added at the row farthest (in KL) from all centroids; then
    Lloyd iterations (assign to the centroid of least cross-entropy, centroid = member mean).
    Returns dense codes 0..k'-1 with k' ≤ k (fewer when there are fewer distinct vectors).
    """
    p = np.clip(np.asarray(proba, dtype=np.float64), 1e-12, None)
    p = p / p.sum(axis=1, keepdims=True)
    log_p = np.log(p)
    pred = np.argmax(p, axis=1)
    centroids = [p[pred == c].mean(axis=0) for c in np.unique(pred)][:k]
    k = distinct_rows_up_to(p.round(9), k)
    while len(centroids) < k:
        log_c = np.log(np.asarray(centroids))
        kl = np.einsum("nc,nc->n", p, log_p)[:, None] - p @ log_c.T
        centroids.append(p[int(np.argmax(kl.min(axis=1)))])
    cent = np.asarray(centroids)
    labels = np.full(p.shape[0], -1, dtype=np.int64)
    for _ in range(iters):
        new = np.argmin(-(p @ np.log(np.clip(cent, 1e-300, None)).T), axis=1).astype(np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
        for j in np.unique(labels):
            cent[j] = p[labels == j].mean(axis=0)
    return _dense(labels)


def label_entropy_bits(y: NDArray[np.int64]) -> float:
    """Plug-in H(Y) in bits."""
    p = np.bincount(y) / max(y.size, 1)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def cross_fitted_information_bits(codes: NDArray[Any], y: NDArray[Any], *, folds: int = 5,
                                  seed: int = 0) -> float:
    """H(Y) − out-of-fold cross-entropy of p̂(y | code) in bits (add-½ smoothing; may be < 0).

    The code-to-label table of each fold is counted on the other folds only, so a code that
    merely memorises its rows gains nothing: the held-out counterpart of the plug-in I(X̂;Y).
    """
    c = _dense(codes)
    yy = np.asarray(y, dtype=np.int64)
    n, kc, ky = c.size, int(c.max()) + 1, int(yy.max()) + 1
    fold = np.random.default_rng(seed).permutation(n) % max(2, min(folds, n))
    ce = 0.0
    for f in np.unique(fold):
        train = fold != f
        table = np.full((kc, ky), 0.5)
        np.add.at(table, (c[train], yy[train]), 1.0)
        table /= table.sum(axis=1, keepdims=True)
        ce -= float(np.log2(table[c[~train], yy[~train]]).sum())
    return label_entropy_bits(yy) - ce / n


def _probe_candidates(oof: OutOfFold, seed: int) -> list[tuple[int, NDArray[np.int64], float]]:
    """(k, codes, kept bits) for k = C, 2C, 3C, 4C clusters (at most 30), fewest first."""
    n_classes = len(oof.classes)
    out: list[tuple[int, NDArray[np.int64], float]] = []
    for mult in (1, 2, 3, 4):
        k = min(mult * n_classes, _MAX_PROBE_CLUSTERS)
        if out and k <= out[-1][0]:
            break
        codes = kl_clusters(oof.proba, k)
        if out and int(codes.max()) + 1 <= out[-1][0]:
            break  # no more distinct posteriors
        out.append((k, codes, cross_fitted_information_bits(codes, oof.y, seed=seed)))
    return out


def _pick(cands: list[tuple[int, NDArray[np.int64], float]], limit: int) -> int:
    """Index of the fewest clusters within _MORE_CLUSTERS_GAIN of the best kept bits, among the first ``limit``."""
    usable = cands[:max(1, limit)]
    best = max(c[2] for c in usable)
    return next(i for i, c in enumerate(usable) if c[2] >= best - _MORE_CLUSTERS_GAIN * max(best, 0.0) - 1e-12)


def _samples_per_occupied(c1: NDArray[np.int64], c2: NDArray[np.int64], y: NDArray[np.int64]) -> float:
    key = (c1 * (int(c2.max()) + 1) + c2) * (int(y.max()) + 1) + y
    return c1.size / max(np.unique(key).size, 1)


def probe_codes(oof_1: OutOfFold, oof_2: OutOfFold, *, seed: int = 0
                ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Codes of both modalities from their out-of-fold probes (method ``probe``).

    Each modality: KL clusters of its posteriors with k ∈ {C, 2C, 3C, 4C} (≤ 30), the fewest
    whose cross-fitted kept bits are within 2 % of the best. While the joint has fewer than
    TARGET_SAMPLES_PER_OCCUPIED_CELL samples per occupied cell, the modality with more
    clusters steps down one candidate (to k = C at the least).
    """
    if oof_1.classes != oof_2.classes or not np.array_equal(oof_1.y, oof_2.y):
        raise InputError("PID: the two probes were fitted on different labels or rows")
    cands = [_probe_candidates(oof_1, seed), _probe_candidates(oof_2, seed)]
    pick = [_pick(cands[0], len(cands[0])), _pick(cands[1], len(cands[1]))]
    while True:
        c1, c2 = cands[0][pick[0]][1], cands[1][pick[1]][1]
        if _samples_per_occupied(c1, c2, oof_1.y) >= TARGET_SAMPLES_PER_OCCUPIED_CELL or pick == [0, 0]:
            return c1, c2
        larger_first = 0 if cands[0][pick[0]][0] >= cands[1][pick[1]][0] else 1
        side = larger_first if pick[larger_first] > 0 else 1 - larger_first
        pick[side] = _pick(cands[side], pick[side])


@dataclass(frozen=True)
class DiscretizationInfo:
    """How the two modalities were discretised and how much label information each kept (bits)."""

    method: str                          # "probe" | "kmeans"
    n_clusters: dict[str, int]           # {"image": k1, "text": k2}
    kept_bits: dict[str, float]          # cross-fitted I(X̂;Y) per modality, ≥ 0 (see module doc)
    probe_bits: dict[str, float]         # the probe's out-of-fold bound H(Y) − CE per modality
    label_entropy_bits: float            # H(Y)
    n_classes: int
    pca_dim: int | None = None           # kmeans only
    warnings: tuple[Message, ...] = field(default=())   # "pid_kept_information" sentences

    def to_json(self) -> JSONObject:
        return {"method": self.method, "n_clusters": dict(self.n_clusters),
                "kept_bits": dict(self.kept_bits), "probe_bits": dict(self.probe_bits),
                "label_entropy_bits": self.label_entropy_bits, "n_classes": self.n_classes,
                "pca_dim": self.pca_dim, "warnings": [w.text for w in self.warnings]}


def kept_information_warnings(kept: dict[str, float], probe: dict[str, float]) -> tuple[Message, ...]:
    """One sentence per modality whose discretisation keeps < 75 % of its probe's bound."""
    out = []
    for side in kept:
        if probe[side] > 0 and kept[side] < KEPT_SHARE_WARNING * probe[side]:
            out.append(msg("pid_kept_information", modality=side, kept=kept[side], probe=probe[side],
                           percent=100 * max(kept[side], 0) / probe[side]))
    return tuple(out)


def discretize_pair(a: NDArray[Any], b: NDArray[Any], probes: tuple[OutOfFold, OutOfFold], *,
                    method: str = DEFAULT_METHOD, kmeans: DiscretizeOptions = REFERENCE_KMEANS,
                    seed: int = 0) -> tuple[NDArray[np.int64], NDArray[np.int64], DiscretizationInfo]:
    """Codes of the image (``a``) and text (``b``) rows plus the bookkeeping of what they keep.

    ``probes`` are the two modalities' out-of-fold probes on the same rows and labels (the study
    passes the ones it already computed). ``method`` "probe" ignores ``a``/``b`` beyond their
    row count; "kmeans" uses them with ``kmeans``.
    """
    if method not in DISCRETIZE_METHODS:
        raise InputError(f"PID: unknown discretisation '{method}'; choose one of {', '.join(DISCRETIZE_METHODS)}")
    oof_a, oof_b = probes
    y = oof_a.y
    if not (np.asarray(a).shape[0] == np.asarray(b).shape[0] == y.size):
        raise InputError(f"PID: {np.asarray(a).shape[0]} image rows, {np.asarray(b).shape[0]} text rows "
                         f"and {y.size} labels; they must match")
    if method == "probe":
        c1, c2 = probe_codes(oof_a, oof_b, seed=seed)
    else:
        c1, c2 = _dense(discretize(a, kmeans)), _dense(discretize(b, kmeans))
    # held-out estimates can fall below 0 for codes that say nothing about Y: shown as 0, like the probe's bound
    kept = {"image": max(0.0, cross_fitted_information_bits(c1, y, seed=seed)),
            "text": max(0.0, cross_fitted_information_bits(c2, y, seed=seed))}
    probe_bits = {"image": oof_a.information_lower_bound_bits(), "text": oof_b.information_lower_bound_bits()}
    info = DiscretizationInfo(
        method=method, n_clusters={"image": int(c1.max()) + 1, "text": int(c2.max()) + 1},
        kept_bits=kept, probe_bits=probe_bits, label_entropy_bits=label_entropy_bits(y),
        n_classes=len(oof_a.classes), pca_dim=kmeans.pca_dim if method == "kmeans" else None,
        warnings=kept_information_warnings(kept, probe_bits))
    return c1, c2, info


# --- the interface engine/study/analyze.py uses until it calls engine.study.interactions ---
# below this many samples per possible cell the reference k-means discretisation gets fewer clusters
MIN_SAMPLES_PER_CELL = 5.0


def auto_clusters(n: int, n_classes: int, *, max_clusters: int = 30, min_clusters: int = 2) -> int:
    """Clusters per modality so that n / (c · c · n_classes) >= MIN_SAMPLES_PER_CELL, capped at 30."""
    c = int(np.floor(np.sqrt(n / max(n_classes * MIN_SAMPLES_PER_CELL, 1.0))))
    return max(min_clusters, min(max_clusters, c))


def pid_from_embeddings(a: NDArray[Any], b: NDArray[Any], labels: list[str] | NDArray[Any], *,
                        options: DiscretizeOptions = REFERENCE_KMEANS, bootstrap: int = 50,
                        progress: Any = None) -> JSONObject:
    """The k-means-discretised, bias-corrected PID as the dict analyze.py reads (keys unique_1/2).

    New callers use :func:`engine.study.interactions.interactions` (probe discretisation by default).
    """
    from engine.study.interactions import interactions

    res = interactions(a, b, labels, method="kmeans", kmeans=options, bootstrap=max(bootstrap, 2),
                       seed=options.seed, progress=progress)
    return legacy_pid_json(res.to_json())


def legacy_pid_json(out: JSONObject) -> JSONObject:
    """An ``Interactions.to_json()`` with the generic keys of ``alignscope pid`` (unique_1 = image)."""
    rename = {"unique_image": "unique_1", "unique_text": "unique_2"}
    res = {rename.get(k, k): v for k, v in out.items() if k not in ("cells",)}
    res["ci"] = {rename.get(k, k): v for k, v in out["ci"].items()}
    res["plugin"] = {rename.get(k, k): v for k, v in out["plugin"].items()}
    res["clipped"] = [rename.get(k, k) for k in out["clipped"]]
    res["cells"] = out["cells"]
    return res
