"""Defects painted onto a drawn part, and where they lie in words a report would use."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter

from benchmarks.heldout import imaging
from benchmarks.heldout.imaging import Array
from benchmarks.heldout.parts_draw import Part

BoolArray = NDArray[np.bool_]

DEFECTS: tuple[str, ...] = ("scratch", "dent", "burr", "rust", "crack", "missing_hole")
COSMETIC_MM = 3.0  # a scratch up to this length passes


@dataclass(frozen=True)
class PartDefect:
    kind: str
    zone: str  # outer edge / face / bore / hole / edge
    clock: int  # 1..12, 12 = top of the photo
    size_mm: float


def _clock(part: Part, x: float, y: float) -> int:
    angle = math.degrees(math.atan2(x - part.cx, part.cy - y)) % 360  # 0 = up, clockwise
    hour = round(angle / 30.0) % 12
    return 12 if hour == 0 else hour


def zone_of(part: Part, x: float, y: float, near_edge: bool) -> str:
    for k, (hx, hy, hr) in enumerate(part.holes):
        if math.hypot(x - hx, y - hy) < hr * 1.8 + 3:
            return "bore" if k == 0 and part.inner_radius else "hole"
    if near_edge:
        return "outer edge" if part.kind in ("washer", "gear", "flange") else "edge"
    return "face"


def _edge_band(mask: Array) -> tuple[BoolArray, BoolArray]:
    """Interior pixels (well inside the part) and pixels just outside its outline."""
    soft = np.asarray(Image.fromarray((mask * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(3)), dtype=np.float32) / 255.0
    return (soft > 0.97) & (mask > 0.99), (soft > 0.15) & (soft < 0.45) & (mask < 0.05)


def _pick(rng: np.random.Generator, where: BoolArray) -> tuple[float, float]:
    ys, xs = np.nonzero(where)
    j = int(rng.integers(xs.size))
    return float(xs[j]), float(ys[j])


def _away_from_holes(part: Part, shape: tuple[int, ...]) -> BoolArray:
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float32)
    ok = np.ones(shape, dtype=bool)
    for hx, hy, hr in part.holes:
        ok &= np.hypot(xx - hx, yy - hy) > hr * 1.6 + 4
    return ok


def _burr(rng: np.random.Generator, arr: Array, mask: Array, part: Part) -> tuple[Array, PartDefect]:
    """A sharp sliver of metal sticking out of the outline, catching the light."""
    h, w = mask.shape
    rim = (mask > 0.35) & (mask < 0.65) & _away_from_holes(part, mask.shape)
    x, y = _pick(rng, rim)
    out_angle = math.atan2(y - part.cy, x - part.cx) + float(rng.normal(0, 0.35))
    length, half = float(rng.uniform(10, 18)), float(rng.uniform(4, 8))
    side = out_angle + math.pi / 2
    base = [(x - 2 * math.cos(out_angle) + s * half * math.cos(side),
             y - 2 * math.sin(out_angle) + s * half * math.sin(side)) for s in (-1.0, 1.0)]
    tip = (x + length * math.cos(out_angle), y + length * math.sin(out_angle))
    layer = Image.new("L", (w * 2, h * 2), 0)
    ImageDraw.Draw(layer).polygon([(px * 2, py * 2) for px, py in (base[0], tip, base[1])], fill=255)
    sliver = np.asarray(layer.resize((w, h), Image.Resampling.BOX), dtype=np.float32) / 255.0
    out = imaging.paint(arr, sliver, (0.92, 0.92, 0.9), 0.95)
    return out, PartDefect("burr", zone_of(part, x, y, True), _clock(part, x, y), length * part.mm_per_px)


def draw_defect(rng: np.random.Generator, kind: str, arr: Array, mask: Array, part: Part,
                keep_clear: Array) -> tuple[Array, PartDefect]:
    """Paint ``kind`` on the part (not over the stamp ``keep_clear``); return image and facts."""
    h, w = mask.shape
    inside, outside = _edge_band(mask)
    inside &= keep_clear < 0.05
    if kind == "burr":
        return _burr(rng, arr, mask, part)
    if kind == "crack":
        x, y = _pick(rng, outside)
        angle = math.atan2(part.cy - y, part.cx - x) + float(rng.normal(0, 0.4))
        pts = imaging.jagged_path(rng, x, y, float(rng.uniform(35, 70)), angle, 0.5, steps=9)
        line = imaging.line_mask(h, w, pts, 3) * mask
        out = imaging.paint(arr, line, (0.04, 0.04, 0.04), 0.95)
        return out, PartDefect(kind, zone_of(part, x, y, True), _clock(part, x, y),
                               imaging.path_extent(pts) * part.mm_per_px)
    x, y = _pick(rng, inside)
    near_edge = bool(mask[max(0, int(y) - 8):int(y) + 9, max(0, int(x) - 8):int(x) + 9].min() < 0.5)
    where = zone_of(part, x, y, near_edge)
    if kind == "scratch":
        length = float(rng.uniform(12, 75))
        pts = imaging.jagged_path(rng, x, y, length, float(rng.uniform(0, 2 * math.pi)), 0.06, steps=5)
        line = imaging.line_mask(h, w, pts, 3) * mask
        dark = np.clip(np.roll(line, 2, axis=0) + np.roll(line, 2, axis=1), 0, 1) * (1 - line)
        out = imaging.paint(imaging.paint(arr, line, (1.0, 1.0, 1.0), 0.9), dark, (0.05, 0.05, 0.05), 0.7)
        return out, PartDefect(kind, where, _clock(part, x, y), imaging.path_extent(pts) * part.mm_per_px)
    if kind == "dent":
        radius = float(rng.uniform(10, 18))
        pit = imaging.blob_mask(rng, h, w, x, y, radius, lobes=2) * mask
        rim = np.roll(pit, (-2, -2), axis=(0, 1)) * (1 - pit)
        out = imaging.paint(imaging.paint(arr, pit, (0.05, 0.05, 0.06), 0.85), rim, (1, 1, 1), 0.7)
        return out, PartDefect(kind, where, _clock(part, x, y), 2 * radius * part.mm_per_px)
    if kind == "rust":
        radius = float(rng.uniform(12, 22))
        spot = imaging.blob_mask(rng, h, w, x, y, radius, lobes=6) * mask
        grain = rng.uniform(0.7, 1.0, size=spot.shape).astype(np.float32)
        out = imaging.paint(arr, spot * grain, (0.55, 0.27, 0.09), 0.9)
        return out, PartDefect(kind, where, _clock(part, x, y), 2 * radius * part.mm_per_px)
    raise ValueError(f"unknown defect {kind!r}")


def missing_hole_facts(part: Part, index: int) -> PartDefect:
    x, y, r = part.holes[index]
    return PartDefect("missing_hole", "hole", _clock(part, x, y), 2 * r * part.mm_per_px)


def verdict_of(defect: PartDefect | None) -> str:
    if defect is None or (defect.kind == "scratch" and defect.size_mm <= COSMETIC_MM):
        return "OK"
    return "NG"
