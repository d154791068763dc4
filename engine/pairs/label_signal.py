"""The label signal: do the image's and the report's out-of-fold probes name the same class?

Two unimodal probes (engine.study.probes.out_of_fold_probe; each row predicted by a model
that never saw it) give p(class | image) and p(class | report). Per pair:

- disagreement = 1 − Σ_c p_img(c) p_rep(c): the chance that the two name different classes
  (shown in the reasons);
- evidence = log Σ_c p_img(c) p_rep(c) / π_c, with π_c the class frequencies: the log
  likelihood ratio of "this report belongs to this image" against "any report", if image
  and report are independent given the class (used in the combination).

A mismatch between two parts of the same class is invisible to this signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.study.probes import OutOfFold, out_of_fold_probe

PROBA_FLOOR = 1e-6


@dataclass(frozen=True)
class LabelProbes:
    """The two probes' out-of-fold class probabilities, on the same classes."""

    column: str
    classes: tuple[str, ...]
    image: NDArray[np.float64]    # [n, C] p(class | image)
    report: NDArray[np.float64]   # [n, C] p(class | report)
    prior: NDArray[np.float64]    # [C] class frequencies
    labels: NDArray[np.int64]     # [n] class index of each row's own label (-1: no label)

    def evidence(self, image_rows: NDArray[np.int64] | None = None,
                 report_rows: NDArray[np.int64] | None = None) -> NDArray[np.float64]:
        """log Σ_c p_img(c) p_rep(c) / π_c for (image_rows[k], report_rows[k]); all pairs by default."""
        pi = self.image if image_rows is None else self.image[image_rows]
        pr = self.report if report_rows is None else self.report[report_rows]
        ratio = np.sum(pi * pr / self.prior, axis=1)
        out: NDArray[np.float64] = np.log(np.maximum(ratio, PROBA_FLOOR))
        return out

    def disagreement(self) -> NDArray[np.float64]:
        """[n] 1 − Σ_c p_img(c) p_rep(c) for each pair."""
        out: NDArray[np.float64] = 1.0 - np.sum(self.image * self.report, axis=1)
        return out

    def with_reports_from(self, donor: NDArray[np.int64]) -> LabelProbes:
        """The probes after row i received the report of row donor[i] (the report's prediction moves)."""
        return LabelProbes(self.column, self.classes, self.image, self.report[donor], self.prior,
                           self.labels)

    def subset(self, rows: NDArray[np.int64]) -> LabelProbes:
        """The probes of the given rows only."""
        return LabelProbes(self.column, self.classes, self.image[rows], self.report[rows], self.prior,
                           self.labels[rows])


def probes_from_out_of_fold(column: str, image: OutOfFold, report: OutOfFold) -> LabelProbes:
    """Pair two already computed probes (the study's); they must be on the same rows and classes."""
    if tuple(image.classes) != tuple(report.classes):
        raise InputError(f"label {column!r}: the image and report probes were fitted on different "
                         f"classes ({list(image.classes)} vs {list(report.classes)}); fit both on "
                         "the same label column")
    if image.proba.shape != report.proba.shape or not np.array_equal(image.y, report.y):
        raise InputError(f"label {column!r}: the image and report probes cover different rows "
                         f"({image.proba.shape[0]} vs {report.proba.shape[0]}); fit both on the same pairs")
    counts = np.bincount(image.y, minlength=len(image.classes)).astype(np.float64)
    return LabelProbes(column, tuple(image.classes), _clean(image.proba), _clean(report.proba),
                       counts / counts.sum(), np.asarray(image.y, dtype=np.int64))


def fit_label_probes(column: str, image: NDArray[Any], report: NDArray[Any],
                     labels: Sequence[str], seed: int = 0) -> LabelProbes:
    """Fit both out-of-fold probes (the study's probe: stratified 5-fold logistic regression).

    Rows with an empty label take no part in the fit and get the class frequencies as both
    predictions (evidence 0: the label says nothing about them).
    """
    values = np.asarray([str(v).strip() for v in labels])
    known = np.flatnonzero(values != "")
    every = known.size == values.size
    part = probes_from_out_of_fold(
        column, out_of_fold_probe(image if every else image[known], values[known], seed=seed),
        out_of_fold_probe(report if every else report[known], values[known], seed=seed))
    return expand_to_rows(part, known, values.size)


def expand_to_rows(part: LabelProbes, rows: NDArray[np.int64], n: int) -> LabelProbes:
    """Probes fitted on ``rows`` of n pairs, spread to all n (the other rows: class frequencies, no label)."""
    if rows.size == n and np.array_equal(rows, np.arange(n)):
        return part
    img = np.tile(part.prior, (n, 1))
    rep = img.copy()
    img[rows], rep[rows] = part.image, part.report
    own = np.full(n, -1, dtype=np.int64)
    own[rows] = part.labels
    return LabelProbes(part.column, part.classes, img, rep, part.prior, own)


def _clean(proba: NDArray[np.float64]) -> NDArray[np.float64]:
    p = np.maximum(np.asarray(proba, dtype=np.float64), 0.0)
    out: NDArray[np.float64] = p / np.maximum(p.sum(axis=1, keepdims=True), PROBA_FLOOR)
    return out
