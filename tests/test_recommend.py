"""The recommendation rules: each decision, the source of each rule, the weaker modality."""

from __future__ import annotations

import dataclasses

import pytest

from engine.study.messages_en import MESSAGES as EN
from engine.study.messages_ja import MESSAGES as JA
from engine.study.recommend import (
    RULES,
    Interval,
    RecommendationInputs,
    majority_macro_f1,
    recommend,
)

# weak baseline, real overlap (R 60 % of I with a tight interval), a meaningful positive ladder
INVEST = RecommendationInputs(
    has_label=True, macro_f1={"image": 0.62, "text": 0.71}, majority_f1=0.25,
    redundancy=Interval(0.60, 0.52, 0.68), unique_image=Interval(0.10, 0.05, 0.15),
    unique_text=Interval(0.15, 0.10, 0.20), synergy=Interval(0.15, 0.10, 0.20), total_mi=1.0,
    pid_intervals_validated=True, pid_n=900, pid_samples_per_occupied_cell=20.0, ladder_n_pairs=12,
    ladder_spearman=Interval(0.7, 0.4, 0.9), ladder_meaningful=True,
    heterogeneity={"linear_deficit": 0.3}, retrieval_gain=0.12)


def _with(**kw: object) -> RecommendationInputs:
    return dataclasses.replace(INVEST, **kw)


def test_invest_needs_every_condition_and_promises_nothing() -> None:
    rec = recommend(INVEST)
    assert (rec.decision, rec.answer, rec.deciding_rule) == ("invest", "yes", "invest")
    fired = [r.rule_id for r in rec.rules]
    assert fired[:4] == ["baseline_weak", "overlap_real", "ladder_positive", "retrieval_gain_useful"]
    text = rec.sentence()
    assert "0.71" in text and "60%" in text and "0.70" in text and "+0.12" in text
    assert "do not guarantee" in text
    assert rec.weaker_modality == "image"
    assert rec.to_json()["question"] == "Is explicit alignment worth investing in?"


@pytest.mark.parametrize(("change", "decision", "rule"), [
    ({"has_label": False, "macro_f1": {}}, "measure more", "no_label"),
    ({"macro_f1": {"image": 0.27, "text": 0.28}}, "not yet", "no_label_signal"),
    ({"macro_f1": {"image": 0.62, "text": 0.93}}, "not yet", "baseline_strong"),
    ({"pid_intervals_validated": False, "pid_samples_per_occupied_cell": 3.0}, "measure more", "pid_unreliable"),
    ({"redundancy": Interval(0.10, 0.05, 0.15), "unique_image": Interval(0.6, 0.5, 0.7)}, "not yet",
     "overlap_not_real"),
    ({"redundancy": Interval(0.30, 0.15, 0.45)}, "measure more", "overlap_uncertain"),
    ({"ladder_meaningful": False, "ladder_n_pairs": 4}, "measure more", "ladder_missing"),
    ({"ladder_spearman": Interval(0.3, -0.2, 0.7)}, "not yet", "ladder_flat"),
    ({"retrieval_gain": 0.01}, "not yet", "retrieval_gain_small"),
])
def test_each_rule_decides(change: dict[str, object], decision: str, rule: str) -> None:
    rec = recommend(_with(**change))
    assert (rec.decision, rec.deciding_rule) == (decision, rule)
    fired = next(r for r in rec.rules if r.rule_id == rule)
    assert rec.sentence() == fired.message()
    assert rec.answer in ("no, not yet", "not known yet")


def test_sources_and_thresholds_are_marked() -> None:
    strong = recommend(_with(macro_f1={"image": 0.62, "text": 0.93}))
    rule = next(r for r in strong.rules if r.rule_id == "baseline_strong")
    assert rule.source == "paper" and rule.thresholds == {"strong_f1": 0.90}   # the paper's rule, our bar
    assert "0.93" in strong.sentence() and "the reports alone reach" in strong.sentence()
    overlap = next(r for r in recommend(INVEST).rules if r.rule_id == "overlap_real")
    assert overlap.source == "paper" and overlap.thresholds == {"min_share": 0.25}
    assert RULES["retrieval_gain_small"][0] == "alignscope" and RULES["weaker_modality"][0] == "alignscope"
    assert {src for src, _ in RULES.values()} == {"paper", "alignscope"}
    rule_keys = {k for k in EN if k.startswith("r_")}
    assert rule_keys == {f"r_{r}" for r in RULES} | {"r_invest", "r_invest_gain"}
    assert rule_keys <= set(JA)  # every rule's sentence exists in Japanese too
    # the unsupported "pays off" claim is gone from every template
    assert not any("pays off" in EN[k] for k in rule_keys)


def test_heterogeneity_and_weaker_modality_are_reported_not_decisive() -> None:
    rec = recommend(_with(heterogeneity={"linear_deficit": 0.9}, ladder_meaningful=False))
    ids = [r.rule_id for r in rec.rules]
    assert rec.deciding_rule == "ladder_missing" and "high_heterogeneity" in ids and "weaker_modality" in ids
    het = next(r for r in rec.rules if r.rule_id == "high_heterogeneity")
    assert het.source == "paper" and "0.90" in het.message()
    same = recommend(_with(macro_f1={"image": 0.7, "text": 0.7}))
    assert same.weaker_modality is None


def test_majority_macro_f1_matches_the_probe_metric() -> None:
    import numpy as np

    from engine.study.probes import macro_f1

    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    assert majority_macro_f1([60, 30, 10]) == pytest.approx(macro_f1(y, np.zeros_like(y), 3))
    assert majority_macro_f1([5, 5]) == pytest.approx(macro_f1(np.array([0] * 5 + [1] * 5), np.zeros(10, int), 2))
    assert majority_macro_f1([]) == 0.0
