"""Image checks before any embedding: a reason a person understands, or None when the image is good.

No full decode: the header gives the format and size (too many pixels is refused before
anything else is read); then a structural check that decodes no pixels — PNG: every
chunk's CRC up to IEND (``verify``); JPEG: an end-of-image marker after the scan data —
and a bounded decode: JPEGs at 1/8 scale (libjpeg's DC-only path, no full inverse DCT),
other formats only when they hold at most :data:`BOUNDED_DECODE_PIXELS` pixels (larger
ones rely on the header and the encoder's own decode, which quarantines nothing but
fails that row clearly). The encoders decode every image once anyway.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, UnidentifiedImageError

# One pixel limit for the whole app: validation refuses exactly what the encoders would refuse.
from engine.encoders.images import DEFAULT_MAX_PIXELS

__all__ = ["BOUNDED_DECODE_PIXELS", "DEFAULT_MAX_PIXELS", "image_problem"]

BOUNDED_DECODE_PIXELS = 4_000_000
_JPEG_EOI = b"\xff\xd9"


def _jpeg_truncation(image: Image.Image, data: bytes) -> str | None:
    """A JPEG whose scan data has no end-of-image marker after it was cut short."""
    tile = getattr(image, "tile", None) or []
    scan_start = int(tile[0][2]) if tile else 0
    if data.find(_JPEG_EOI, scan_start) == -1:
        return (f"truncated image (no end-of-image marker after the scan data: the file stops "
                f"at byte {len(data):,})")
    return None


def _structure_and_bounded_decode(image: Image.Image, data: bytes) -> str | None:
    fmt = image.format
    if fmt == "PNG":
        image.verify()  # chunk CRCs up to IEND; raises on truncated or damaged chunks
        return None
    if fmt == "JPEG":
        cut = _jpeg_truncation(image, data)
        if cut:
            return cut
        width, height = image.size
        image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
        image.load()
        return None
    width, height = image.size
    if width * height <= BOUNDED_DECODE_PIXELS:
        image.load()
    return None


def image_problem(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> str | None:
    """None for a good image, else a reason: zero bytes, not an image, too many pixels,
    truncated or corrupt (see the module doc for what is read)."""
    if not data:
        return "zero bytes (empty file)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                return (
                    f"too many pixels ({width}×{height} = {width * height:,}; "
                    f"limit {max_pixels:,}): refused as a possible decompression bomb"
                )
            return _structure_and_bounded_decode(image, data)
    except UnidentifiedImageError:
        return "not an image (format not recognised)"
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "too many pixels: refused as a possible decompression bomb"
    except OSError as exc:
        text = str(exc)
        if "truncated" in text.lower():
            return f"truncated image ({text})"
        return f"corrupt image ({text})"
    except (SyntaxError, ValueError) as exc:
        text = str(exc)
        if "truncated" in text.lower() or "end of file" in text.lower():
            return f"truncated image ({text})"
        return f"corrupt image ({text})"
    except (EOFError, IndexError, KeyError, TypeError, ZeroDivisionError,
            struct.error) as exc:  # Pillow's decoders raise these on malformed files
        return f"corrupt image ({type(exc).__name__}: {exc})"
    except MemoryError:
        return "corrupt image (decoding it needs more memory than there is)"
    return None
