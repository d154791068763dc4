"""Issue 18: the faster image path gives today's model inputs and embeddings on odd images.

The reference is the decoder and normaliser the app used before (decode to RGB, resize,
float32 CHW ``x*mul + add`` in numpy, fed to a float-input graph), restated below from the
previous engine/encoders/images.py. The new path decodes grey images as one channel, writes
uint8 pixels into the batch buffer, and leaves the normalisation to the exported graph.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from helpers import have_default_models
from PIL import Image, ImageOps

from engine.encoders import get_spec, load_encoder
from engine.encoders.images import decode_batch, load_rgb, normalise_batch
from models_onnx.parity import PARITY_MAX_ABS_DIFF, PARITY_MIN_COSINE

needs_models = pytest.mark.skipif(not have_default_models(), reason="exported models missing (make models)")
SIZES = (224, 240, 260)


def _old_pixels(path: Path, size: int) -> np.ndarray:
    """The previous decoder: everything to RGB first, then one resample of the centre square."""
    img = Image.open(path)
    if img.format == "JPEG" and min(img.size) >= 2 * size:
        scale = min(img.size) / size
        img.draft("RGB" if img.mode != "CMYK" else "CMYK",
                  (int(img.size[0] / scale) + 1, int(img.size[1] / scale) + 1))
    img.load()
    img = ImageOps.exif_transpose(img)
    mode = img.mode
    if mode in {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}:
        arr = np.asarray(img, dtype=np.float64)
        if mode == "F":
            arr = arr * 255.0 if float(np.nanmax(arr)) <= 1.0 else arr
        elif mode.startswith("I;16") or float(arr.max(initial=0.0)) > 255.0:
            arr = arr / 257.0
        img = Image.fromarray(np.clip(np.nan_to_num(arr), 0, 255).round().astype(np.uint8), "L")
        rgb = img.convert("RGB")
    elif mode in {"RGBA", "LA", "PA"} or (mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        rgb = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    else:
        rgb = img.convert("RGB")
    w, h = rgb.size
    side = min(w, h)
    box = ((w - side) / 2, (h - side) / 2, (w + side) / 2, (h + side) / 2)
    return np.asarray(rgb.resize((size, size), Image.Resampling.BILINEAR, box=box))


def _old_float(pixels: np.ndarray) -> np.ndarray:
    """The previous normalisation: (x - 127) / 128 as x*mul + add, float32 CHW, in numpy."""
    mul = np.float32(1.0) / np.float32(128.0)
    add = -np.float32(127.0) / np.float32(128.0)
    chw = np.ascontiguousarray(pixels.transpose(2, 0, 1))
    out = np.empty(chw.shape, np.float32)
    np.multiply(chw, mul, out=out, casting="unsafe")
    out += add
    return out


def _smooth(h: int, w: int, channels: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, h // 16), max(2, w // 16), channels), dtype=np.uint8)
    up = Image.fromarray(small.squeeze(-1) if channels == 1 else small)
    arr = np.asarray(up.resize((w, h), Image.Resampling.BICUBIC))
    return arr if channels > 1 else arr.reshape(h, w)


@pytest.fixture(scope="module")
def odd_images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Grey, CMYK, 16-bit, EXIF-rotated, palette (± transparency), alpha, grey+alpha, float."""
    d = tmp_path_factory.mktemp("odd")
    out: dict[str, Path] = {}
    Image.fromarray(_smooth(300, 410, 1, 1), "L").save(out.setdefault("grey", d / "grey.png"))
    Image.fromarray(_smooth(330, 260, 4, 2), "CMYK").save(out.setdefault("cmyk", d / "cmyk.jpg"), quality=92)
    sixteen = _smooth(250, 280, 1, 3).astype(np.uint16) * 257 + 100
    Image.fromarray(sixteen).save(out.setdefault("grey16", d / "grey16.png"))
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(_smooth(240, 320, 3, 4), "RGB").save(
        out.setdefault("exif_rotated", d / "rot.jpg"), quality=92, exif=exif.tobytes())
    rgb = Image.fromarray(_smooth(270, 300, 3, 5), "RGB")
    rgb.quantize(colors=64).save(out.setdefault("palette", d / "pal.png"))
    pal = rgb.quantize(colors=32)
    pal.info["transparency"] = 3
    pal.save(out.setdefault("palette_transparent", d / "pal_t.png"), transparency=3)
    rgba = np.dstack([_smooth(260, 250, 3, 6), _smooth(260, 250, 1, 7)])
    Image.fromarray(rgba, "RGBA").save(out.setdefault("alpha", d / "rgba.png"))
    la = np.dstack([_smooth(230, 250, 1, 8), _smooth(230, 250, 1, 9)])
    Image.fromarray(la, "LA").save(out.setdefault("grey_alpha", d / "la.png"))
    Image.fromarray(_smooth(240, 240, 1, 10).astype(np.float32) / 255.0, "F").save(
        out.setdefault("float", d / "f.tif"))
    Image.fromarray(_smooth(250, 250, 3, 11), "RGB").save(out.setdefault("rgb_jpeg", d / "rgb.jpg"), quality=90)
    return out


