"""Exact k-NN graphs on a GPU without torch: blocked similarity + top-k as an ONNX graph.

The graph (built here with ``onnx.helper``, a few hundred bytes) takes a block of query
rows ``q`` [b, d], a tile of the data transposed ``xt`` [d, m] and, per query row, the
column of the row itself in that tile (``self_col``, −1 when it lies elsewhere); it
computes ``S = q @ xt`` (MatMul), sets the self column to −inf (Equal/Where) and returns
``TopK(S, min(k, m))`` (largest, sorted). onnxruntime runs it with the CUDA provider when
one works (onnxruntime-gpu with its CUDA runtime), else on the CPU; the provider really
used is returned. Data tiles are bound once per run and stay on the device (io_binding);
only query blocks travel.

Ties: ONNX's TopK puts the lower index first among equal values, so each tile keeps
the lowest indices at its k-th place, and the merge over tiles sorts by (similarity
desc, index asc) — the same total order as the numpy path (engine/metrics/knn.py).
Products in float32 on another kernel (MLAS on CPU, cuBLAS on GPU) can differ from
OpenBLAS's in the last bits, so two neighbours whose similarities differ by ~1e-7 can
swap places with the numpy path; exactly equal ones cannot.

Verified on the CPU provider against the numpy path (tests/test_knn_onnx.py); the CUDA
run itself is unverified in development (no GPU there).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from engine.metrics.knn import IntArray, block_rows_for
from engine.metrics.validate import FloatArray, check_k, check_matrix
from engine.onnx_session import CUDA, open_session
from engine.progress import Progress, report

TILE_BYTES = 2 << 30  # data resident on the device per tile (2 GiB of float32)
OPSET = 17


@lru_cache(maxsize=8)
def topk_graph(k: int) -> bytes:
    """The serialized ONNX model: (q, xt, self_col) → (values, indices) of the top k."""
    from onnx import TensorProto, helper

    h = helper
    nodes = [
        h.make_node("MatMul", ["q", "xt"], ["s"]),
        h.make_node("Shape", ["xt"], ["xt_shape"]),
        h.make_node("Gather", ["xt_shape", "one"], ["m"], axis=0),  # scalar m
        h.make_node("Range", ["zero", "m", "one"], ["cols"]),
        h.make_node("Unsqueeze", ["cols", "axis0"], ["cols_row"]),
        h.make_node("Unsqueeze", ["self_col", "axis1"], ["self_column"]),
        h.make_node("Equal", ["self_column", "cols_row"], ["is_self"]),
        h.make_node("Where", ["is_self", "minus_inf", "s"], ["s_masked"]),
        h.make_node("Min", ["k_wanted", "m"], ["k_scalar"]),
        h.make_node("Reshape", ["k_scalar", "shape1"], ["k_vec"]),
        h.make_node("TopK", ["s_masked", "k_vec"], ["values", "indices"], axis=-1, largest=1, sorted=1),
    ]
    consts = [
        h.make_tensor("zero", TensorProto.INT64, [], [0]),
        h.make_tensor("one", TensorProto.INT64, [], [1]),
        h.make_tensor("axis0", TensorProto.INT64, [1], [0]),
        h.make_tensor("axis1", TensorProto.INT64, [1], [1]),
        h.make_tensor("shape1", TensorProto.INT64, [1], [1]),
        h.make_tensor("k_wanted", TensorProto.INT64, [], [k]),
        h.make_tensor("minus_inf", TensorProto.FLOAT, [], [-np.inf]),
    ]
    graph = h.make_graph(
        nodes, "alignscope_knn_topk",
        [h.make_tensor_value_info("q", TensorProto.FLOAT, ["b", "d"]),
         h.make_tensor_value_info("xt", TensorProto.FLOAT, ["d", "m"]),
         h.make_tensor_value_info("self_col", TensorProto.INT64, ["b"])],
        [h.make_tensor_value_info("values", TensorProto.FLOAT, ["b", "kk"]),
         h.make_tensor_value_info("indices", TensorProto.INT64, ["b", "kk"])],
        initializer=consts,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", OPSET)],
                         producer_name="alignscope")
    model.ir_version = 8
    return bytes(model.SerializeToString())


def knn_session(k: int, device: str = "auto", threads: int | None = None) -> tuple[Any, str]:
    """An onnxruntime session of :func:`topk_graph` and the provider that really runs it."""
    return open_session(topk_graph(k), device, threads, spin=True)


def cuda_works() -> bool:
    """Whether onnxruntime really runs this graph on CUDA here (never trusts get_device())."""
    try:
        return knn_session(1, "auto")[1] == CUDA
    except Exception:  # onnxruntime raises its own classes when CUDA libraries are missing
        return False


def _tiles(x: np.ndarray, tile_rows: int, device_type: str) -> list[tuple[int, int, Any]]:
    import onnxruntime as ort

    n = x.shape[0]
    out = []
    for t0 in range(0, n, tile_rows):
        t1 = min(t0 + tile_rows, n)
        xt = np.ascontiguousarray(x[t0:t1].T)
        out.append((t0, t1, ort.OrtValue.ortvalue_from_numpy(xt, device_type, 0)))
    return out


def _run_tile(sess: Any, q: Any, tile: tuple[int, int, Any], rows: np.ndarray,
              device_type: str) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    t0, t1, xt = tile
    self_col = rows - t0
    self_col[(rows < t0) | (rows >= t1)] = -1
    binding = sess.io_binding()
    binding.bind_ortvalue_input("q", q)
    binding.bind_ortvalue_input("xt", xt)
    binding.bind_ortvalue_input("self_col", ort.OrtValue.ortvalue_from_numpy(self_col, device_type, 0))
    binding.bind_output("values", "cpu")
    binding.bind_output("indices", "cpu")
    sess.run_with_iobinding(binding)
    values, indices = binding.copy_outputs_to_cpu()
    return np.asarray(values, np.float32), np.asarray(indices, np.int64) + t0


def knn_graph_onnx(
    x: FloatArray, k: int, *, device: str = "auto", block_rows: int | None = None,
    tile_rows: int | None = None, threads: int | None = None, progress: Progress | None = None,
    message: str = "nearest neighbours",
) -> tuple[IntArray, FloatArray, str]:
    """(indices [n, k], similarities [n, k] float32, provider used): the contract of
    engine.metrics.knn.knn_graph (self excluded, sorted by similarity desc then index asc),
    computed by the ONNX graph. ``x`` is used as given (normalise rows first for cosine)."""
    import onnxruntime as ort

    x = np.ascontiguousarray(check_matrix(x, "X"), dtype=np.float32)
    n, d = x.shape
    check_k(n, k)
    sess, provider = knn_session(k, device, threads)
    device_type = "cuda" if provider == CUDA else "cpu"
    tile = tile_rows or max(k + 1, min(n, TILE_BYTES // (4 * max(d, 1))))
    rows_per_block = block_rows or block_rows_for(min(n, tile))
    tiles = _tiles(x, tile, device_type)
    out_idx = np.empty((n, k), np.int64)
    out_sim = np.empty((n, k), np.float32)
    for q0 in range(0, n, rows_per_block):
        q1 = min(q0 + rows_per_block, n)
        rows = np.arange(q0, q1, dtype=np.int64)
        q = ort.OrtValue.ortvalue_from_numpy(x[q0:q1], device_type, 0)
        parts = [_run_tile(sess, q, t, rows.copy(), device_type) for t in tiles]
        values = np.concatenate([p[0] for p in parts], axis=1)
        indices = np.concatenate([p[1] for p in parts], axis=1)
        order = np.lexsort((indices, -values), axis=1)[:, :k]
        out_idx[q0:q1] = np.take_along_axis(indices, order, 1)
        out_sim[q0:q1] = np.take_along_axis(values, order, 1)
        report(progress, q1, n, message)
    return out_idx, out_sim, provider
