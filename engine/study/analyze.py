"""The whole study on one store: ``alignscope analyze --store S.h5 --label COL --json``.

JSON schema of :func:`analyze_store` (the GUI and the PDF read exactly this; all
numbers are plain floats/ints, intervals are ``[lo, hi]`` 95 % bootstrap
percentile intervals, ``null`` where a value could not be computed)::

    {
      "schema": "alignscope.analysis/1",
      "store": str,                       # store path
      "label": str | null,                # label column used (null: no label available)
      "n": int,                           # samples used
      "n_classes": int,                   # distinct label values (0 without label)
      "seed": int,
      "default_pair": {"image": str, "text": str} | null,
      "models": {"image": [str], "text": [str]},     # complete embeddings used
      "probes": {                          # linear probes on the label (absent models: no key)
        MODEL_ID: {"modality": "image"|"text", "accuracy": float, "accuracy_ci": [lo, hi],
                    "macro_f1": float, "macro_f1_ci": [lo, hi], "folds": int, "n": int,
                    "n_classes": int, "notes": [str]},
        "fused:IMAGE_ID+TEXT_ID": {... same keys, "modality": "fused"},
        "chance": float                    # majority-class accuracy
      },                                   # {} without a label
      "pairs": [                           # one per (image model, text model)
        {"image": str, "text": str,
         "metrics": {metric: float, ...},  # engine.metrics.compute_metrics keys (mutual_knn, cka..., cknna, svcca)
         "ci": {metric: [lo, hi]}, "null": {metric: {"mean": float, "p": float}},   # default pair only
                                           # (kNN metrics + unbiased_cka_linear); {} otherwise
         "notes": [str],
         "image_probe": float | null, "text_probe": float | null, "fused_probe": float | null,   # accuracies
         "performance": float | null}      # mean of the two unimodal probe accuracies
      ],
      "correlation": {
        "metric": "mutual_knn",
        "n_pairs": int,
        "spearman": float | null, "spearman_ci": [lo, hi] | null,
        "pearson": float | null, "pearson_ci": [lo, hi] | null,
        "meaningful": bool, "reason": str  # e.g. "only 4 model pairs: need at least 5 ..."
      },
      "pid": {                             # default pair, label as Y, bits
        "redundancy": float, "unique_image": float, "unique_text": float, "synergy": float,
        "total_mi": float, "solver": str,
        "ci": {"redundancy": [lo, hi], "unique_image": [...], "unique_text": [...], "synergy": [...],
               "total_mi": [...]},
        "cells": int,                      # non-empty (x1, x2, y) cells of the plug-in joint
        "possible_cells": int,             # n_clusters_1 * n_clusters_2 * n_classes
        "samples_per_cell": float,         # n / possible_cells
        "sparse": bool, "warning": str | null,
        "discretization": {"pca_dim": int, "n_clusters": int, "n_classes": int}
      } | null,                            # null without a label (ci: bias-shifted bootstrap)
      "heterogeneity": {                   # default pair, see engine.study.heterogeneity
        "nonlinear_gap": float,            # 1 - R²_ridge / R²_RBF-kernel-ridge (0 = linear relation)
        "linear_deficit": float,           # 1 - R²_ridge: share one space cannot reproduce linearly
        "transfer": float | null,          # HighMMT-style transfer loss, bits/sample (needs a label)
        "explanation": {name: str}
      },
      "retrieval": {                       # held-out pairs, recall@k in both directions
        "n_train": int, "n_test": int,
        "chance": {"1": float, "5": float, "10": float},
        "methods": {
          "linear_map": {"image_to_text": {"1": r, "5": r, "10": r}, "text_to_image": {...},
                          "ci": {"image_to_text": {"1": [lo, hi], ...}, "text_to_image": {...}}},
          "cca": {... same ..., "canonical_correlations": [float]},
          "contrastive": {... same ...}
        },
        "best": str,                       # method with the highest mean recall@10
        "gain_over_linear_map": {method: float}   # mean recall@10 minus the linear map's
      } | null,
      "alignment_curve": {"k": [int], "mutual_knn": [float], "chance": [float]},   # default pair
      "per_sample": {"ids": [str], "overlap": [float], "k": int},                  # default pair
      "suspects": [{"id": str, "overlap": float}],   # lowest-overlap samples (max 50), ascending
      "findings": [str],                   # plain language, each sentence cites its number
      "recommendation": {"decision": "invest" | "not yet" | "measure more", "sentence": str},
      "timings": {stage: seconds},
      "notes": [str]
    }

The result is cached in the store with ``put_result("analysis", key, payload, arrays)``
where ``key`` hashes the store content (ids, label values, model attributes), the app
version and the parameters. The stored payload is this object without ``per_sample``;
the per-sample overlap is the array ``per_sample_overlap`` (store row order). Readers
should call ``analyze_store(path, label)`` again: with an unchanged store it returns the
cached object (``per_sample`` rebuilt) in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import AlignScopeError, InputError
from engine.progress import Progress, report
from engine.version import __version__

SCHEMA = "alignscope.analysis/1"
DEFAULT_IMAGE = "efficientnet-lite0"
DEFAULT_TEXT = "paraphrase-minilm-l3"
N_SUSPECTS = 50
# metrics that get bootstrap intervals and a permutation null: the kNN scores resample cheaply
# (per-sample scores, relabelled graphs); a linear-CKA resample recomputes d×d Gram matrices
KNN_INTERVAL_METRICS = ("mutual_knn", "cycle_knn", "lcs_knn")
LINEAR_INTERVAL_METRICS = ("unbiased_cka_linear",)


@dataclass(frozen=True)
class AnalyzeOptions:
    """Parameters of the study (all part of the cache key)."""

    k: int = 10
    bootstrap: int = 100        # kNN metric intervals, default pair
    permutations: int = 100     # shuffled-pairs null of the kNN metrics, default pair
    linear_bootstrap: int = 20  # unbiased linear CKA interval (each resample ~0.2-0.4 s at n=2000)
    linear_permutations: int = 20
    pid_bootstrap: int = 20
    pid_clusters: int = 0       # 0 = automatic: at most 30, and >= 5 samples per cell when possible
    pid_pca_dim: int = 5
    probe_folds: int = 5
    retrieval: bool = True
    contrastive: bool = True


def _pick_default(models: list[str], preferred: str) -> str | None:
    if not models:
        return None
    return preferred if preferred in models else models[0]


def _cache_key(st: Any, label: str | None, seed: int, options: AnalyzeOptions, models: dict[str, list[str]]
               ) -> str:
    h = hashlib.sha256()
    h.update(SCHEMA.encode() + __version__.encode())
    h.update(json.dumps({"label": label, "seed": seed, "options": asdict(options)}, sort_keys=True).encode())
    for sid in st.sample_ids():
        h.update(sid.encode() + b"\0")
    if label is not None:
        for v in st.column(label):
            h.update(v.encode() + b"\0")
    for mod in ("image", "text"):
        for mid in models[mod]:
            attrs = st.model_attrs(mid)
            h.update(json.dumps({"id": mid, **{k: str(attrs.get(k)) for k in ("sha256", "dim", "created")}},
                                sort_keys=True).encode())
    return h.hexdigest()[:32]


def _resolve_label(st: Any, label: str | None) -> str | None:
    columns = list(st.columns())
    if label is not None:
        if label not in columns:
            raise InputError(f"{st.path}: no column '{label}' in this store; columns: "
                             f"{', '.join(columns) if columns else '(none)'}")
        return label
    labels = list(st.label_columns())
    return labels[0] if labels else None


def _timed(timings: dict[str, float], name: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = fn()
    timings[name] = round(time.perf_counter() - t0, 3)
    return out


def analyze_store(store_path: str | Path, label: str | None = None, *, seed: int = 0,
                  progress: Progress | None = None, options: AnalyzeOptions | None = None,
                  use_cache: bool = True) -> dict[str, Any]:
    """Run the whole study on a store; see the module docstring for the returned JSON object."""
    from engine.store import Store

    opts = options or AnalyzeOptions()
    path = Path(store_path)
    with Store.open(path, mode="r") as st:
        models_all = st.models()
        models = {m: [i for i in models_all.get(m, []) if st.is_complete(i)] for m in ("image", "text")}
        if not models["image"] or not models["text"]:
            raise InputError(f"{path}: analyze needs complete embeddings of at least one image and one "
                             f"text model; the store has {models}")
        incomplete = sorted(i for m in ("image", "text") for i in models_all.get(m, [])
                            if i not in models[m])
        label_col = _resolve_label(st, label)
        key = _cache_key(st, label_col, seed, opts, models)
        if use_cache:
            cached = st.get_result("analysis", key)
            if cached is not None and "per_sample_overlap" in cached[1]:
                payload = dict(cached[0])
                payload["per_sample"] = {"ids": list(st.sample_ids()),
                                         "overlap": [float(v) for v in cached[1]["per_sample_overlap"]],
                                         "k": payload.get("per_sample_k", opts.k)}
                payload.pop("per_sample_k", None)
                payload["notes"] = [*payload.get("notes", []), "loaded from the store's result cache"]
                return payload
        ids = list(st.sample_ids())
        labels = list(st.column(label_col)) if label_col is not None else None
        emb = {mid: np.asarray(st.embeddings(mid), dtype=np.float32)
               for mod in ("image", "text") for mid in models[mod]}
    result = _run(path, ids, labels, label_col, models, emb, seed, opts, progress)
    if incomplete:
        result["notes"].append(f"left out (embeddings incomplete): {', '.join(incomplete)}")
    # per-sample arrays go into HDF5 datasets, not into the JSON attribute (size limits)
    slim = {k: v for k, v in result.items() if k != "per_sample"}
    slim["per_sample_k"] = result["per_sample"]["k"]
    try:
        with Store.open(path, mode="a") as st:
            st.put_result("analysis", key, slim,
                          {"per_sample_overlap": np.asarray(result["per_sample"]["overlap"], dtype=np.float64)})
    except (AlignScopeError, OSError) as exc:  # e.g. another process holds the writer lock
        result["notes"].append(f"result not cached in the store ({exc})")
    return result


def _run(path: Path, ids: list[str], labels: list[str] | None, label_col: str | None,
         models: dict[str, list[str]], emb: dict[str, NDArray[np.float32]], seed: int,
         opts: AnalyzeOptions, progress: Progress | None) -> dict[str, Any]:
    from engine.metrics import compute_metrics, knn_curve, per_sample_overlap
    from engine.study.blas import one_blas_thread
    from engine.study.discretize import (
        MIN_SAMPLES_PER_CELL,
        DiscretizeOptions,
        auto_clusters,
        pid_from_embeddings,
    )
    from engine.study.findings import build_findings
    from engine.study.heterogeneity import heterogeneity_scores
    from engine.study.ladder import alignment_performance_correlation
    from engine.study.probes import chance_accuracy, linear_probe, reduce_features
    from engine.study.retrieval import retrieval_trial

    timings: dict[str, float] = {}
    notes: list[str] = []
    n = len(ids)
    img_def = _pick_default(models["image"], DEFAULT_IMAGE)
    txt_def = _pick_default(models["text"], DEFAULT_TEXT)
    assert img_def is not None and txt_def is not None
    pairs_ids = [(i, t) for i in models["image"] for t in models["text"]]
    steps = 4 + len(pairs_ids) + (len(emb) + len(pairs_ids) if labels is not None else 0)
    step = 0

    def tick(msg: str) -> None:
        nonlocal step
        step += 1
        report(progress, step, steps, msg)

    # rows with a label value (probes and PID need one)
    lab_idx: NDArray[np.int64] = np.arange(n)
    y: NDArray[Any] | None = None
    if labels is not None:
        lab_arr = np.asarray(labels).astype(str)
        lab_idx = np.flatnonzero(lab_arr != "")
        if lab_idx.size < n:
            notes.append(f"{n - lab_idx.size} of {n} samples have no '{label_col}' value and are left "
                         "out of probes, PID and heterogeneity transfer")
        y = lab_arr[lab_idx]
        if np.unique(y).size < 2:
            notes.append(f"label '{label_col}' has fewer than 2 classes: probes and PID skipped")
            y = None

    probes: dict[str, Any] = {}
    if y is not None:
        t0 = time.perf_counter()
        with one_blas_thread():
            probes["chance"] = chance_accuracy(y)
            reduced = {mid: reduce_features(emb[mid][lab_idx]) for mid in emb}
            for mod in ("image", "text"):
                for mid in models[mod]:
                    probes[mid] = {"modality": mod, **linear_probe(reduced[mid], y, folds=opts.probe_folds,
                                                                   seed=seed)}
                    tick(f"probe {mid}")
            for i, t in pairs_ids:
                fused = np.concatenate([_unit_block(reduced[i]), _unit_block(reduced[t])], axis=1)
                probes[f"fused:{i}+{t}"] = {"modality": "fused",
                                            **linear_probe(fused, y, folds=opts.probe_folds, seed=seed)}
                tick(f"fused probe {i}+{t}")
        timings["probes"] = round(time.perf_counter() - t0, 3)

    pairs: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for i, t in pairs_ids:
        is_def = (i, t) == (img_def, txt_def)
        res = compute_metrics(emb[i], emb[t], k=opts.k, metrics="all", seed=seed)
        if is_def and (opts.bootstrap or opts.permutations):
            # intervals and nulls for the cheap metrics only (kernel metrics cost n² per resample)
            res["ci"], res["null"] = {}, {}
            for names, n_boot, n_perm in (
                    (KNN_INTERVAL_METRICS, opts.bootstrap, opts.permutations),
                    (LINEAR_INTERVAL_METRICS, opts.linear_bootstrap, opts.linear_permutations)):
                unc = compute_metrics(emb[i], emb[t], k=opts.k, metrics=list(names),
                                      bootstrap=n_boot, permutations=n_perm, seed=seed)
                res["ci"].update(unc.get("ci", {}))
                res["null"].update(unc.get("null", {}))
                res["notes"] = [*res.get("notes", []), *unc.get("notes", [])]
            res["notes"].append(
                f"intervals: {opts.bootstrap} bootstrap resamples and {opts.permutations} permutations "
                f"for {', '.join(KNN_INTERVAL_METRICS)}; {opts.linear_bootstrap} and "
                f"{opts.linear_permutations} for {', '.join(LINEAR_INTERVAL_METRICS)}; none for the "
                "kernel metrics and SVCCA (each resample costs a full recomputation)")
        metrics = {m: v for m, v in res.items() if m not in ("ci", "null", "notes", "seed")}
        acc_i = probes.get(i, {}).get("accuracy")
        acc_t = probes.get(t, {}).get("accuracy")
        fused_acc = probes.get(f"fused:{i}+{t}", {}).get("accuracy")
        pairs.append({"image": i, "text": t, "metrics": metrics, "ci": res.get("ci", {}),
                      "null": res.get("null", {}), "notes": res.get("notes", []),
                      "image_probe": acc_i, "text_probe": acc_t, "fused_probe": fused_acc,
                      "performance": (None if acc_i is None or acc_t is None else 0.5 * (acc_i + acc_t))})
        tick(f"metrics {i} × {t}")
    timings["metrics"] = round(time.perf_counter() - t0, 3)

    correlation = _timed(timings, "correlation", lambda: alignment_performance_correlation(
        [float(p["metrics"]["mutual_knn"]) for p in pairs],
        [float(p["performance"]) if p["performance"] is not None else float("nan") for p in pairs],
        seed=seed))

    a_def, b_def = emb[img_def], emb[txt_def]
    pid: dict[str, Any] | None = None
    if y is not None:
        n_clusters = opts.pid_clusters or auto_clusters(int(lab_idx.size), int(np.unique(y).size))
        if not opts.pid_clusters and n_clusters < 30:
            notes.append(f"PID: {n_clusters} clusters per modality instead of the reference's 30, so "
                         f"that the plug-in joint has >= {MIN_SAMPLES_PER_CELL:g} samples per cell")
        with one_blas_thread():
            raw = _timed(timings, "pid", lambda: pid_from_embeddings(
                a_def[lab_idx], b_def[lab_idx], y, bootstrap=opts.pid_bootstrap,
                options=DiscretizeOptions(opts.pid_pca_dim, n_clusters, seed)))
        pid = _pid_view(raw)
    tick("interactions (PID)")

    with one_blas_thread():
        het = _timed(timings, "heterogeneity", lambda: heterogeneity_scores(
            a_def[lab_idx], b_def[lab_idx], y, seed=seed) if y is not None
            else heterogeneity_scores(a_def, b_def, None, seed=seed))
    het.pop("cross_predictability", None)
    tick("heterogeneity")

    retrieval = None
    if opts.retrieval and n >= 40:
        with one_blas_thread():
            retrieval = _timed(timings, "retrieval", lambda: retrieval_trial(
                a_def, b_def, seed=seed, contrastive=opts.contrastive))
    tick("explicit-alignment trial")

    curve = _timed(timings, "alignment_curve", lambda: knn_curve(a_def, b_def, ks=range(1, min(101, n))))
    overlap = np.asarray(per_sample_overlap(a_def, b_def, k=opts.k), dtype=np.float64)
    order = np.argsort(overlap, kind="stable")[:N_SUSPECTS]
    tick("per-sample overlap")

    analysis: dict[str, Any] = {
        "schema": SCHEMA, "store": str(path), "label": label_col if y is not None else None,
        "n": n, "n_classes": int(np.unique(y).size) if y is not None else 0, "seed": seed,
        "default_pair": {"image": img_def, "text": txt_def}, "models": models,
        "probes": probes, "pairs": pairs, "correlation": correlation, "pid": pid,
        "heterogeneity": het, "retrieval": retrieval,
        "alignment_curve": {k: [float(v) if k != "k" else int(v) for v in vals] for k, vals in curve.items()},
        "per_sample": {"ids": ids, "overlap": [float(v) for v in overlap], "k": opts.k},
        "suspects": [{"id": ids[j], "overlap": float(overlap[j])} for j in order],
        "timings": timings, "notes": notes,
    }
    findings, recommendation = build_findings(analysis)
    analysis["findings"] = findings
    analysis["recommendation"] = recommendation
    out: dict[str, Any] = _jsonable(analysis)
    return out


def _unit_block(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale a feature block to unit mean squared row norm (both modalities weigh the same)."""
    scale = float(np.sqrt(np.mean(np.sum(x * x, axis=1))))
    out: NDArray[np.float64] = x / max(scale, 1e-12)
    return out


def _pid_view(raw: dict[str, Any]) -> dict[str, Any]:
    """Rename the PID keys for the image/text setting of the analysis JSON."""
    rename = {"unique_1": "unique_image", "unique_2": "unique_text"}
    cells = raw["cells"]
    return {
        "redundancy": raw["redundancy"], "unique_image": raw["unique_1"], "unique_text": raw["unique_2"],
        "synergy": raw["synergy"], "total_mi": raw["total_mi"], "solver": raw["solver"],
        "ci": {rename.get(k, k): v for k, v in raw["ci"].items()},
        "cells": cells["occupied"], "possible_cells": cells["possible"],
        "samples_per_cell": cells["samples_per_cell"], "sparse": cells["sparse"],
        "warning": raw["warning"], "discretization": raw.get("discretization", {}),
    }


def _jsonable(obj: Any) -> Any:
    """numpy scalars/arrays → plain Python; NaN → None (JSON has no NaN)."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if np.isfinite(f) else None
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj
