"""The GUI half of bench_scale.py (offscreen): open to a drawn Spaces view, lasso, and the GUI
thread's stalls while a heavy job runs in a worker.

Stalls: a 10 ms QTimer on the GUI thread records the gaps between its ticks. Each tick re-arms
``faulthandler.dump_traceback_later``: when the GUI thread misses a tick for longer than the
floor, the interpreter's watchdog thread (which needs no GIL) writes every thread's stack — so
each long gap is attributed to what the worker was doing, or, when no dump came, to the
process not being scheduled at all (a loaded machine). The idle jitter (the same heartbeat
before the job starts) is the machine's own share.
"""

from __future__ import annotations

import faulthandler
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

FLOOR_MS = 100.0


class Heartbeat:
    """Gaps of the GUI thread's 10 ms timer, with the worker's stack at every gap > FLOOR_MS."""

    def __init__(self, app: Any, label: Any = None) -> None:
        self.app = app
        self.label = label or (lambda: "")
        self.gaps: list[tuple[float, float, str]] = []  # (start s, gap s, worker's label)
        self.dumps = tempfile.TemporaryFile("w+")

    def run(self, until: Any, limit_s: float) -> float:
        from PySide6.QtCore import QTimer

        last = [time.perf_counter()]
        t0 = last[0]

        def beat() -> None:
            faulthandler.cancel_dump_traceback_later()
            now = time.perf_counter()
            gap = now - last[0]
            if self.gaps or gap < 1.0:  # the first tick after start is not a stall
                self.gaps.append((last[0] - t0, gap, self.label()))
            if gap > FLOOR_MS / 1000:
                self.dumps.write(f"@@GAP {len(self.gaps) - 1}\n")
                self.dumps.flush()
            last[0] = now
            faulthandler.dump_traceback_later(FLOOR_MS / 1000, file=self.dumps)

        timer = QTimer()
        timer.timeout.connect(beat)
        timer.start(10)
        while not until() and time.perf_counter() - t0 < limit_s:
            self.app.processEvents()
            time.sleep(0.002)
        timer.stop()
        faulthandler.cancel_dump_traceback_later()
        return time.perf_counter() - t0

    def worst(self, count: int = 8) -> list[dict[str, Any]]:
        """The longest gaps, each with the worker's innermost frames when a dump caught it."""
        self.dumps.seek(0)
        where: dict[int, str] = {}
        pending: list[str] = []
        for chunk in re.split(r"(@@GAP \d+\n)", self.dumps.read()):
            if chunk.startswith("@@GAP"):
                where[int(chunk.split()[1])] = " | ".join(pending) or "no dump: the process was not scheduled"
                pending = []
            elif chunk.strip():
                pending = _worker_frames(chunk)
        ranked = sorted(range(len(self.gaps)), key=lambda i: -self.gaps[i][1])[:count]
        return [{"ms": round(self.gaps[i][1] * 1000), "at_s": round(self.gaps[i][0], 1),
                 "stage": self.gaps[i][2], "worker": where.get(i, "")} for i in ranked]


def _worker_frames(dump: str) -> list[str]:
    """The innermost frames of every thread but the GUI thread in one faulthandler dump."""
    out = []
    for block in dump.split("\n\n"):
        frames = re.findall(r'File "(.*?)", line (\d+) in (\S+)', block)
        if frames and "scale_gui.py" not in frames[0][0] and "bench_scale.py" not in frames[0][0]:
            out.append(" <- ".join(f"{Path(f).name}:{line} {fn}" for f, line, fn in frames[:3]))
    return out


def stalls(app: Any, job: Any, limit_s: float, idle_s: float = 2.0) -> dict[str, Any]:
    """Start ``job`` (a ui.worker.Job) and measure the GUI thread until it ends (or limit_s)."""
    idle = Heartbeat(app)
    t_end = time.perf_counter() + idle_s
    idle.run(lambda: time.perf_counter() > t_end, idle_s + 5)
    stage = ["starting"]
    job.progressed.connect(lambda d, t, msg, *_: stage.__setitem__(0, str(msg)))
    beat = Heartbeat(app, lambda: stage[0])
    c = time.process_time()
    job.start()
    seconds = beat.run(lambda: job.state != "running", limit_s)
    cpu = time.process_time() - c
    state = job.state
    if state == "running":
        job.cancel()
        beat.run(lambda: job.state != "running", 600)  # the next progress report stops it
    gaps = np.array([g for _, g, _ in beat.gaps]) * 1000
    idle_max = max(g for _, g, _ in idle.gaps) * 1000
    return {"job_seconds": round(seconds, 1), "job_state": state if state != "running" else "cancelled after the limit",
            "process_cpu_s": round(cpu, 1), "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
            "gui_max_stall_ms": round(float(gaps.max()), 1), "gui_p99_ms": round(float(np.percentile(gaps, 99)), 1),
            "gaps_over_100ms": int((gaps > FLOOR_MS).sum()), "ticks": int(gaps.size),
            "idle_max_ms": round(idle_max, 1), "worst": beat.worst(),
            "floor_stall_le_100ms_ok": bool(gaps.max() <= FLOOR_MS + idle_max)}


