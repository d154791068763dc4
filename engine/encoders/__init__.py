"""Encoders: the bundled ONNX ladder, user-registered models and the encoding runtime.

    from engine.encoders import ModelSpec, list_models, get_spec, load_encoder, Encoder
"""

import engine.offline  # noqa: F401  (telemetry off before onnxruntime is imported)
from engine.encoders.registry import (
    DEFAULT_IMAGE_MODEL,
    DEFAULT_TEXT_MODEL,
    LayerSpec,
    ModelSpec,
    bundled_dir,
    get_spec,
    list_models,
    user_dir,
)
from engine.encoders.runtime import EncodedBatch, Encoder, load_encoder
from engine.onnx_session import DEVICES

__all__ = [
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_TEXT_MODEL",
    "DEVICES",
    "EncodedBatch",
    "Encoder",
    "LayerSpec",
    "ModelSpec",
    "bundled_dir",
    "get_spec",
    "list_models",
    "load_encoder",
    "user_dir",
]
