"""torch-vs-ONNX parity: the one tolerance, real inputs, and the per-output comparison.

Every output of every exported graph (the final embedding and each pooled layer) must agree
with torch on the same inputs to ``PARITY_MAX_ABS_DIFF`` (max |diff|) and ``PARITY_MIN_COSINE``
(per-row cosine). The exporter refuses a graph that does not, the tests check the same numbers
through the app's runtime, and the README quotes them: one tolerance, defined here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from engine.encoders.images import decode_batch

PARITY_MAX_ABS_DIFF = 1e-4
PARITY_MIN_COSINE = 0.9999


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


def parity_pixels(preprocessing: dict[str, Any]) -> np.ndarray:
    """uint8 [n, S, S, 3] pixels of the sample images, decoded exactly as the app decodes them."""
    return decode_batch(sample_image_paths(), preprocessing)


def _compare(got: np.ndarray, ref: np.ndarray) -> dict[str, float]:
    a = np.asarray(got, dtype=np.float64).reshape(len(got), -1)
    b = np.asarray(ref, dtype=np.float64).reshape(len(ref), -1)
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    cos = np.sum(a * b, axis=1) / np.maximum(norms, 1e-300)
    return {"max_abs_diff": float(np.max(np.abs(a - b))), "min_cosine": float(np.min(cos))}


def compare_outputs(got: dict[str, np.ndarray], reference: dict[str, np.ndarray]) -> dict[str, Any]:
    """Parity record: per output and overall (worst) max |diff| and min cosine."""
    per = {name: _compare(got[name], reference[name]) for name in reference}
    n = len(next(iter(reference.values())))
    return {
        "n_inputs": int(n),
        "max_abs_diff": max(p["max_abs_diff"] for p in per.values()),
        "min_cosine": min(p["min_cosine"] for p in per.values()),
        "outputs": per,
        "tolerance": {"max_abs_diff": PARITY_MAX_ABS_DIFF, "min_cosine": PARITY_MIN_COSINE},
        "against": "torch (same inputs, CPU)",
    }


def within_tolerance(parity: dict[str, Any]) -> bool:
    """Within the parity tolerance: this module's for the torch-exported rungs; an exporter whose
    reference is not torch (the multilingual rungs: the package's own engine) states its own."""
    tol = parity.get("tolerance") or {"max_abs_diff": PARITY_MAX_ABS_DIFF, "min_cosine": PARITY_MIN_COSINE}
    return bool(parity["max_abs_diff"] <= tol["max_abs_diff"]
                and parity["min_cosine"] >= tol["min_cosine"])


def run_onnx(onnx_path: Path, feeds: dict[str, np.ndarray], names: list[str]) -> dict[str, np.ndarray]:
    """Outputs ``names`` of the exported file on CPU."""
    import onnxruntime as ort

    ort.set_default_logger_severity(4)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    return dict(zip(names, sess.run(names, feeds), strict=True))
