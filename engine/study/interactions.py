"""Interactions of images and reports with a label: discretise, then the bias-corrected PID.

One entry point for the study and the CLI, :func:`interactions`, and its result type
:class:`Interactions` (frozen; ``to_json()``). The study passes the out-of-fold probes it has
already fitted (``probes=(image_oof, text_oof)``); without them they are fitted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.progress import Progress
from engine.study.discretize import (
    DEFAULT_METHOD,
    REFERENCE_KMEANS,
    DiscretizationInfo,
    DiscretizeOptions,
    discretize_pair,
)
from engine.study.messages import Message, msg
from engine.study.pid_bias import (
    BIAS_CORRECTION,
    DEFAULT_BOOTSTRAP,
    DEFAULT_JACKKNIFE_GROUPS,
    MIN_ROWS,
    MIN_SAMPLES_PER_OCCUPIED_CELL,
    CellCounts,
    PIDEstimate,
    counts_of,
    estimate_pid,
)
from engine.study.probes import OutOfFold
from engine.typed_json import JSONObject

# PID_PARTS order with the image/text names of the study
PARTS = ("redundancy", "unique_image", "unique_text", "synergy", "total_mi")
_FROM_GENERIC = dict(zip(("redundancy", "unique_1", "unique_2", "synergy", "total_mi"), PARTS, strict=True))


@dataclass(frozen=True)
class Interactions:
    """PID of (image codes, text codes; label) in bits, bias-corrected, parts clipped at 0."""

    redundancy: float
    unique_image: float
    unique_text: float
    synergy: float
    total_mi: float
    ci: dict[str, tuple[float, float]]      # 95 % intervals, keys = PARTS
    plugin: dict[str, float]                # uncorrected plug-in values, keys = PARTS
    clipped: tuple[str, ...]                # parts whose corrected value was < 0 (shown as 0)
    bias_correction: str
    solver: str
    cells: CellCounts
    discretization: DiscretizationInfo
    bootstrap: int
    jackknife_groups: int
    warnings: tuple[Message, ...] = field(default=())   # how far to trust it (pid_* sentences)

    @property
    def sparse(self) -> bool:
        """Fewer than 5 samples per occupied cell."""
        return self.cells.sparse

    @property
    def intervals_validated(self) -> bool:
        """≥ 5 samples per occupied cell and ≥ 240 rows: where the coverage was measured ≥ 90 %."""
        return self.cells.intervals_validated

    @property
    def warning(self) -> str | None:
        """The warnings in English, one line (None without any)."""
        return "; ".join(w.text for w in self.warnings) if self.warnings else None

    def share(self, part: str) -> float:
        """A part as a share of total_mi (0 when total_mi is 0)."""
        return float(getattr(self, part)) / self.total_mi if self.total_mi > 0 else 0.0

    def to_json(self) -> JSONObject:
        return {**{k: float(getattr(self, k)) for k in PARTS},
                "ci": {k: list(v) for k, v in self.ci.items()}, "plugin": dict(self.plugin),
                "clipped": list(self.clipped), "bias_correction": self.bias_correction,
                "solver": self.solver, "cells": self.cells.to_json(),
                "samples_per_cell": self.cells.samples_per_cell,
                "samples_per_occupied_cell": self.cells.samples_per_occupied_cell,
                "sparse": self.sparse, "intervals_validated": self.intervals_validated, "warning": self.warning, "warnings": [w.text for w in self.warnings],
                "discretization": self.discretization.to_json(), "bootstrap": self.bootstrap,
                "jackknife_groups": self.jackknife_groups}


def _reliability_warnings(cells: CellCounts) -> list[Message]:
    n1, n2, ny = cells.shape
    out = []
    if cells.sparse:
        out.append(msg("pid_sparse", n=cells.n_samples, occupied=cells.occupied, n1=n1, n2=n2, ny=ny,
                       per_cell=cells.samples_per_occupied_cell, min_per_cell=MIN_SAMPLES_PER_OCCUPIED_CELL))
    if cells.small_sample:
        out.append(msg("pid_small_sample", n=cells.n_samples, min_rows=MIN_ROWS))
    return out


def from_estimate(est: PIDEstimate, info: DiscretizationInfo) -> Interactions:
    """Rename a generic estimate (x1 = image, x2 = text) and attach the discretisation."""
    warnings = [*_reliability_warnings(est.cells), *info.warnings]
    vals = {_FROM_GENERIC[k]: v for k, v in est.values.items()}
    return Interactions(
        redundancy=vals["redundancy"], unique_image=vals["unique_image"], unique_text=vals["unique_text"],
        synergy=vals["synergy"], total_mi=vals["total_mi"],
        ci={_FROM_GENERIC[k]: v for k, v in est.ci.items()},
        plugin={_FROM_GENERIC[k]: v for k, v in est.plugin.items()},
        clipped=tuple(_FROM_GENERIC[k] for k in est.clipped), bias_correction=est.bias_correction,
        solver=est.solver, cells=est.cells, discretization=info, bootstrap=est.bootstrap,
        jackknife_groups=est.jackknife_groups, warnings=tuple(warnings))


def fit_probes(a: NDArray[Any], b: NDArray[Any], labels: NDArray[Any] | list[str], *, seed: int = 0
               ) -> tuple[OutOfFold, OutOfFold]:
    """The two modalities' out-of-fold probes (what the study computes anyway)."""
    from engine.study.probes import out_of_fold_probe

    return out_of_fold_probe(a, labels, seed=seed), out_of_fold_probe(b, labels, seed=seed)


def interactions(a: NDArray[Any], b: NDArray[Any], labels: NDArray[Any] | list[str], *,
                 probes: tuple[OutOfFold, OutOfFold] | None = None, method: str = DEFAULT_METHOD,
                 kmeans: DiscretizeOptions = REFERENCE_KMEANS, correction: str = BIAS_CORRECTION,
                 bootstrap: int = DEFAULT_BOOTSTRAP, groups: int = DEFAULT_JACKKNIFE_GROUPS,
                 seed: int = 0, progress: Progress | None = None) -> Interactions:
    """Discretise image rows ``a`` and text rows ``b`` (method "probe" or "kmeans"), then the
    bias-corrected PID with Y = ``labels``. ``probes`` must be fitted on these rows and labels."""
    from engine.study.blas import one_blas_thread

    lab = np.asarray(labels).astype(str)
    if not (np.asarray(a).shape[0] == np.asarray(b).shape[0] == lab.size):
        raise InputError("PID: embeddings and labels must have the same number of rows")
    with one_blas_thread():
        if probes is None:
            probes = fit_probes(a, b, lab, seed=seed)
        classes, y = np.unique(lab, return_inverse=True)
        if tuple(str(c) for c in classes) != probes[0].classes or not np.array_equal(y, probes[0].y):
            raise InputError("PID: the probes passed were fitted on other rows or another label")
        c1, c2, info = discretize_pair(a, b, probes, method=method, kmeans=kmeans, seed=seed)
        est = estimate_pid(counts_of(c1, c2, y), correction=correction, bootstrap=bootstrap,
                           groups=groups, seed=seed, progress=progress)
    return from_estimate(est, info)
