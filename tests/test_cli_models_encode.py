"""`alignscope models`, `models add` and `encode`, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from app.main import main
from engine.encoders import get_spec, list_models, load_encoder

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _user_models(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNSCOPE_USER_MODELS", str(tmp_path / "user-models"))


def _image_onnx(path: Path, channels: int = 3, size: int = 32) -> Path:
    """Tiny image model: [b, 3, s, s] → per-channel mean then a fixed 3x5 linear map → [b, 5]."""
    w = numpy_helper.from_array(np.arange(channels * 5, dtype=np.float32).reshape(channels, 5) / 10, "w")
    graph = helper.make_graph(
        [helper.make_node("GlobalAveragePool", ["input"], ["pooled"]),
         helper.make_node("Flatten", ["pooled"], ["flat"]),
         helper.make_node("MatMul", ["flat", "w"], ["out"])],
        "tiny_image",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", channels, size, size])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 5])],
        [w],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), path)
    return path


def _text_onnx(path: Path, vocab: int = 30522, dim: int = 8) -> Path:
    """Tiny text model: token embedding lookup → token outputs [b, t, dim] (pooled by the app)."""
    table = numpy_helper.from_array(
        np.random.default_rng(0).standard_normal((vocab, dim)).astype(np.float32), "table")
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["tokens"]),
         helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
         helper.make_node("Unsqueeze", ["mask_f", "axes"], ["mask3"]),
         helper.make_node("Mul", ["tokens", "mask3"], ["hidden"])],
        "tiny_text",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "seq", dim])],
        [table, numpy_helper.from_array(np.array([2], dtype=np.int64), "axes")],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), path)
    return path


def test_models_json_lists_the_ladder(capsys):
    assert main(["models", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in rows}
    for key in ("id", "modality", "dim", "params", "source", "sha256"):
        assert key in by_id["efficientnet-lite0"]
    assert by_id["efficientnet-lite0"]["modality"] == "image" and by_id["efficientnet-lite0"]["dim"] == 1280
    assert by_id["all-minilm-l6"]["modality"] == "text" and by_id["all-minilm-l6"]["dim"] == 384
    assert main(["models"]) == 0
    table = capsys.readouterr().out
    assert "efficientnet-lite2" in table and "paraphrase-minilm-l3" in table
    # layers for layer-wise alignment (`embed --layers`): names in depth order, and widths
    assert by_id["efficientnet-lite0"]["layers"] == [f"stage{i}" for i in range(1, 8)] + ["head"]
    assert by_id["efficientnet-lite0"]["layer_dims"] == [16, 24, 40, 80, 112, 192, 320, 1280]
    assert by_id["all-minilm-l6"]["layers"][0] == "embeddings" and len(by_id["all-minilm-l6"]["layers"]) == 7
    assert len(by_id["paraphrase-minilm-l3"]["layers"]) == 4


def _pixel_onnx(path: Path, size: int = 16) -> Path:
    """Tiny model taking raw uint8 pixels [b, s, s, 3] (normalises itself): mean RGB / 255."""
    graph = helper.make_graph(
        [helper.make_node("Cast", ["image"], ["f"], to=TensorProto.FLOAT),
         helper.make_node("ReduceMean", ["f"], ["m"], axes=[1, 2], keepdims=0),
         helper.make_node("Div", ["m", "scale"], ["out"])],
        "tiny_pixels",
        [helper.make_tensor_value_info("image", TensorProto.UINT8, ["batch", size, size, 3])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 3])],
        [numpy_helper.from_array(np.array(255.0, dtype=np.float32), "scale")],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), path)
    return path


def test_models_add_accepts_a_uint8_pixel_model(tmp_path):
    from PIL import Image

    model = _pixel_onnx(tmp_path / "pixels.onnx")
    assert main(["models", "add", str(model), "--modality", "image", "--id", "tiny-pix"]) == 0
    spec = get_spec("tiny-pix")
    assert spec.input_size == 16 and spec.preprocessing["layout"] == "NHWC"
    assert "mean" not in spec.preprocessing  # the model normalises its pixels itself
    img = tmp_path / "orange.png"
    Image.new("RGB", (40, 20), (255, 102, 0)).save(img)
    enc = load_encoder("tiny-pix", device="cpu", threads=1)
    assert enc.pixel_input
    np.testing.assert_allclose(enc.encode([img]), [[1.0, 0.4, 0.0]], rtol=1e-6)
    with pytest.raises(Exception, match="layer outputs"):
        enc.encode_layers([img])


def test_models_add_image_then_encode_with_it(tmp_path, capsys):
    model = _image_onnx(tmp_path / "tiny.onnx")
    card = tmp_path / "card.toml"
    card.write_text('source = "made in a test"\nlicence = "MIT"\nmean = [0.0, 0.0, 0.0]\nstd = [1.0, 1.0, 1.0]\n')
    assert main(["models", "add", str(model), "--modality", "image", "--id", "tiny-img", "--card", str(card)]) == 0
    spec = get_spec("tiny-img")
    assert spec.user and spec.dim == 5 and spec.input_size == 32 and spec.licence == "MIT"
    assert "tiny-img" in [s.id for s in list_models()]
    # a uniform grey image: pooled channel means are its pixel value → out = v * colsum(w)
    from PIL import Image

    img = tmp_path / "grey.png"
    Image.new("RGB", (40, 32), (50, 50, 50)).save(img)
    out = tmp_path / "e.npy"
    assert main(["encode", "--model", "tiny-img", "--images", str(img), "--out", str(out), "--device", "cpu"]) == 0
    emb = np.load(out)
    expected = 50.0 * (np.arange(15, dtype=np.float32).reshape(3, 5) / 10).sum(axis=0)
    np.testing.assert_allclose(emb[0], expected, rtol=1e-6)
    # a duplicate id is refused
    assert main(["models", "add", str(model), "--modality", "image", "--id", "tiny-img"]) == 2
    assert "already taken" in capsys.readouterr().err


def test_models_add_text_model_pools_token_outputs(tmp_path):
    model = _text_onnx(tmp_path / "tiny_text.onnx")
    tokenizer = get_spec("all-minilm-l6").tokenizer
    assert tokenizer is not None
    (tmp_path / "tokenizer.json").write_bytes(tokenizer.read_bytes())
    assert main(["models", "add", str(model), "--modality", "text", "--id", "tiny-txt"]) == 0
    enc = load_encoder("tiny-txt", device="cpu", threads=1)
    emb = enc.encode(["hello", "hello world"])
    assert emb.shape == (2, 8)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("case", ["garbage", "wrong-inputs", "channels", "no-tokenizer", "outside-data"])
def test_models_add_refuses_invalid_files(tmp_path, capsys, case):
    models = tmp_path / "models"
    models.mkdir()
    modality = "image"
    if case == "garbage":
        path = models / "garbage.onnx"
        path.write_bytes(b"\x00\x01 this is not a protobuf model at all" * 20)
        expected = "not a valid ONNX model"
    elif case == "wrong-inputs":
        path = _image_onnx(models / "img.onnx")
        modality = "text"
        expected = "input_ids"
    elif case == "channels":
        path = _image_onnx(models / "img4.onnx", channels=4)
        expected = "expected float32 \\[batch, 3, H, W\\]"
    elif case == "no-tokenizer":
        path = _text_onnx(models / "txt.onnx", vocab=100)
        modality = "text"
        expected = "tokenizer.json"
    else:
        path = _image_onnx(models / "ext.onnx")
        proto = onnx.load(str(path))
        weights = proto.graph.initializer[0]
        (tmp_path / "outside.bin").write_bytes(weights.raw_data or np.zeros(15, np.float32).tobytes())
        weights.ClearField("float_data")
        weights.ClearField("raw_data")
        weights.data_location = TensorProto.EXTERNAL
        weights.external_data.add(key="location", value="../outside.bin")
        onnx.save(proto, str(path))
        expected = "outside the model's folder"
    rc = main(["models", "add", str(path), "--modality", modality, "--id", f"bad-{case}"])
    err = capsys.readouterr().err
    assert rc == 2
    assert len(err.strip().splitlines()) == 1
    import re

    assert re.search(expected, err), err
    assert f"bad-{case}" not in [s.id for s in list_models()]


def test_encode_texts_round_trip(tmp_path, capsys):
    texts = tmp_path / "reports.txt"
    lines = ["Scratch on the left edge.", "No defect found.", "word " * 200]
    texts.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "t.npy"
    assert main(["encode", "--model", "paraphrase-minilm-l3", "--texts", str(texts), "--out", str(out),
                 "--batch", "2", "--device", "cpu"]) == 0
    emb = np.load(out)
    assert emb.dtype == np.float32 and emb.shape == (3, 384)
    direct = load_encoder("paraphrase-minilm-l3", device="cpu").encode(lines, batch_size=2)
    np.testing.assert_array_equal(emb, direct)
    assert "1 of 3 texts are longer than 128 tokens" in capsys.readouterr().err


def test_encode_images_folder_sorted_and_bad_image_leaves_no_file(tmp_path, capsys):
    import conformal_clip_data as ccd

    src = sorted(Path(ccd.local_dir()).glob("*.jpg"))[:3]
    folder = tmp_path / "imgs"
    folder.mkdir()
    for i, p in enumerate(reversed(src)):
        (folder / f"part_{i:03d}.jpg").write_bytes(p.read_bytes())
    out = tmp_path / "i.npy"
    assert main(["encode", "--model", "efficientnet-lite0", "--images", str(folder), "--out", str(out),
                 "--device", "cpu", "--batch", "2"]) == 0
    emb = np.load(out)
    assert emb.shape == (3, 1280) and emb.dtype == np.float32
    direct = load_encoder("efficientnet-lite0", device="cpu").encode(list(reversed(src)), batch_size=2)
    np.testing.assert_array_equal(emb, direct)
    (folder / "part_001b.jpg").write_bytes(b"")
    out2 = tmp_path / "j.npy"
    assert main(["encode", "--model", "efficientnet-lite0", "--images", str(folder), "--out", str(out2)]) == 2
    assert "part_001b.jpg" in capsys.readouterr().err
    assert not out2.exists() and not list(tmp_path.glob(".j.npy*"))
    assert main(["encode", "--model", "all-minilm-l6", "--images", str(folder), "--out", str(out2)]) == 2
    assert "text model" in capsys.readouterr().err


def test_encode_subprocess_never_touches_the_network(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(textwrap.dedent(f"""
        import socket
        open({str(tmp_path / 'guard_loaded')!r}, "w").close()
        _real = socket.socket.connect
        def _connect(self, address):
            if isinstance(address, tuple) and not str(address[0]).startswith(("127.", "::1", "localhost")):
                with open({str(tmp_path / 'network_attempts')!r}, "a") as f:
                    f.write(repr(address) + "\\n")
                raise OSError("network disabled by the test")
            return _real(self, address)
        socket.socket.connect = _connect
        socket.socket.connect_ex = lambda self, a: _connect(self, a) or 0
    """))
    texts = tmp_path / "t.txt"
    texts.write_text("Stain near the centre.\nAll good.\n", encoding="utf-8")
    out = tmp_path / "o.npy"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard), str(REPO)]),
           "HF_HUB_OFFLINE": "0", "NO_PROXY": ""}
    argv = ["encode", "--model", "all-minilm-l6", "--texts", str(texts), "--out", str(out), "--device", "auto"]
    code = (f"import sys; from app.main import main; rc = main({argv!r}); "
            "print([m for m in ('torch', 'transformers', 'PySide6', 'pyqtgraph') if m in sys.modules]); "
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "guard_loaded").exists()
    assert not (tmp_path / "network_attempts").exists()
    assert np.load(out).shape == (2, 384)
    assert proc.stdout.strip().splitlines()[-1] == "[]"  # the running app never loads torch or Qt


def test_models_add_copies_external_data_kept_beside_the_model(tmp_path):
    folder = tmp_path / "ext"
    folder.mkdir()
    path = _image_onnx(folder / "tiny_ext.onnx")
    proto = onnx.load(str(path))
    onnx.save(proto, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
              location="tiny_ext.weights", size_threshold=0)
    assert (folder / "tiny_ext.weights").is_file()
    assert main(["models", "add", str(path), "--modality", "image", "--id", "tiny-ext"]) == 0
    spec = get_spec("tiny-ext")
    assert (spec.path.parent / "tiny_ext.weights").is_file()
    (folder / "tiny_ext.weights").unlink()  # the registered copy must not depend on the original
    emb = load_encoder("tiny-ext", device="cpu", threads=1).encode([], batch_size=2)
    assert emb.shape == (0, 5)
    from PIL import Image

    img = tmp_path / "white.png"
    Image.new("RGB", (32, 32), (255, 255, 255)).save(img)
    out = load_encoder("tiny-ext", device="cpu", threads=1).encode([img])
    # default preprocessing (x - 127) / 128 → 1.0 per channel → column sums of w
    np.testing.assert_allclose(out[0], (np.arange(15, dtype=np.float32).reshape(3, 5) / 10).sum(axis=0), rtol=1e-6)
