"""Is explicit alignment worth investing in? The rule set, as a pure function of typed inputs.

Each rule says where it comes from (``source``):

- ``paper`` — Tjandrasuwita et al., ICML 2025: claim 1 (alignment grows with capacity only when
  the modalities share information: high redundancy, low uniqueness), claim 2 (alignment falls
  as heterogeneity grows), claim 3 (alignment predicts performance only with mostly redundant
  information; the correlation vanishes as uniqueness grows) and the decision rule (measure
  unimodal baselines, overlap and alignment per encoder pair, check directly whether alignment
  moves task performance, and invest in explicit alignment *only* where baselines are weak and
  the overlap is real). The paper gives necessary conditions; it does not promise that
  alignment pays off when they hold, and no rule here says so.
- ``alignscope`` — AlignScope's own operationalisation: the thresholds below (a 0.90 macro-F1
  "strong baseline", a 25 % redundancy share, 240 pairs and 5 samples per occupied PID cell
  (where the intervals' coverage was measured), 0.05 recall@10
  from a trained alignment, 5 encoder pairs for the ladder, 0.5 linear deficit) and the rules
  that only AlignScope states (no label signal, weaker modality, retrieval gain).

Paper rules whose test needs a number (weak baseline, real overlap) carry the AlignScope
threshold they used in ``thresholds``. ``MESSAGES`` holds an English sentence template per rule
with named parameters (``str.format`` over the rule's ``values`` and ``thresholds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.study.pid_bias import MIN_ROWS, MIN_SAMPLES_PER_OCCUPIED_CELL
from engine.typed_json import JSONObject

# AlignScope's thresholds (not the paper's)
STRONG_BASELINE_F1 = 0.90        # best unimodal macro-F1 at or above this: strong baseline
REAL_OVERLAP_SHARE = 0.25        # redundancy share of I(X1,X2;Y) at or above this (and R >= each U)
NO_SIGNAL_MARGIN = 0.05          # best macro-F1 within this of the majority baseline: no label signal
USEFUL_RETRIEVAL_GAIN = 0.05     # recall@10 a trained alignment must add over the best linear map
MIN_LADDER_PAIRS = 5             # encoder pairs the alignment-vs-performance check needs
HIGH_LINEAR_DEFICIT = 0.5        # heterogeneity: share of a space the other cannot reproduce linearly

DECISIONS = ("invest", "not yet", "measure more")
ANSWERS = {"invest": "yes", "not yet": "no, not yet", "measure more": "not known yet"}

# rule id -> (source, reference)
RULES: dict[str, tuple[str, str]] = {
    "no_label": ("paper", "decision rule: measure unimodal baselines first"),
    "pid_unreliable": ("alignscope", "PID intervals hold their coverage from 240 pairs and 5 samples per occupied cell"),
    "no_label_signal": ("alignscope", "neither modality predicts the label better than the majority class"),
    "baseline_strong": ("paper", "decision rule: invest only where baselines are weak"),
    "baseline_weak": ("paper", "decision rule: invest only where baselines are weak"),
    "overlap_not_real": ("paper", "decision rule: invest only where the overlap is real; claims 1 and 3"),
    "overlap_uncertain": ("paper", "decision rule: invest only where the overlap is real"),
    "overlap_real": ("paper", "decision rule: invest only where the overlap is real"),
    "ladder_missing": ("paper", "decision rule: check directly whether alignment moves task performance"),
    "ladder_flat": ("paper", "claim 3: alignment does not reliably predict performance"),
    "ladder_positive": ("paper", "decision rule: check directly whether alignment moves task performance"),
    "retrieval_gain_small": ("alignscope", "a trained alignment must add to what a linear map of the spaces finds"),
    "retrieval_gain_useful": ("alignscope", "a trained alignment must add to what a linear map of the spaces finds"),
    "high_heterogeneity": ("paper", "claim 2: alignment falls as heterogeneity grows"),
    "weaker_modality": ("alignscope", "names the modality whose probe reads the label less well"),
}

# the sentences of the rules live in the study's catalogue (engine/study/messages_en.py and
# messages_ja.py) under "r_<rule id>"


@dataclass(frozen=True)
class Interval:
    value: float
    lo: float
    hi: float


@dataclass(frozen=True)
class RecommendationInputs:
    """What the rules read. Information quantities in bits; intervals are 95 %."""

    has_label: bool
    macro_f1: dict[str, float] = field(default_factory=dict)   # {"image": f1, "text": f1}
    majority_f1: float | None = None            # macro-F1 of always answering the majority class
    redundancy: Interval | None = None
    unique_image: Interval | None = None
    unique_text: Interval | None = None
    synergy: Interval | None = None
    total_mi: float | None = None
    pid_intervals_validated: bool = False      # Interactions.intervals_validated
    pid_n: int = 0
    pid_samples_per_occupied_cell: float | None = None
    ladder_n_pairs: int = 0
    ladder_spearman: Interval | None = None
    ladder_meaningful: bool = False
    ladder_over: str = "model pairs"            # what the points are: "model pairs" or "layer pairs" …
    heterogeneity: dict[str, float] = field(default_factory=dict)   # e.g. {"linear_deficit": 0.8}
    retrieval_gain: float | None = None         # recall@10 of the best trained alignment minus the linear map's


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    source: str                  # "paper" | "alignscope"
    reference: str               # which claim / rule, or what AlignScope's rule checks
    values: dict[str, float | int | str]
    thresholds: dict[str, float] = field(default_factory=dict)   # AlignScope thresholds used

    def message(self, lang: str = "en") -> str:
        from engine.study.messages import message

        return message(lang, f"r_{self.rule_id}", **self.values, **self.thresholds)


@dataclass(frozen=True)
class Recommendation:
    question: str
    decision: str                # one of DECISIONS
    answer: str                  # "yes" | "no, not yet" | "not known yet"
    deciding_rule: str           # rule id that set the decision ("invest" when all conditions hold)
    rules: tuple[FiredRule, ...]
    weaker_modality: str | None

    def key_and_params(self) -> tuple[str, JSONObject]:
        """The catalogue key of the answer and its numbers (engine.study.messages)."""
        if self.deciding_rule == "invest":
            vals: JSONObject = {}
            for r in self.rules:
                vals.update(r.values)
            return ("r_invest_gain" if isinstance(vals.get("gain"), float) else "r_invest"), vals
        rule = next(r for r in self.rules if r.rule_id == self.deciding_rule)
        return f"r_{rule.rule_id}", {**rule.values, **rule.thresholds}

    def sentence(self, lang: str = "en") -> str:
        """The answer in ``lang``: the deciding rule's sentence."""
        from engine.study.messages import message

        key, params = self.key_and_params()
        return message(lang, key, **params)

    def to_json(self) -> JSONObject:
        return {"question": self.question, "decision": self.decision, "answer": self.answer,
                "deciding_rule": self.deciding_rule, "weaker_modality": self.weaker_modality,
                "sentence": self.sentence(),
                "rules": [{"id": r.rule_id, "source": r.source, "reference": r.reference,
                           "values": dict(r.values), "thresholds": dict(r.thresholds),
                           "message": r.message()} for r in self.rules]}


