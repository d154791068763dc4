"""The layer-wise part of the study: alignment of every (image layer, text layer) pair of each
model pair whose layers were embedded (``alignscope embed --layers``), each layer's probe
accuracy, and alignment-vs-performance over the layer points.

Each model's layers get one k-NN graph each, shared by every model pair it belongs to; the
layer probes reuse the study's probe (out-of-fold logistic regression on the label).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.metrics.layerwise import LayerGraph, LayerwiseAlignment
from engine.study.messages import Message, msg
from engine.study.result import Correlation, ModelChoice

log = logging.getLogger(__name__)
MAX_ROWS = 20_000  # above this, the layer-wise study runs on a stated random subsample


@dataclass(frozen=True)
class LayerStudy:
    alignments: dict[str, LayerwiseAlignment]     # "<image>|<text>"
    correlations: dict[str, Correlation]          # "<image>|<text>" (all layer pairs)
    accuracy: dict[str, dict[str, float]]         # model → layer → probe accuracy


def read_layers(st: object, models: ModelChoice) -> dict[str, dict[str, NDArray[np.float32]]]:
    """Every complete model's layers ({model: {layer: [n, d]}}); models without are left out."""
    out: dict[str, dict[str, NDArray[np.float32]]] = {}
    for mid in (*models.image, *models.text):
        if st.layer_names(mid) and st.layers_complete(mid):  # type: ignore[attr-defined]
            out[mid] = dict(st.layer_embeddings(mid))  # type: ignore[attr-defined]
    return out


def _layer_accuracy(layers: Mapping[str, NDArray[np.float32]], rows: NDArray[np.int64],
                    values: NDArray[np.str_], folds: int, seed: int) -> dict[str, float]:
    from engine.study.probes import out_of_fold_probe, reduce_features

    acc = {}
    for name, x in layers.items():
        oof = out_of_fold_probe(reduce_features(x[rows]), values, folds=folds, seed=seed)
        acc[name] = float(np.mean(oof.pred == oof.y))
    return acc


def layer_study(layers: Mapping[str, Mapping[str, NDArray[np.float32]]], models: ModelChoice,
                label_rows: NDArray[np.int64] | None, label_values: NDArray[np.str_] | None, *,
                k: int, folds: int, seed: int, notes: list[Message],
                tick: Callable[[str], None] = lambda _m: None) -> LayerStudy:
    """Layer-wise alignment of every model pair with layers on both sides (see module doc)."""
    from engine.metrics.layerwise import alignment_from_graphs, layer_graphs
    from engine.study.ladder import layerwise_performance_correlation

    pairs = [p for p in models.pairs if p.image in layers and p.text in layers]
    if not pairs:
        return LayerStudy({}, {}, {})
    n = len(next(iter(next(iter(layers.values())).values())))
    rows = np.arange(n)
    if n > MAX_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(n, MAX_ROWS, replace=False))
        notes.append(msg("n_layers_subsample", rows=MAX_ROWS, n=n))
    used = {m for p in pairs for m in (p.image, p.text)}
    graphs: dict[str, dict[str, LayerGraph]] = {}
    for mid in sorted(used):
        graphs[mid] = layer_graphs({name: x[rows] for name, x in layers[mid].items()}, k, side=mid)
        tick(f"layer graphs {mid}")
    alignments = {p.key: alignment_from_graphs(graphs[p.image], graphs[p.text]) for p in pairs}
    accuracy: dict[str, dict[str, float]] = {}
    correlations: dict[str, Correlation] = {}
    if label_rows is not None and label_values is not None:
        for mid in sorted(used):
            accuracy[mid] = _layer_accuracy(layers[mid], label_rows, label_values, folds, seed)
            tick(f"layer probes {mid}")
        for p in pairs:
            correlations[p.key] = layerwise_performance_correlation(
                alignments[p.key], accuracy[p.image], accuracy[p.text], seed=seed)
    return LayerStudy(alignments, correlations, accuracy)
