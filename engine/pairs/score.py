"""score_pairs: the per-pair suspect scores of one image model × report model on one set of pairs.

Steps: pairing-free reduction of each space → cross-fitted alignment positions (both
directions) and, with a label, the two out-of-fold probes → logistic combination against
shuffled partners → score (p-value against random pairing), q-values → self-test on a
planted copy → "no signal" when the self-test cannot tell planted swaps from normal pairs
(then every q-value is 1 and the list is withheld).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.pairs.label_signal import (
    LabelProbes,
    expand_to_rows,
    fit_label_probes,
    probes_from_out_of_fold,
)
from engine.pairs.reduce import check_pair_arrays, duplicate_counts, reduce_space
from engine.pairs.result import AlignmentSummary, PairArrays, PairScores
from engine.pairs.run import FEATURE_LABEL, Prepared, RunResult, run_scorer
from engine.pairs.selftest import run_self_test
from engine.pairs.table import rank_order, tied_mask
from engine.progress import Progress, report
from engine.study.probes import OutOfFold

log = logging.getLogger(__name__)

MIN_PAIRS = 40
MAX_MISMATCH_SHARE = 0.5   # above this most pairs look randomly paired: no usable list
THRESHOLD_AUC = 0.9        # self-test AUC below this: the list is ranked but no pair is flagged


def score_pairs(image: NDArray[Any], report_emb: NDArray[Any], ids: Sequence[str], *,
                label: str | None = None, labels: Sequence[str] | None = None,
                image_probe: OutOfFold | None = None, report_probe: OutOfFold | None = None,
                probe_rows: NDArray[np.int64] | None = None, seed: int = 0,
                progress: Progress | None = None) -> PairScores:
    """Score every pair (row i of ``image`` with row i of ``report_emb``); see the module docstring.

    With a label, pass either ``labels`` (one value per pair, "" for none; the probes are
    fitted here) or the study's already computed ``image_probe`` and ``report_probe`` (no
    second fit), with ``probe_rows`` the pairs they were fitted on when not all (the study's
    labelled rows); ``label`` names the column. Raises InputError for unusable input (shapes,
    NaN rows, under 40 pairs).
    """
    check_pair_arrays(image, report_emb)
    n = image.shape[0]
    if len(ids) != n:
        raise InputError(f"{len(ids)} ids for {n} pairs; give one id per pair")
    if n < MIN_PAIRS:
        raise InputError(f"suspect pairs need at least {MIN_PAIRS} pairs to cross-fit; got {n}")
    tick = _ticker(progress, _work_units(n))
    tick(0, "preparing the two spaces")
    prep = Prepared(reduce_space(image), reduce_space(report_emb), duplicate_counts(image),
                    duplicate_counts(report_emb))
    probes = _label_probes(label, labels, (image_probe, report_probe, probe_rows), image, report_emb, seed)
    tick(0, "cross-fitted alignment")
    result = run_scorer(prep, probes, seed, on_rows=lambda k: tick(k, "ranking partners"))
    tick(0, "self-test on planted swaps")
    self_test = run_self_test(prep, probes, ids, _likely_real_mismatches(result, ids), seed,
                              on_rows=lambda k: tick(k, "self-test"))
    return _assemble(result, probes, ids, self_test)


def _likely_real_mismatches(result: RunResult, ids: Sequence[str]) -> NDArray[np.bool_]:
    """The real run's top n·π̂₁ pairs (at most a quarter): left out of the self-test's comparison."""
    n = len(ids)
    share = result.combined.mismatch_share
    count = min(round(n * share), n // 4) if share <= MAX_MISMATCH_SHARE else 0
    out = np.zeros(n, dtype=bool)
    out[rank_order(result.combined.score, ids)[:count]] = True
    return out


def _work_units(n: int) -> int:
    """Query rows ranked in both directions: the real pass and the self-test, each with its null."""
    from engine.pairs.run import NULL_MAX, NULL_PER_PAIR
    from engine.pairs.selftest import MAX_ROWS

    def one(m: int) -> int:
        return 2 * (m + min(NULL_PER_PAIR * m, NULL_MAX))
    return one(n) + one(min(n, MAX_ROWS))


def _ticker(progress: Progress | None, total: int) -> Any:
    done = [0]

    def tick(k: int, message: str) -> None:
        done[0] = min(done[0] + k, total - 1)
        report(progress, done[0], total, message)
    return tick


def _label_probes(label: str | None, labels: Sequence[str] | None,
                  given: tuple[OutOfFold | None, OutOfFold | None, NDArray[np.int64] | None],
                  image: NDArray[Any], report_emb: NDArray[Any], seed: int) -> LabelProbes | None:
    image_probe, report_probe, probe_rows = given
    if (image_probe is None) != (report_probe is None):
        raise InputError("pass both probes (image and report) or neither")
    name = label or "label"
    n = image.shape[0]
    if image_probe is not None and report_probe is not None:
        rows = np.arange(n) if probe_rows is None else np.asarray(probe_rows, dtype=np.int64)
        if image_probe.proba.shape[0] != rows.size:
            raise InputError(f"the probes cover {image_probe.proba.shape[0]} rows but {rows.size} are "
                             "named (probe_rows, or all pairs); compute them on the same pairs")
        return expand_to_rows(probes_from_out_of_fold(name, image_probe, report_probe), rows, n)
    if labels is None:
        return None
    if len(labels) != n:
        raise InputError(f"{len(labels)} label values for {n} pairs")
    return fit_label_probes(name, image, report_emb, labels, seed=seed)


def _method(result: RunResult, probes: LabelProbes | None) -> str:
    c = result.alignment.config
    text = (f"cross-fitted CCA alignment ({c.dims} PCA dimensions, {c.components} canonical "
            f"component{'s' if c.components != 1 else ''}, chosen by held-out fit; {c.folds} folds)")
    if probes is not None:
        text += f" + out-of-fold label probes on '{probes.column}'"
    return text + "; logistic combination against shuffled partners; q-values by a two-group FDR"


def _assemble(result: RunResult, probes: LabelProbes | None, ids: Sequence[str],
              self_test: Any) -> PairScores:
    comb, align = result.combined, result.alignment
    share = comb.mismatch_share
    no_signal = bool(self_test.no_signal or share > MAX_MISMATCH_SHARE)
    notes: list[str] = []
    if share > MAX_MISMATCH_SHARE:
        notes.append(f"about {share:.0%} of the pairs look randomly paired: the scores cannot single "
                     "out wrong reports")
    weak = not no_signal and self_test.auc < THRESHOLD_AUC
    if weak:
        notes.append(f"the self-test separation (AUC {self_test.auc:.2f}, below {THRESHOLD_AUC}) is too weak "
                     "to estimate false-discovery rates: the list is ranked, and no pair is flagged")
    q = np.ones_like(comb.q_value) if no_signal or weak else comb.q_value
    n = len(ids)
    nan = np.full(n, np.nan)
    if probes is not None:
        unlabelled = probes.labels < 0   # no probe output there, only the class frequencies
        ic = np.where(unlabelled, -1, np.argmax(probes.image, axis=1))
        rc = np.where(unlabelled, -1, np.argmax(probes.report, axis=1))
        ip = np.where(unlabelled, np.nan, probes.image.max(axis=1))
        rp = np.where(unlabelled, np.nan, probes.report.max(axis=1))
        dis = np.where(unlabelled, np.nan, probes.disagreement())
    else:
        ic = rc = np.full(n, -1, dtype=np.int64)
        ip = rp = dis = nan
    arrays = PairArrays(score=comb.score, q_value=q, evidence=comb.evidence,
                        image_to_report=align.image_to_report, report_to_image=align.report_to_image,
                        image_class=ic.astype(np.int64), image_class_p=ip, report_class=rc.astype(np.int64),
                        report_class_p=rp, disagreement=dis, order=rank_order(comb.score, ids),
                        tied=tied_mask(comb.score))
    signals = tuple(f"{FEATURE_LABEL}:{probes.column}" if f == FEATURE_LABEL and probes is not None else f
                    for f in comb.features)
    c = align.config
    summary = AlignmentSummary(c.dims, c.components, c.folds, c.held_out_fit, align.canonical_correlations,
                               c.tried)
    return PairScores(method=_method(result, probes), signals=signals, ids=tuple(ids),
                      label=probes.column if probes is not None else None,
                      classes=probes.classes if probes is not None else (),
                      weights=dict(zip(signals, comb.weights, strict=True)), alignment=summary,
                      mismatch_share=share, self_test=self_test, no_signal=no_signal, arrays=arrays,
                      notes=tuple(notes))
