"""The layer-wise study: max alignment over layer pairs, layer probes, and the correlation the
study reports when the ladder alone has too few points."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import have_default_models

from engine.study.analyze import AnalyzeOptions, analyze_store, choose_correlation
from engine.study.layers_stage import layer_study
from engine.study.result import Correlation, ModelChoice, ModelPair, read_analysis

FAST = AnalyzeOptions(bootstrap=10, permutations=10, linear_bootstrap=3, linear_permutations=3,
                      pid_bootstrap=10, contrastive=False)


def _planted_layers(n: int = 300, seed: int = 0) -> tuple[dict, dict, np.ndarray]:
    """Image layer 'deep' and text layer 'mid' share the class structure; the others are noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    z = rng.normal(size=(3, 8))[y] + 0.3 * rng.normal(size=(n, 8))
    image = {"shallow": rng.normal(size=(n, 16)), "deep": z @ rng.normal(size=(8, 32))}
    text = {"low": rng.normal(size=(n, 12)), "mid": z @ rng.normal(size=(8, 24)), "top": rng.normal(size=(n, 12))}
    return image, text, y


def test_layer_study_finds_the_planted_pair_and_probes_each_layer() -> None:
    image, text, y = _planted_layers()
    models = ModelChoice(image=("img",), text=("txt",), default=ModelPair("img", "txt"), reason="test")
    notes: list[str] = []
    study = layer_study({"img": image, "txt": text}, models, np.arange(y.size), y.astype(str),
                        k=10, folds=3, seed=0, notes=notes)
    la = study.alignments["img|txt"]
    assert la.argmax == ("deep", "mid") and la.image_layers == ["shallow", "deep"]
    assert np.asarray(la.matrix).shape == (2, 3) and la.max > 0.2
    assert la.matrix[0][0] < 0.1  # noise against noise: near chance (10/299)
    acc = study.accuracy
    assert acc["img"]["deep"] > 0.9 and acc["img"]["shallow"] < 0.6
    corr = study.correlations["img|txt"]
    assert corr.over == "layer pairs" and corr.n_points == 6 and corr.spearman is not None and corr.spearman > 0


def test_the_reported_correlation_falls_back_to_layer_pairs_only_when_the_ladder_is_too_short() -> None:
    ladder = Correlation("mutual_knn", "model pairs", 4, 0.4, (-1.0, 1.0), 0.3, (-1.0, 1.0), False, "only 4")
    layers = Correlation("mutual_knn", "layer pairs", 32, 0.6, (0.3, 0.8), 0.5, (0.2, 0.7), True, "32 layer pairs")
    assert choose_correlation(ladder, layers) is layers
    assert choose_correlation(ladder, None) is ladder
    long_ladder = Correlation("mutual_knn", "model pairs", 6, 0.7, (0.1, 0.9), 0.6, (0.1, 0.9), True, "6")
    assert choose_correlation(long_ladder, layers) is long_ladder


@pytest.mark.skipif(not have_default_models(), reason="exported models missing (make models)")
def test_analyze_on_a_store_embedded_with_layers(tmp_path: Path) -> None:
    from engine.demo import build_demo
    from engine.embed import run_embed

    build_demo(tmp_path / "ds", n=80, seed=3)
    store = tmp_path / "p.h5"
    run_embed(tmp_path / "ds", store, ["efficientnet-lite0"], ["paraphrase-minilm-l3"], layers=True)
    a = analyze_store(store, "defect_class", options=FAST)
    la = a.layerwise["efficientnet-lite0|paraphrase-minilm-l3"]
    assert la.image_layers[-1] == "head" and la.text_layers[-1] == "layer3"
    assert np.asarray(la.matrix).shape == (len(la.image_layers), len(la.text_layers))
    # the last layers are the embeddings: their entry is the pair's mutual kNN
    pair = a.default_pair()
    assert pair is not None
    assert la.matrix[-1][-1] == pytest.approx(pair.metrics["mutual_knn"], abs=1e-12)
    assert la.max >= la.matrix[-1][-1]
    # one model pair only: the reported correlation is over the default pair's layer pairs
    assert a.correlation.over == "layer pairs" and a.correlation.n_points == len(la.image_layers) * len(la.text_layers)
    assert a.correlation.meaningful
    again = read_analysis(json.loads(json.dumps(a.to_json())))
    assert again.layerwise == a.layerwise
    assert a.to_json()["layerwise"]["efficientnet-lite0|paraphrase-minilm-l3"]["argmax"] == list(la.argmax)

