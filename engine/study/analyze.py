"""The whole study on one store: ``alignscope analyze --store S.h5 [--label COL] --json``.

:func:`analyze_store` returns an :class:`engine.study.result.Analysis` (the typed contract;
its JSON is ``Analysis.to_json()``). The driver reads the store once, then runs the stages
of :mod:`engine.study.stages` in the order of the study's table of contents:

    probes → pairs (metrics) → correlation → PID → heterogeneity → retrieval
           → neighbours (curve, per-sample overlap) → suspects → findings

The result is cached in the store under ``("analysis", key)``; ``key`` hashes the schema,
the app version, the options, the sample ids, the label values and the models. The JSON goes
into the result's payload, the per-sample arrays into its datasets. :func:`cached_analysis`
returns the cached result without computing anything (the GUI calls it when a project opens).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from engine.dataset.label_choice import LabelChoice, choose_label
from engine.errors import AlignScopeError, InputError, StoreError
from engine.metrics.knn import PairGraphs
from engine.pairs.result import PairScores
from engine.progress import Progress, report
from engine.study.layers_stage import layer_study, read_layers
from engine.study.messages import Message, msg
from engine.study.options import AnalyzeOptions
from engine.study.result import (
    SCHEMA,
    Analysis,
    Correlation,
    ModelChoice,
    PairCheck,
    PerSample,
    SelfTest,
    Suspect,
    read_analysis,
)
from engine.study.stages import Labels
from engine.typed_json import JSONObject
from engine.version import __version__

__all__ = ["AnalyzeOptions", "analyze_store", "cached_analysis", "study_inputs"]

log = logging.getLogger(__name__)
RESULT_NAME = "analysis"
PROGRESS_UNIT = 1000  # progress counts per study step (long stages report within their step)
T = TypeVar("T")


@dataclass(frozen=True)
class StudyInputs:
    """What the study reads from the store, and the cache key of its result."""

    path: Path
    ids: tuple[str, ...]
    label: LabelChoice
    label_values: tuple[str, ...] | None
    models: ModelChoice
    key: str


def study_inputs(st: Any, label: str | None, seed: int, options: AnalyzeOptions,
                 image_model: str | None = None, text_model: str | None = None) -> StudyInputs:
    """Resolve the label and the models of an open store and compute the cache key."""
    from engine.study.model_choice import choose_models_for_store

    columns = {c: st.column(c) for c in st.columns()}
    choice = choose_label(columns, label, source=str(st.path))
    models = choose_models_for_store(st, image=image_model, text=text_model)
    ids = tuple(st.sample_ids())
    values = tuple(columns[choice.column]) if choice.column is not None else None
    h = hashlib.sha256()
    h.update(SCHEMA.encode() + __version__.encode())
    h.update(json.dumps({"label": choice.column, "seed": seed, "options": asdict(options),
                         "default": asdict(models.default)}, sort_keys=True).encode())
    for sid in ids:
        h.update(sid.encode() + b"\0")
    for v in values or ():
        h.update(v.encode() + b"\0")
    for mid in (*models.image, *models.text):
        attrs = st.model_attrs(mid)
        layers = st.layer_names(mid) if st.layers_complete(mid) else []
        h.update(json.dumps({"id": mid, "layers": layers,
                             **{k: str(attrs.get(k)) for k in ("sha256", "dim", "created")}},
                            sort_keys=True).encode())
    return StudyInputs(Path(st.path), ids, choice, values, models, h.hexdigest()[:32])


PAIR_ARRAY_PREFIX = "pairs_"


def _to_cache(analysis: Analysis) -> tuple[JSONObject, dict[str, NDArray[Any]]]:
    """The store's cache entry: the JSON (with the pair scorer's payload) and the per-sample arrays."""
    scores = analysis.pair_scores
    payload = {"analysis": analysis.to_json(), "pair_scores": scores.to_payload() if scores else None}
    arrays = dict(analysis.per_sample.arrays())
    if scores is not None:
        arrays.update({PAIR_ARRAY_PREFIX + k: v for k, v in scores.arrays.as_dict().items()})
    return payload, arrays


def _from_cache(st: Any, inputs: StudyInputs) -> Analysis | None:
    got = st.get_result(RESULT_NAME, inputs.key)
    if got is None:
        return None
    payload, arrays = got
    try:
        analysis = read_analysis(payload.get("analysis"), f"{inputs.path} (cached study)")
        pair_payload = payload.get("pair_scores")
        scores = None if pair_payload is None else PairScores.from_payload(
            pair_payload, {k[len(PAIR_ARRAY_PREFIX):]: v for k, v in arrays.items()
                           if k.startswith(PAIR_ARRAY_PREFIX)}, list(inputs.ids))
    except (InputError, KeyError, TypeError) as exc:
        log.warning("ignoring a cached study result that cannot be read: %s", exc)
        return None
    overlap = arrays.get("per_sample_overlap")
    if overlap is None or len(overlap) != len(inputs.ids):
        return None
    analysis = replace(analysis, pair_scores=scores)
    per = PerSample(k=analysis.per_sample.k, ids=inputs.ids, overlap=np.asarray(overlap, dtype=np.float64))
    log.info("study of %s loaded from the store's result cache (key %s)", inputs.path, inputs.key)
    # the label column is part of the key; how it was chosen is this call's (requested or automatic);
    # findings, recommendation and headline are re-derived from the cached numbers (cheap, and
    # always the sentences of this version)
    return _with_findings(replace(analysis, label=inputs.label, per_sample=per,
                                  notes=(*analysis.notes, msg("n_cached"))))


def cached_analysis(store_path: str | Path, label: str | None = None, *, seed: int = 0,
                    options: AnalyzeOptions | None = None) -> Analysis | None:
    """The study result cached in the store for these inputs, or None; never computes."""
    from engine.store import Store

    with Store.open(store_path, mode="r") as st:
        try:
            inputs = study_inputs(st, label, seed, options or AnalyzeOptions())
        except InputError as exc:
            log.info("no cached study for %s: %s", store_path, exc)
            return None
        return _from_cache(st, inputs)


def analyze_store(store_path: str | Path, label: str | None = None, *, seed: int = 0,
                  progress: Progress | None = None, options: AnalyzeOptions | None = None,
                  use_cache: bool = True, image_model: str | None = None,
                  text_model: str | None = None) -> Analysis:
    """Run the whole study on a store (or return its cached result)."""
    from engine.project.neighbours import put_neighbours
    from engine.store import Store

    opts = options or AnalyzeOptions()
    path = Path(store_path)
    with Store.open(path, mode="r") as st:
        inputs = study_inputs(st, label, seed, opts, image_model, text_model)
        if use_cache:
            cached = _from_cache(st, inputs)
            if cached is not None:
                return cached
        emb = {mid: np.asarray(st.embeddings(mid), dtype=np.float32)
               for mid in (*inputs.models.image, *inputs.models.text)}
        layers = read_layers(st, inputs.models)
    graphs: list[PairGraphs] = []
    analysis = run_study(inputs, emb, seed, opts, progress, layers, keep_graphs=graphs.append)
    del emb, layers
    try:
        with Store.open(path, mode="a") as st:
            st.put_result(RESULT_NAME, inputs.key, *_to_cache(analysis))
            if graphs:  # the project's neighbour lists: opening it in the GUI needs no search
                top = graphs[0].prefix(opts.k)
                put_neighbours(st, inputs.models.default.image, inputs.models.default.text, top.ia, top.ib)
    except (AlignScopeError, OSError) as exc:  # e.g. another process holds the writer lock
        log.warning("study result not cached in %s: %s", path, exc)
        analysis = replace(analysis, notes=(*analysis.notes, msg("n_not_cached", error=str(exc))))
    return analysis


def _labels(inputs: StudyInputs, notes: list[Message]) -> Labels | None:
    column, values = inputs.label.column, inputs.label_values
    if column is None or values is None:
        return None
    arr = np.asarray(values).astype(str)
    rows = np.flatnonzero(arr != "").astype(np.int64)
    if rows.size < arr.size:
        notes.append(msg("n_label_missing", missing=arr.size - rows.size, n=arr.size, column=column))
    names, counts = np.unique(arr[rows], return_counts=True)
    single = names[counts < 2]
    if single.size:
        keep = ~np.isin(arr[rows], single)
        rows = rows[keep]
        notes.append(msg("n_label_single", count=int(single.size), column=column,
                         values=f"{', '.join(map(str, single[:5]))}{' …' if single.size > 5 else ''}"))
    n_classes = int(np.unique(arr[rows]).size)
    if n_classes < 2:
        notes.append(msg("n_label_one_class", column=column))
        return None
    return Labels(column=column, rows=rows, values=arr[rows], n_classes=n_classes)


def _timed(timings: dict[str, float], name: str, fn: Callable[[], T]) -> T:
    t0 = time.perf_counter()
    out = fn()
    timings[name] = round(time.perf_counter() - t0, 3)
    log.debug("study stage %s: %.3f s", name, timings[name])
    return out


def run_study(inputs: StudyInputs, emb: dict[str, NDArray[np.float32]], seed: int,
              opts: AnalyzeOptions, progress: Progress | None = None,
              layers: Mapping[str, Mapping[str, NDArray[np.float32]]] | None = None,
              keep_graphs: Callable[[PairGraphs], None] | None = None) -> Analysis:
    """The study's stages on embeddings already in memory (store row order); ``layers``: the
    per-layer features of the models embedded with ``--layers`` ({model: {layer: [n, d]}});
    ``keep_graphs`` receives the default pair's kNN graphs (built once, at max(k, 100))."""
    from engine.study import stages

    models, n = inputs.models, len(inputs.ids)
    timings: dict[str, float] = {}
    notes: list[Message] = []
    labels = _labels(inputs, notes)
    tick = _Ticker(progress, _steps(models, labels is not None, len(layers or {})))
    a, b = emb[models.default.image], emb[models.default.text]
    graphs = _timed(timings, "knn_graphs", lambda: stages.graph_stage(a, b, opts.k, tick.within))
    if keep_graphs is not None:
        keep_graphs(graphs)
    tick("nearest neighbours")
    probes = oofs = None
    if labels is not None:
        probes, oofs = _timed(timings, "probes", lambda: stages.probes_stage(
            emb, models, labels, opts, seed, tick, notes))
    pairs = _timed(timings, "metrics", lambda: stages.pairs_stage(emb, models, probes, opts, seed, tick, graphs))
    ladder = stages.correlation_stage(pairs, seed)
    study = _timed(timings, "layers", lambda: layer_study(
        layers or {}, models, labels.rows if labels else None, labels.values if labels else None,
        k=opts.k, folds=opts.probe_folds, seed=seed, notes=notes, tick=tick))
    correlation = choose_correlation(ladder, study.correlations.get(models.default.key))
    pid = None
    if labels is not None:
        assert oofs is not None
        pid = _timed(timings, "pid", lambda: stages.pid_stage(a, b, labels, oofs, models, opts, seed, notes))
    tick("interactions (PID)")
    het = _timed(timings, "heterogeneity", lambda: stages.heterogeneity_stage(a, b, labels, seed, notes))
    tick("heterogeneity")
    retrieval = None
    if opts.retrieval and n >= 40:
        retrieval = _timed(timings, "retrieval", lambda: stages.retrieval_stage(a, b, opts, seed, notes))
    tick("explicit-alignment trial")
    curve, overlap = _timed(timings, "neighbours", lambda: stages.neighbour_stage(a, b, opts.k, graphs))
    tick("per-sample agreement")
    scores = _timed(timings, "suspects", lambda: stages.pair_check_stage(
        a, b, inputs.ids, models, labels, oofs, seed, notes))
    suspects, check = suspect_list(scores, inputs.ids, overlap, opts.n_suspects)
    tick("suspect pairs")
    analysis = Analysis(
        store=str(inputs.path), n=n, seed=seed, label=inputs.label,
        n_classes=labels.n_classes if labels is not None else 0, models=models, options=opts,
        pairs=pairs, correlation=correlation, per_sample=PerSample(k=opts.k, ids=inputs.ids, overlap=overlap),
        layerwise=study.alignments,
        correlations={"model pairs": ladder, **{f"layer pairs {k}": c for k, c in study.correlations.items()}},
        probes=probes, pid=pid, heterogeneity=het, retrieval=retrieval, alignment_curve=curve,
        suspects=suspects, pair_check=check, pair_scores=scores, timings=timings, notes=tuple(notes))
    return _with_findings(analysis)


