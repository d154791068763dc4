"""Self-test: plant report swaps in a copy of the user's pairs and see whether the scorer finds them.

What it measures: how well the method, fitted on this data, tells a report written for a
random other part from a normal pair — AUC (planted rows against the others) and recall of
the planted rows in the top 2 × planted of the copy's list. The rows that the real run ranks
in its top n·π̂₁ (the estimated number of real mismatches; none when π̂₁ > 0.5) are left out
of the comparison: they are probably real mismatches, and a real mismatch outranking a
planted one is no failure. A swap between two parts of the same
class is invisible to the label signal; with a label the recall is also given for the
planted rows whose donor has another class. Real mismatches need not look like random
swaps (a report copied from a similar part is harder), so the self-test is a statement about
this kind of error, not a guarantee for every kind.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from engine.pairs.label_signal import LabelProbes
from engine.pairs.planted import planted_swaps
from engine.pairs.run import Prepared, run_scorer
from engine.pairs.table import rank_order

MAX_ROWS = 20_000          # the self-test runs on a random subset of this many pairs at most
MIN_AUC = 0.6              # below this (or with an interval reaching 0.5) there is no usable signal
FDR_LEVEL = 0.05


@dataclass(frozen=True)
class SelfTest:
    """Result of the self-test (JSON-ready)."""

    planted: int                     # planted rows (two per swap)
    rows: int                        # pairs in the test copy
    auc: float
    auc_low: float                   # lower end of a 95 % interval (Hanley–McNeil)
    recall_at_2p: float              # planted rows in the top 2 × planted of the copy's list
    found: int                       # that many planted rows
    same_class: int | None           # planted rows whose donor has the same label (label-blind)
    recall_other_class: float | None  # recall among the others
    flagged: int                     # compared rows of the copy with q ≤ 5 %
    flagged_not_planted: int         # of those, not planted (false alarms or unnoticed real mismatches)
    no_signal: bool

    def sentence(self) -> str:
        """One plain sentence for the list's header."""
        if self.no_signal:
            return (f"Self-test: of {self.planted} reports planted on other parts, the method ranks "
                    f"them no better than chance (AUC {self.auc:.2f}); it cannot tell which reports "
                    "do not describe their image on this data.")
        text = (f"Self-test: on your data this method puts {self.found} of {self.planted} planted "
                f"wrong reports in its top {2 * self.planted} (AUC {self.auc:.2f})")
        if self.same_class is not None and self.recall_other_class is not None:
            text += (f"; {self.same_class} planted reports came from a part of the same class, which "
                     f"the label cannot reveal (recall on the others {self.recall_other_class:.2f})")
        return text + "."


def auc_with_interval(score: NDArray[np.float64], positive: NDArray[np.bool_]) -> tuple[float, float]:
    """Mann–Whitney AUC of positives scoring above negatives (ties half), and its 95 % lower bound."""
    from scipy.stats import rankdata

    n_pos = int(positive.sum())
    n_neg = int(positive.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return 0.5, 0.0
    r = rankdata(score)
    a = float((r[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)) / (n_pos * n_neg)
    return a, a - 1.96 * math.sqrt(max(var, 0.0))


def run_self_test(prep: Prepared, probes: LabelProbes | None, ids: Sequence[str],
                  likely_real: NDArray[np.bool_], seed: int,
                  on_rows: Callable[[int], None] | None = None) -> SelfTest:
    """Plant swaps in a copy (a random subset of at most MAX_ROWS pairs) and score it."""
    rng = np.random.default_rng(seed + 7919)
    n = prep.image.shape[0]
    rows = np.sort(rng.choice(n, size=MAX_ROWS, replace=False)) if n > MAX_ROWS else np.arange(n)
    sub = prep.subset(rows) if rows.size < n else prep
    sub_probes = probes.subset(rows) if probes is not None and rows.size < n else probes
    donor = planted_swaps(rows.size, rng)
    planted = donor != np.arange(rows.size)
    copy_probes = sub_probes.with_reports_from(donor) if sub_probes is not None else None
    result = run_scorer(sub.with_reports_from(donor), copy_probes, seed + 1, on_rows=on_rows)
    keep = planted | ~likely_real[rows]
    score = result.combined.score[keep]
    auc, auc_low = auc_with_interval(score, planted[keep])
    kept_ids = [ids[int(i)] for i in rows[keep]]
    top = rank_order(score, kept_ids)[: 2 * int(planted.sum())]
    found = int(planted[keep][top].sum())
    same, other_recall = _class_split(sub_probes, donor, planted, keep, top)
    flagged_copy = (result.combined.q_value <= FDR_LEVEL) & keep
    return SelfTest(
        planted=int(planted.sum()), rows=int(rows.size), auc=auc, auc_low=auc_low,
        recall_at_2p=found / max(int(planted.sum()), 1), found=found, same_class=same,
        recall_other_class=other_recall, flagged=int(flagged_copy.sum()),
        flagged_not_planted=int((flagged_copy & ~planted).sum()),
        no_signal=bool(auc < MIN_AUC or auc_low <= 0.5))


def _class_split(probes: LabelProbes | None, donor: NDArray[np.int64], planted: NDArray[np.bool_],
                 keep: NDArray[np.bool_], top: NDArray[np.int64]) -> tuple[int | None, float | None]:
    """Planted rows whose donor has the same label, and the recall among the others."""
    if probes is None:
        return None, None
    own, theirs = probes.labels, probes.labels[donor]
    same = planted & (own >= 0) & (own == theirs)
    other = planted & ~same
    in_top = np.zeros(planted.size, dtype=bool)
    in_top[np.flatnonzero(keep)[top]] = True
    recall = float((in_top & other).sum() / other.sum()) if other.any() else None
    return int(same.sum()), recall
