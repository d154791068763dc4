"""The Suspect pairs view on a large project (offscreen): it must open without scanning all rows.

Builds an in-memory project of N pairs (default 100,000) with per-pair suspect scores (arrays
shaped like the study's, ranked by ``engine.pairs.rank_order``), real image files (a few hundred
small JPEGs, the rows cycle through them) and label/metadata columns, then prints:

  * open: model reset (ranking, filters, column widths from a sample of rows) and the first
    paint of the visible rows;
  * baseline in the same run: the same view with every column sized by ResizeToContents (what
    the view did before: Qt measures up to 1,000 rows per column), reset + first paint;
  * thumbnails: time until the visible rows' thumbnails are decoded (background thread) and the
    GUI thread's longest stall meanwhile (10 ms heartbeat), against the idle jitter;
  * scrolling to the middle, sorting by id (one Python sort), a filter, hide reviewed, a
    selection of 2,000 scattered pairs made elsewhere shown in the table, and "only the
    selection" with half of the pairs selected;
  * the detail pane for one pair (reasons, image, neighbours).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_pairs_view.py [--n 100000] [--json]

No floors are asserted: figures and ratios to print and compare.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from bench_gui import _ms, heartbeat
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView

N_IMAGES = 400


def make_images(folder: Path, count: int) -> list[Path]:
    from PIL import Image

    rng = np.random.default_rng(5)
    paths = []
    for i in range(count):
        p = folder / f"img{i:04d}.jpg"
        pixels = (rng.random((480, 640, 3)) * 255).astype(np.uint8)
        Image.fromarray(pixels).save(p, quality=85)
        paths.append(p)
    return paths


def make_project(n: int, images: list[Path]):  # type: ignore[no-untyped-def]
    """ProjectData with overlap, metadata, reports, and a study result carrying PairScores."""
    from engine.pairs import PairArrays, PairScores, SelfTest, rank_order, tied_mask
    from engine.pairs.result import AlignmentSummary
    from engine.project.data import ProjectData
    from engine.study.result import PairCheck
    from engine.study.result import SelfTest as CheckSelfTest
    from tests.study_fixtures import sample_analysis

    rng = np.random.default_rng(0)
    ids = [f"P-{i:06d}" for i in range(n)]
    xy = rng.normal(size=(n, 2)).astype(np.float32)
    overlap = rng.integers(0, 3, n) / 10
    classes = ("crack", "dent", "scratch", "none")
    label = [classes[i % 4] for i in range(n)]
    reports = [f"Part {i}: surface inspected under ring light; {classes[(i * 7) % 4]} near the edge, "
               f"approx. {i % 50} mm. Operator note: rework queue {i % 9}, line L{i % 4}." for i in range(n)]
    data = ProjectData.from_arrays(
        ids, xy, xy, overlap, {"defect": label, "line": [f"L{i % 4}" for i in range(n)],
                               "inspector": [f"insp-{i % 37}" for i in range(n)]},
        image_paths=[images[i % len(images)] for i in range(n)], reports=reports)
    score = rng.beta(0.6, 3.0, n)
    q = np.where(score > 0.9, 0.01, 0.5)
    ic = np.arange(n) % 4
    arrays = PairArrays(score=score, q_value=q, evidence=-score, image_to_report=rng.integers(1, n, n).astype(float),
                        report_to_image=rng.integers(1, n, n).astype(float), image_class=ic,
                        image_class_p=np.full(n, 0.8), report_class=(ic + (score > 0.9)) % 4,
                        report_class_p=np.full(n, 0.7), disagreement=score, order=rank_order(score, ids),
                        tied=tied_mask(score))
    st = SelfTest(planted=500, rows=20_000, auc=0.95, auc_low=0.93, recall_at_2p=0.9, found=450, same_class=100,
                  recall_other_class=0.95, flagged=400, flagged_not_planted=10, no_signal=False)
    scores = PairScores(method="bench", signals=("alignment_image_to_report",), ids=tuple(ids), label="defect",
                        classes=classes, weights={"alignment_image_to_report": 1.0},
                        alignment=AlignmentSummary(64, 8, 10, 1.0, (0.5,), ((64, 8, 1.0),)), mismatch_share=0.02,
                        self_test=st, no_signal=False, arrays=arrays)
    check = PairCheck(method="bench", signals=scores.signals,
                      self_test=CheckSelfTest(auc=0.95, recall_at_2p=0.9, planted=500), no_signal=False,
                      n_flagged=scores.flagged)
    base = sample_analysis(40)
    data.analysis = replace(base, n=n, pair_scores=scores, pair_check=check,
                            label=replace(base.label, column="defect"))
    return data


def open_view(app: QApplication, data, resize_to_contents: bool) -> tuple[object, float, float]:  # type: ignore[no-untyped-def]
    """A PairsView shown at 1400×800; (view, reset s, first paint s)."""
    from engine.project.model import ProjectModel
    from ui.views.pairs import PairsView

    pm = ProjectModel()
    view = PairsView(pm)
    view.resize(1400, 800)
    view.show()
    app.processEvents()
    t = time.perf_counter()
    pm.set_project(data)
    if resize_to_contents:
        header = view.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
    reset = time.perf_counter() - t
    t = time.perf_counter()
    view.table.viewport().repaint()
    paint = time.perf_counter() - t
    view._pm = pm  # keep the model alive
    return view, reset, paint


def measure(n: int) -> dict[str, object]:
    app = QApplication.instance() or QApplication([])
    from ui import none_guard
    from ui.theme import apply_theme
    from ui.thumbs import shared_loader

    none_guard.install()
    apply_theme(app, "light")  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        images = make_images(Path(tmp), N_IMAGES)
        data = make_project(n, images)
        build_s = time.perf_counter() - t
        # baseline first (its thumbnails are not waited for; the cache is cleared after)
        base_view, base_reset, base_paint = open_view(app, data, resize_to_contents=True)
        base_view.model.detach()  # type: ignore[attr-defined]  # its header would re-measure on every thumbnail
        base_view.close()  # type: ignore[attr-defined]
        base_view.deleteLater()  # type: ignore[attr-defined]
        loader = shared_loader()
        heartbeat(app, lambda: loader.pending() == 0, 60)
        heartbeat(app, lambda: False, 0.5)
        from ui import thumbs

        thumbs._CACHE.clear()
        idle = heartbeat(app, lambda: False, 1.0)
        cpu0 = time.process_time()
        view, reset, paint = open_view(app, data, resize_to_contents=False)
        cpu_open = time.process_time() - cpu0
        model = view.model  # type: ignore[attr-defined]
        table = view.table  # type: ignore[attr-defined]
        thumb = model.column_of("thumb")
        rows = range(table.rowAt(0), max(table.rowAt(table.viewport().height() - 1), table.rowAt(0)) + 1)
        t = time.perf_counter()

        def decoded() -> bool:
            return all(model.data(model.index(r, thumb), Qt.ItemDataRole.DecorationRole) is not None for r in rows)

        gaps = heartbeat(app, decoded, 60)
        thumbs_s = time.perf_counter() - t
        timings: dict[str, float] = {}
        t = time.perf_counter()
        table.scrollTo(model.index(n // 2, 0))
        table.viewport().repaint()
        timings["scroll_to_middle_paint"] = time.perf_counter() - t
        t = time.perf_counter()
        table.sortByColumn(model.column_of("id"), Qt.SortOrder.AscendingOrder)
        table.viewport().repaint()
        timings["sort_by_id"] = time.perf_counter() - t
        t = time.perf_counter()
        view.filter_column.setCurrentIndex(view.filter_column.findData("defect"))  # type: ignore[attr-defined]
        table.viewport().repaint()
        timings["filter_by_label"] = time.perf_counter() - t
        view.filter_column.setCurrentIndex(0)  # type: ignore[attr-defined]
        data.reviewed = {data.ids[i] for i in range(0, n, 7)}
        t = time.perf_counter()
        view.hide_reviewed.setChecked(True)  # type: ignore[attr-defined]
        timings["hide_reviewed"] = time.perf_counter() - t
        view.hide_reviewed.setChecked(False)  # type: ignore[attr-defined]
        selection = view.project.selection  # type: ignore[attr-defined]
        t = time.perf_counter()
        selection.select(np.arange(0, n, max(n // 2000, 1))[:2000], source="spaces")
        timings["show_selection_of_2000_scattered"] = time.perf_counter() - t
        view.only_selection.setChecked(True)  # type: ignore[attr-defined]
        t = time.perf_counter()
        selection.select(np.arange(0, n, 2), source="spaces")
        timings["only_the_selection_of_half"] = time.perf_counter() - t
        listed_selection = model.rowCount()
        view.only_selection.setChecked(False)  # type: ignore[attr-defined]
        t = time.perf_counter()
        view.detail.show_sample(int(model.ranking[0]))  # type: ignore[attr-defined]
        timings["detail_pane"] = time.perf_counter() - t
        view.close()  # type: ignore[attr-defined]
    return {
        "n": n,
        "build_data_s": round(build_s, 2),
        "open_reset_ms": _ms(reset),
        "open_first_paint_ms": _ms(paint),
        "open_cpu_ms": _ms(cpu_open),
        "baseline_resize_to_contents_reset_ms": _ms(base_reset),
        "baseline_resize_to_contents_first_paint_ms": _ms(base_paint),
        "open_vs_baseline": round((reset + paint) / max(base_reset + base_paint, 1e-9), 3),
        "visible_thumbnails": len(rows),
        "thumbnails_decoded_ms": _ms(thumbs_s),
        "gui_max_stall_while_decoding_ms": _ms(max(gaps)),
        "gui_max_stall_idle_ms": _ms(max(idle)),
        **{f"{k}_ms": _ms(v) for k, v in timings.items()},
        "rows_listed_with_only_the_selection": listed_selection,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = measure(args.n)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:44s} {v}")
    from ui import none_guard

    none_guard.top_up()
    sys.stdout.flush()
    # PySide6 6.12 on Python 3.11 loses references to None/True/False (ui.none_guard); tearing the
    # widgets down at interpreter exit can abort after the figures are printed: skip the teardown.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
