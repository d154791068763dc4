"""Each exported default model equals its torch model on real inputs (through the app's runtime)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from engine.encoders import get_spec, load_encoder
from engine.encoders.images import preprocess_image
from models_onnx.export import exported_dir, is_current, read_manifest
from models_onnx.ladder import DEFAULT_LADDER, LADDER, MULTILINGUAL_MODELS, PARITY_SENTENCES
from models_onnx.parity import sample_image_paths

MAX_ABS_DIFF = 1e-4
MIN_COSINE = 0.9999


def _compare(got: np.ndarray, ref: np.ndarray) -> tuple[float, float]:
    a = got.astype(np.float64)
    b = ref.astype(np.float64)
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return float(np.max(np.abs(a - b))), float(np.min(cos))


def test_default_ladder_is_exported_and_current():
    folder = exported_dir()
    manifest = read_manifest(folder)
    for model_id in DEFAULT_LADDER:
        assert is_current(folder, manifest, model_id), f"{model_id}: run `make models`"
        card = manifest["models"][model_id]
        for key in ("id", "modality", "source", "licence", "params", "dim", "preprocessing", "sha256", "parity"):
            assert key in card, (model_id, key)
        # torch-exported rungs: 1e-4 against torch; the multilingual rungs state their own
        # tolerance against their package's engine (tests/test_multilingual_export.py)
        tolerance = card["parity"].get("tolerance", {"max_abs_diff": MAX_ABS_DIFF, "min_cosine": MIN_COSINE})
        assert tolerance["max_abs_diff"] <= 1e-2 and tolerance["min_cosine"] >= 0.999, (model_id, tolerance)
        assert card["parity"]["max_abs_diff"] <= tolerance["max_abs_diff"]
        assert card["parity"]["min_cosine"] >= tolerance["min_cosine"]
        if card["modality"] == "text":
            assert card["languages"], (model_id, "text cards state their languages")


@pytest.mark.slow
@pytest.mark.parametrize("model_id", [m for m in DEFAULT_LADDER if LADDER[m]["modality"] == "image"])
def test_image_export_matches_torch(model_id):
    torch = pytest.importorskip("torch")
    from models_onnx.export_image import build_torch_model

    paths = sample_image_paths(limit_textile=2)[:4]  # textile JPEGs + sklearn's photographs
    spec = get_spec(model_id)
    got = load_encoder(model_id, device="cpu", threads=2).encode(paths, batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_torch_model(LADDER[model_id])
    batch = np.stack([preprocess_image(p, {**spec.preprocessing}) for p in paths])
    with torch.no_grad():
        ref = model(torch.from_numpy(batch)).numpy()
    diff, cos = _compare(got, ref)
    assert diff <= MAX_ABS_DIFF and cos >= MIN_COSINE, (diff, cos)


@pytest.mark.slow
@pytest.mark.parametrize("model_id", [m for m in DEFAULT_LADDER if LADDER[m]["modality"] == "text"
                                      and m not in MULTILINGUAL_MODELS])
def test_text_export_matches_torch(model_id, tmp_path):
    torch = pytest.importorskip("torch")
    from models_onnx.export_text import build_torch_model, tokenize

    sentences = list(PARITY_SENTENCES[:4])
    spec = get_spec(model_id)
    got = load_encoder(model_id, device="cpu", threads=2).encode(sentences, batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, tokenizer_json = build_torch_model(model_id, tmp_path)
    feeds = tokenize(tokenizer_json, sentences, int(spec.max_tokens or 128))
    with torch.no_grad():
        ref = model(torch.from_numpy(feeds["input_ids"]), torch.from_numpy(feeds["attention_mask"])).numpy()
    diff, cos = _compare(got, ref)
    assert diff <= MAX_ABS_DIFF and cos >= MIN_COSINE, (diff, cos)
