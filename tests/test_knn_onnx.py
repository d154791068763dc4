"""The ONNX k-NN graph (MatMul + TopK, run by onnxruntime) against the numpy path.

Run on the CPU provider here (no GPU in development): same neighbour sets and order,
self excluded, ties (exact duplicates) broken by the lower index, across query blocks
and data tiles of every size.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import InputError
from engine.metrics import compute_metrics
from engine.metrics.knn import knn_graph
from engine.metrics.knn_onnx import knn_graph_onnx, topk_graph
from engine.onnx_session import CPU


def _unit(rows: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize(("block", "tile"), [(None, None), (64, 97), (500, 11)])
def test_same_neighbours_as_the_numpy_path(block: int | None, tile: int | None) -> None:
    x = _unit(700, 48, 1)
    i_np, s_np = knn_graph(x, 10)
    i_ox, s_ox, provider = knn_graph_onnx(x, 10, device="cpu", block_rows=block, tile_rows=tile)
    assert provider == CPU
    np.testing.assert_array_equal(i_ox, i_np)
    np.testing.assert_allclose(s_ox, s_np, atol=1e-6)
    assert not (i_ox == np.arange(700)[:, None]).any()  # the row itself is never its neighbour


def test_against_brute_force_in_float64_where_the_k_th_gap_is_clear() -> None:
    x = _unit(400, 16, 2)
    s = x.astype(np.float64) @ x.T.astype(np.float64)
    np.fill_diagonal(s, -np.inf)
    truth = np.argsort(-s, axis=1, kind="stable")[:, :7]
    i_ox, _, _ = knn_graph_onnx(x, 7, device="cpu", tile_rows=150)
    srt = -np.sort(-s, axis=1)
    clear = (srt[:, 6] - srt[:, 7]) > 1e-5
    assert clear.sum() > 350
    assert all(set(i_ox[r]) == set(truth[r]) for r in np.flatnonzero(clear))


def test_ties_between_exact_duplicates_go_to_the_lower_index() -> None:
    base = _unit(40, 8, 3)
    x = np.concatenate([base, base, base])  # rows i, i+40, i+80 are identical
    i_ox, s_ox, _ = knn_graph_onnx(x, 4, device="cpu", tile_rows=23, block_rows=64)
    i_np, _ = knn_graph(x, 4)
    np.testing.assert_array_equal(i_ox, i_np)
    # row 0's two copies come first, lower index first, both at similarity 1
    assert i_ox[0, :2].tolist() == [40, 80]
    np.testing.assert_allclose(s_ox[0, :2], 1.0, atol=1e-6)


def test_k_equal_to_n_minus_one_and_a_last_tile_smaller_than_k() -> None:
    x = _unit(13, 5, 4)
    i_ox, _, _ = knn_graph_onnx(x, 12, device="cpu", tile_rows=5)
    i_np, _ = knn_graph(x, 12)
    np.testing.assert_array_equal(i_ox, i_np)


def test_graph_uses_matmul_and_topk_and_bad_devices_are_refused() -> None:
    import onnx

    model = onnx.load_from_string(topk_graph(10))
    ops = {node.op_type for node in model.graph.node}
    assert {"MatMul", "TopK", "Where"} <= ops
    onnx.checker.check_model(model)
    with pytest.raises(InputError, match="unknown device 'tpu'"):
        knn_graph_onnx(_unit(20, 4, 5), 3, device="tpu")


def test_metrics_say_which_knn_path_ran() -> None:
    from engine.metrics.knn_onnx import cuda_works

    a, b = _unit(120, 12, 6), _unit(120, 9, 7)
    out = compute_metrics(a, b, metrics="mutual_knn", device="auto")
    expected = "CUDAExecutionProvider" if cuda_works() else "numpy (CPU)"
    assert f"k-NN graphs computed by {expected}" in out["notes"]
    ref = compute_metrics(a, b, metrics="mutual_knn")  # device "cpu": the numpy path, no note
    assert out["mutual_knn"] == ref["mutual_knn"] and ref["notes"] == []
