"""`garments`: Fashion-MNIST photos (Debian `dataset-fashion-mnist`) as a garment inspection set.

Each 28×28 picture is upscaled, coloured, laid on a tinted inspection table, lit unevenly,
slightly rotated, and about a third get a drawn defect (stain, tear, hole, loose thread).
The facts the report states (type, colour, tone, pattern, silhouette, defect, where, size)
are read off the pixels or the drawing, never invented.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.heldout import imaging
from benchmarks.heldout.imaging import Mark

DATA_DIR = Path(os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
APT_HINT = "apt-get install dataset-fashion-mnist   (Debian/Ubuntu; 30 MB, Expat licence)"
CLASSES: tuple[str, ...] = ("tshirt_top", "trouser", "pullover", "dress", "coat", "sandal",
                            "shirt", "sneaker", "bag", "ankle_boot")
HEIGHT_MM = {"tshirt_top": 700, "trouser": 1000, "pullover": 680, "dress": 950, "coat": 900,
             "sandal": 150, "shirt": 760, "sneaker": 140, "bag": 380, "ankle_boot": 200}
# colour name → RGB (0..1) of the dye at full brightness
COLOURS: dict[str, tuple[float, float, float]] = {
    "navy": (0.25, 0.32, 0.75), "red": (0.92, 0.22, 0.2), "beige": (0.95, 0.85, 0.65),
    "olive": (0.6, 0.65, 0.3), "grey": (0.78, 0.78, 0.78), "brown": (0.7, 0.45, 0.28),
    "light blue": (0.6, 0.8, 1.0), "pink": (1.0, 0.62, 0.75),
}
TABLES: tuple[tuple[int, int, int], ...] = ((236, 236, 230), (214, 218, 222), (225, 232, 240),
                                            (238, 228, 210), (200, 200, 196))
DEFECTS: tuple[str, ...] = ("stain", "tear", "hole", "loose thread")
CANVAS = 160
GARMENT_PX = 120


@dataclass(frozen=True)
class GarmentFacts:
    cls: str
    colour: str
    tone: str  # dark / medium / light (mean brightness of the garment pixels)
    pattern: str  # plain / textured (fine-scale contrast inside the garment)
    silhouette: str  # long / wide / compact (bounding-box aspect)
    sleeves: str  # long / short / none (tops only, from the outline)
    defect: str | None
    region: tuple[str, str] = ("middle", "centre")
    size_mm: int = 0


def load_source(split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST images [n, 28, 28] uint8 and labels [n]; SystemExit naming apt if absent."""
    prefix = "train" if split == "train" else "t10k"
    images_path = DATA_DIR / f"{prefix}-images-idx3-ubyte.gz"
    labels_path = DATA_DIR / f"{prefix}-labels-idx1-ubyte.gz"
    if not images_path.is_file() or not labels_path.is_file():
        raise SystemExit(f"garments needs Fashion-MNIST in {DATA_DIR}; install it with:\n  {APT_HINT}")
    with gzip.open(images_path) as fh:
        images = np.frombuffer(fh.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(labels_path) as fh:
        labels = np.frombuffer(fh.read(), np.uint8, offset=8)
    return images, labels


def choose(rng: np.random.Generator, labels: np.ndarray, n: int) -> list[int]:
    """n source indices, as balanced over the 10 classes as n allows, in random order."""
    per = [n // len(CLASSES) + (1 if c < n % len(CLASSES) else 0) for c in range(len(CLASSES))]
    picked: list[int] = []
    for c, k in enumerate(per):
        pool = np.flatnonzero(labels == c)
        picked += [int(i) for i in rng.choice(pool, size=k, replace=False)]
    return [picked[int(i)] for i in rng.permutation(len(picked))]


def _measure(g: np.ndarray, cls: str) -> tuple[str, str, str, str]:
    x = g.astype(np.float32)
    mask = x > 30
    mean = float(x[mask].mean()) if mask.any() else 0.0
    tone = "dark" if mean < 125 else ("light" if mean > 192 else "medium")
    lap = np.abs(4 * x[1:-1, 1:-1] - x[:-2, 1:-1] - x[2:, 1:-1] - x[1:-1, :-2] - x[1:-1, 2:])
    inner = mask[1:-1, 1:-1] & mask[:-2, 1:-1] & mask[2:, 1:-1] & mask[1:-1, :-2] & mask[1:-1, 2:]
    texture = float(lap[inner].mean() / max(mean, 1.0)) if inner.any() else 0.0
    pattern = "textured" if texture > 0.42 else "plain"
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    h = rows[-1] - rows[0] + 1 if rows.size else 1
    w = cols[-1] - cols[0] + 1 if cols.size else 1
    silhouette = "long" if h > 1.25 * w else ("wide" if w > 1.25 * h else "compact")
    sleeves = "none"
    if cls in ("tshirt_top", "pullover", "coat", "shirt") and rows.size:
        upper = mask[rows[0] + h // 5].sum()
        lower = mask[rows[0] + (4 * h) // 5].sum()
        sleeves = "long" if lower >= 0.8 * upper else "short"
    return tone, pattern, silhouette, sleeves


def _garment_layers(g: np.ndarray, colour: str, rng: np.random.Generator
                    ) -> tuple[imaging.Array, imaging.Array, tuple[float, float, float, float]]:
    """The coloured garment [C, C, 3], its alpha mask, and its bounding box on the canvas."""
    size = int(GARMENT_PX * rng.uniform(0.85, 1.05))
    big = np.asarray(Image.fromarray(g).resize((size, size), Image.Resampling.BICUBIC),
                     dtype=np.float32) / 255.0
    off = (CANVAS - size) // 2
    lum = np.zeros((CANVAS, CANVAS), np.float32)
    lum[off:off + size, off:off + size] = np.clip(big, 0, 1)
    alpha = np.clip(lum / 0.12, 0, 1)
    dye = np.asarray(COLOURS[colour], np.float32)
    rgb = dye[None, None, :] * (0.2 + 0.95 * lum[..., None])
    ys, xs = np.nonzero(alpha > 0.5)
    box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())) if xs.size else (
        0.0, 0.0, float(CANVAS), float(CANVAS))
    return rgb.astype(np.float32), alpha.astype(np.float32), box


def _draw_defect(rng: np.random.Generator, arr: imaging.Array, alpha: imaging.Array,
                 table: imaging.Array, kind: str) -> tuple[imaging.Array, Mark]:
    ys, xs = np.nonzero(alpha > 0.9)
    j = int(rng.integers(xs.size))
    x, y = float(xs[j]), float(ys[j])
    h, w = alpha.shape
    if kind == "stain":
        radius = float(rng.uniform(4, 11))
        mask = imaging.blob_mask(rng, h, w, x, y, radius) * alpha
        tint = (0.35, 0.25, 0.12) if rng.random() < 0.6 else (0.2, 0.2, 0.22)
        return imaging.paint(arr, mask, tint, 0.75), Mark(kind, x, y, 2 * radius)
    if kind == "hole":
        radius = float(rng.uniform(2.5, 6))
        mask = imaging.blob_mask(rng, h, w, x, y, radius, lobes=2) * alpha
        return arr * (1 - mask[..., None]) + table * mask[..., None], Mark(kind, x, y, 2 * radius)
    length = float(rng.uniform(8, 24))
    angle = float(rng.uniform(0, 2 * np.pi))
    if kind == "tear":
        pts = imaging.jagged_path(rng, x, y, length, angle, 0.45)
        mask = imaging.line_mask(h, w, pts, 3) * alpha
        out = imaging.paint(arr, mask, (0.08, 0.08, 0.08), 0.85)
        return out, Mark(kind, x, y, imaging.path_extent(pts))
    pts = imaging.jagged_path(rng, x, y, length, angle, 0.7, steps=10)
    mask = imaging.line_mask(h, w, pts, 1)
    out = imaging.paint(arr, mask, (0.1, 0.1, 0.1), 0.8)
    return out, Mark(kind, x, y, imaging.path_extent(pts))


def render(rng: np.random.Generator, g: np.ndarray, cls: str, defect_rate: float = 0.35
           ) -> tuple[Image.Image, GarmentFacts]:
    """One inspection photo of the Fashion-MNIST picture ``g`` and the facts it shows."""
    tone, pattern, silhouette, sleeves = _measure(g, cls)
    colour = list(COLOURS)[int(rng.integers(len(COLOURS)))]
    rgb, alpha, box = _garment_layers(g, colour, rng)
    table_rgb = TABLES[int(rng.integers(len(TABLES)))]
    table = np.asarray(np.broadcast_to(np.asarray(table_rgb) / 255.0, rgb.shape), dtype=np.float32)
    arr = np.asarray(rgb * alpha[..., None] + table * (1 - alpha[..., None]), dtype=np.float32)
    defect = DEFECTS[int(rng.integers(len(DEFECTS)))] if rng.random() < defect_rate else None
    facts = GarmentFacts(cls, colour, tone, pattern, silhouette, sleeves, None)
    if defect is not None:
        arr, mark = _draw_defect(rng, arr, alpha, table, defect)
        mm_per_px = HEIGHT_MM[cls] / max(1.0, box[3] - box[1])
        step = 5 if HEIGHT_MM[cls] < 300 else 10  # inspectors round to 5 or 10 mm
        size = max(2, round(mark.extent_px * mm_per_px / step) * step)
        facts = GarmentFacts(cls, colour, tone, pattern, silhouette, sleeves, defect,
                             imaging.region_words(mark.x, mark.y, box), size)
    img = imaging.station_variation(rng, imaging.to_image(arr), table_rgb)
    return img, facts
