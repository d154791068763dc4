"""From the signals to one suspect score and a q-value per pair.

Combination: each pair has evidence features (label-free: log(n / position) in both
directions; with a label: the probes' log likelihood ratio). A logistic regression tells
the data's pairs from shuffled pairs on these features, so its log-odds η estimates the log
likelihood ratio "belongs together" against "random pairing"; a useless signal gets a weight
near 0. Both the weights and the null are fitted on the same pairs (3–4 numbers; the
features themselves are out-of-fold).

Score: the share of shuffled pairs whose η is at least the pair's, i.e. a p-value against
the null of shuffled partners. A report written for another part *is* a random pairing, so
its score is uniform on (0, 1]; a pair that fits gets a score near 0. Higher = more suspect.
With a label the reference is the shuffled pairs of two *different* labels: a report that
describes a part of another class then scores uniformly (against all shuffles it would crowd
at the top and inflate π̂₁ below); a wrong report of the same class scores lower — the label
cannot see it anyway. The order of the list does not depend on the reference.

q-value: two-group model. Mismatched pairs have uniform scores, so among the pairs with
score ≥ t about n·π₁·(1 − t) are mismatches; π₁ (the share of mismatched pairs) is
estimated from the top of the score distribution, where well-fitting pairs are rare (Storey's
estimator with the roles of the groups exchanged): π̂₁(λ) = #{score > λ} / (n (1 − λ)), taking
the minimum over λ ∈ {0.5, 0.55, …, 0.9}. Every π̂₁(λ) over-counts (well-fitting pairs above λ;
reports from another class look worse than a random pairing); the minimum also picks counting
noise downwards, which errs on the safe side: fewer pairs flagged. The q-value of a pair is
the smallest estimated share of well-fitting pairs among any top set that contains it. It
rests on an assumption that cannot be checked on the data (well-fitting pairs are rare at
the top of the list), so the caller shows a threshold only when the self-test separates
planted swaps well.

Weights are kept non-negative: a signal whose weight comes out negative (it adds nothing
beyond the others) is dropped from the combination and the rest refitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

RIDGE = 1e-3
MIN_REFERENCE = 1000
NEWTON_STEPS = 50
LAMBDA_GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


@dataclass(frozen=True)
class Combined:
    """The combined evidence, the score and the q-values."""

    features: tuple[str, ...]
    weights: tuple[float, ...]        # logistic weights, one per feature
    intercept: float
    evidence: NDArray[np.float64]     # [n] η of every pair (higher = fits better)
    null_evidence: NDArray[np.float64]  # [M] η of the shuffled pairs
    score: NDArray[np.float64]        # [n] in (0, 1]; higher = more suspect
    q_value: NDArray[np.float64]      # [n]
    mismatch_share: float             # π̂₁


def fit_combination(real: NDArray[np.float64], null: NDArray[np.float64]
                    ) -> tuple[NDArray[np.float64], float]:
    """Logistic weights and intercept separating real pairs (rows of ``real``) from shuffled ones.

    Classes weighted equally; a small ridge penalty (RIDGE on the weights, not the intercept)
    keeps the fit finite when the two are perfectly separable. Newton iterations.
    """
    x = np.concatenate([real, null])
    x = np.concatenate([x, np.ones((x.shape[0], 1))], axis=1)
    y = np.concatenate([np.ones(real.shape[0]), np.zeros(null.shape[0])])
    w_obs = np.concatenate([np.full(real.shape[0], 0.5 / real.shape[0]),
                            np.full(null.shape[0], 0.5 / null.shape[0])])
    penalty = np.full(x.shape[1], RIDGE)
    penalty[-1] = 0.0
    beta = np.zeros(x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30.0, 30.0)))
        grad = x.T @ (w_obs * (p - y)) + penalty * beta
        hess = (x * (w_obs * p * (1.0 - p))[:, None]).T @ x + np.diag(penalty) + 1e-12 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return beta[:-1].copy(), float(beta[-1])


def null_score(evidence: NDArray[np.float64], null_evidence: NDArray[np.float64]) -> NDArray[np.float64]:
    """Share of null pairs with evidence at least ``evidence`` (interpolated; uniform under the null)."""
    ref = np.sort(null_evidence)
    m = ref.size
    cdf = np.interp(evidence, ref, (np.arange(m) + 0.5) / m, left=0.5 / m, right=1.0 - 0.5 / m)
    out: NDArray[np.float64] = 1.0 - cdf
    return out


def mismatch_share(score: NDArray[np.float64]) -> float:
    """π̂₁: share of pairs that look like random pairings, from the top of the score distribution."""
    n = score.size

    return float(min(1.0, *(np.count_nonzero(score > lam) / (n * (1.0 - lam)) for lam in LAMBDA_GRID)))


def q_values(score: NDArray[np.float64], share: float) -> NDArray[np.float64]:
    """Per pair, the smallest estimated false-discovery rate of a top set (by score) containing it."""
    n = score.size
    order = np.argsort(-score, kind="stable")
    s = score[order]
    flagged = np.arange(1, n + 1, dtype=np.float64)
    # all pairs tied at a score enter a top set together: use the last index of each tie group
    last = np.searchsorted(-s, -s, side="right")
    expected_mismatches = n * share * (1.0 - s)
    fdr = np.clip(1.0 - expected_mismatches / flagged[last - 1], 0.0, 1.0)
    q_sorted = np.minimum.accumulate(fdr[::-1])[::-1]
    out = np.empty(n)
    out[order] = q_sorted
    return out


def combine(names: tuple[str, ...], real: NDArray[np.float64], null: NDArray[np.float64],
            reference: NDArray[np.bool_] | None = None) -> Combined:
    """Fit the combination (non-negative weights), score every pair against the shuffled null, q-values.

    ``reference`` selects the null pairs the score is calibrated on (all by default; with a
    label, the shuffled pairs whose two rows have different labels).
    """
    active = list(range(len(names)))
    weights = np.zeros(len(names))
    intercept = 0.0
    while active:
        w, intercept = fit_combination(real[:, active], null[:, active])
        if (w >= 0).all():
            weights[active] = w
            break
        active.pop(int(np.argmin(w)))
    evidence = real @ weights + intercept
    null_ev = null @ weights + intercept
    ref = null_ev if reference is None or int(reference.sum()) < MIN_REFERENCE else null_ev[reference]
    score = null_score(evidence, ref)
    share = mismatch_share(score)
    return Combined(names, tuple(float(w) for w in weights), intercept, evidence, null_ev, score,
                    q_values(score, share), share)
