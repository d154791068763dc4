"""GUI responsiveness at 100,000 points (offscreen).

Prints:
  * pan/zoom redraw of one space (median and worst over a sequence of range changes; floor ≤ 50 ms),
  * recolouring, drawing a selection of ~25 % of the points, a lasso over all points,
  * the GUI thread's longest stall (10 ms heartbeat) while a worker computes a PCA projection of
    100,000 × 384 embeddings (floor: no stall > 100 ms beyond the machine's own jitter, measured
    first with nothing running).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--n 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def heartbeat(app: QApplication, until: object, limit_s: float = 300.0) -> list[float]:
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(10)
    t0 = time.perf_counter()
    while not until() and time.perf_counter() - t0 < limit_s:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    return gaps[1:] or [0.0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    from engine.projections import points_in_polygon
    from ui import none_guard
    from ui.theme import apply_theme
    from ui.views.colors import score_categories
    from ui.views.scatter import SpaceScatter
    from ui.worker import Job

    none_guard.install()
    apply_theme(app, "light")  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    n = args.n
    centers = rng.normal(0, 4, (12, 2))
    xy = (centers[rng.integers(0, 12, n)] + rng.normal(0, 1, (n, 2))).astype(np.float32)
    scores = rng.integers(0, 11, n) / 10
    codes, colors, _ = score_categories(scores, 10)
    plot = SpaceScatter("bench")
    plot.resize(640, 620)
    plot.show()
    t0 = time.perf_counter()
    plot.set_points(xy, codes, colors)
    app.processEvents()
    plot.viewport().repaint()
    first = time.perf_counter() - t0
    vb = plot.getPlotItem().vb
    (x0, x1), (y0, y1) = vb.viewRange()
    times = []
    for step in range(40):
        f = 1.0 - 0.02 * (step % 20) if step < 20 else 0.6 + 0.02 * (step % 20)
        cx = (x0 + x1) / 2 + (step - 20) * 0.05
        cy = (y0 + y1) / 2
        t = time.perf_counter()
        vb.setRange(xRange=(cx - (x1 - x0) * f / 2, cx + (x1 - x0) * f / 2),
                    yRange=(cy - (y1 - y0) * f / 2, cy + (y1 - y0) * f / 2), padding=0)
        plot.viewport().repaint()
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    plot.set_colors(rng.integers(0, 5, n), colors[:5])
    plot.viewport().repaint()
    recolor = time.perf_counter() - t
    t = time.perf_counter()
    poly = np.array([[-3, -3], [3, -4], [5, 2], [0, 5], [-4, 2]], dtype=float)
    mask = points_in_polygon(xy, poly)
    lasso = time.perf_counter() - t
    t = time.perf_counter()
    plot.set_selection(np.flatnonzero(mask))
    plot.viewport().repaint()
    select_draw = time.perf_counter() - t
    sel_times = []
    for step in range(10):
        t = time.perf_counter()
        vb.translateBy(x=0.1 * (step - 5))
        plot.viewport().repaint()
        sel_times.append(time.perf_counter() - t)

    from engine.projections import project

    t_end = time.perf_counter() + 1.0
    baseline = heartbeat(app, lambda: time.perf_counter() > t_end)
    emb = rng.normal(size=(n, 384)).astype(np.float32)
    job = Job(project, emb, pass_progress=False, title="pca")
    t = time.perf_counter()
    job.start()
    gaps = heartbeat(app, lambda: job.state != "running")
    job.wait()
    pca_s = time.perf_counter() - t
    result = {
        "n": n,
        "first_draw_ms": _ms(first),
        "pan_zoom_redraw_median_ms": _ms(statistics.median(times)),
        "pan_zoom_redraw_max_ms": _ms(max(times)),
        "pan_with_selection_median_ms": _ms(statistics.median(sel_times)),
        "recolor_ms": _ms(recolor),
        "lasso_select_all_points_ms": _ms(lasso),
        "selected": int(mask.sum()),
        "draw_selection_ms": _ms(select_draw),
        "pca_in_worker_s": round(pca_s, 2),
        "gui_max_stall_during_worker_ms": _ms(max(gaps)),
        "gui_max_stall_idle_baseline_ms": _ms(max(baseline)),
        "floor_redraw_ok": statistics.median(times) <= 0.050,
        "floor_stall_ok": max(gaps) <= 0.100 + max(baseline),
    }
    plot.close()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:36s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
