"""Suspect pairs of a project store: load the embeddings, score, cache the result in the store.

The result is cached with ``Store.put_result(RESULT_NAME, key, payload, arrays)``: the
payload is :meth:`PairScores.to_payload`, the per-pair arrays are HDF5 datasets, and the
key hashes the sample ids, the label values, both models' attributes, the seed and the
method version. One cached result per store (the last one computed).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import AlignScopeError, InputError
from engine.pairs.result import PairScores
from engine.progress import Progress
from engine.version import __version__

log = logging.getLogger(__name__)

RESULT_NAME = "suspects"
METHOD_VERSION = "pairs-1"


def _pick_label(st: Any, label: str | None, no_label: bool) -> str | None:
    """The study's label resolver (engine.dataset.label_choice), unless ``no_label``."""
    from engine.dataset.label_choice import choose_label

    if no_label:
        return None
    return choose_label({c: st.column(c) for c in st.columns()}, label, source=str(st.path)).column


def cache_key(st: Any, image_model: str, text_model: str, label: str | None, seed: int) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({"v": __version__, "method": METHOD_VERSION, "seed": seed, "label": label,
                         "models": [image_model, text_model]}, sort_keys=True).encode())
    for sid in st.sample_ids():
        h.update(sid.encode() + b"\0")
    if label is not None:
        for v in st.column(label):
            h.update(v.encode() + b"\0")
    for mid in (image_model, text_model):
        attrs = st.model_attrs(mid)
        h.update(json.dumps({k: str(attrs.get(k)) for k in ("sha256", "dim", "created")}).encode())
    return h.hexdigest()[:32]


def suspects_for_store(store_path: str | Path, *, image_model: str | None = None,
                       text_model: str | None = None, label: str | None = None, no_label: bool = False,
                       seed: int = 0, use_cache: bool = True, save: bool = True,
                       progress: Progress | None = None) -> PairScores:
    """Per-pair suspect scores of a store (default pair of models; the first label column unless
    ``no_label``), from the store's cache when nothing changed (``use_cache``); a computed result
    is cached in the store unless ``save`` is false."""
    from engine.pairs.score import score_pairs
    from engine.store import Store

    path = Path(store_path)
    from engine.study.model_choice import choose_models_for_store

    with Store.open(path, mode="r") as st:
        pair = choose_models_for_store(st, image=image_model, text=text_model).default
        img, txt = pair.image, pair.text
        col = _pick_label(st, label, no_label)
        key = cache_key(st, img, txt, col, seed)
        ids = list(st.sample_ids())
        cached = st.get_result(RESULT_NAME, key) if use_cache else None
        if cached is not None:
            return PairScores.from_payload(cached[0], cached[1], ids)
        labels = list(st.column(col)) if col is not None else None
        image = np.asarray(st.embeddings(img), dtype=np.float32)
        report = np.asarray(st.embeddings(txt), dtype=np.float32)
    try:
        scored = score_pairs(image, report, ids, label=col, labels=labels, seed=seed, progress=progress)
    except InputError as exc:
        if col is None or not str(exc).startswith("probe:"):
            raise
        if label is not None:
            raise InputError(f"label column '{col}': {exc}; choose another column or use no label") from exc
        log.warning("default label column %r unusable (%s); scoring without label", col, exc)
        scored = score_pairs(image, report, ids, seed=seed, progress=progress)
        scored = replace(scored, notes=(*scored.notes, f"label column '{col}' not used: {exc}"))
    result = replace(scored, image_model=img, text_model=txt)
    if not save:
        return result
    try:
        with Store.open(path, mode="a") as st:
            st.put_result(RESULT_NAME, key, result.to_payload(), result.arrays.as_dict())
    except (AlignScopeError, OSError) as exc:  # read-only folder, or another process holds the lock
        log.warning("suspect pairs not cached in %s: %s", path, exc)
        result = replace(result, notes=(*result.notes, f"not cached in the store ({exc})"))
    return result
