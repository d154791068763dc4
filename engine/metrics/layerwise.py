"""Layer-wise alignment: a metric for every (image layer, text layer) pair, and its maximum.

The research measures alignment between every pair of layers of two encoders and reports
the maximum ("max alignment"). Each layer's k-NN graph is computed once (8 + 7 graphs for
an 8-layer image model and a 7-layer text model, not 8 × 7 × 2); every pair's kNN metric is
then read off the two graphs, which costs O(n·k) to O(n·k²) per pair against O(n²·d) per
graph. Rows are L2-normalised first (as every metric of ``engine.metrics`` does by default),
so each pair's value equals ``compute_metrics(a, b, k=k)[metric]`` exactly.

``mutual_knn`` of all pairs comes from one matrix product of the layers' 0/1 adjacency
matrices when n is small enough (the synthetic study: n = 512, k = 100, ~60 layers);
otherwise from the neighbour lists pair by pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InputError
from engine.metrics.cka_kernel import cknna_from_graphs
from engine.metrics.knn import IntArray, knn_graph
from engine.metrics.knn_metrics import cycle_hits, lcs_lengths, overlap_counts
from engine.metrics.validate import FloatArray, check_k, check_matrix, l2_normalize
from engine.progress import Progress, report
from engine.typed_json import JSONObject

LAYERWISE_METRICS: tuple[str, ...] = ("mutual_knn", "cycle_knn", "lcs_knn", "cknna")
DENSE_ADJACENCY_MAX = 1 << 25  # n² · (number of layers) up to this (128 MB): all pairs by one product


@dataclass(frozen=True)
class LayerGraph:
    """One layer's k-NN graph (numpy; an intermediate, not a result)."""

    indices: IntArray        # [n, k], most similar first, self excluded
    similarities: FloatArray  # [n, k]


