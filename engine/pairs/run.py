"""One run of the scorer on prepared spaces: alignment signal, label signal, combination.

The same function scores the user's pairs and the self-test's planted copy, so the
self-test measures exactly the method that produced the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.pairs.alignment import AlignmentSignal, NullPairs, alignment_signal
from engine.pairs.combine import Combined, combine
from engine.pairs.label_signal import LabelProbes

NULL_PER_PAIR = 8        # shuffled pairs per real pair on small data ...
NULL_MAX = 20_000        # ... up to this many in all

FEATURE_IMAGE_TO_REPORT = "alignment_image_to_report"
FEATURE_REPORT_TO_IMAGE = "alignment_report_to_image"
FEATURE_LABEL = "label"


@dataclass(frozen=True)
class Prepared:
    """Reduced spaces and exact-duplicate counts of the pairs to score."""

    image: NDArray[np.float64]       # [n, p] pairing-free reduction of the image embeddings
    report: NDArray[np.float64]      # [n, q]
    dup_image: NDArray[np.int64]     # [n] rows with an identical image embedding (itself included)
    dup_report: NDArray[np.int64]    # [n]

    def subset(self, rows: NDArray[np.int64]) -> Prepared:
        return Prepared(self.image[rows], self.report[rows], _recount(self.dup_image, rows),
                        _recount(self.dup_report, rows))

    def with_reports_from(self, donor: NDArray[np.int64]) -> Prepared:
        return Prepared(self.image, self.report[donor], self.dup_image, self.dup_report[donor])


def _recount(dup: NDArray[np.int64], rows: NDArray[np.int64]) -> NDArray[np.int64]:
    # within a subset only the duplicates that are in it count; the exact groups are not kept,
    # so scale down (a subset of a 100-strong template group keeps about its share)
    share = rows.size / max(dup.size, 1)
    out: NDArray[np.int64] = np.maximum(1, np.rint(1 + (dup[rows] - 1) * share)).astype(np.int64)
    return out


@dataclass(frozen=True)
class RunResult:
    alignment: AlignmentSignal
    combined: Combined
    null: NullPairs


def run_scorer(prep: Prepared, probes: LabelProbes | None, seed: int,
               on_rows: Callable[[int], None] | None = None) -> RunResult:
    """Score every pair of ``prep`` (and the shuffled null) with the full method."""
    n = prep.image.shape[0]
    rng = np.random.default_rng(seed)
    align = alignment_signal(prep.image, prep.report, prep.dup_image, prep.dup_report,
                             int(min(NULL_PER_PAIR * n, NULL_MAX)), rng, on_rows=on_rows)
    null = align.null
    names = [FEATURE_IMAGE_TO_REPORT, FEATURE_REPORT_TO_IMAGE]
    real = [np.log(n / align.image_to_report), np.log(n / align.report_to_image)]
    fake = [np.log(n / align.null_image_to_report), np.log(n / align.null_report_to_image)]
    reference = None
    if probes is not None:
        names.append(FEATURE_LABEL)
        real.append(probes.evidence())
        fake.append(probes.evidence(null.image, null.report))
        own, other = probes.labels[null.image], probes.labels[null.report]
        reference = (own >= 0) & (other >= 0) & (own != other)
    combined = combine(tuple(names), np.stack(real, axis=1), np.stack(fake, axis=1), reference)
    return RunResult(align, combined, null)
