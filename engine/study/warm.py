"""Import what the study needs before it runs in a worker thread.

Importing a module holds the GIL: unmarshalling its byte code and initialising an extension
module are single calls (measured on the study's first run in a GUI session: GUI-thread stalls
of 0.1-0.3 s each while scikit-learn, SciPy and torch loaded in the worker). A GUI imports
them once, at start-up or before its first study, on its own thread — then the worker's
imports are dictionary look-ups. The CLI does not need this.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

log = logging.getLogger(__name__)

# third-party modules the study's stages import lazily, then the stages themselves
STUDY_MODULES = (
    "scipy.optimize", "scipy.sparse", "scipy.stats", "threadpoolctl", "clarabel",
    "sklearn.linear_model", "sklearn.model_selection", "sklearn.pipeline", "sklearn.preprocessing",
    "sklearn.metrics.pairwise", "sklearn.cluster",
    "engine.metrics", "engine.metrics.uncertainty", "engine.pairs", "engine.pairs.score",
    "engine.study.analyze", "engine.study.stages", "engine.study.probes", "engine.study.interactions",
    "engine.study.heterogeneity", "engine.study.retrieval", "engine.study.findings",
    "engine.study.headline", "engine.study.ladder", "engine.study.reduce",
)
OPTIONAL = ("torch", "torch.optim", "torch._dynamo")  # the contrastive head (first optimiser step imports dynamo); never in the bundle


def warm_imports(optional: bool = True) -> list[str]:
    """Import the study's modules now (on the calling thread); the names imported. ``optional``
    also imports torch when it is installed (never in the bundle)."""
    done = []
    for name in (*STUDY_MODULES, *(OPTIONAL if optional else ())):
        if name in OPTIONAL and importlib.util.find_spec("torch") is None:
            continue
        try:
            importlib.import_module(name)
        except ImportError as exc:  # a missing optional extra: the study says so when it runs
            log.info("not preloaded: %s (%s)", name, exc)
            continue
        done.append(name)
    return done
