"""Real inputs for the torch-vs-ONNX parity checks: images and sentences from installed packages."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from engine.encoders.images import preprocess_image


def sample_image_paths(limit_textile: int = 4) -> list[Path]:
    """A handful of real photographs that ship with installed packages."""
    paths: list[Path] = []
    try:
        import conformal_clip_data as ccd

        for folder in (ccd.nominal_dir(), ccd.local_dir(), ccd.global_dir()):
            paths.extend(sorted(Path(folder).glob("*.jpg"))[: max(1, limit_textile // 2)])
    except ImportError:
        pass
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.origin is not None:
        images = Path(spec.origin).parent / "datasets" / "images"
        paths.extend(p for p in (images / "china.jpg", images / "flower.jpg") if p.exists())
    if not paths:
        raise RuntimeError("no sample images found (install conformal-clip-data or scikit-learn)")
    return paths


def parity_images(preprocessing: dict[str, Any]) -> np.ndarray:
    """Preprocessed batch [n, 3, S, S] of the sample images, exactly as the app feeds the model."""
    return np.stack([preprocess_image(p, preprocessing) for p in sample_image_paths()])