@dataclass(frozen=True)
class LayerwiseAlignment:
    """A metric for every (image layer, text layer) pair of one model pair.

    ``matrix[i][j]`` is the metric between ``image_layers[i]`` and ``text_layers[j]``;
    ``max`` is its largest entry (the paper's "max alignment") and ``argmax`` the layer
    pair where it is reached (the first in row-major order on ties).
    """

    metric: str
    k: int
    n: int
    image_layers: list[str]
    text_layers: list[str]
    matrix: list[list[float]]
    max: float
    argmax: tuple[str, str]

    def to_json(self) -> JSONObject:
        """The object stored under ``"layerwise"`` in the analysis JSON."""
        return {"metric": self.metric, "k": self.k, "n": self.n, "max": self.max,
                "argmax": list(self.argmax), "matrix": [list(r) for r in self.matrix],
                "image_layers": list(self.image_layers), "text_layers": list(self.text_layers)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> LayerwiseAlignment:
        arg = obj["argmax"]
        return cls(metric=str(obj["metric"]), k=int(obj["k"]), n=int(obj["n"]),
                   image_layers=[str(s) for s in obj["image_layers"]],
                   text_layers=[str(s) for s in obj["text_layers"]],
                   matrix=[[float(v) for v in row] for row in obj["matrix"]],
                   max=float(obj["max"]), argmax=(str(arg[0]), str(arg[1])))


def _check_layers(layers: Mapping[str, object], side: str) -> dict[str, FloatArray]:
    if not layers:
        raise InputError(f"{side}: no layers given")
    out: dict[str, FloatArray] = {}
    n: int | None = None
    for name, arr in layers.items():
        x = check_matrix(arr, f"{side} layer {name!r}")
        if n is not None and x.shape[0] != n:
            raise InputError(f"{side} layer {name!r} has {x.shape[0]} rows but the other layers "
                             f"have {n}: every layer must hold the same samples in the same order")
        n = x.shape[0]
        out[str(name)] = x
    return out


def layer_graphs(layers: Mapping[str, object], k: int, *, normalize: bool = True,
                 side: str = "layers", progress: Progress | None = None,
                 threads: int | None = None) -> dict[str, LayerGraph]:
    """The k-NN graph of every layer (rows L2-normalised first unless ``normalize`` is False)."""
    checked = _check_layers(layers, side)
    out: dict[str, LayerGraph] = {}
    for i, (name, x) in enumerate(checked.items()):
        check_k(x.shape[0], k)
        xx = l2_normalize(x, f"{side} layer {name!r}") if normalize else x
        idx, sim = knn_graph(xx, k, threads=threads)
        out[name] = LayerGraph(idx, sim)
        report(progress, i + 1, len(checked), f"nearest neighbours of {side} layer {name}")
    return out


def _adjacency(graph: LayerGraph) -> npt.NDArray[np.float32]:
    n = graph.indices.shape[0]
    adj = np.zeros(n * n, dtype=np.float32)
    adj[(np.arange(n)[:, None] * n + graph.indices).ravel()] = 1.0
    return adj


def _mutual_matrix(img: Sequence[LayerGraph], txt: Sequence[LayerGraph]) -> npt.NDArray[np.float64]:
    n, k = img[0].indices.shape
    # shared neighbours summed over rows: integer sums, exact in float32 below 2^24
    if n * n * (len(img) + len(txt)) <= DENSE_ADJACENCY_MAX and n * k < (1 << 24):
        a = np.stack([_adjacency(g) for g in img])
        b = np.stack([_adjacency(g) for g in txt])
        out: npt.NDArray[np.float64] = (a @ b.T).astype(np.float64) / (n * k)
        return out
    mat = np.empty((len(img), len(txt)))
    for i, ga in enumerate(img):
        for j, gb in enumerate(txt):
            mat[i, j] = overlap_counts(ga.indices, gb.indices).mean() / k
    return mat


def _pair_value(metric: str, ga: LayerGraph, gb: LayerGraph) -> float:
    if metric == "cycle_knn":
        return float(cycle_hits(ga.indices, gb.indices).mean())
    if metric == "lcs_knn":
        return float(lcs_lengths(ga.indices, gb.indices).mean())
    if metric == "cknna":
        return cknna_from_graphs(ga.indices, ga.similarities, gb.indices, gb.similarities)
    raise InputError(f"unknown layer-wise metric {metric!r}; choose from {', '.join(LAYERWISE_METRICS)}")


def _best(matrix: npt.NDArray[np.float64]) -> tuple[float, int, int]:
    finite = np.where(np.isfinite(matrix), matrix, -np.inf)
    flat = int(np.argmax(finite))
    i, j = divmod(flat, matrix.shape[1])
    return float(matrix[i, j]), i, j


def alignment_from_graphs(image_graphs: Mapping[str, LayerGraph], text_graphs: Mapping[str, LayerGraph],
                          metric: str = "mutual_knn") -> LayerwiseAlignment:
    """Every (image layer, text layer) value of ``metric`` from precomputed graphs (same n, k)."""
    if metric not in LAYERWISE_METRICS:
        raise InputError(f"unknown layer-wise metric {metric!r}; choose from {', '.join(LAYERWISE_METRICS)}")
    img, txt = list(image_graphs.values()), list(text_graphs.values())
    if not img or not txt:
        raise InputError("layer-wise alignment needs at least one layer on each side")
    shapes = {g.indices.shape for g in img + txt}
    if len(shapes) != 1:
        raise InputError(f"the layers' graphs differ in (n, k): {sorted(shapes)}; "
                         "every layer must hold the same samples, with the same k")
    n, k = img[0].indices.shape
    if metric == "mutual_knn":
        mat = _mutual_matrix(img, txt)
    else:
        mat = np.array([[_pair_value(metric, ga, gb) for gb in txt] for ga in img])
    best, i, j = _best(mat)
    names_i, names_t = list(image_graphs), list(text_graphs)
    return LayerwiseAlignment(metric=metric, k=int(k), n=int(n), image_layers=names_i,
                              text_layers=names_t, matrix=[[float(v) for v in row] for row in mat],
                              max=best, argmax=(names_i[i], names_t[j]))


def layerwise_alignments(image_layers: Mapping[str, object], text_layers: Mapping[str, object], *,
                         metrics: Sequence[str] = ("mutual_knn",), k: int = 10, normalize: bool = True,
                         progress: Progress | None = None) -> dict[str, LayerwiseAlignment]:
    """Each metric for every layer pair, from one k-NN graph per layer (computed once).

    ``image_layers`` / ``text_layers``: layer name → [n, d] features of the same n samples
    in the same order (dict order is the layer order of the result).
    """
    unknown = [m for m in metrics if m not in LAYERWISE_METRICS]
    if unknown or not metrics:
        raise InputError(f"unknown layer-wise metric(s) {', '.join(unknown) or '(none given)'}; "
                         f"choose from {', '.join(LAYERWISE_METRICS)}")
    img = _check_layers(image_layers, "image")
    txt = _check_layers(text_layers, "text")
    n_img, n_txt = next(iter(img.values())).shape[0], next(iter(txt.values())).shape[0]
    if n_img != n_txt:
        raise InputError(f"image layers have {n_img} rows but text layers {n_txt}: rows must be paired")
    total = len(img) + len(txt) + 1

    def sub(offset: int) -> Progress:
        return lambda done, _t, msg: report(progress, offset + done, total, msg)

    gi = layer_graphs(img, k, normalize=normalize, side="image", progress=sub(0))
    gt = layer_graphs(txt, k, normalize=normalize, side="text", progress=sub(len(img)))
    out = {m: alignment_from_graphs(gi, gt, m) for m in metrics}
    report(progress, total, total, "layer-wise alignment done")
    return out


def layerwise_alignment(image_layers: Mapping[str, object], text_layers: Mapping[str, object], *,
                        metric: str = "mutual_knn", k: int = 10, normalize: bool = True,
                        progress: Progress | None = None) -> LayerwiseAlignment:
    """One metric (default mutual kNN, k = 10 as the paper on real data) for every layer pair."""
    return layerwise_alignments(image_layers, text_layers, metrics=(metric,), k=k,
                                normalize=normalize, progress=progress)[metric]
