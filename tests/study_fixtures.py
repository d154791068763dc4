"""A typed study result with known numbers, for the view, figure and report tests."""

from __future__ import annotations

import numpy as np

from engine.dataset.label_choice import LabelCandidate, LabelChoice
from engine.study.discretize import DiscretizationInfo
from engine.study.interactions import Interactions
from engine.study.messages import msg
from engine.study.pid_bias import CellCounts
from engine.study.result import (
    AlignmentCurve,
    Analysis,
    Correlation,
    Heterogeneity,
    ModelChoice,
    ModelPair,
    NullResult,
    PairResult,
    PerSample,
    ProbeResult,
    Probes,
    Retrieval,
    RetrievalMethod,
)


def _probe(model: str, modality: str, acc: float) -> ProbeResult:
    return ProbeResult(model=model, modality=modality, accuracy=acc, accuracy_ci=(acc - 0.05, acc + 0.05),
                       macro_f1=acc - 0.02, macro_f1_ci=(acc - 0.07, acc + 0.03), info_bits=0.5, folds=5,
                       n=40, n_classes=2)


def sample_analysis(n: int = 40) -> Analysis:
    """Two image × two text models; default pair img-s × txt-s; mutual kNN 0.1 + 0.01a + 0.02b."""
    images, texts = ("img-s", "img-m"), ("txt-s", "txt-m")
    acc = {"img-s": 0.6, "img-m": 0.7, "txt-s": 0.6, "txt-m": 0.65}
    pairs = tuple(
        PairResult(image=i, text=t, k=10, n=n, metrics={"mutual_knn": 0.1 + 0.01 * a + 0.02 * b, "cka_linear": 0.3},
                   ci={"mutual_knn": (0.08, 0.12)} if (a, b) == (0, 0) else {},
                   null={"mutual_knn": NullResult(mean=0.05, p=0.01)} if (a, b) == (0, 0) else {},
                   chance_mutual_knn=10 / (n - 1), image_accuracy=acc[i], text_accuracy=acc[t], fused_accuracy=0.8)
        for a, i in enumerate(images) for b, t in enumerate(texts))
    ids = tuple(f"s{i:03d}" for i in range(n))
    overlap = np.linspace(0.0, 1.0, n)
    return Analysis(
        store="/nowhere/p.h5", n=n, seed=0,
        label=LabelChoice("cls", "automatic", "'cls' has a label-like name and 2 values",
                          (LabelCandidate("cls", 2, "named"),)),
        n_classes=2,
        models=ModelChoice(image=images, text=texts, default=ModelPair("img-s", "txt-s"),
                           reason=msg("models_reason", image="img-s", image_why_key="why_default", text="txt-s",
                                      text_why_key="why_default")),
        options={}, pairs=pairs,
        correlation=Correlation(metric="mutual_knn", over="model pairs", n_points=4, spearman=0.8,
                                spearman_ci=(-0.4, 1.0), pearson=0.7, pearson_ci=(-0.5, 1.0), meaningful=False,
                                reason=msg("corr_too_few", n=4, min_pairs=5, unit="model pair",
                                           units="model pairs")),
        per_sample=PerSample(k=10, ids=ids, overlap=overlap),
        probes=Probes(chance=0.5, label_entropy_bits=1.0,
                      unimodal=tuple(_probe(m, "image" if m in images else "text", v) for m, v in acc.items()),
                      fused=(_probe("img-s+txt-s", "fused", 0.8),)),
        pid=Interactions(redundancy=0.4, unique_image=0.3, unique_text=0.2, synergy=0.1, total_mi=1.0,
                         ci={"redundancy": (0.35, 0.45), "unique_image": (0.25, 0.35),
                             "unique_text": (0.15, 0.25), "synergy": (0.05, 0.15), "total_mi": (0.9, 1.1)},
                         plugin={}, clipped=(), bias_correction="jackknife", solver="CLARABEL",
                         cells=CellCounts(n_samples=n * 10, shape=(4, 4, 2), occupied=20, possible=32),
                         discretization=DiscretizationInfo(method="probe", n_clusters={"image": 4, "text": 4},
                                                           kept_bits={"image": 0.5, "text": 0.4},
                                                           probe_bits={"image": 0.55, "text": 0.45},
                                                           label_entropy_bits=1.0, n_classes=2),
                         bootstrap=100, jackknife_groups=20),
        heterogeneity=Heterogeneity(nonlinear_gap=0.12, linear_deficit=0.5, transfer=None),
        retrieval=Retrieval(n_train=30, n_test=10, chance={"1": 0.01, "5": 0.05, "10": 0.1},
                            methods={"linear_map": RetrievalMethod({"1": 0.2, "5": 0.4, "10": 0.5},
                                                                   {"1": 0.2, "5": 0.4, "10": 0.5}),
                                     "contrastive": RetrievalMethod({"1": 0.3, "5": 0.6, "10": 0.7},
                                                                    {"1": 0.3, "5": 0.6, "10": 0.7})},
                            best="contrastive", gain_over_linear_map={"linear_map": 0.0, "contrastive": 0.2}),
        alignment_curve=AlignmentCurve(k=(1, 2, 3, 4), mutual_knn=(0.1, 0.15, 0.2, 0.22),
                                       chance=(0.01, 0.02, 0.03, 0.04)),
    )
