"""The per-pair suspect scores as the GUI shows them, in the UI language (plain text only).

- :func:`usable_scores`: the study's :class:`engine.pairs.PairScores` when it describes the
  open project's samples (same ids, same order), else None (the views then rank by neighbour
  overlap).
- :func:`trust_state` / :func:`trust_line`: how far to trust the list — "flagging", "weak" or
  "no signal" (the study's :class:`engine.study.result.PairCheck` decides), one sentence.

Why one pair scores as it does is the engine's ``PairScores.reason_messages(i)``, rendered in the
UI language (``ui.i18n.study_message``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from engine.pairs import PairScores
from engine.project.data import ProjectData

log = logging.getLogger(__name__)

FLAGGING, WEAK, NO_SIGNAL = "flagging", "weak", "no signal"


def usable_scores(data: ProjectData | None) -> PairScores | None:
    """The study's per-pair scores for ``data``'s samples, or None (no study, or another sample set)."""
    if data is None or data.analysis is None or data.analysis.pair_scores is None:
        return None
    scores = data.analysis.pair_scores
    if scores.n != data.n or list(scores.ids) != data.ids:
        log.warning("the cached suspect scores describe %d other samples: ranking by neighbour overlap",
                    scores.n)
        return None
    return scores


def trust_state(data: ProjectData, scores: PairScores) -> str:
    """"flagging", "weak" or "no signal" (the study's PairCheck; from the scores when it is absent)."""
    check = data.analysis.pair_check if data.analysis is not None else None
    if check is not None:
        return check.state
    if scores.no_signal:
        return NO_SIGNAL
    return FLAGGING if scores.flagged else WEAK


def _threshold_auc(data: ProjectData) -> float:
    check = data.analysis.pair_check if data.analysis is not None else None
    if check is not None:
        return check.threshold_auc
    from engine.pairs.score import THRESHOLD_AUC

    return THRESHOLD_AUC


def percent(share: float) -> str:
    return f"{share * 100:g} %"


def trust_line(data: ProjectData, scores: PairScores) -> str:
    """One or two sentences: the self-test on this data, then what the list is (by state)."""
    st = scores.self_test
    state = trust_state(data, scores)
    if state == NO_SIGNAL:
        return QCoreApplication.translate(
            "PairText", "No suspect list: on this data the method cannot tell planted wrong reports from "
            "normal pairs (self-test AUC {0:.2f}), so no pair is called suspect.").format(st.auc)
    line = QCoreApplication.translate(
        "PairText", "Self-test on your data: the method finds {0} of {1} planted wrong reports in its top {2} "
        "(AUC {3:.2f}).").format(st.found, st.planted, 2 * st.planted, st.auc)
    if state == FLAGGING:
        line += " " + QCoreApplication.translate(
            "PairText", "{0} pairs are likely mismatches (q ≤ {1}), highlighted; the rest are ranked for "
            "review.").format(f"{scores.flagged:,}", percent(scores.fdr_level))
    else:
        line += " " + QCoreApplication.translate(
            "PairText", "The self-test is too weak (AUC below {0:.2f}) to call any pair a mismatch: the pairs "
            "are ranked for review, none is flagged.").format(_threshold_auc(data))
    return line


def score_text(value: float) -> str:
    return f"{value:.3f}"


def q_text(q: float, meaningful: bool) -> str:
    """A q-value for a cell ("—" when the state estimates none: weak or no signal)."""
    if not meaningful:
        return "—"
    return "< 0.001" if q < 0.001 else f"{q:.3f}"
