"""Headless parts behind the GUI: projections, region selection, suspect ranking, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from engine.errors import InputError
from engine.pairs import (
    overlap_from_neighbours,
    rank_suspects,
    selection_rows,
    shared_neighbours,
    suspect_rows,
    write_csv,
)
from engine.projections import pca_2d, points_in_polygon, points_in_rect, project


def test_pca_recovers_a_known_plane() -> None:
    rng = np.random.default_rng(0)
    n = 500
    # data spread 10x along e1 and 3x along e2, tiny noise elsewhere, in 8-D
    raw = rng.normal(size=(n, 2))
    raw -= raw.mean(axis=0)
    q = np.linalg.qr(raw)[0]  # centred, exactly orthogonal columns
    coords = q * np.array([10.0, 3.0]) * np.sqrt(n)
    basis = np.linalg.qr(rng.normal(size=(8, 8)))[0][:, :2]
    X = coords @ basis.T + 5.0  # plus an offset that centring removes
    xy = pca_2d(X, normalize=False)
    # PCA coordinates equal the planted ones up to the sign of each axis (after centring)
    c = coords - coords.mean(axis=0)
    for j in range(2):
        corr = abs(np.corrcoef(xy[:, j], c[:, j])[0, 1])
        assert corr > 1 - 1e-9
    assert np.var(xy[:, 0]) > np.var(xy[:, 1])


def test_pca_is_rotation_invariant_and_deterministic() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 16)) * np.linspace(5, 1, 16)
    R = np.linalg.qr(rng.normal(size=(16, 16)))[0]
    a = pca_2d(X, normalize=False)
    b = pca_2d(X @ R, normalize=False)
    # a rotation leaves the principal coordinates unchanged up to sign
    assert np.allclose(np.abs(a), np.abs(b), atol=1e-4)
    assert np.array_equal(pca_2d(X), pca_2d(X.copy()))


def test_projection_refuses_bad_input() -> None:
    with pytest.raises(InputError, match="NaN or infinite values in rows \\[2\\]"):
        X = np.ones((4, 3))
        X[2, 1] = np.nan
        pca_2d(X)
    with pytest.raises(InputError, match="2-D"):
        pca_2d(np.ones(5))
    with pytest.raises(InputError, match="unknown projection method"):
        project(np.ones((3, 3)), method="umap")  # not offered (t-SNE is the nonlinear one)


def test_points_in_polygon_square_and_triangle() -> None:
    grid = np.array([[x, y] for x in np.arange(-2, 2.01, 0.5) for y in np.arange(-2, 2.01, 0.5)])
    square = np.array([[-1.1, -1.1], [1.1, -1.1], [1.1, 1.1], [-1.1, 1.1]])
    inside = points_in_polygon(grid, square)
    expected = (np.abs(grid[:, 0]) <= 1.0) & (np.abs(grid[:, 1]) <= 1.0)
    assert np.array_equal(inside, expected)
    tri = np.array([[0, 0], [4, 0], [0, 4]], dtype=float)
    pts = np.array([[1, 1], [3, 3], [0.5, 3], [2.5, 1.0], [-0.1, 1]])
    assert points_in_polygon(pts, tri).tolist() == [True, False, True, True, False]
    assert not points_in_polygon(pts, tri[:2]).any()  # fewer than 3 vertices
    assert points_in_rect(pts, 3.5, -1, 0, 2).tolist() == [True, False, False, True, False]


def test_overlap_from_neighbours_known_values() -> None:
    nn_a = np.array([[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]])
    nn_b = np.array([[3, 2, 1], [5, 6, 7], [0, 9, 8], [1, 0, 4]])
    assert overlap_from_neighbours(nn_a, nn_b).tolist() == [1.0, 0.0, 1 / 3, 2 / 3]
    assert shared_neighbours(nn_a[3], nn_b[3]) == [0, 1]
    with pytest.raises(InputError):
        overlap_from_neighbours(nn_a, nn_b[:, :2])


def test_overlap_matches_engine_metrics() -> None:
    from engine.metrics import knn_indices, per_sample_overlap

    rng = np.random.default_rng(3)
    A = rng.normal(size=(120, 12))
    B = A @ np.linalg.qr(rng.normal(size=(12, 12)))[0] + rng.normal(0, 0.6, (120, 12))
    ours = overlap_from_neighbours(knn_indices(A, 7), knn_indices(B, 7))
    assert np.allclose(ours, per_sample_overlap(A, B, k=7))
    # identical spaces: every neighbour shared
    assert np.all(overlap_from_neighbours(knn_indices(A, 5), knn_indices(A, 5)) == 1.0)


def test_rank_suspects_orders_filters_and_hides_reviewed() -> None:
    ids = ["a", "b", "c", "d", "e"]
    scores = np.array([0.5, 0.1, 0.1, 0.9, 0.0])
    cols = {"line": ["L1", "L2", "L1", "L1", "L2"]}
    suspicion = 1.0 - scores  # the lowest overlap is the most suspect
    assert rank_suspects(suspicion, ids).tolist() == [4, 1, 2, 0, 3]  # ties by id
    assert rank_suspects(suspicion, ids, cols, {"line": "L1"}).tolist() == [2, 0, 3]
    assert rank_suspects(suspicion, ids, cols, reviewed={"e", "b"}, hide_reviewed=True).tolist() == [2, 0, 3]
    assert rank_suspects(suspicion, ids, limit=2).tolist() == [4, 1]
    with pytest.raises(InputError, match="unknown filter column 'shift'"):
        rank_suspects(suspicion, ids, cols, {"shift": "A"})
    rows = suspect_rows(np.array([4, 1]), ids, scores, cols, {"b"}, reports=["x"] * 5, score_column="score")
    assert rows[0] == {"rank": 1, "id": "e", "score": 0.0, "line": "L2", "report": "x", "reviewed": False}
    assert rows[1]["reviewed"] is True


def test_selection_csv_roundtrip(tmp_path: Path) -> None:
    xy_a = np.array([[0.0, 1.0], [2.0, 3.0]])
    xy_b = np.array([[4.0, 5.0], [6.0, 7.0]])
    header, rows = selection_rows([1], ["id0", "部品1"], xy_a, xy_b, np.array([0.2, 0.7]),
                                  {"defect": ["none", "穴"]})
    out = tmp_path / "sel.csv"
    write_csv(out, header, rows)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Japanese correctly
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["id", "image_x", "image_y", "report_x", "report_y", "neighbour_overlap", "defect"]
    assert got[1] == ["部品1", "2.0", "3.0", "6.0", "7.0", "0.7", "穴"]
    with pytest.raises(InputError, match="cannot write"):
        write_csv(tmp_path / "missing" / "x.csv", header, rows)
