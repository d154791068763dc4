"""Assemble the `parts` samples: drawn part photos, their reports, the plant's sheet columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from benchmarks.heldout import imaging, part_defects, part_text, parts_draw
from benchmarks.heldout.common import (
    INSPECTORS_EN,
    INSPECTORS_JA,
    Sample,
    chance,
    pick,
    random_date,
)
from benchmarks.heldout.part_defects import PartDefect

HEADER_EN: tuple[str, ...] = ("serial", "photo", "finding", "verdict", "part_type", "defect_type",
                              "stamp", "inspector", "date")
# the Japanese plant's sheet: exactly these columns
HEADER_JA: tuple[str, ...] = ("シリアル", "写真", "所見", "判定", "刻印", "検査員", "日付")
VERDICT_JA = {"OK": "合格", "NG": "不合格"}
DEFECT_RATE = 0.5


@dataclass(frozen=True)
class PartFacts:
    kind: str
    finish: str
    stamp: int
    stamp_legible: bool
    defect: PartDefect | None
    verdict: str  # OK / NG


def header(lang: str) -> tuple[str, ...]:
    return HEADER_JA if lang == "ja" else HEADER_EN


def render(rng: np.random.Generator, kind: str) -> tuple[Image.Image, PartFacts]:
    """One photo of a part of ``kind`` with its stamp and maybe a defect, and the facts shown."""
    part = parts_draw.layout(rng, kind)
    defect_kind = pick(rng, part_defects.DEFECTS) if chance(rng, DEFECT_RATE) else None
    if defect_kind == "missing_hole" and not part.optional_holes:
        defect_kind = pick(rng, part_defects.DEFECTS[:-1])
    missing = int(rng.choice(part.optional_holes)) if defect_kind == "missing_hole" else None
    mask = parts_draw.part_mask(part, missing)
    finish = pick(rng, list(parts_draw.FINISHES))
    background = parts_draw.BACKGROUNDS[int(rng.integers(len(parts_draw.BACKGROUNDS)))]
    arr = parts_draw.shade_part(rng, part, mask, finish, background)
    digit = int(rng.integers(10))
    legible = not chance(rng, 0.08)
    size = 13 if kind == "washer" else int(rng.integers(15, 22))
    stamp = parts_draw.stamp_mask(digit, part.stamp_at, size, float(rng.uniform(-40, 40))) * mask
    arr = parts_draw.engrave(arr, stamp, 0.5 if legible else 0.12)
    defect: PartDefect | None = None
    if missing is not None:
        defect = part_defects.missing_hole_facts(part, missing)
    elif defect_kind is not None:
        clear = np.asarray(Image.fromarray((stamp * 255).astype(np.uint8)).filter(
            ImageFilter.MaxFilter(9)), dtype=np.float32) / 255.0
        arr, defect = part_defects.draw_defect(rng, defect_kind, arr, mask, part, clear)
    fill = tuple(int(c * 255) for c in background)
    img = imaging.station_variation(rng, imaging.to_image(arr), fill, max_rotation=3.0, noise=0.02)  # type: ignore[arg-type]
    return img, PartFacts(kind, finish, digit, legible, defect, part_defects.verdict_of(defect))


def build(rng: np.random.Generator, n: int, lang: str) -> list[Sample]:
    kinds = [parts_draw.PART_TYPES[i % len(parts_draw.PART_TYPES)] for i in range(n)]
    kinds = [kinds[int(i)] for i in rng.permutation(n)]
    cols = header(lang)
    samples: list[Sample] = []
    for i, kind in enumerate(kinds):
        img, f = render(rng, kind)
        serial = f"{'SP' if lang == 'ja' else 'MP'}{24000 + i * 7 + int(rng.integers(7)):06d}"
        defect_name = f.defect.kind if f.defect else "none"
        if lang == "ja":
            text = part_text.report_ja(rng, f)
            values = {cols[0]: serial, cols[1]: f"写真/{serial}.jpg", cols[3]: VERDICT_JA[f.verdict],
                      cols[4]: str(f.stamp), cols[5]: pick(rng, INSPECTORS_JA),
                      cols[6]: random_date(rng, ja=True)}
        else:
            text = part_text.report_en(rng, f)
            values = {cols[0]: serial, cols[1]: f"photos/{serial}.jpg", cols[3]: f.verdict,
                      cols[4]: kind, cols[5]: defect_name, cols[6]: str(f.stamp),
                      cols[7]: pick(rng, INSPECTORS_EN), cols[8]: random_date(rng)}
        traits = (defect_name, f"stamp {f.stamp}", f.finish, f.verdict)
        samples.append(Sample(serial, img, text, values, kind, traits))
    return samples
