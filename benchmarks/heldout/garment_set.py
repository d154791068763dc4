"""Assemble the `garments` samples (pictures, reports, manifest values) for en or ja."""

from __future__ import annotations

import numpy as np

from benchmarks.heldout import garment_text, garments
from benchmarks.heldout.common import INSPECTORS_EN, INSPECTORS_JA, Sample, pick, random_date

HEADER_EN: tuple[str, ...] = ("id", "image", "report", "garment_class", "visual_defect", "line",
                              "inspector", "date")
HEADER_JA: tuple[str, ...] = ("番号", "画像", "所見", "分類", "外観不良", "ライン", "検査員", "日付")
CLASS_JA = {"tshirt_top": "Tシャツ", "trouser": "ズボン", "pullover": "プルオーバー",
            "dress": "ワンピース", "coat": "コート", "sandal": "サンダル", "shirt": "シャツ",
            "sneaker": "スニーカー", "bag": "バッグ", "ankle_boot": "アンクルブーツ"}
DEFECT_JA = {"stain": "シミ", "tear": "破れ", "hole": "穴", "loose thread": "ほつれ"}
LINES: tuple[str, ...] = ("L1", "L2", "L3", "L4")


def header(lang: str) -> tuple[str, ...]:
    return HEADER_JA if lang == "ja" else HEADER_EN


def build(rng: np.random.Generator, n: int, lang: str) -> list[Sample]:
    images, labels = garments.load_source("train")
    chosen = garments.choose(rng, labels, n)
    cols = header(lang)
    samples: list[Sample] = []
    for i, src in enumerate(chosen):
        cls = garments.CLASSES[int(labels[src])]
        img, facts = garments.render(rng, images[src], cls)
        if lang == "ja":
            text = garment_text.report_ja(rng, facts)
            values = (f"G{i + 1:05d}", f"写真/G{i + 1:05d}.jpg", CLASS_JA[cls],
                      DEFECT_JA[facts.defect] if facts.defect else "なし", pick(rng, LINES),
                      pick(rng, INSPECTORS_JA), random_date(rng, ja=True))
        else:
            text = garment_text.report_en(rng, facts)
            values = (f"GM-{i + 1:05d}", f"images/GM-{i + 1:05d}.jpg", cls, facts.defect or "none",
                      pick(rng, LINES), pick(rng, INSPECTORS_EN), random_date(rng))
        row = dict(zip(cols[:2] + cols[3:], values, strict=True))
        traits = (facts.colour, facts.defect or "clean", facts.tone)
        samples.append(Sample(row[cols[0]], img, text, row, cls, traits))
    return samples
