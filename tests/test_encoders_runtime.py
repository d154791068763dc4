"""The encoding runtime on the real exported models: providers, checksums, order, determinism."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.encoders import get_spec, list_models, load_encoder
from engine.errors import InputError, ModelError

SENTENCES = [
    "A dog runs in the park.",
    "A puppy is running through a park.",
    "The stock market fell sharply today.",
    "Shares dropped steeply on the exchange this afternoon.",
]


@pytest.fixture(scope="module")
def textile_paths() -> list[Path]:
    import conformal_clip_data as ccd

    paths: list[Path] = []
    for folder in (ccd.nominal_dir(), ccd.local_dir(), ccd.global_dir()):
        paths.extend(sorted(Path(folder).glob("*.jpg"))[:3])
    return paths


@pytest.fixture(scope="module")
def lite0():
    return load_encoder("efficientnet-lite0", device="cpu", threads=2)


def test_default_ladder_is_listed_in_order():
    specs = list_models()
    ids = [s.id for s in specs]
    for model_id in ("efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2",
                     "paraphrase-minilm-l3", "all-minilm-l6"):
        assert model_id in ids
    images = [s for s in specs if s.modality == "image" and not s.user]
    assert [s.id for s in images][:3] == ["efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2"]
    assert [s.rung for s in images][:3] == [0, 1, 2]
    assert get_spec("efficientnet-lite1").input_size == 240
    assert get_spec("all-minilm-l6").max_tokens == 256
    assert get_spec("paraphrase-minilm-l3").dim == 384


def test_unknown_model_lists_known_ids():
    with pytest.raises(ModelError, match="efficientnet-lite0"):
        get_spec("resnet-9000")


def test_cpu_provider_is_reported(lite0):
    assert lite0.provider == "CPUExecutionProvider"
    assert lite0.provider == lite0.session.get_providers()[0]


def test_auto_reports_the_provider_really_used():
    enc = load_encoder("paraphrase-minilm-l3", device="auto", threads=1)
    assert enc.provider == enc.session.get_providers()[0]
    assert enc.provider in {"CUDAExecutionProvider", "CPUExecutionProvider"}
    if enc.provider == "CPUExecutionProvider":  # no working CUDA here: cuda must be refused clearly
        with pytest.raises(ModelError, match="CUDA"):
            load_encoder("paraphrase-minilm-l3", device="cuda", threads=1)
    with pytest.raises(ModelError, match="unknown device"):
        load_encoder("paraphrase-minilm-l3", device="tpu")


def test_sha256_mismatch_is_refused(tmp_path, monkeypatch):
    spec = get_spec("efficientnet-lite0")
    manifest = json.loads((spec.path.parent / "manifest.json").read_text())
    manifest["models"] = {"efficientnet-lite0": manifest["models"]["efficientnet-lite0"]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    copy = tmp_path / spec.path.name
    shutil.copyfile(spec.path, copy)
    monkeypatch.setenv("ALIGNSCOPE_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("ALIGNSCOPE_USER_MODELS", str(tmp_path / "user"))
    load_encoder("efficientnet-lite0", device="cpu", threads=1)  # intact copy loads
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        load_encoder("efficientnet-lite0", device="cpu", threads=1)


def test_images_are_float32_in_input_order_and_deterministic(lite0, textile_paths):
    a = lite0.encode(textile_paths, batch_size=4)
    b = lite0.encode(textile_paths, batch_size=4)
    assert a.dtype == np.float32 and a.shape == (len(textile_paths), 1280)
    assert np.array_equal(a, b)  # bitwise, run to run
    single = lite0.encode(textile_paths, batch_size=1)
    backwards = lite0.encode(textile_paths[::-1], batch_size=1)
    assert np.array_equal(single[::-1], backwards)  # row i belongs to item i
    np.testing.assert_allclose(a, single, atol=1e-4)  # batching does not change results
    starts = [s for s, _ in lite0.iter_embeddings(textile_paths, batch_size=4)]
    assert starts == [0, 4, 8]


def test_rgba_opaque_copy_embeds_like_the_original(lite0, textile_paths, tmp_path):
    src = textile_paths[0]
    with Image.open(src) as im:
        rgb = im.convert("RGB")
    png = tmp_path / "same.png"
    rgb.save(png)
    rgba = tmp_path / "same_rgba.png"
    rgb.convert("RGBA").save(rgba)
    out = lite0.encode([png, rgba], batch_size=1)
    assert np.array_equal(out[0], out[1])


def test_bad_image_in_a_batch_names_its_path(lite0, textile_paths, tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(textile_paths[0].read_bytes()[:300])
    with pytest.raises(InputError, match=r"broken\.jpg"):
        lite0.encode([*textile_paths[:5], bad, *textile_paths[5:]], batch_size=4)


@pytest.mark.parametrize("model_id", ["paraphrase-minilm-l3", "all-minilm-l6"])
def test_text_models_rank_paraphrases_above_unrelated(model_id):
    enc = load_encoder(model_id, device="cpu", threads=2)
    emb = enc.encode(SENTENCES, batch_size=3)
    assert emb.shape == (4, 384) and emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    sim = emb @ emb.T
    unrelated = max(sim[0, 2], sim[0, 3], sim[1, 2], sim[1, 3])
    assert min(sim[0, 1], sim[2, 3]) > unrelated + 0.2  # paraphrases clearly closer
    assert unrelated < 0.3
    assert np.array_equal(emb, enc.encode(SENTENCES, batch_size=3))


def test_truncation_is_counted_not_silent():
    enc = load_encoder("paraphrase-minilm-l3", device="cpu", threads=1)
    long_text = " ".join(["scratch"] * 400)
    lengths = enc.token_lengths(["pass", long_text])
    assert lengths[0] == 3  # [CLS] pass [SEP]
    assert lengths[1] == 402 > enc.spec.max_tokens  # not capped at the shipped 128 either
    emb = enc.encode(["pass", long_text, "ok"], batch_size=2)
    assert enc.truncated_count == 1
    assert np.all(np.isfinite(emb))
    enc.encode(["pass"])
    assert enc.truncated_count == 0


def test_all_minilm_reads_beyond_the_shipped_128_tokens():
    enc = load_encoder("all-minilm-l6", device="cpu", threads=1)
    words = ("fabric " * 150).strip()
    a = enc.encode([words + " tear", words + " stain"], batch_size=2)
    # 150 + 1 tokens + specials < 256: the last word must still matter
    assert enc.truncated_count == 0
    assert float(a[0] @ a[1]) < 0.99999


def test_lite0_layers_come_from_the_same_pass_and_end_with_the_embedding(lite0, textile_paths):
    layers = lite0.encode_layers(textile_paths, batch_size=4)
    spec = lite0.spec
    assert list(layers) == spec.layer_names  # depth order
    assert [a.shape for a in layers.values()] == [(len(textile_paths), x.dim) for x in spec.layers]
    assert all(a.dtype == np.float32 and np.all(np.isfinite(a)) for a in layers.values())
    # the last layer is the embedding, bitwise, as `encode` gives it
    assert np.array_equal(layers["head"], lite0.encode(textile_paths, batch_size=4))
    # stage outputs are distinct representations: rows differ across images within a layer
    for name in spec.layer_names:
        assert np.ptp(layers[name], axis=0).max() > 1e-3, name
    # batches of layers match batches without (one forward pass, same composition)
    first = next(lite0.iter_batches(textile_paths, batch_size=4, layers=True))
    assert first.start == 0 and set(first.layers) == set(spec.layer_names)
    assert np.array_equal(first.vectors, first.layers["head"])


def test_text_layers_end_with_the_normalised_embedding():
    enc = load_encoder("all-minilm-l6", device="cpu", threads=1)
    layers = enc.encode_layers(SENTENCES, batch_size=3)
    assert list(layers) == ["embeddings"] + [f"layer{i}" for i in range(1, 7)]
    assert np.array_equal(layers["layer6"], enc.encode(SENTENCES, batch_size=3))
    norms = np.linalg.norm(layers["layer3"], axis=1)
    assert not np.allclose(norms, 1.0, atol=1e-3)  # inner layers are raw masked means
    # the embedding layer already puts paraphrases closer than unrelated sentences, less clearly
    e = layers["embeddings"] / np.linalg.norm(layers["embeddings"], axis=1, keepdims=True)
    assert float(e[0] @ e[1]) > float(e[0] @ e[2])


def test_prefetch_depth_follows_the_model_speed():
    from engine.encoders.pipeline import PREFETCH_MAX, PREFETCH_MIN, prefetch_depth

    mb = 32 * 224 * 224 * 3  # one uint8 lite0 batch of 32
    assert prefetch_depth(None, mb) == PREFETCH_MIN  # nothing measured yet
    assert prefetch_depth(0.15, mb) == 4  # a CPU: 0.15 s per batch → 0.5 s / 0.15 → 4
    assert prefetch_depth(0.005, mb) == PREFETCH_MAX  # a GPU eating a batch in 5 ms
    assert prefetch_depth(0.005, 256 * 260 * 260 * 3) == 10  # ... bounded by 512 MiB of buffers
    assert prefetch_depth(2.0, mb) == PREFETCH_MIN


def test_pipeline_records_its_prefetch_depth(lite0, textile_paths):
    lite0.encode(textile_paths, batch_size=2)
    assert len(lite0.prefetch) == 5 and lite0.prefetch[0] == 2
    assert all(2 <= d <= 32 for d in lite0.prefetch)


def test_one_decoding_worker_gives_the_same_bytes(textile_paths, lite0):
    one = load_encoder("efficientnet-lite0", device="cpu", threads=2, workers=1)
    assert one.workers == 1 and one.pixel_input
    assert np.array_equal(one.encode(textile_paths, batch_size=4), lite0.encode(textile_paths, batch_size=4))
