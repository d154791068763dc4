"""The per-pair scorer on planted truth: swaps are found, independent spaces give no signal."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kstest

from engine.errors import InputError
from engine.pairs import score_pairs, synthetic_pairs
from engine.study.probes import out_of_fold_probe

N = 500


def _ids(n: int) -> list[str]:
    return [f"p{i:04d}" for i in range(n)]


@pytest.fixture(scope="module")
def planted_case() -> tuple[object, object]:
    data = synthetic_pairs(N, seed=11, strength=0.6, planted=20)
    return data, score_pairs(data.image, data.report, _ids(N), seed=0)


def test_planted_mismatches_are_found_without_label(planted_case: tuple) -> None:
    data, result = planted_case
    top = result.arrays.order[: 2 * int(data.planted.sum())]
    recall = data.planted[top].mean() * 2
    assert recall >= 0.8
    assert not result.no_signal
    assert result.self_test.auc > 0.85 and result.self_test.recall_at_2p >= 0.7
    assert result.signals == ("alignment_image_to_report", "alignment_report_to_image")
    # the flagged pairs are mostly the planted ones
    flagged = result.arrays.q_value <= result.fdr_level
    if flagged.any():
        assert data.planted[flagged].mean() >= 0.6
    # the planted reports rank far down for their images; true pairs near the top
    pos = result.arrays.image_to_report
    assert np.median(pos[data.planted]) > N / 4 and np.median(pos[~data.planted]) < N / 20


def test_independent_spaces_say_no_signal_and_scores_are_uniform() -> None:
    data = synthetic_pairs(N, seed=5, independent=True)
    result = score_pairs(data.image, data.report, _ids(N), seed=3)
    assert result.no_signal
    assert result.suspect_entries(10) == [] and result.to_json(10)["suspects"] == []
    assert np.all(result.arrays.q_value == 1.0) and result.flagged == 0
    # cross-fitted: a pair's partner is placed like any other candidate (an in-sample fit would not)
    assert abs(np.mean(result.arrays.image_to_report) / N - 0.5) < 0.06
    # the score is a p-value against shuffled partners: uniform when every pair is a random one
    assert kstest(result.arrays.score, "uniform").pvalue > 0.01
    assert "chance" in result.self_test.sentence()


def test_label_probes_passed_in_equal_probes_fitted_here() -> None:
    data = synthetic_pairs(300, seed=7, strength=0.4, classes=5, planted=12)
    ids = _ids(300)
    fitted = score_pairs(data.image, data.report, ids, label="cls", labels=list(data.labels), seed=1)
    img = out_of_fold_probe(data.image, data.labels, seed=1)
    rep = out_of_fold_probe(data.report, data.labels, seed=1)
    given = score_pairs(data.image, data.report, ids, label="cls", image_probe=img, report_probe=rep, seed=1)
    assert np.array_equal(fitted.arrays.score, given.arrays.score)
    assert given.signals[-1] == "label:cls" and given.label == "cls"
    assert set(given.classes) == {f"class-{c}" for c in range(5)}
    # a planted report comes from another class: the probes disagree on most of them
    top_planted = np.flatnonzero(data.planted)
    assert np.mean(given.arrays.image_class[top_planted] != given.arrays.report_class[top_planted]) > 0.5
    assert np.all(np.isfinite(given.arrays.disagreement))
    # the self-test says how many planted swaps were label-blind (same class)
    assert given.self_test.same_class is not None


def test_probes_of_the_labelled_rows_only() -> None:
    data = synthetic_pairs(300, seed=8, strength=0.4, classes=4, planted=12)
    ids = _ids(300)
    labels = [v if i % 7 else "" for i, v in enumerate(data.labels)]   # every 7th pair has no label
    rows = np.flatnonzero([v != "" for v in labels])
    img = out_of_fold_probe(data.image[rows], data.labels[rows], seed=2)
    rep = out_of_fold_probe(data.report[rows], data.labels[rows], seed=2)
    given = score_pairs(data.image, data.report, ids, label="cls", image_probe=img, report_probe=rep,
                        probe_rows=rows, seed=2)
    fitted = score_pairs(data.image, data.report, ids, label="cls", labels=labels, seed=2)
    assert np.array_equal(given.arrays.score, fitted.arrays.score)
    # an unlabelled pair: no class, no disagreement, no label reason (its label evidence is 0)
    unlabelled = np.flatnonzero([v == "" for v in labels])
    assert np.all(np.isnan(given.arrays.disagreement[unlabelled]))
    assert np.all(given.arrays.image_class[unlabelled] == -1)
    assert not any("says" in r for r in given.reasons(int(unlabelled[0])))
    assert any("says" in r for r in given.reasons(int(rows[0])))
    with pytest.raises(InputError, match="probes cover"):
        score_pairs(data.image, data.report, ids, image_probe=img, report_probe=rep)

