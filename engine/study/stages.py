"""The stages of the study, one function each; :mod:`engine.study.analyze` composes them.

Every stage takes plain arrays and options and returns a typed part of
:class:`engine.study.result.Analysis`. Stages never read the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from engine.metrics.knn import PairGraphs
from engine.pairs.result import PairScores
from engine.progress import Progress
from engine.study.interactions import Interactions
from engine.study.messages import Message, msg
from engine.study.messages_recorded import metric_note
from engine.study.options import AnalyzeOptions
from engine.study.probes import OutOfFold
from engine.study.result import (
    AlignmentCurve,
    Correlation,
    Heterogeneity,
    ModelChoice,
    NullResult,
    PairResult,
    ProbeResult,
    Probes,
    Retrieval,
)

log = logging.getLogger(__name__)
Tick = Callable[[str], None]
Emb = Mapping[str, NDArray[np.float32]]

# metrics that get bootstrap intervals and a permutation null: the kNN scores resample cheaply
# (per-sample scores, relabelled graphs); a linear-CKA resample recomputes d×d Gram matrices
KNN_INTERVAL_METRICS = ("mutual_knn", "cycle_knn", "lcs_knn")
LINEAR_INTERVAL_METRICS = ("unbiased_cka_linear",)
# RBF CKA point estimates of the study on at most this many pairs (a stated random subsample):
# the exact kernels cost O(n²·d), 11 s at 20,000 pairs (the metrics' own cap), ~3 s at 10,000
STUDY_RBF_MAX_N = 10_000


@dataclass(frozen=True)
class Labels:
    """The label as the stages need it: the rows that have a value, and their values."""

    column: str
    rows: NDArray[np.int64]        # store rows with a non-empty label value
    values: NDArray[np.str_]       # their values
    n_classes: int


def _interval(ci: Sequence[float] | None, lo: float = -np.inf, hi: float = np.inf) -> tuple[float, float]:
    if ci is None:
        return (float("nan"), float("nan"))
    return (float(np.clip(ci[0], lo, hi)), float(np.clip(ci[1], lo, hi)))


def _unit_block(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale a feature block to unit mean squared row norm (both modalities weigh the same)."""
    scale = float(np.sqrt(np.mean(np.sum(x * x, axis=1))))
    out: NDArray[np.float64] = x / max(scale, 1e-12)
    return out


def probes_stage(emb: Emb, models: ModelChoice, labels: Labels, opts: AnalyzeOptions, seed: int,
                 tick: Tick, notes: list[Message] | None = None) -> tuple[Probes, dict[str, OutOfFold]]:
    """Out-of-fold probes of every model and of every fused pair; the OutOfFold of each model."""
    from engine.study import scale_notes
    from engine.study.blas import one_blas_thread
    from engine.study.probes import (
        chance_accuracy,
        out_of_fold_probe,
        probe_scores,
        reduce_features,
    )
    from engine.study.reduce import FIT_MAX_ROWS

    oofs: dict[str, OutOfFold] = {}
    unimodal: list[ProbeResult] = []
    fused: list[ProbeResult] = []
    if notes is not None and labels.rows.size > FIT_MAX_ROWS:
        notes.append(scale_notes.probe_axes_sample(FIT_MAX_ROWS, labels.rows.size))
    with one_blas_thread():
        reduced = {mid: reduce_features(emb[mid], rows=labels.rows, fit_cap=FIT_MAX_ROWS)
                   for mid in (*models.image, *models.text)}
        for modality, ids in (("image", models.image), ("text", models.text)):
            for mid in ids:
                oofs[mid] = out_of_fold_probe(reduced[mid], labels.values, folds=opts.probe_folds, seed=seed)
                unimodal.append(probe_scores(oofs[mid], seed=seed, model=mid, modality=modality))
                tick(f"probe {mid}")
        for pair in models.pairs:
            x = np.concatenate([_unit_block(reduced[pair.image]), _unit_block(reduced[pair.text])], axis=1)
            oof = out_of_fold_probe(x, labels.values, folds=opts.probe_folds, seed=seed)
            fused.append(probe_scores(oof, seed=seed, model=f"{pair.image}+{pair.text}", modality="fused"))
            tick(f"fused probe {pair.image}+{pair.text}")
    first = next(iter(oofs.values()))
    probes = Probes(chance=chance_accuracy(labels.values), label_entropy_bits=first.label_entropy_bits(),
                    unimodal=tuple(unimodal), fused=tuple(fused))
    return probes, oofs


SAID_BY_INTERVALS = ("mn_bootstrap", "mn_permutation")