def open_spaces(app: Any, store: Path, image: str, text: str) -> tuple[Any, Any, Any, dict[str, float]]:
    """A window with the Spaces view drawn, opened as the GUI does (load_project, cached
    projections; the neighbour lists from the store's cache, else left to a later job)."""
    from PySide6.QtWidgets import QMainWindow

    from engine.project.data import load_project
    from engine.project.model import ProjectModel
    from ui.views.spaces import SpacesView

    t, c = time.perf_counter(), time.process_time()
    data = load_project(store, image, text, neighbours=False)
    read_s = time.perf_counter() - t
    window = QMainWindow()
    project = ProjectModel()
    view = SpacesView(project)
    window.setCentralWidget(view)
    window.resize(1400, 800)
    window.show()
    project.set_project(data)
    app.processEvents()
    drawn = view.image_plot._base._image is not None and view.text_plot._base._image is not None
    times = {"read": read_s, "open": time.perf_counter() - t, "open_cpu": time.process_time() - c,
             "drawn": drawn, "neighbours_cached": data.nn_image is not None}
    return window, view, data, times


def lasso(app: Any, view: Any, poly: np.ndarray) -> dict[str, Any]:
    """Wall and CPU ms of a lasso in the image space until both spaces have redrawn (one
    paint of each layer, as the event loop does it)."""
    from PySide6.QtCore import Qt

    items = [view.image_plot._sel_item, view.text_plot._sel_item, view.image_plot._base, view.text_plot._base]
    before = [it._image for it in items]
    t, c = time.perf_counter(), time.process_time()
    view.image_plot.select_region("lasso", poly, Qt.KeyboardModifier.NoModifier)
    app.processEvents()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    repainted = sum(it._image is not b for it, b in zip(items, before, strict=True))
    return {"ms": round(wall * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "layers_redrawn": repainted,
            "selected": int(view.selection.count()), "load": round(os.getloadavg()[0], 1)}


def half_polygon(xy: np.ndarray, left: bool) -> np.ndarray:
    cut = float(np.median(xy[:, 0]))
    lo, hi = xy.min(axis=0) - 1, xy.max(axis=0) + 1
    x0, x1 = (lo[0], cut) if left else (cut, hi[0])
    return np.array([[x0, lo[1]], [x1, lo[1]], [x1, hi[1]], [x0, hi[1]]])


def stage_gui(store: Path, image: str, text: str, label: str, out: dict[str, Any], limit_s: float) -> None:
    from PySide6.QtWidgets import QApplication

    from engine.study.analyze import analyze_store
    from engine.study.warm import warm_imports
    from ui import none_guard
    from ui.worker import Job

    app = QApplication.instance() or QApplication([])
    none_guard.install()
    _window, view, data, times = open_spaces(app, store, image, text)
    runs = []
    for left in (True, False, True):
        view.selection.clear(source="bench")
        app.processEvents()
        runs.append(lasso(app, view, half_polygon(data.xy_image, left)))
    best = min(runs, key=lambda r: r["ms"])
    t = time.perf_counter()
    warmed = warm_imports()
    warm_s = time.perf_counter() - t
    job = Job(analyze_store, store, label, use_cache=False, title="study")
    out["gui"] = {
        "open_read_s": round(times["read"], 2), "window_to_drawn_spaces_s": round(times["open"], 2),
        "window_to_drawn_spaces_cpu_s": round(times["open_cpu"], 2), "drawn": times["drawn"],
        "neighbour_lists_from_cache": times["neighbours_cached"],
        "floor_open_le_5s_ok": times["open"] <= 5.0 and bool(times["drawn"]),
        "lasso_runs": runs, "lasso_best_ms": best["ms"], "lasso_best_cpu_ms": best["cpu_ms"],
        "floor_lasso_le_100ms_ok": best["ms"] <= FLOOR_MS and best["selected"] >= 0.45 * data.n,
        "warm_imports_s": round(warm_s, 1), "warm_imports": len(warmed),
        "stall_during_analyze": stalls(app, job, limit_s),
    }
    out["gui"]["floor_stall_le_100ms_ok"] = out["gui"]["stall_during_analyze"]["floor_stall_le_100ms_ok"]
