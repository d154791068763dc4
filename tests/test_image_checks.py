"""Image validation without a full decode: header, structure (PNG CRCs, JPEG end marker), bounded decode."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engine.dataset.image_checks import image_problem


def _encoded(fmt: str, size: tuple[int, int] = (320, 240)) -> bytes:
    rng = np.random.default_rng(0)
    arr = (rng.random((size[1], size[0], 3)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP", "TIFF"])
def test_good_images_pass(fmt: str) -> None:
    assert image_problem(_encoded(fmt)) is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("keep", [0.3, 0.9, 0.999])
def test_truncated_files_are_named_truncated(fmt: str, keep: float) -> None:
    data = _encoded(fmt)
    reason = image_problem(data[: int(len(data) * keep)])
    assert reason is not None and reason.startswith("truncated image"), reason


def test_a_damaged_png_chunk_is_corrupt_without_decoding_pixels() -> None:
    data = bytearray(_encoded("PNG"))
    mid = len(data) // 2
    data[mid:mid + 8] = b"\x00" * 8  # inside IDAT: its CRC no longer matches
    reason = image_problem(bytes(data))
    assert reason is not None and reason.startswith("corrupt image") and "IDAT" in reason


def test_bytes_after_a_jpeg_end_marker_are_tolerated() -> None:
    assert image_problem(_encoded("JPEG") + b"camera trailer \x00\x01") is None


def test_pixel_limit_comes_from_the_header() -> None:
    reason = image_problem(_encoded("PNG", (400, 300)), max_pixels=100_000)
    assert reason is not None and "too many pixels (400×300 = 120,000; limit 100,000)" in reason
