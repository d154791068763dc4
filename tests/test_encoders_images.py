"""Image decoding: every colour mode, EXIF orientation, broken files → clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.encoders.images import check_image, load_rgb, normalise, preprocess_image
from engine.errors import InputError


def _rgb_pattern(w: int = 32, h: int = 32) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([(x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256], axis=-1).astype(np.uint8)


def test_rgb_png_at_native_size_is_returned_unchanged(tmp_path):
    arr = _rgb_pattern()
    p = tmp_path / "rgb.png"
    Image.fromarray(arr, "RGB").save(p)
    assert np.array_equal(load_rgb(p, 32), arr)


def test_grey_becomes_three_equal_channels(tmp_path):
    grey = np.arange(32 * 32, dtype=np.uint32).reshape(32, 32) % 256
    p = tmp_path / "grey.png"
    Image.fromarray(grey.astype(np.uint8), "L").save(p)
    out = load_rgb(p, 32)
    for c in range(3):
        assert np.array_equal(out[..., c], grey)


def test_16bit_png_is_scaled_to_8bit(tmp_path):
    values = (np.arange(32 * 32).reshape(32, 32) % 256).astype(np.uint16)
    p = tmp_path / "grey16.png"
    Image.fromarray(values * 257).save(p)  # uint16 → 16-bit PNG (mode I;16)
    with Image.open(p) as im:
        assert im.mode in {"I;16", "I"}
    out = load_rgb(p, 32)
    assert np.array_equal(out[..., 0], values)
    assert np.array_equal(out[..., 2], values)


def test_cmyk_converts_to_rgb(tmp_path):
    cmyk = np.zeros((32, 32, 4), dtype=np.uint8)
    cmyk[:, 16:] = (0, 255, 255, 0)  # no cyan/black, full magenta+yellow = red
    p = tmp_path / "cmyk.tif"
    Image.fromarray(cmyk, "CMYK").save(p)
    out = load_rgb(p, 32)
    assert np.array_equal(out[0, 0], [255, 255, 255])  # no ink = white
    assert np.array_equal(out[0, 20], [255, 0, 0])


def test_palette_image_matches_its_rgb(tmp_path):
    arr = _rgb_pattern()
    rgb = Image.fromarray(arr, "RGB")
    pal = rgb.quantize(colors=64)
    expected = np.asarray(pal.convert("RGB"))
    p = tmp_path / "pal.png"
    pal.save(p)
    assert np.array_equal(load_rgb(p, 32), expected)


def test_rgba_is_composited_over_white(tmp_path):
    rgba = np.zeros((32, 32, 4), dtype=np.uint8)
    rgba[:, :16] = (10, 20, 30, 255)  # opaque
    rgba[:, 16:] = (10, 20, 30, 0)  # fully transparent
    p = tmp_path / "rgba.png"
    Image.fromarray(rgba, "RGBA").save(p)
    out = load_rgb(p, 32)
    assert np.array_equal(out[5, 5], [10, 20, 30])
    assert np.array_equal(out[5, 25], [255, 255, 255])


def test_grey_alpha_and_float_modes(tmp_path):
    la = Image.fromarray(np.full((32, 32, 2), (100, 255), dtype=np.uint8), "LA")
    p = tmp_path / "la.png"
    la.save(p)
    assert np.array_equal(load_rgb(p, 32)[0, 0], [100, 100, 100])
    f = Image.fromarray(np.full((32, 32), 0.5, dtype=np.float32), "F")
    pf = tmp_path / "f.tif"
    f.save(pf)
    assert np.array_equal(load_rgb(pf, 32)[0, 0], [128, 128, 128])  # 0.5 * 255 rounded


def test_exif_orientation_is_applied(tmp_path):
    # stored 40 wide x 20 tall: left half red, right half blue; orientation 6 = rotate 90° CW
    arr = np.zeros((20, 40, 3), dtype=np.uint8)
    arr[:, :20] = (255, 0, 0)
    arr[:, 20:] = (0, 0, 255)
    img = Image.fromarray(arr, "RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    p = tmp_path / "rotated.jpg"
    img.save(p, quality=95, exif=exif.tobytes())
    out = load_rgb(p, 20).astype(int)  # displayed 20 x 40 (w x h): red on top, blue below
    assert out.shape == (20, 20, 3)
    top, bottom = out[2, 10], out[17, 10]
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_short_side_resize_and_centre_crop(tmp_path):
    arr = np.zeros((100, 300, 3), dtype=np.uint8)
    arr[:, 100:200] = 255  # white centre third
    p = tmp_path / "wide.png"
    Image.fromarray(arr, "RGB").save(p)
    out = load_rgb(p, 50)  # → 150 x 50, centre crop 50 x 50 = the white band
    assert out.shape == (50, 50, 3)
    assert out[:, 5:45].min() == 255


def test_large_jpeg_draft_mode_stays_close_to_full_decode(tmp_path):
    rng = np.random.default_rng(0)
    small = rng.integers(0, 256, size=(30, 40, 3), dtype=np.uint8)
    big = Image.fromarray(small, "RGB").resize((2000, 1500), Image.Resampling.BILINEAR)
    p = tmp_path / "big.jpg"
    big.save(p, quality=95)
    out = load_rgb(p, 224).astype(np.float64)
    with Image.open(p) as im:  # full-resolution decode, same centre square, same filter
        full = im.convert("RGB").resize((224, 224), Image.Resampling.BILINEAR, box=(250, 0, 1750, 1500))
        ref = np.asarray(full).astype(np.float64)
    assert out.shape == (224, 224, 3)
    assert np.mean(np.abs(out - ref)) < 6.0


def test_normalisation_uses_manifest_constants():
    rgb = np.full((2, 2, 3), 255, dtype=np.uint8)
    rgb[0, 0] = 127
    out = normalise(rgb, {"mean": [127.0] * 3, "std": [128.0] * 3, "scale": 1.0})
    assert out.shape == (3, 2, 2) and out.dtype == np.float32
    assert out[0, 0, 0] == 0.0
    assert out[1, 1, 1] == pytest.approx(1.0)


def test_truncated_jpeg_is_a_clear_error(tmp_path):
    rng = np.random.default_rng(1)
    p = tmp_path / "cut.jpg"
    Image.fromarray(rng.integers(0, 256, (256, 256, 3), dtype=np.uint8), "RGB").save(p, quality=90)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) * 6 // 10])
    with pytest.raises(InputError, match=r"cut\.jpg.*truncated"):
        check_image(p)
    with pytest.raises(InputError, match=r"cut\.jpg.*truncated"):
        preprocess_image(p, {"size": 224})


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jpg", b"", "empty"),
        ("notes.jpg", b"this is a text file, not a picture\n", "not an image"),
    ],
)
def test_bad_files_name_the_file_and_reason(tmp_path, name, content, reason):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError, match=reason) as info:
        check_image(p)
    assert str(p) in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="not found"):
        check_image(tmp_path / "nope.png")
    with pytest.raises(InputError, match="folder"):
        check_image(tmp_path)


def test_pixel_limit_refuses_decompression_bombs(tmp_path):
    p = tmp_path / "wide.png"
    Image.new("L", (400, 300)).save(p)
    check_image(p, max_pixels=120_000)
    with pytest.raises(InputError, match=r"too many|above the limit"):
        check_image(p, max_pixels=119_999)
