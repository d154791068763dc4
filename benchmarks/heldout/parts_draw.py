"""Procedural photos of machined parts: outline, holes, metal finish, lighting, stamped digit.

A :class:`Part` is drawn in layers (alpha mask at 2× supersampling, brushed or turned
texture, bevel shading, a light field, a drop shadow on the background) so that defects
can be painted on top afterwards (``part_defects``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from benchmarks.heldout.imaging import Array, lighting

CANVAS = 192
SS = 2  # supersampling of the outline masks
PART_TYPES: tuple[str, ...] = ("washer", "gear", "flange", "hex_bolt", "bracket")
SIZE_MM = {"washer": 30.0, "gear": 60.0, "flange": 90.0, "hex_bolt": 24.0, "bracket": 70.0}
FINISHES: dict[str, tuple[float, float, float]] = {
    "bare steel": (0.72, 0.73, 0.75), "zinc plated": (0.78, 0.77, 0.66),
    "black oxide": (0.28, 0.28, 0.3), "aluminium": (0.84, 0.85, 0.87),
}
BACKGROUNDS: tuple[tuple[float, float, float], ...] = ((0.16, 0.17, 0.19), (0.2, 0.3, 0.42))


@dataclass
class Part:
    kind: str
    cx: float
    cy: float
    radius: float  # half the largest dimension, pixels
    holes: list[tuple[float, float, float]]  # (x, y, r) drilled holes; holes[0] is the bore if any
    optional_holes: list[int]  # indices of holes a "missing hole" defect may leave undrilled
    outline: list[tuple[float, float]] = field(default_factory=list)  # polygon (gear, hex, bracket)
    stamp_at: tuple[float, float] = (0.0, 0.0)
    inner_radius: float = 0.0  # bore radius (round parts) for "near the bore" wording

    @property
    def mm_per_px(self) -> float:
        return SIZE_MM[self.kind] / (2 * self.radius)


def _polar(cx: float, cy: float, r: float, a: float) -> tuple[float, float]:
    return cx + r * math.cos(a), cy + r * math.sin(a)


def layout(rng: np.random.Generator, kind: str) -> Part:
    """Where the part lies on the canvas and its holes, with a little random placement."""
    cx, cy = (CANVAS / 2 + float(v) for v in rng.uniform(-8, 8, size=2))
    rot = float(rng.uniform(0, 2 * math.pi))
    if kind == "washer":
        r = float(rng.uniform(56, 66))
        bore = r * float(rng.uniform(0.38, 0.48))
        mid = (r + bore) / 2
        return Part(kind, cx, cy, r, [(cx, cy, bore)], [], stamp_at=_polar(cx, cy, mid, rot),
                    inner_radius=bore)
    if kind == "gear":
        r, teeth = float(rng.uniform(60, 70)), int(rng.integers(14, 23))
        outline = [_polar(cx, cy, r if (k // 2) % 2 == 0 else r * 0.84, rot + math.pi * k / (2 * teeth))
                   for k in range(4 * teeth)]
        holes = [(cx, cy, r * 0.2)] + [(*_polar(cx, cy, r * 0.5, rot + k * math.pi / 2), r * 0.11)
                                       for k in range(4)]
        return Part(kind, cx, cy, r, holes, [1, 2, 3, 4], outline,
                    _polar(cx, cy, r * 0.5, rot + math.pi / 4), r * 0.2)
    if kind == "flange":
        r, count = float(rng.uniform(70, 80)), 6
        holes = [(cx, cy, r * 0.3)] + [(*_polar(cx, cy, r * 0.7, rot + 2 * math.pi * k / count), r * 0.09)
                                       for k in range(count)]
        return Part(kind, cx, cy, r, holes, list(range(1, count + 1)),
                    stamp_at=_polar(cx, cy, r * 0.7, rot + math.pi / count), inner_radius=r * 0.3)
    if kind == "hex_bolt":
        r = float(rng.uniform(58, 68))
        outline = [_polar(cx, cy, r, rot + k * math.pi / 3) for k in range(6)]
        return Part(kind, cx, cy, r, [], [], outline, (cx, cy))
    # bracket: an L plate with two holes on each leg
    r = float(rng.uniform(66, 76))
    long_leg, short_leg, width = 2 * r * 0.95, 2 * r * 0.6, r * 0.5
    ca, sa = math.cos(rot), math.sin(rot)

    def at(u: float, v: float) -> tuple[float, float]:
        u, v = u - long_leg / 2, v - short_leg / 2
        return cx + u * ca - v * sa, cy + u * sa + v * ca

    outline = [at(0, 0), at(long_leg, 0), at(long_leg, width), at(width, width),
               at(width, short_leg), at(0, short_leg)]
    holes = [(*at(long_leg * f, width / 2), width * 0.18) for f in (0.55, 0.85)]
    holes += [(*at(width / 2, short_leg * f), width * 0.18) for f in (0.65, 0.9)]
    return Part(kind, cx, cy, r, holes, [0, 1, 2, 3], outline, at(long_leg * 0.3, width / 2))


def part_mask(part: Part, missing: int | None = None) -> Array:
    """Alpha of the part (holes cut out except ``missing``), antialiased by supersampling."""
    big = Image.new("L", (CANVAS * SS, CANVAS * SS), 0)
    draw = ImageDraw.Draw(big)
    if part.outline:
        draw.polygon([(x * SS, y * SS) for x, y in part.outline], fill=255)
    else:
        r = part.radius
        draw.ellipse(((part.cx - r) * SS, (part.cy - r) * SS, (part.cx + r) * SS, (part.cy + r) * SS),
                     fill=255)
    for k, (x, y, r) in enumerate(part.holes):
        if k != missing:
            draw.ellipse(((x - r) * SS, (y - r) * SS, (x + r) * SS, (y + r) * SS), fill=0)
    small = big.resize((CANVAS, CANVAS), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def _texture(rng: np.random.Generator, part: Part) -> Array:
    """Turning marks (round parts) or brushing streaks (flat parts), around 1.0."""
    noise = rng.normal(0, 1, size=(CANVAS // 4, CANVAS)).astype(np.float32)
    streaks = np.asarray(Image.fromarray(noise).resize((CANVAS, CANVAS), Image.Resampling.BILINEAR))
    if part.kind in ("washer", "gear", "flange"):
        yy, xx = np.mgrid[0:CANVAS, 0:CANVAS].astype(np.float32)
        rr = np.hypot(xx - part.cx, yy - part.cy)
        return np.asarray(1 + 0.05 * np.sin(rr * float(rng.uniform(1.5, 2.5))) + 0.03 * streaks,
                          dtype=np.float32)
    return np.asarray(1 + 0.05 * streaks, dtype=np.float32)


def _bevel(mask: Array, angle: float) -> Array:
    soft = np.asarray(Image.fromarray((mask * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(2.0)), dtype=np.float32) / 255.0
    gy, gx = np.gradient(soft)
    return np.asarray(1 + 2.2 * (gx * math.cos(angle) + gy * math.sin(angle)), dtype=np.float32)


def stamp_mask(digit: int, at: tuple[float, float], size: int, angle: float) -> Array:
    """The digit as an engraving mask centred on ``at``."""
    font = ImageFont.load_default(size=size * SS)
    tile = Image.new("L", (size * SS * 2, size * SS * 2), 0)
    ImageDraw.Draw(tile).text((size * SS, size * SS), str(digit), fill=255, font=font, anchor="mm")
    tile = tile.rotate(angle, resample=Image.Resampling.BICUBIC)
    layer = Image.new("L", (CANVAS * SS, CANVAS * SS), 0)
    layer.paste(tile, (int(at[0] * SS) - size * SS, int(at[1] * SS) - size * SS))
    small = layer.resize((CANVAS, CANVAS), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


def shade_part(rng: np.random.Generator, part: Part, mask: Array, finish: str,
               background: tuple[float, float, float]) -> Array:
    """Composite the lit metal part over its background with a drop shadow."""
    light_angle = float(rng.uniform(0, 2 * math.pi))
    base = np.asarray(FINISHES[finish], np.float32) * float(rng.uniform(0.92, 1.06))
    metal = base[None, None, :] * (_texture(rng, part) * _bevel(mask, light_angle))[..., None]
    yy, xx = np.mgrid[0:CANVAS, 0:CANVAS].astype(np.float32)
    sx, sy = part.cx + 30 * math.cos(light_angle + math.pi), part.cy + 30 * math.sin(light_angle + math.pi)
    metal += 0.22 * np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * 28.0 ** 2))[..., None]
    shadow = np.roll(mask, (4, 4), axis=(0, 1))
    shadow = np.asarray(Image.fromarray((shadow * 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(4)), dtype=np.float32) / 255.0
    bg = np.asarray(background, np.float32)[None, None, :] * (1 - 0.45 * shadow)[..., None]
    out = metal * mask[..., None] + bg * (1 - mask[..., None])
    return (out * lighting(rng, CANVAS, CANVAS, 0.15)[..., None]).astype(np.float32)


def engrave(arr: Array, stamp: Array, depth: float) -> Array:
    """Stamped digit: darker strokes with a thin highlight on one side."""
    lit = np.roll(stamp, (1, 1), axis=(0, 1))
    out = arr * (1 - depth * stamp[..., None]) + 0.25 * depth * np.clip(lit - stamp, 0, 1)[..., None]
    return np.asarray(out, dtype=np.float32)