def _steps(models: ModelChoice, labelled: bool, n_layer_models: int) -> int:
    """Progress steps of run_study: graphs, one per pair, PID, heterogeneity, retrieval, overlap,
    suspects; with a label one per model probe and per fused pair; per layered model one or two."""
    n_models = len(models.image) + len(models.text)
    return (6 + len(models.pairs) + (n_models + len(models.pairs) if labelled else 0)
            + n_layer_models * (2 if labelled else 1))


class _Ticker:
    """The study's progress: one call per finished step; ``within`` reports a long stage's own
    progress inside its step (PROGRESS_UNIT counts per step)."""

    def __init__(self, progress: Progress | None, steps: int) -> None:
        self.progress, self.steps, self.done = progress, steps, 0

    def __call__(self, msg: str) -> None:
        self.done += 1
        report(self.progress, self.done * PROGRESS_UNIT, self.steps * PROGRESS_UNIT, msg)

    def within(self, part: int, total: int, msg: str) -> None:
        report(self.progress, self.done * PROGRESS_UNIT + part * PROGRESS_UNIT // max(total, 1),
               self.steps * PROGRESS_UNIT, msg)


def _with_findings(analysis: Analysis) -> Analysis:
    """The analysis with its findings, recommendation and headline (from its numbers)."""
    from engine.study.findings import build_findings
    from engine.study.headline import build_headline, render_headline

    findings, recommendation = build_findings(analysis)
    parts = build_headline(analysis)
    return replace(analysis, findings=findings, recommendation=recommendation, headline_parts=parts,
                   headline=render_headline(parts, "en"))


