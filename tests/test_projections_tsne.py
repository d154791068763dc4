"""t-SNE projection "on request": engine known values (determinism, separated clusters stay
separated, store cache, cancel between stages, readable errors) and the Spaces view's
PCA | t-SNE switch computed in a worker while the GUI keeps running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import make_embedding_store

from engine.errors import InputError
from engine.progress import Cancelled
from engine.projections import (
    TSNE_MAX_ROWS,
    method_steps,
    pca_2d,
    project,
    store_projection,
    store_projection_pair,
    tsne_2d,
)

N = 240  # four clusters of 60
CLUSTERS = 4


def _clusters(n: int, dim: int, k: int, spread: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """k Gaussian clusters around random unit-scale centres in ``dim`` dimensions."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    labels = np.arange(n) % k
    x = centres[labels] + spread * rng.normal(size=(n, dim))
    return x.astype(np.float32), labels


def _knn_purity(xy: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Share of each point's k nearest 2-D neighbours (self excluded) that carry its label."""
    d2 = ((xy[:, None, :].astype(np.float64) - xy[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    nn = np.argsort(d2, axis=1)[:, :k]
    return float((labels[nn] == labels[:, None]).mean())


_make_store = make_embedding_store


@pytest.fixture(scope="module")
def spaces_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, labels = _clusters(N, 64, CLUSTERS, 0.25, seed=1)
    b, labels_b = _clusters(N, 32, CLUSTERS, 0.25, seed=2)
    assert np.array_equal(labels, labels_b)
    return a, b, labels


@pytest.fixture
def store(tmp_path: Path, spaces_data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Path:
    path = tmp_path / "proj.h5"
    _make_store(path, spaces_data[0], spaces_data[1])
    return path


# -- engine -----------------------------------------------------------------------------------
def test_tsne_is_deterministic_for_a_seed() -> None:
    x, _ = _clusters(150, 40, 3, 0.5, seed=3)
    first = tsne_2d(x, random_state=0)
    again = tsne_2d(x, random_state=0)
    assert first.shape == (150, 2) and first.dtype == np.float32 and np.isfinite(first).all()
    np.testing.assert_allclose(again, first, rtol=0, atol=1e-5)
    np.testing.assert_allclose(project(x, method="tsne"), first, rtol=0, atol=1e-5)


def test_separated_gaussian_clusters_stay_separated_where_2d_pca_mixes_them() -> None:
    # 10 clusters in 100-d, random centres ~14 apart, within-cluster spread ~21: separable in
    # 100-d (kNN purity ≥ 0.98), but two linear axes cannot hold ten of them apart; the
    # neighbourhood-preserving map does
    x, labels = _clusters(320, 100, 10, 1.5, seed=4)
    assert _knn_purity(x, labels) >= 0.98
    xy = tsne_2d(x)
    assert _knn_purity(xy, labels) >= 0.95
    assert _knn_purity(pca_2d(x), labels) < 0.8


def test_scale_and_normalisation_do_not_change_the_map() -> None:
    # rows are L2-normalised first, so scaling every row by its own positive factor is invisible
    # (powers of two keep the normalised rows bit-identical; t-SNE amplifies any rounding)
    x, _ = _clusters(120, 30, 3, 0.4, seed=5)
    scales = 2.0 ** np.random.default_rng(6).integers(-3, 6, size=(120, 1))
    np.testing.assert_allclose(tsne_2d((x * scales).astype(np.float32)), tsne_2d(x), rtol=0, atol=1e-5)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.zeros(10, np.float32), "2-D array"),
        (np.zeros((0, 4), np.float32), "at least one row"),
        (np.zeros((10, 4), np.int64), "floating-point"),
        (np.zeros((3, 4), np.float32), "at least 5 samples"),
        (np.zeros((TSNE_MAX_ROWS + 1, 2), np.float32), "use the PCA projection"),
    ],
)
def test_bad_input_gets_a_readable_error(x: np.ndarray, match: str) -> None:
    with pytest.raises(InputError, match=match):
        tsne_2d(x)


def test_nan_rows_and_unknown_methods_are_named() -> None:
    x, _ = _clusters(20, 4, 2, 0.3, seed=7)
    x[[3, 11]] = np.nan
    with pytest.raises(InputError, match=r"rows \[3, 11\]"):
        project(x, method="tsne")
    with pytest.raises(InputError, match="unknown projection method 'umap'; available: pca, tsne"):
        project(x, method="umap")
    with pytest.raises(InputError, match="perplexity must be positive"):
        tsne_2d(np.ones((10, 3), np.float32), perplexity=0)


def test_identical_rows_map_to_one_point() -> None:
    xy = tsne_2d(np.ones((12, 5), np.float32))
    assert np.array_equal(xy, np.zeros((12, 2), np.float32))


def test_store_projection_caches_tsne_apart_from_pca(
    store: Path, spaces_data: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    a, _, labels = spaces_data
    seen: list[tuple[int, int, str]] = []
    first = store_projection(store, "img-x", method="tsne", progress=lambda d, t, m: seen.append((d, t, m)))
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)  # monotone steps
    steps = method_steps("tsne")
    assert {t for _, t, _ in seen} == {steps} and seen[-1][:2] == (steps, steps)
    assert seen[-1][2] == "projection ready"
    assert any("iteration 750/750" in m for _, _, m in seen)  # progress inside the optimisation
    assert _knn_purity(first, labels) >= 0.95
    np.testing.assert_allclose(first, tsne_2d(a), rtol=0, atol=1e-5)  # what the store holds is t-SNE
    seen.clear()
    again = store_projection(store, "img-x", method="tsne", progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen == [(0, steps, "reading img-x"), (steps, steps, "projection from cache")]  # no t-SNE step ran
    assert np.array_equal(again, first)
    # the PCA cache is a separate entry: PCA asked after t-SNE is PCA
    np.testing.assert_allclose(store_projection(store, "img-x", method="pca"), pca_2d(a), rtol=0, atol=1e-6)
    with pytest.raises(InputError, match="unknown projection method"):
        store_projection(store, "img-x", method="umap")


def test_cancel_between_stages_stops_before_the_tsne_and_caches_nothing(store: Path) -> None:
    def cancel_at_tsne(done: int, total: int, message: str) -> None:
        if message.startswith("t-SNE of"):
            raise Cancelled("projection")

    reached: list[str] = []

    def record_then_cancel(done: int, total: int, message: str) -> None:
        reached.append(message)
        cancel_at_tsne(done, total, message)

    with pytest.raises(Cancelled):
        store_projection_pair(store, "img-x", "txt-y", method="tsne", progress=record_then_cancel)
    assert reached[-1].startswith("t-SNE of") and not any("saving" in m for m in reached)
    seen: list[str] = []
    store_projection(store, "img-x", method="tsne", progress=lambda d, t, m: seen.append(m))
    assert "projection from cache" not in seen and seen[-1] == "projection ready"


def test_cancel_inside_the_optimisation_stops_it(store: Path) -> None:
    def cancel_mid_way(done: int, total: int, message: str) -> None:
        if "iteration 100/" in message:
            raise Cancelled("projection")

    with pytest.raises(Cancelled):
        store_projection(store, "img-x", method="tsne", progress=cancel_mid_way)
    seen: list[str] = []
    store_projection(store, "img-x", method="tsne", progress=lambda d, t, m: seen.append(m))
    assert "projection from cache" not in seen  # nothing half-done was cached


def test_pair_progress_runs_over_both_spaces(store: Path) -> None:
    seen: list[tuple[int, int]] = []
    xy_a, xy_b = store_projection_pair(store, "img-x", "txt-y", method="pca",
                                       progress=lambda d, t, m: seen.append((d, t)))
    assert xy_a.shape == xy_b.shape == (N, 2)
    assert {t for _, t in seen} == {6} and seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- Spaces view ------------------------------------------------------------------------------
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_spaces_view_switches_to_tsne_in_a_worker_without_blocking(
    qtbot: Any, store: Path, tmp_path: Path, spaces_data: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    from PySide6.QtCore import QSettings, QTimer

    from engine.project.data import load_project
    from engine.project.model import ProjectModel
    from ui.views.spaces import SpacesView

    labels = spaces_data[2]
    data = load_project(store, k=5)
    assert data.xy_image is not None and data.xy_text is not None
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    pm = ProjectModel()
    view = SpacesView(pm)
    view.settings = settings
    qtbot.addWidget(view)
    view.resize(1200, 600)
    pm.set_project(data)
    sel = pm.selection
    view.show()
    qtbot.waitExposed(view)
    sel.select(np.arange(10), source="test")
    assert view.shown_method == "pca"
    assert np.array_equal(view.image_plot.xy, data.xy_image)

    ticks_while_computing = [0]

    def beat() -> None:
        if view._projection_jobs:
            ticks_while_computing[0] += 1

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(10)
    with qtbot.waitSignal(view.projection_changed, timeout=120_000) as blocker:
        view.projection.setCurrentIndex(view.projection.findData("tsne"))
        # the call returned with the job still running in a worker; PCA stays drawn meanwhile
        assert view._projection_jobs, "t-SNE ran on the GUI thread"
        assert view.shown_method == "pca" and np.array_equal(view.image_plot.xy, data.xy_image)
        assert view.projection_note.text().startswith("Computing t-SNE")
    timer.stop()
    assert blocker.args == ["tsne"]
    assert view.shown_method == "tsne" and view.projection_note.text() == ""
    assert _knn_purity(view.image_plot.xy, labels) >= 0.95
    assert _knn_purity(view.text_plot.xy, labels) >= 0.95
    assert not np.allclose(view.image_plot.xy, data.xy_image)
    assert view.image_plot.selected_drawn() == 10  # the selection survives the switch
    # the GUI thread's timer kept firing while the worker computed
    assert ticks_while_computing[0] >= 5
    assert settings.value("spaces/projection") == "tsne"
    # cached in the store: the engine returns the drawn coordinates without recomputing
    seen: list[str] = []
    cached = store_projection(store, "img-x", method="tsne", progress=lambda d, t, m: seen.append(m))
    assert seen[-1] == "projection from cache" and np.array_equal(cached, view.image_plot.xy)
    # export writes the coordinates drawn
    out = view.export_selection_csv(tmp_path / "sel.csv")
    assert out is not None
    first = out.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert float(first[1]) == pytest.approx(float(view.image_plot.xy[0, 0]), rel=1e-5)

    # back to PCA: immediate, no job
    view.projection.setCurrentIndex(view.projection.findData("pca"))
    assert view.shown_method == "pca" and np.array_equal(view.image_plot.xy, data.xy_image)

    # a new view with the same settings reopens in t-SNE, from the store cache
    settings.setValue("spaces/projection", "tsne")
    pm2 = ProjectModel()
    view2 = SpacesView(pm2)
    view2.settings = settings
    qtbot.addWidget(view2)
    with qtbot.waitSignal(view2.projection_changed, timeout=30_000,
                          check_params_cb=lambda m: m == "tsne"):
        pm2.set_project(data)
    assert view2.projection.currentData() == "tsne"
    assert np.array_equal(view2.image_plot.xy, cached)
    qtbot.waitUntil(lambda: not view2._projection_jobs and not view._projection_jobs, timeout=10_000)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_spaces_view_offers_no_tsne_for_an_in_memory_project(qtbot: Any) -> None:
    from engine.project.data import ProjectData
    from engine.project.model import ProjectModel
    from ui.views.spaces import SpacesView

    x, _ = _clusters(30, 8, 2, 0.3, seed=8)
    data = ProjectData.from_arrays([f"s{i}" for i in range(30)], pca_2d(x), pca_2d(x))
    pm = ProjectModel()
    view = SpacesView(pm)
    qtbot.addWidget(view)
    pm.set_project(data)
    messages: list[str] = []
    view.message.connect(messages.append)
    assert view.request_projection("tsne") is None
    assert messages == ["t-SNE needs a saved project with embeddings."]
    assert view.shown_method == "pca" and view.projection.currentData() == "pca"


@pytest.mark.slow
def test_fft_tsne_above_10000_rows_keeps_planted_clusters_apart() -> None:
    from engine.projections import TSNE_FFT_FROM

    n = TSNE_FFT_FROM  # the FFT-accelerated path
    x, labels = _clusters(n, 20, 8, 0.6, seed=11)
    seen: list[str] = []
    xy = tsne_2d(x, progress=lambda d, t, m: seen.append(m))
    assert xy.shape == (n, 2) and np.isfinite(xy).all()
    pick = np.random.default_rng(0).choice(n, 1500, replace=False)
    assert _knn_purity(xy[pick], labels[pick]) >= 0.95
    assert _knn_purity(pca_2d(x)[pick], labels[pick]) < 0.9
    assert seen[-1] == "t-SNE done"


@pytest.mark.qt_log_ignore("This plugin does not support")
@pytest.mark.parametrize(("n", "offered"), [(100_000, True), (TSNE_MAX_ROWS + 1, False)])
def test_spaces_view_offers_tsne_for_a_100000_row_project(qtbot: Any, tmp_path: Path, n: int,
                                                          offered: bool) -> None:
    from PySide6.QtGui import QStandardItemModel

    from engine.project.data import ProjectData
    from engine.project.model import ProjectModel
    from ui.views.spaces import SpacesView

    xy = np.random.default_rng(0).normal(size=(n, 2)).astype(np.float32)
    data = ProjectData.from_arrays([f"s{i}" for i in range(n)], xy, xy)
    data.path, data.image_model, data.text_model = tmp_path / "p.h5", "img", "txt"
    pm = ProjectModel()
    view = SpacesView(pm)
    qtbot.addWidget(view)
    pm.set_project(data)
    model = view.projection.model()
    assert isinstance(model, QStandardItemModel)
    item = model.item(view.projection.findData("tsne"))
    assert item.isEnabled() is offered
    if not offered:
        assert "available up to 250,000 samples" in item.toolTip()
