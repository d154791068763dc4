"""Image decoding and preprocessing for the image encoders (Pillow, no torch).

Any file Pillow reads becomes uint8 RGB pixels [S, S, 3] at the model's input size,
written straight into a slot of the caller's batch buffer (:func:`decode_into`): EXIF
orientation applied, every colour mode mapped to RGB (grey, palette, CMYK, alpha
composited over white, 16/32-bit integer and float scaled to 0-255), short side resized
then centre-cropped. The bundled encoders take these pixels as they are (uint8 NHWC;
normalisation and the NHWC→NCHW transpose are part of the exported graph). Models with a
float32 NCHW input get ``(x*scale - mean) / std`` from :func:`normalise_batch`.

Large sources are shrunk cheaply before the antialiased resample: JPEGs at least twice the
input size in draft mode (DCT scaling inside the decoder, as before), other formats at least
four times the input size with ``Image.reduce`` by ⌊scale / 2⌋ (Pillow's ``reducing_gap``), so
the last resample still shrinks by at least 2×. Every failure is an :class:`InputError` that
names the file.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import InputError
from engine.typed_json import JSONObject

# 64 megapixels (e.g. 8000 x 8000): beyond this a file is refused as a likely decompression bomb.
DEFAULT_MAX_PIXELS = 64_000_000

# Preprocessing of a user image model unless its card says otherwise (the ladder's convention).
IMAGE_DEFAULTS: JSONObject = {
    "color": "RGB",
    "layout": "NCHW",
    "resize": "short_side",
    "resample": "bilinear",
    "crop": "center",
    "scale": 1.0,
    "mean": [127.0, 127.0, 127.0],
    "std": [128.0, 128.0, 128.0],
    "alpha": "composite_white",
    "exif_transpose": True,
}

_RESAMPLE = {
    "bicubic": Image.Resampling.BICUBIC,
    "bilinear": Image.Resampling.BILINEAR,
    "lanczos": Image.Resampling.LANCZOS,
    "nearest": Image.Resampling.NEAREST,
}


# Modes whose pixels are grey: resized as one channel, then copied into R, G and B (the same
# bytes as resizing the RGB image, at a third of the work).
_GREY_MODES = frozenset({"L", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
# Non-JPEG sources are first shrunk with Image.reduce by ⌊scale / 2⌋, so the antialiased
# resample that follows still shrinks by at least 2× (mean change ~0.5 grey level vs resampling
# the full image, for several times less work on multi-megapixel files).
REDUCING_GAP = 2.0


def _open(path: Path, max_pixels: int) -> Image.Image:
    """Open ``path`` lazily (header only), refusing missing, empty, non-image and huge files."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not an image file")
    if st.st_size == 0:
        raise InputError(f"{path}: file is empty (0 bytes)")
    try:
        # (Pillow may warn first for images it finds large; those are refused just below)
        img = Image.open(path)
    except Image.DecompressionBombError:
        raise InputError(f"{path}: image has too many pixels (possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise InputError(f"{path}: not an image Pillow can read (unknown or corrupt format)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot open image ({exc})") from None
    width, height = img.size
    if width * height > max_pixels:
        img.close()
        raise InputError(
            f"{path}: image is {width}x{height} = {width * height:,} pixels, above the limit of "
            f"{max_pixels:,} (possible decompression bomb)"
        )
    if width <= 0 or height <= 0:
        img.close()
        raise InputError(f"{path}: image has no pixels ({width}x{height})")
    return img


def _load(img: Image.Image, path: Path, draft_size: int | None) -> Image.Image:
    """Decode pixels (JPEG draft mode when the image is much larger than needed)."""
    try:
        if draft_size is not None and img.format == "JPEG":
            width, height = img.size
            if min(width, height) >= 2 * draft_size:
                # DCT scaling picks the smallest 1/2^k scale that stays >= the requested box.
                scale = min(width, height) / draft_size
                img.draft("RGB" if img.mode != "CMYK" else "CMYK",
                          (int(width / scale) + 1, int(height / scale) + 1))
        img.load()
        ImageOps.exif_transpose(img, in_place=True)  # no copy when there is nothing to turn
        return img
    except Image.DecompressionBombError:
        raise InputError(f"{path}: image has too many pixels (possible decompression bomb)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        text = str(exc)
        if "truncated" in text.lower():
            raise InputError(f"{path}: image file is truncated (incomplete download or copy?)") from None
        raise InputError(f"{path}: image data is corrupt ({text})") from None


def _int_to_grey(img: Image.Image) -> Image.Image:
    """16/32-bit integer and float images → 8-bit grey (16-bit and >255 data scaled by 1/257)."""
    mode = img.mode
    arr = np.asarray(img, dtype=np.float64)
    if mode == "F":
        # float images: [0, 1] data is scaled to 0-255, anything else is clipped to 0-255
        finite_max = float(np.nanmax(arr)) if arr.size else 0.0
        if finite_max <= 1.0:
            arr = arr * 255.0
    elif mode.startswith("I;16") or float(arr.max(initial=0.0)) > 255.0:
        arr = arr / 257.0  # 16-bit range 0-65535 onto 0-255
    grey = np.clip(np.nan_to_num(arr), 0.0, 255.0).round().astype(np.uint8)
    return Image.fromarray(grey, mode="L")


def _to_rgb_or_grey(img: Image.Image, path: Path) -> Image.Image:
    """Map any Pillow mode to 8-bit RGB, or to 8-bit grey ("L") when the pixels are grey."""
    mode = img.mode
    if mode in ("RGB", "L"):
        return img
    if mode in _GREY_MODES:
        return _int_to_grey(img)
    if mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    try:
        return img.convert("RGB")
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: colour mode {mode!r} cannot be converted to RGB ({exc})") from None


def _resize_crop(img: Image.Image, size: int, resample: str, reduce: bool) -> Image.Image:
    """Short side to ``size`` then centre crop, in one resampling pass over the kept region."""
    width, height = img.size
    if (width, height) == (size, size):
        return img
    side = min(width, height)
    left = (width - side) / 2
    top = (height - side) / 2
    return img.resize((size, size), _RESAMPLE.get(resample, Image.Resampling.BILINEAR),
                      box=(left, top, left + side, top + side),
                      reducing_gap=REDUCING_GAP if reduce else None)


def decode_into(path: Path | str, out: np.ndarray, *, resample: str = "bilinear",
                max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Decode ``path`` into ``out``, a uint8 [S, S, 3] view (e.g. one slot of a batch buffer)."""
    p = Path(path)
    size = int(out.shape[0])
    img = _open(p, max_pixels)
    try:
        loaded = _load(img, p, size)
        pixels = _to_rgb_or_grey(loaded, p)
        # JPEGs were already shrunk by the decoder (draft); other formats use Image.reduce
        small = _resize_crop(pixels, size, resample, reduce=img.format != "JPEG")
        if small.mode == "L":
            out[...] = np.asarray(small)[:, :, None]
        else:
            out[...] = np.asarray(small)
    finally:
        img.close()


def load_rgb(path: Path | str, size: int, *, resample: str = "bilinear",
             max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode ``path`` to a new uint8 RGB array [size, size, 3] (orientation fixed, resized, cropped)."""
    out = np.empty((size, size, 3), dtype=np.uint8)
    decode_into(path, out, resample=resample, max_pixels=max_pixels)
    return out


def decode_batch(paths: Sequence[Path | str], preprocessing: Mapping[str, Any]) -> np.ndarray:
    """uint8 [n, S, S, 3] pixels of ``paths`` (serially; the runtime decodes in threads)."""
    size = int(preprocessing["size"])
    out = np.empty((len(paths), size, size, 3), dtype=np.uint8)
    for i, p in enumerate(paths):
        decode_into(p, out[i], resample=str(preprocessing.get("resample", "bilinear")))
    return out


def _affine(preprocessing: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel (mul, add) with ``(x*scale - mean) / std == x*mul + add``, float32."""
    scale = float(preprocessing.get("scale", 1.0))
    mean = np.asarray(preprocessing.get("mean", [127.0] * 3), dtype=np.float32)
    std = np.asarray(preprocessing.get("std", [128.0] * 3), dtype=np.float32)
    return (scale / std).astype(np.float32), (-mean / std).astype(np.float32)


def normalise_batch(pixels: np.ndarray, preprocessing: Mapping[str, Any], out: np.ndarray) -> np.ndarray:
    """uint8 [b, S, S, 3] → float32 [b, 3, S, S] ``x*mul + add`` into ``out`` (float-input models)."""
    mul, add = _affine(preprocessing)
    nchw = pixels.transpose(0, 3, 1, 2)
    np.multiply(nchw, mul[None, :, None, None], out=out, casting="unsafe")
    out += add[None, :, None, None]
    return out


def normalise(rgb: np.ndarray, preprocessing: Mapping[str, Any], out: np.ndarray | None = None) -> np.ndarray:
    """uint8 HWC RGB → float32 CHW with ``(x*scale - mean) / std`` per channel (into ``out``)."""
    if out is None:
        out = np.empty((3, *rgb.shape[:2]), dtype=np.float32)
    normalise_batch(rgb[None], preprocessing, out[None])
    return out


def preprocess_image(path: Path | str, preprocessing: Mapping[str, Any],
                     out: np.ndarray | None = None,
                     max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """File → float32 [3, S, S] input of a float-input model (decode, then :func:`normalise`)."""
    size = int(preprocessing["size"])
    rgb = load_rgb(path, size, resample=str(preprocessing.get("resample", "bilinear")),
                   max_pixels=max_pixels)
    return normalise(rgb, preprocessing, out=out)


def check_image(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
    """Raise :class:`InputError` with a human reason if ``path`` is not a usable image.

    Checks: missing, zero bytes, not an image, truncated/corrupt (full decode), too many
    pixels, colour mode that cannot become RGB.
    """
    p = Path(path)
    img = _open(p, max_pixels)
    try:
        loaded = _load(img, p, 64)
        _to_rgb_or_grey(loaded, p)
    finally:
        img.close()
