"""Image decoding and preprocessing for the image encoders (Pillow, no torch).

Any file Pillow reads becomes an RGB float32 CHW tensor at the model's input size:
EXIF orientation applied, every colour mode mapped to RGB (grey, palette, CMYK,
alpha composited over white, 16/32-bit integer and float scaled to 0-255), short
side resized then centre-cropped, normalised ``(x*scale - mean) / std``. Large
JPEGs are decoded in draft mode (DCT scaling) so they cost little more than small
ones. Every failure is an :class:`InputError` that names the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import InputError

# 64 megapixels (e.g. 8000 x 8000): beyond this a file is refused as a likely decompression bomb.
DEFAULT_MAX_PIXELS = 64_000_000

# Preprocessing of a user image model unless its card says otherwise (the ladder's convention).
IMAGE_DEFAULTS: dict[str, Any] = {
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


def _open(path: Path, max_pixels: int) -> Image.Image:
    """Open ``path`` lazily (header only), refusing missing, empty, non-image and huge files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an image file")
    if size == 0:
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
        return ImageOps.exif_transpose(img)
    except Image.DecompressionBombError:
        raise InputError(f"{path}: image has too many pixels (possible decompression bomb)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        text = str(exc)
        if "truncated" in text.lower():
            raise InputError(f"{path}: image file is truncated (incomplete download or copy?)") from None
        raise InputError(f"{path}: image data is corrupt ({text})") from None


def _to_rgb(img: Image.Image, path: Path) -> Image.Image:
    """Map any Pillow mode to 8-bit RGB."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode in {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}:
        arr = np.asarray(img, dtype=np.float64)
        if mode == "F":
            # float images: [0, 1] data is scaled to 0-255, anything else is clipped to 0-255
            finite_max = float(np.nanmax(arr)) if arr.size else 0.0
            if finite_max <= 1.0:
                arr = arr * 255.0
        elif mode.startswith("I;16") or float(arr.max(initial=0.0)) > 255.0:
            arr = arr / 257.0  # 16-bit range 0-65535 onto 0-255
        grey = np.clip(np.nan_to_num(arr), 0.0, 255.0).round().astype(np.uint8)
        return Image.fromarray(grey, mode="L").convert("RGB")
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


def _resize_crop(img: Image.Image, size: int, resample: str) -> Image.Image:
    """Short side to ``size`` then centre crop, in one resampling pass over the kept region."""
    width, height = img.size
    if (width, height) == (size, size):
        return img
    side = min(width, height)
    left = (width - side) / 2
    top = (height - side) / 2
    return img.resize((size, size), _RESAMPLE.get(resample, Image.Resampling.BILINEAR),
                      box=(left, top, left + side, top + side))


def load_rgb(path: Path | str, size: int, *, resample: str = "bilinear",
             max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode ``path`` to a uint8 RGB array [size, size, 3] (orientation fixed, resized, cropped)."""
    p = Path(path)
    img = _open(p, max_pixels)
    try:
        loaded = _load(img, p, size)
        rgb = _to_rgb(loaded, p)
        out = _resize_crop(rgb, size, resample)
        return np.asarray(out, dtype=np.uint8)
    finally:
        img.close()


def normalise(rgb: np.ndarray, preprocessing: Mapping[str, Any], out: np.ndarray | None = None) -> np.ndarray:
    """uint8 HWC RGB → float32 CHW with ``(x*scale - mean) / std`` per channel (into ``out``)."""
    scale = float(preprocessing.get("scale", 1.0))
    mean = np.asarray(preprocessing.get("mean", [127.0] * 3), dtype=np.float32)
    std = np.asarray(preprocessing.get("std", [128.0] * 3), dtype=np.float32)
    mul = (scale / std).astype(np.float32)
    add = (-mean / std).astype(np.float32)
    chw = np.ascontiguousarray(rgb.transpose(2, 0, 1))
    if out is None:
        out = np.empty(chw.shape, dtype=np.float32)
    np.multiply(chw, mul[:, None, None], out=out, casting="unsafe")
    out += add[:, None, None]
    return out


def preprocess_image(path: Path | str, preprocessing: Mapping[str, Any],
                     out: np.ndarray | None = None,
                     max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """The full image path of an encoder: file → float32 [3, S, S] model input."""
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
        _to_rgb(loaded, p)
    finally:
        img.close()