@pytest.mark.parametrize("size", SIZES)
def test_pixels_equal_the_previous_decoder_on_odd_images(odd_images: dict[str, Path], size: int) -> None:
    for name, path in odd_images.items():
        new = load_rgb(path, size)
        old = _old_pixels(path, size)
        assert new.shape == old.shape == (size, size, 3), name
        assert np.array_equal(new, old), f"{name}: {np.abs(new.astype(int) - old).max()} levels apart"


def test_float_entry_normalisation_equals_the_previous_one(odd_images: dict[str, Path]) -> None:
    pixels = decode_batch(list(odd_images.values()), {"size": 224})
    floats = normalise_batch(pixels, {"mean": [127.0] * 3, "std": [128.0] * 3, "scale": 1.0},
                             np.empty((len(pixels), 3, 224, 224), np.float32))
    old = np.stack([_old_float(_old_pixels(p, 224)) for p in odd_images.values()])
    assert floats.tobytes() == old.tobytes()


@needs_models
@pytest.mark.parametrize("model_id", ["efficientnet-lite0", "efficientnet-lite2"])
def test_graph_normalisation_equals_the_previous_float_input(odd_images: dict[str, Path], model_id: str,
                                                              tmp_path: Path) -> None:
    """The exported graph's own Transpose/Cast/Mul/Add gives the floats numpy used to feed it."""
    import onnx
    import onnxruntime as ort
    from onnx.utils import extract_model

    spec = get_spec(model_id)
    size = int(spec.input_size or 0)
    graph = onnx.load(str(spec.path), load_external_data=False).graph
    first_add = next(n for n in graph.node if n.op_type == "Add")
    assert [n.op_type for n in graph.node[:4]] == ["Transpose", "Cast", "Mul", "Add"]
    prefix = tmp_path / "prefix.onnx"
    extract_model(str(spec.path), str(prefix), [graph.input[0].name], [first_add.output[0]])
    sess = ort.InferenceSession(str(prefix), providers=["CPUExecutionProvider"])
    pixels = decode_batch(list(odd_images.values()), {"size": size})
    (got,) = sess.run(None, {graph.input[0].name: pixels})
    old = np.stack([_old_float(_old_pixels(p, size)) for p in odd_images.values()])
    assert got.dtype == np.float32 and got.shape == old.shape
    assert float(np.max(np.abs(got - old))) <= 1e-6


@needs_models
@pytest.mark.slow
@pytest.mark.parametrize("model_id", ["efficientnet-lite0", "efficientnet-lite2"])
def test_embeddings_equal_the_previous_float_path(odd_images: dict[str, Path], model_id: str) -> None:
    """New path (files → uint8 → exported graph, the app's runtime) vs the previous one
    (previous decoder → float32 CHW → the pretrained network in torch)."""
    torch = pytest.importorskip("torch")
    from models_onnx.export_image import build_float_reference
    from models_onnx.ladder import LADDER

    paths = list(odd_images.values())
    size = int(LADDER[model_id]["input_size"])
    got = load_encoder(model_id, device="cpu", threads=2).encode(paths, batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = build_float_reference(LADDER[model_id])
    old = np.stack([_old_float(_old_pixels(p, size)) for p in paths])
    with torch.no_grad():
        ref = model(torch.from_numpy(old)).numpy().astype(np.float64)
    diff = float(np.max(np.abs(got - ref)))
    cos = np.sum(got * ref, axis=1) / (np.linalg.norm(got, axis=1) * np.linalg.norm(ref, axis=1))
    assert diff <= PARITY_MAX_ABS_DIFF and float(cos.min()) >= PARITY_MIN_COSINE, (diff, cos.min())


def test_large_non_jpeg_is_reduced_first_and_stays_close_to_the_full_resample(tmp_path: Path) -> None:
    big = Image.fromarray(_smooth(1500, 2000, 3, 12), "RGB")
    path = tmp_path / "big.png"
    big.save(path)
    out = load_rgb(path, 224).astype(np.float64)
    full = np.asarray(big.resize((224, 224), Image.Resampling.BILINEAR, box=(250, 0, 1750, 1500)))
    diff = np.abs(out - full.astype(np.float64))
    assert 0 < diff.mean() < 1.0  # reduced (not bit-identical), within a grey level on average
    small = Image.fromarray(_smooth(300, 400, 3, 13), "RGB")  # < 4x the input: no reduce step
    small_path = tmp_path / "small.png"
    small.save(small_path)
    assert np.array_equal(load_rgb(small_path, 224), _old_pixels(small_path, 224))