def _uncertainty(a: NDArray[np.float32], b: NDArray[np.float32], opts: AnalyzeOptions, seed: int,
                 graphs: PairGraphs | None
                 ) -> tuple[dict[str, tuple[float, float]], dict[str, NullResult], list[Message]]:
    from engine.metrics import compute_metrics

    ci: dict[str, tuple[float, float]] = {}
    null: dict[str, NullResult] = {}
    notes: list[Message] = []
    for names, n_boot, n_perm in ((KNN_INTERVAL_METRICS, opts.bootstrap, opts.permutations),
                                  (LINEAR_INTERVAL_METRICS, opts.linear_bootstrap, opts.linear_permutations)):
        unc = compute_metrics(a, b, k=opts.k, metrics=list(names), bootstrap=n_boot,
                              permutations=n_perm, seed=seed, graphs=graphs)
        for m, v in (unc.get("ci") or {}).items():
            hi = float(opts.k) if m == "lcs_knn" else 1.0
            ci[m] = _interval(v, 0.0 if m in KNN_INTERVAL_METRICS else -1.0, hi)
        for m, v in (unc.get("null") or {}).items():
            null[m] = NullResult(mean=float(v["mean"]), p=float(v["p"]))
        # how each run resampled is said once, for both runs, by the n_intervals note below
        notes += [n for t in unc.get("notes", []) if (n := metric_note(str(t))).key not in SAID_BY_INTERVALS]
    notes.append(msg("n_intervals", bootstrap=opts.bootstrap, permutations=opts.permutations,
                     knn_metrics=", ".join(KNN_INTERVAL_METRICS), linear_bootstrap=opts.linear_bootstrap,
                     linear_permutations=opts.linear_permutations,
                     linear_metrics=", ".join(LINEAR_INTERVAL_METRICS)))
    return ci, null, notes


def pairs_stage(emb: Emb, models: ModelChoice, probes: Probes | None, opts: AnalyzeOptions, seed: int,
                tick: Tick, graphs: PairGraphs | None = None) -> tuple[PairResult, ...]:
    """All metrics of every (image, text) pair; intervals and nulls for the default pair.
    ``graphs``: the default pair's kNN graphs (:func:`graph_stage`), reused instead of searching again."""
    from engine.metrics import compute_metrics

    out: list[PairResult] = []
    for pair in models.pairs:
        a, b = emb[pair.image], emb[pair.text]
        given = graphs if pair == models.default else None
        res = compute_metrics(a, b, k=opts.k, metrics="all", seed=seed, graphs=given, rbf_max_n=STUDY_RBF_MAX_N)
        n = int(res["n"])
        ci: dict[str, tuple[float, float]] = {}
        null: dict[str, NullResult] = {}
        notes = [metric_note(str(t)) for t in res.get("notes", [])]
        if pair == models.default and (opts.bootstrap or opts.permutations):
            ci, null, more = _uncertainty(a, b, opts, seed, given)
            notes += more
        metrics = {m: float(v) for m, v in res.items()
                   if m not in ("ci", "null", "notes", "seed", "n", "k", "normalized")}

        def acc(model: str) -> float | None:
            p = probes.get(model) if probes is not None else None
            return None if p is None else p.accuracy

        out.append(PairResult(image=pair.image, text=pair.text, k=opts.k, n=n, metrics=metrics, ci=ci,
                              null=null, chance_mutual_knn=opts.k / max(n - 1, 1),
                              image_accuracy=acc(pair.image), text_accuracy=acc(pair.text),
                              fused_accuracy=acc(f"{pair.image}+{pair.text}"), notes=tuple(notes)))
        tick(f"metrics {pair.image} × {pair.text}")
    return tuple(out)


def correlation_stage(pairs: Sequence[PairResult], seed: int, metric: str = "mutual_knn") -> Correlation:
    from engine.study.ladder import alignment_performance_correlation

    perf = [p.performance for p in pairs]
    return alignment_performance_correlation(
        [p.metrics.get(metric, float("nan")) for p in pairs],
        [float("nan") if v is None else v for v in perf], metric=metric, seed=seed)


def pid_stage(a: NDArray[np.float32], b: NDArray[np.float32], labels: Labels,
              oofs: Mapping[str, OutOfFold], models: ModelChoice, opts: AnalyzeOptions, seed: int,
              notes: list[Message]) -> Interactions:
    """Bias-corrected PID of the default pair with the label, discretised by the study's own
    out-of-fold probes (no second fit) or by the reference's k-means."""
    from engine.study.interactions import interactions

    pair = models.default
    result = interactions(a[labels.rows], b[labels.rows], labels.values,
                          probes=(oofs[pair.image], oofs[pair.text]), method=opts.pid_discretize,
                          bootstrap=opts.pid_bootstrap, seed=seed)
    notes += [msg("n_pid", warning_key=w.key, **w.params) for w in result.warnings]
    return result