QUESTION = "Is explicit alignment worth investing in?"


def majority_macro_f1(class_counts: list[int]) -> float:
    """Macro-F1 of always answering the majority class: 2p/(1+p) for it, 0 for the others, over C classes."""
    counts = [c for c in class_counts if c > 0]
    if not counts:
        return 0.0
    return majority_macro_f1_of(max(counts) / sum(counts), len(counts))


def majority_macro_f1_of(share: float, n_classes: int) -> float:
    """:func:`majority_macro_f1` from the commonest class' share and the number of classes."""
    return 2.0 * share / (1.0 + share) / max(n_classes, 1)


def _rule(rule_id: str, values: dict[str, float | int | str],
          thresholds: dict[str, float] | None = None) -> FiredRule:
    source, reference = RULES[rule_id]
    return FiredRule(rule_id, source, reference, values, thresholds or {})


def _weaker(f1: dict[str, float]) -> tuple[str | None, list[FiredRule]]:
    if len(f1) < 2:
        return None, []
    weak, strong = sorted(f1, key=lambda m: f1[m])
    if f1[weak] == f1[strong]:
        return None, []
    return weak, [_rule("weaker_modality", {"weaker": weak, "weaker_f1": f1[weak], "stronger_f1": f1[strong]})]


def _overlap_rule(inp: RecommendationInputs) -> FiredRule:
    assert inp.redundancy is not None and inp.total_mi is not None
    total = max(inp.total_mi, 1e-12)
    r = inp.redundancy
    u_max = max(inp.unique_image.value if inp.unique_image else 0.0,
                inp.unique_text.value if inp.unique_text else 0.0)
    vals: dict[str, float | int | str] = {
        "share": r.value / total, "share_lo": max(r.lo, 0.0) / total, "share_hi": r.hi / total,
        "total": inp.total_mi, "redundancy": r.value, "max_uniqueness": u_max}
    thr = {"min_share": REAL_OVERLAP_SHARE}
    point_real = r.value / total >= REAL_OVERLAP_SHARE and r.value >= u_max
    if point_real and r.lo / total >= REAL_OVERLAP_SHARE:
        return _rule("overlap_real", vals, thr)
    if not point_real and (r.hi / total < REAL_OVERLAP_SHARE or r.hi < u_max):
        return _rule("overlap_not_real", vals, thr)
    return _rule("overlap_uncertain", vals, thr)


