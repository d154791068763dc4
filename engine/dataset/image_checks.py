"""Image checks before any embedding: a reason a person understands, or None when the image is good."""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, UnidentifiedImageError

# One pixel limit for the whole app: validation refuses exactly what the encoders would refuse.
from engine.encoders.images import DEFAULT_MAX_PIXELS

__all__ = ["DEFAULT_MAX_PIXELS", "image_problem"]


def image_problem(data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> str | None:
    """Decode ``data`` fully (JPEGs at reduced scale, which still reads every byte).

    Returns None for a good image, else a reason: zero bytes, not an image, too many
    pixels, truncated or corrupt.
    """
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
            if image.format == "JPEG":
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
    except UnidentifiedImageError:
        return "not an image (format not recognised)"
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return "too many pixels: refused as a possible decompression bomb"
    except OSError as exc:
        text = str(exc)
        if "truncated" in text.lower():
            return f"truncated image ({text})"
        return f"corrupt image ({text})"
    except (SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError,
            struct.error) as exc:  # Pillow's decoders raise these on malformed files
        return f"corrupt image ({type(exc).__name__}: {exc})"
    except MemoryError:
        return "corrupt image (decoding it needs more memory than there is)"
    return None