def heterogeneity_stage(a: NDArray[np.float32], b: NDArray[np.float32], labels: Labels | None,
                        seed: int, notes: list[Message]) -> Heterogeneity:
    from engine.study import heterogeneity, scale_notes
    from engine.study.blas import one_blas_thread

    cap = heterogeneity.MAX_SAMPLES
    rows = np.arange(a.shape[0]) if labels is None else labels.rows
    values = None if labels is None else labels.values
    if rows.size > cap:  # the same rows heterogeneity_scores would draw, taken before copying
        pick = heterogeneity.subsample_rows(rows.size, cap, seed)
        notes.append(scale_notes.heterogeneity_sample(cap, rows.size))
        rows, values = rows[pick], None if values is None else values[pick]
    with one_blas_thread():
        raw = heterogeneity.heterogeneity_scores(a[rows], b[rows], values, seed=seed, max_samples=cap)
    return Heterogeneity(nonlinear_gap=raw.get("nonlinear_gap"), linear_deficit=raw.get("linear_deficit"),
                         transfer=raw.get("transfer"), explanation=dict(raw.get("explanation") or {}))


def retrieval_stage(a: NDArray[np.float32], b: NDArray[np.float32], opts: AnalyzeOptions, seed: int,
                    notes: list[Message]) -> Retrieval:
    from engine.study.blas import one_blas_thread
    from engine.study.retrieval import retrieval_trial

    with one_blas_thread():
        result, more = retrieval_trial(a, b, seed=seed, contrastive=opts.contrastive)
    notes += more
    return result


CURVE_K_MAX = 100  # the alignment curve runs over k = 1..100


def graph_stage(a: NDArray[np.float32], b: NDArray[np.float32], k: int, progress: Progress | None = None
                ) -> PairGraphs:
    """The default pair's kNN graphs, once, at max(k, 100) (capped at n − 1) on L2-normalised rows:
    every kNN quantity of the study (metrics, CKNNA, intervals, nulls, curve, per-sample overlap)
    is read from their prefixes."""
    from engine.metrics.knn import pair_graphs
    from engine.metrics.validate import check_k, prepare_pair

    aa, bb = prepare_pair(a, b, normalize=True)
    n = aa.shape[0]
    check_k(n, k)
    return pair_graphs(aa, bb, max(k, min(CURVE_K_MAX, n - 1)), progress=progress,
                       messages=("nearest neighbours (images)", "nearest neighbours (reports)"))


def neighbour_stage(a: NDArray[np.float32], b: NDArray[np.float32], k: int, graphs: PairGraphs | None = None
                    ) -> tuple[AlignmentCurve, NDArray[np.float64]]:
    """The mutual-kNN curve over k = 1..100 and the per-sample overlap at ``k``, from one pair of
    kNN graphs (each row's neighbours are sorted, so the top-k list is a prefix); ``graphs``
    from :func:`graph_stage`, computed here when not given."""
    from engine.metrics.knn_metrics import curve_from_graphs, overlap_from_graphs

    g = graphs if graphs is not None else graph_stage(a, b, k)
    raw = curve_from_graphs(g.ia, g.ib, range(1, g.k + 1))
    curve = AlignmentCurve(k=tuple(int(v) for v in raw["k"]),
                           mutual_knn=tuple(float(v) for v in raw["mutual_knn"]),
                           chance=tuple(float(v) for v in raw["chance"]))
    top = g.prefix(k)
    overlap = np.asarray(overlap_from_graphs(top.ia, top.ib), dtype=np.float64)
    return curve, overlap


def pair_check_stage(a: NDArray[np.float32], b: NDArray[np.float32], ids: Sequence[str], models: ModelChoice,
                     labels: Labels | None, oofs: Mapping[str, OutOfFold] | None, seed: int,
                     notes: list[Message]) -> PairScores | None:
    """Per-pair suspect scores of the default pair (engine.pairs), reusing the study's probes."""
    from engine.errors import InputError
    from engine.pairs import score_pairs
    from engine.pairs.score import MIN_PAIRS

    if len(ids) < MIN_PAIRS:
        notes.append(msg("n_suspects_too_few", n=len(ids), min_pairs=MIN_PAIRS))
        return None
    pair = models.default
    try:
        if labels is not None and oofs is not None:
            scored = score_pairs(a, b, ids, seed=seed, label=labels.column, image_probe=oofs[pair.image],
                                 report_probe=oofs[pair.text], probe_rows=labels.rows)
        else:
            scored = score_pairs(a, b, ids, seed=seed)
    except InputError as exc:
        log.warning("suspect pairs not scored: %s", exc)
        notes.append(msg("n_suspects_failed", error=str(exc)))
        return None
    return replace(scored, image_model=pair.image, text_model=pair.text)