def recommend(inp: RecommendationInputs) -> Recommendation:
    """Apply the rules in order; the first rule that settles the question decides."""
    weaker, rules = _weaker(inp.macro_f1)
    info: list[FiredRule] = list(rules)
    het = inp.heterogeneity.get("linear_deficit")
    if het is not None and het >= HIGH_LINEAR_DEFICIT:
        info.append(_rule("high_heterogeneity", {"linear_deficit": het}, {"high": HIGH_LINEAR_DEFICIT}))

    def done(decision: str, rule: FiredRule, before: list[FiredRule]) -> Recommendation:
        return Recommendation(QUESTION, decision, ANSWERS[decision], rule.rule_id,
                              tuple([*before, rule, *info]), weaker)

    if not inp.has_label or not inp.macro_f1:
        return done("measure more", _rule("no_label", {}), [])
    best_mod = max(inp.macro_f1, key=lambda m: inp.macro_f1[m])
    best = inp.macro_f1[best_mod]
    if inp.majority_f1 is not None and best <= inp.majority_f1 + NO_SIGNAL_MARGIN:
        return done("not yet", _rule("no_label_signal", {"best_f1": best, "majority_f1": inp.majority_f1},
                                     {"margin": NO_SIGNAL_MARGIN}), [])
    base_vals: dict[str, float | int | str] = {"best_f1": best, "best_modality": best_mod}
    if best >= STRONG_BASELINE_F1:
        return done("not yet", _rule("baseline_strong", base_vals, {"strong_f1": STRONG_BASELINE_F1}), [])
    fired = [_rule("baseline_weak", base_vals, {"strong_f1": STRONG_BASELINE_F1})]
    if inp.redundancy is None or inp.total_mi is None or not inp.pid_intervals_validated:
        vals: dict[str, float | int | str] = {"n": inp.pid_n,
                                              "samples_per_occupied_cell": inp.pid_samples_per_occupied_cell or 0.0}
        return done("measure more", _rule("pid_unreliable", vals, {"min_samples": MIN_SAMPLES_PER_OCCUPIED_CELL,
                                                                  "min_rows": MIN_ROWS}), fired)
    overlap = _overlap_rule(inp)
    if overlap.rule_id != "overlap_real":
        return done("not yet" if overlap.rule_id == "overlap_not_real" else "measure more", overlap, fired)
    fired.append(overlap)
    rho = inp.ladder_spearman
    if not inp.ladder_meaningful or rho is None:
        return done("measure more", _rule("ladder_missing", {"n_pairs": inp.ladder_n_pairs, "over": inp.ladder_over},
                                          {"min_pairs": MIN_LADDER_PAIRS}), fired)
    lvals: dict[str, float | int | str] = {"n_pairs": inp.ladder_n_pairs, "spearman": rho.value,
                                           "spearman_lo": rho.lo, "spearman_hi": rho.hi, "over": inp.ladder_over}
    if rho.lo <= 0.0:
        return done("not yet", _rule("ladder_flat", lvals), fired)
    fired.append(_rule("ladder_positive", lvals))
    if inp.retrieval_gain is not None:
        gvals: dict[str, float | int | str] = {"gain": inp.retrieval_gain}
        if inp.retrieval_gain < USEFUL_RETRIEVAL_GAIN:
            return done("not yet", _rule("retrieval_gain_small", gvals, {"min_gain": USEFUL_RETRIEVAL_GAIN}), fired)
        fired.append(_rule("retrieval_gain_useful", gvals, {"min_gain": USEFUL_RETRIEVAL_GAIN}))
    return Recommendation(QUESTION, "invest", ANSWERS["invest"], "invest", tuple([*fired, *info]), weaker)