def choose_correlation(ladder: Correlation, layers: Correlation | None) -> Correlation:
    """The alignment-vs-performance correlation the study reports and the recommendation reads:
    over the encoder ladder's model pairs when there are enough of them, else over the layer
    pairs of the default model pair (embedded with --layers), whose ``over`` says so."""
    if ladder.meaningful or layers is None:
        return ladder
    return layers


def suspect_list(scores: PairScores | None, ids: Sequence[str], overlap: NDArray[np.float64], limit: int
                 ) -> tuple[tuple[Suspect, ...], PairCheck | None]:
    """The suspects and how far to trust them: from the per-pair scorer (nothing listed when it
    finds no signal), else — too few pairs to cross-fit — lowest neighbour overlap first."""
    from engine.pairs import rank_order
    from engine.pairs.score import THRESHOLD_AUC

    if scores is not None:
        st = scores.self_test
        check = PairCheck(method=scores.method, signals=scores.signals,
                          self_test=SelfTest(auc=st.auc, recall_at_2p=st.recall_at_2p, planted=st.planted),
                          no_signal=scores.no_signal, fdr=scores.fdr_level, n_flagged=scores.flagged,
                          threshold_auc=THRESHOLD_AUC)
        entries = scores.suspect_entries(limit)
        rows = scores.arrays.order[:len(entries)].tolist()  # the entries' store rows, in their order
        return tuple(Suspect(id=e["id"], rank=e["rank"], score=e["score"], q_value=e["q_value"],
                             reasons=tuple(scores.reason_messages(int(i))))
                     for e, i in zip(entries, rows, strict=True)), check
    if len(ids) != overlap.shape[0]:
        raise StoreError(f"per-sample scores ({overlap.shape[0]}) do not match the samples ({len(ids)})")
    order = rank_order(1.0 - overlap, list(ids))[:limit]
    return tuple(Suspect(id=ids[j], rank=r, score=float(1.0 - overlap[j]), q_value=None,
                         reasons=(msg("pr_overlap", share=float(overlap[j])),))
                 for r, j in enumerate(order.tolist(), start=1)), None


