"""Layer-wise alignment: known answers, a planted best pair, and equality with compute_metrics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy.stats import pearsonr, spearmanr

import engine.metrics.layerwise as lw
from engine.errors import InputError
from engine.metrics import compute_metrics
from engine.metrics.layerwise import LayerwiseAlignment, layerwise_alignment, layerwise_alignments
from engine.study.ladder import CONVENTIONS, layerwise_performance_correlation


def _planted(n: int = 400, seed: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """Image layers of growing width around a shared latent; text layer 't2' copies image 'i3'."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 6))
    image = {}
    for i, d in enumerate((8, 16, 24, 40)):
        mix = 3.0 if i != 3 else 0.0  # i3 is the latent itself, rotated; the others are noisy
        image[f"i{i}"] = z @ rng.normal(size=(6, d)) + mix * rng.normal(size=(n, d))
    q, _ = np.linalg.qr(rng.normal(size=(40, 40)))
    text = {"t0": rng.normal(size=(n, 12)), "t1": z @ rng.normal(size=(6, 12)) + 3.0 * rng.normal(size=(n, 12)),
            "t2": image["i3"] @ q, "t3": rng.normal(size=(n, 12))}
    return image, text


def test_identical_layers_score_one_on_the_diagonal() -> None:
    rng = np.random.default_rng(1)
    layers = {f"l{i}": rng.normal(size=(300, 10 + i)) for i in range(4)}
    res = layerwise_alignment(layers, layers, k=10)
    mat = np.asarray(res.matrix)
    assert np.diag(mat) == pytest.approx(np.ones(4), abs=1e-12)
    assert (mat[~np.eye(4, dtype=bool)] < 0.5).all()  # independent random layers: near chance
    assert res.max == 1.0 and res.argmax == ("l0", "l0")
    assert (res.n, res.k, res.metric) == (300, 10, "mutual_knn")


def test_planted_best_pair_is_found() -> None:
    image, text = _planted()
    res = layerwise_alignment(image, text, k=10)
    assert res.argmax == ("i3", "t2")
    assert res.max == pytest.approx(1.0, abs=1e-9)  # a rotation keeps every neighbourhood
    assert res.image_layers == ["i0", "i1", "i2", "i3"] and res.text_layers == ["t0", "t1", "t2", "t3"]


@pytest.mark.parametrize("dense", [True, False])
def test_every_pair_equals_compute_metrics(dense: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not dense:  # force the pair-by-pair path of mutual kNN
        monkeypatch.setattr(lw, "DENSE_ADJACENCY_MAX", 0)
    image, text = _planted(n=250, seed=3)
    metrics = ("mutual_knn", "cycle_knn", "lcs_knn", "cknna")
    res = layerwise_alignments(image, text, metrics=metrics, k=7)
    for m in metrics:
        for i, a in enumerate(image.values()):
            for j, b in enumerate(text.values()):
                expected = compute_metrics(a, b, k=7, metrics=[m])[m]
                assert res[m].matrix[i][j] == pytest.approx(expected, abs=1e-12), (m, i, j)


def test_each_layer_graph_is_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = lw.knn_graph

    def counting(x: Any, k: int, **kw: Any) -> Any:
        calls.append(x.shape[1])
        return real(x, k, **kw)

    monkeypatch.setattr(lw, "knn_graph", counting)
    image, text = _planted(n=200)
    layerwise_alignments(image, text, metrics=("mutual_knn", "cycle_knn"), k=5)
    assert len(calls) == len(image) + len(text)  # 8 graphs for 16 pairs and two metrics


def test_json_round_trip_and_shape() -> None:
    image, text = _planted(n=150)
    res = layerwise_alignment(image, text, k=5)
    obj = res.to_json()
    assert set(obj) >= {"max", "argmax", "matrix", "image_layers", "text_layers"}
    assert len(obj["matrix"]) == 4 and all(len(r) == 4 for r in obj["matrix"])
    assert LayerwiseAlignment.from_json(obj) == res


def test_bad_input_is_named() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InputError, match="layer 'b' has 90 rows"):
        layerwise_alignment({"a": rng.normal(size=(100, 4)), "b": rng.normal(size=(90, 4))},
                            {"t": rng.normal(size=(100, 4))})
    with pytest.raises(InputError, match="rows must be paired"):
        layerwise_alignment({"a": rng.normal(size=(100, 4))}, {"t": rng.normal(size=(80, 4))})
    with pytest.raises(InputError, match="unknown layer-wise metric"):
        layerwise_alignments({"a": rng.normal(size=(50, 4))}, {"t": rng.normal(size=(50, 4))},
                             metrics=("svcca",))
    with pytest.raises(InputError, match="no layers"):
        layerwise_alignment({}, {"t": rng.normal(size=(50, 4))})


def _alignment(matrix: list[list[float]]) -> LayerwiseAlignment:
    rows, cols = len(matrix), len(matrix[0])
    return LayerwiseAlignment(metric="mutual_knn", k=10, n=100,
                              image_layers=[f"i{i}" for i in range(rows)],
                              text_layers=[f"t{j}" for j in range(cols)], matrix=matrix,
                              max=max(max(r) for r in matrix), argmax=("i0", "t0"))


def test_layer_correlation_conventions() -> None:
    rng = np.random.default_rng(4)
    mat = rng.uniform(0.05, 0.2, size=(6, 5))
    res = _alignment(mat.tolist())
    img_acc = {f"i{i}": 0.5 + 0.05 * i for i in range(6)}
    txt_acc = {f"t{j}": 0.6 + 0.03 * j for j in range(5)}
    every = layerwise_performance_correlation(res, img_acc, txt_acc, points="all_pairs", n_boot=200)
    x = mat.ravel()
    y = [0.5 * (img_acc[f"i{i}"] + txt_acc[f"t{j}"]) for i in range(6) for j in range(5)]
    assert every.n_points == 30 and every.over == "layer pairs"
    assert every.spearman == pytest.approx(spearmanr(x, y)[0])
    assert every.pearson == pytest.approx(pearsonr(x, y)[0])
    # text held fixed: each image layer's best text match against that layer's accuracy
    planted = mat.copy()
    planted[:, 2] = np.linspace(0.3, 0.8, 6)  # best match rises with the image layer's accuracy
    vary = layerwise_performance_correlation(_alignment(planted.tolist()), img_acc, txt_acc,
                                             points="vary_image", n_boot=200)
    assert vary.n_points == 6 and vary.spearman == pytest.approx(1.0)
    assert vary.over == "image layers (text model held fixed)"
    assert "held fixed" in CONVENTIONS["vary_image"] and "Pearson" in CONVENTIONS["vary_image"]
    short = layerwise_performance_correlation(_alignment(mat[:4, :2].tolist()), img_acc, txt_acc,
                                              points="vary_text", n_boot=200)
    assert short.meaningful is False and "only 2 layers" in short.reason.text
    with pytest.raises(InputError, match="no probe accuracy for image layer"):
        layerwise_performance_correlation(res, {"i0": 0.5}, txt_acc)
