"""Where the CPU of one image goes outside the model, stage by stage (one thread, thread CPU time).

    .venv/bin/python benchmarks/bench_encode.py --stages     (prints this table first)

The stages are the steps of engine.encoders.images.decode_into, timed one by one with the
same calls; their sum is the decoding floor of one image. What the pipeline costs beyond it
(pipeline CPU − bare model CPU − this sum) is thread hand-offs and contention.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from engine.encoders import get_spec
from engine.encoders.images import (
    _open,
    _resize_crop,
    _to_rgb_or_grey,
    normalise_batch,
)

STAGES = ("open (stat, header)", "decode (JPEG draft when >= 2x)", "EXIF orientation",
          "colour conversion", "resize + centre crop", "copy into the batch buffer")
FLOAT_STAGE = "normalise to float32 NCHW (float-input models only; the ladder does it in-graph)"


def stage_times(paths: list[Path], size: int, preprocessing: dict[str, object]) -> dict[str, float]:
    """Mean thread-CPU milliseconds per image of each stage."""
    spent = dict.fromkeys((*STAGES, FLOAT_STAGE), 0.0)
    out = np.empty((1, size, size, 3), np.uint8)
    floats = np.empty((1, 3, size, size), np.float32)
    tt = time.thread_time
    for p in paths:
        t = tt()
        img = _open(p, 64_000_000)
        t1 = tt()
        if img.format == "JPEG" and min(img.size) >= 2 * size:
            scale = min(img.size) / size
            img.draft("RGB", (int(img.size[0] / scale) + 1, int(img.size[1] / scale) + 1))
        img.load()
        t2 = tt()
        ImageOps.exif_transpose(img, in_place=True)
        t3 = tt()
        pixels: Image.Image = _to_rgb_or_grey(img, p)
        t4 = tt()
        small = _resize_crop(pixels, size, "bilinear", reduce=img.format != "JPEG")
        t5 = tt()
        out[0] = np.asarray(small)[:, :, None] if small.mode == "L" else np.asarray(small)
        t6 = tt()
        normalise_batch(out, preprocessing, floats)
        t7 = tt()
        img.close()
        for name, dt in zip((*STAGES, FLOAT_STAGE), (t1 - t, t2 - t1, t3 - t2, t4 - t3, t5 - t4,
                                                      t6 - t5, t7 - t6), strict=True):
            spent[name] += dt
    return {k: v / max(1, len(paths)) * 1e3 for k, v in spent.items()}


def print_stage_table(paths: list[Path], model_ids: list[str]) -> None:
    sizes = []
    for model_id in model_ids:
        spec = get_spec(model_id)
        size = int(spec.preprocessing.get("size") or spec.input_size or 224)
        if size not in [s for s, _ in sizes]:
            sizes.append((size, dict(spec.preprocessing)))
    tables = {size: stage_times(paths, size, prep) for size, prep in sizes}
    header = "| stage | " + " | ".join(f"ms/image at {s} px" for s, _ in sizes) + " |"
    print(f"\nCPU per image by stage ({len(paths)} images, one thread, mean):")
    print(header)
    print("|---|" + "---|" * len(sizes))
    for name in (*STAGES, FLOAT_STAGE):
        print(f"| {name} | " + " | ".join(f"{tables[s][name]:.3f}" for s, _ in sizes) + " |")
    print("| **sum of the stages the ladder runs** | " + " | ".join(
        f"**{sum(tables[s][n] for n in STAGES):.3f}**" for s, _ in sizes) + " |\n", flush=True)
