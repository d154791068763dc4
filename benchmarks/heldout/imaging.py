"""Image operations shared by the domains: inspection-station variation and drawn defects.

Arrays are float32 RGB in 0..1, shape [h, w, 3]; masks float32 [h, w] in 0..1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter

Array = NDArray[np.float32]


def to_image(arr: Array) -> Image.Image:
    return Image.fromarray((np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), "RGB")


def to_array(img: Image.Image) -> Array:
    return np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0


def lighting(rng: np.random.Generator, h: int, w: int, strength: float = 0.18) -> Array:
    """A multiplicative light field: a linear gradient in a random direction plus a soft spot."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (np.cos(angle) * (xx / w - 0.5) + np.sin(angle) * (yy / h - 0.5)) * 2 * strength
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    spot = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (0.35 * w) ** 2)) * strength * 0.6
    return np.asarray(1.0 + ramp + spot, dtype=np.float32)


def station_variation(rng: np.random.Generator, img: Image.Image, fill: tuple[int, int, int],
                      max_rotation: float = 7.0, noise: float = 0.015) -> Image.Image:
    """Slight rotation and shift, uneven lighting, sensor noise, a touch of blur."""
    angle = float(rng.uniform(-max_rotation, max_rotation))
    dx, dy = (int(v) for v in rng.integers(-img.width // 20, img.width // 20 + 1, size=2))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, translate=(dx, dy), fillcolor=fill)
    arr = to_array(img) * lighting(rng, img.height, img.width)[..., None]
    arr += rng.normal(0.0, noise, size=arr.shape).astype(np.float32)
    out = to_image(arr)
    if rng.random() < 0.3:
        out = out.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.3, 0.8))))
    return out


@dataclass(frozen=True)
class Mark:
    """A drawn defect: its kind, centre (pixels), and longest extent in pixels."""

    kind: str
    x: float
    y: float
    extent_px: float


def blob_mask(rng: np.random.Generator, h: int, w: int, x: float, y: float, radius: float,
              lobes: int = 5) -> Array:
    """An irregular soft blob (overlapping ellipses), for stains and rust spots."""
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(lobes):
        ox, oy = rng.normal(0, radius * 0.35, size=2)
        rx, ry = radius * rng.uniform(0.4, 0.8), radius * rng.uniform(0.4, 0.8)
        draw.ellipse((x + ox - rx, y + oy - ry, x + ox + rx, y + oy + ry), fill=255)
    layer = layer.filter(ImageFilter.GaussianBlur(radius=max(0.8, radius * 0.2)))
    return np.asarray(layer, dtype=np.float32) / 255.0


def paint(arr: Array, mask: Array, colour: tuple[float, float, float], opacity: float) -> Array:
    a = (mask * opacity)[..., None]
    return (arr * (1 - a) + np.asarray(colour, dtype=np.float32) * a).astype(np.float32)


def jagged_path(rng: np.random.Generator, x: float, y: float, length: float, angle: float,
                jitter: float, steps: int = 8) -> list[tuple[float, float]]:
    """A wandering polyline (tears, cracks, scratches)."""
    points = [(x, y)]
    for _ in range(steps):
        angle += float(rng.normal(0, jitter))
        x += math.cos(angle) * length / steps
        y += math.sin(angle) * length / steps
        points.append((x, y))
    return points


def line_mask(h: int, w: int, points: list[tuple[float, float]], width: int) -> Array:
    layer = Image.new("L", (w, h), 0)
    ImageDraw.Draw(layer).line(points, fill=255, width=width, joint="curve")
    return np.asarray(layer, dtype=np.float32) / 255.0


def path_extent(points: list[tuple[float, float]]) -> float:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return float(math.hypot(max(xs) - min(xs), max(ys) - min(ys)))


def region_words(x: float, y: float, box: tuple[float, float, float, float]) -> tuple[str, str]:
    """Where (x, y) lies inside a bounding box: vertical (upper/middle/lower), horizontal."""
    x0, y0, x1, y1 = box
    fy = (y - y0) / max(1.0, y1 - y0)
    fx = (x - x0) / max(1.0, x1 - x0)
    vertical = "upper" if fy < 0.36 else ("lower" if fy > 0.64 else "middle")
    horizontal = "left" if fx < 0.36 else ("right" if fx > 0.64 else "centre")
    return vertical, horizontal
