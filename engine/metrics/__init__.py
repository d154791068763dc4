"""Alignment metrics between two paired representation spaces (numpy; no Qt, no torch).

Definitions follow the Platonic Representation Hypothesis reference and the emergence
paper (see shared/notes/paper.md) with exact ratios; large n never forms n×n matrices.
"""

from engine.metrics.api import (
    METRIC_NAMES,
    compute_metrics,
    knn_curve,
    per_sample_overlap,
    resolve_metrics,
)
from engine.metrics.cka_kernel import cka_rbf, cknna, unbiased_cka_rbf
from engine.metrics.cka_linear import cka_linear, unbiased_cka_linear
from engine.metrics.knn import knn_graph, knn_indices
from engine.metrics.knn_metrics import cycle_knn, lcs_knn, mutual_knn
from engine.metrics.svcca import svcca

__all__ = [
    "METRIC_NAMES",
    "cka_linear",
    "cka_rbf",
    "cknna",
    "compute_metrics",
    "cycle_knn",
    "knn_curve",
    "knn_graph",
    "knn_indices",
    "lcs_knn",
    "mutual_knn",
    "per_sample_overlap",
    "resolve_metrics",
    "svcca",
    "unbiased_cka_linear",
    "unbiased_cka_rbf",
]