def attach_per_sample(analysis: Analysis, store_path: str | Path) -> Analysis:
    """A study result read from JSON (no per-sample arrays) completed from the store it describes:
    from the store's cache of the same study when there is one, else the neighbour overlap is
    recomputed (the per-pair suspect scores then stay absent)."""
    from engine.store import Store
    from engine.study.stages import neighbour_stage

    pair = analysis.models.default
    with Store.open(store_path, mode="r") as st:
        ids = tuple(st.sample_ids())
        if len(ids) != analysis.n:
            raise InputError(f"the study result describes {analysis.n} samples, {store_path} has "
                             f"{len(ids)}: run the study on this store again")
        try:
            inputs = study_inputs(st, analysis.label.column, analysis.seed, analysis.options,
                                  pair.image, pair.text)
            cached = _from_cache(st, inputs)
        except InputError:
            cached = None
        if cached is not None and cached.pairs == analysis.pairs:
            return replace(analysis, per_sample=cached.per_sample, pair_scores=cached.pair_scores)
        for mid in (pair.image, pair.text):
            if not st.is_complete(mid):
                raise InputError(f"{store_path}: model '{mid}' of the study result has no complete "
                                 "embeddings in this store")
        a = np.asarray(st.embeddings(pair.image), dtype=np.float32)
        b = np.asarray(st.embeddings(pair.text), dtype=np.float32)
    _, overlap = neighbour_stage(a, b, analysis.per_sample.k)
    return replace(analysis, per_sample=PerSample(k=analysis.per_sample.k, ids=ids, overlap=overlap))
