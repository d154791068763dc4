"""Parameters of the study (every field is part of the result cache key)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnalyzeOptions:
    """What ``alignscope analyze`` computes and with how many resamples."""

    k: int = 10
    bootstrap: int = 100        # kNN metric intervals, default pair
    permutations: int = 100     # shuffled-pairs null of the kNN metrics, default pair
    linear_bootstrap: int = 20  # unbiased linear CKA interval (each resample ~0.2-0.4 s at n=2000)
    linear_permutations: int = 20
    pid_bootstrap: int = 100    # resamples for the PID intervals (coverage measured with 100)
    pid_discretize: str = "probe"  # "probe" (label-preserving) or "kmeans" (the reference's)
    probe_folds: int = 5
    retrieval: bool = True
    contrastive: bool = True
    n_suspects: int = 50        # pairs listed as suspects
