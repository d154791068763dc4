"""The Suspect pairs view, the detail pane's "why" and the Spaces colouring on the study's per-pair
scores: ordering, the trust line in each state, no list without signal, thumbnails, reasons,
reviewed marks in a real store, formula-safe CSV, a colouring that varies, Japanese."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap

from engine.pairs import PairArrays, PairScores, SelfTest, rank_order, synthetic_pairs, tied_mask
from engine.pairs.result import AlignmentSummary
from engine.project.data import ProjectData
from engine.project.model import ProjectModel
from engine.study.result import Analysis, PairCheck
from engine.study.result import SelfTest as CheckSelfTest
from tests.study_fixtures import sample_analysis

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

N = 240
FORMULA = "=HYPERLINK(\"http://x\")"
DISPLAY = Qt.ItemDataRole.DisplayRole


def _ids(n: int) -> list[str]:
    return [f"s{i:03d}" for i in range(n)]


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("thumbs")
    paths = []
    for i in range(N):
        p = folder / f"s{i:03d}.png"
        Image.new("RGB", (120, 90), (i % 255, 90, 200 - i % 200)).save(p)
        paths.append(p)
    return paths


def _project(images: list[Path], path: Path | None = None) -> ProjectData:
    """Overlap falls with the row number (row 0 most shared); the label "defect" varies."""
    rng = np.random.default_rng(3)
    xy = rng.normal(size=(N, 2))
    overlap = np.round(np.linspace(1.0, 0.0, N) * 10) / 10
    reports = [f"<b>Report {i}</b> &amp; the weave is torn near the selvedge. " + "Warp threads checked. " * 30
               for i in range(N)]
    reports[7] = FORMULA
    data = ProjectData.from_arrays(
        _ids(N), xy, xy + rng.normal(0, 0.1, (N, 2)), overlap,
        {"defect": ["hole" if i % 3 == 0 else "none" for i in range(N)], "line": [f"L{i % 2}" for i in range(N)]},
        image_paths=images, reports=reports)
    data.path = path
    return data


def _scores(state: str, n: int = N) -> PairScores:
    """Hand-made scores: row 7 and every 10th row are the most suspect; with a label."""
    rng = np.random.default_rng(1)
    score = rng.uniform(0.0, 0.5, n)
    suspects = np.r_[7, np.arange(10, n, 10)]
    score[suspects] = np.linspace(0.99, 0.9, suspects.size)
    score[11] = score[12]  # one tie
    q = np.ones(n)
    if state == "flagging":
        q = np.where(score >= 0.9, 0.01, 0.6)
    classes = np.arange(n) % 2
    report_class = np.where(score >= 0.9, 1 - classes, classes)
    positions = np.where(score >= 0.9, 0.8 * n, 2.0)
    arrays = PairArrays(
        score=score, q_value=q, evidence=-score, image_to_report=positions, report_to_image=positions + 1,
        image_class=classes, image_class_p=np.full(n, 0.9), report_class=report_class,
        report_class_p=np.full(n, 0.8), disagreement=np.where(score >= 0.9, 0.8, 0.1),
        order=rank_order(score, _ids(n)), tied=tied_mask(score))
    auc = {"flagging": 0.95, "weak": 0.72, "no signal": 0.51}[state]
    st = SelfTest(planted=10, rows=n, auc=auc, auc_low=auc - 0.08, recall_at_2p=0.9, found=9, same_class=1,
                  recall_other_class=1.0, flagged=9, flagged_not_planted=0, no_signal=state == "no signal")
    return PairScores(method="test", signals=("alignment_image_to_report", "label:defect"), ids=tuple(_ids(n)),
                      label="defect", classes=("hole", "none"), weights={"alignment_image_to_report": 1.0},
                      alignment=AlignmentSummary(16, 4, 10, 1.0, (0.5,), ((16, 4, 1.0),)),
                      mismatch_share=0.05, self_test=st, no_signal=state == "no signal", arrays=arrays)


def _analysis(scores: PairScores) -> Analysis:
    st = scores.self_test
    check = PairCheck(method=scores.method, signals=scores.signals,
                      self_test=CheckSelfTest(auc=st.auc, recall_at_2p=st.recall_at_2p, planted=st.planted),
                      no_signal=scores.no_signal, fdr=scores.fdr_level, n_flagged=scores.flagged)
    return replace(sample_analysis(scores.n), pair_scores=scores, pair_check=check)


@pytest.fixture
def view(qtbot: Any) -> Any:
    from ui.views.pairs import PairsView

    pm = ProjectModel()
    v = PairsView(pm)
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.project_model = pm
    return v


def _column(model: Any, key: str) -> list[str]:
    c = model.column_of(key)
    return [model.data(model.index(r, c), DISPLAY) for r in range(model.rowCount())]


def test_overlap_first_then_the_suspect_score_when_the_study_arrives(qtbot: Any, view: Any, images: list[Path]) -> None:
    data = _project(images)
    view.project_model.set_project(data)
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Rank", "Image", "Id"] and "Neighbour overlap" in headers and "Suspect score" not in headers
    listed = [model.sample(r) for r in range(model.rowCount())]
    assert data.overlap is not None
    assert [float(data.overlap[i]) for i in listed] == sorted(float(data.overlap[i]) for i in listed)
    assert listed[:3] == [228, 229, 230]  # overlap 0.0 from row 228 on; ties by id
    assert "No study yet" in view.trust.text() and view.run_button.isVisibleTo(view)
    with qtbot.waitSignal(view.run_study_requested, timeout=1000):
        view.run_button.click()
    # the study arrives: the list follows the suspect score, flagged pairs first and tinted
    scores = _scores("flagging")
    view.project_model.set_analysis(_analysis(scores))
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:7] == ["Rank", "Image", "Id", "Suspect score", "q", "Report", "Reviewed"]
    assert headers[7] == "Neighbour overlap" and headers[8:] == ["defect", "line"]
    listed = [model.sample(r) for r in range(model.rowCount())]
    assert listed == scores.arrays.order.tolist()
    assert listed[0] == 7 and set(listed[:24]) == {7, *range(10, N, 10)}
    assert _column(model, "id")[0] == "s007" and _column(model, "rank")[:3] == [1, 2, 3]
    assert not view.run_button.isVisibleTo(view)
    flagged = scores.flagged
    assert flagged == 24
    assert view.trust.text() == (
        "Self-test on your data: the method finds 9 of 10 planted wrong reports in its top 20 (AUC 0.95). "
        "24 pairs are likely mismatches (q ≤ 5 %), highlighted; the rest are ranked for review.")
    tint = [model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole) for r in range(model.rowCount())]
    assert all(t is not None for t in tint[:flagged]) and all(t is None for t in tint[flagged:])
    assert _column(model, "q")[0] == "0.010" and _column(model, "q")[-1] == "0.600"
    # sorting by id, then back to the suspect order by rank
    view.table.sortByColumn(model.column_of("id"), Qt.SortOrder.AscendingOrder)
    assert _column(model, "id")[:2] == ["s000", "s001"]
    view.table.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    assert [model.sample(r) for r in range(model.rowCount())] == scores.arrays.order.tolist()


def test_weak_state_ranks_without_flagging(view: Any, images: list[Path]) -> None:
    data = _project(images)
    analysis = _analysis(_scores("weak"))
    data.analysis = replace(analysis, label=replace(analysis.label, column="line"))
    view.project_model.set_project(data)
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[8:] == ["line", "defect"]  # the label column first among the metadata
    assert model.rowCount() == N and model.sample(0) == 7
    assert "AUC 0.72" in view.trust.text()
    assert "too weak (AUC below 0.90)" in view.trust.text() and "none is flagged" in view.trust.text()
    assert set(_column(model, "q")) == {"—"}
    assert all(model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole) is None for r in range(N))
    # "only the selection" follows a selection made in another view, in the suspect order
    view.only_selection.setChecked(True)
    assert model.rowCount() == 0
    view.project_model.selection.select([5, 100, 7], source="spaces")
    assert [model.sample(r) for r in range(model.rowCount())] == [7, 100, 5]
    assert sorted(ix.row() for ix in view.table.selectionModel().selectedRows()) == [0, 1, 2]


def test_no_signal_lists_nothing_unless_the_overlap_ranking_is_chosen(view: Any, images: list[Path]) -> None:
    data = _project(images)
    data.analysis = _analysis(_scores("no signal"))
    view.project_model.set_project(data)
    assert view.model is None and view.table.model() is None
    assert view.trust.text().startswith("No suspect list") and "AUC 0.51" in view.trust.text()
    assert "No pairs listed" in view.count.text()
    assert view.overlap_choice.isVisibleTo(view) and not view.export_button.isEnabled()
    assert view.export_csv("/nonexistent/never.csv") is None
    view.overlap_choice.setChecked(True)
    model = view.model
    assert model is not None and model.rowCount() == N and model.scores is None
    assert model.headerData(model.column_of("overlap"), Qt.Orientation.Horizontal) == "Neighbour overlap"
    assert "not a list of suspects" in view.trust.text()
    assert data.overlap is not None and float(data.overlap[model.sample(0)]) == float(data.overlap.min())


def test_thumbnails_load_off_the_gui_thread_and_rows_fit_them(qtbot: Any, view: Any, images: list[Path]) -> None:
    from ui.views.pairs_model import THUMB_PX

    data = _project(images)
    data.analysis = _analysis(_scores("flagging"))
    view.project_model.set_project(data)
    view.show()
    qtbot.waitExposed(view)
    model = view.model
    thumb = model.column_of("thumb")

    def shown() -> bool:
        got = model.data(model.index(0, thumb), Qt.ItemDataRole.DecorationRole)
        return isinstance(got, QPixmap) and not got.isNull()

    qtbot.waitUntil(shown, timeout=10_000)
    pix = model.data(model.index(0, thumb), Qt.ItemDataRole.DecorationRole)
    assert max(pix.width(), pix.height()) == THUMB_PX  # 120×90 scaled to fit 56 px
    assert view.table.rowHeight(0) >= THUMB_PX
    # the report is wrapped in the cell; the full text (escaped, never markup) is in the tooltip
    report = model.column_of("report")
    tip = model.data(model.index(1, report), Qt.ItemDataRole.ToolTipRole)
    i = model.sample(1)
    assert "&lt;b&gt;Report" in tip and "<b>Report" not in tip and "selvedge" in tip
    assert view.table.wordWrap()
    # double-click: the whole report in the row; again: back to a few lines
    compact = view.table.rowHeight(1)
    view._toggle_row_height(model.index(1, report))
    assert view.table.rowHeight(1) > compact
    view._toggle_row_height(model.index(1, report))
    assert view.table.rowHeight(1) == compact
    assert i == model.sample(1)
    # a missing image says so (after its decode failed, off the GUI thread too)
    data.image_paths[model.sample(2)] = images[0].with_name("missing.png")
    ix = model.index(2, thumb)
    assert model.data(ix, Qt.ItemDataRole.DecorationRole) is None
    qtbot.waitUntil(lambda: model.data(ix, DISPLAY) == "no image", timeout=10_000)


def test_detail_pane_says_why_a_pair_is_suspect(view: Any, images: list[Path]) -> None:
    data = _project(images)
    scores = _scores("flagging")
    data.analysis = _analysis(scores)
    view.project_model.set_project(data)
    view.table.selectRow(0)
    i = view.model.sample(0)
    assert i == 7 and view.project_model.selection.current == 7
    detail = view.detail
    assert detail.index == 7 and detail.report.toPlainText() == FORMULA
    why = detail.why.text().splitlines()
    assert why[0] == "Suspect score 0.990 · q 0.010 · rank 1 of 240"
    assert why[1] == "Flagged: likely a mismatch (q ≤ 5 %)."
    assert [w.removeprefix("• ") for w in why[2:]] == scores.reasons(7)
    assert "report says hole" in why[4] or "report says none" in why[4]
    assert detail.why.textFormat() == Qt.TextFormat.PlainText
    # a tied pair says so
    assert "placed by id" in scores.reasons(11)[-1]
    assert scores.reason_messages(11)[-1].key in ("pr_tied", "pr_tied_one")


def _real_store(path: Path, images: list[Path]) -> None:
    from engine.dataset.model import Dataset, Sample
    from engine.store import write_dataset

    samples = [Sample(row=i + 2, id=f"s{i:03d}", image=images[i], image_rel=images[i].name,
                      report=f"report {i}", image_sha256=hashlib.sha256(b"i%d" % i).hexdigest(),
                      report_sha256=hashlib.sha256(b"r%d" % i).hexdigest(), labels={"defect": "x"})
               for i in range(N)]
    write_dataset(path, Dataset(root=path.parent, source=str(path.parent), kind="manifest", encoding="utf-8",
                                n_rows=N, columns=["defect"], label_columns=["defect"], mapping={},
                                samples=samples, quarantine=[]))


def test_reviewed_marks_persist_and_the_csv_is_formula_safe(view: Any, images: list[Path], tmp_path: Path) -> None:
    from engine.pairs import load_reviewed

    store = tmp_path / "p.h5"
    _real_store(store, images)
    data = _project(images, store)
    scores = _scores("flagging")
    data.analysis = _analysis(scores)
    view.project_model.set_project(data)
    model = view.model
    view.table.selectRow(0)
    view.mark_selected_reviewed()
    assert load_reviewed(store) == {"s007"}
    c = model.column_of("reviewed")
    assert model.data(model.index(0, c), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # a new study result keeps the marks
    view.project_model.set_analysis(_analysis(scores))
    assert view.model.data(view.model.index(0, c), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    view.hide_reviewed.setChecked(True)
    assert view.model.rowCount() == N - 1
    # export the listed pairs (filtered): ranks are places in the whole list; formulas escaped
    view.hide_reviewed.setChecked(False)
    view.filter_column.setCurrentIndex(view.filter_column.findData("line"))
    view.filter_value.setCurrentIndex(view.filter_value.findData("L1"))
    out = view.export_csv(tmp_path / "pairs.csv")
    assert out is not None
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N // 2 and all(r["line"] == "L1" for r in rows)
    assert rows[0]["id"] == "s007" and rows[0]["rank"] == "1" and rows[0]["reviewed"] == "True"
    ranks = {int(np.flatnonzero(scores.arrays.order == int(r["id"][1:]))[0]) + 1 for r in rows}
    assert ranks == {int(r["rank"]) for r in rows}
    assert rows[0]["report"] == "'" + FORMULA and rows[0]["flagged"] == "True"
    assert float(rows[0]["suspect_score"]) == pytest.approx(0.99)
    assert "neighbour_overlap" in rows[0] and "reasons" in rows[0]


def test_real_scores_rank_the_planted_swaps_first(view: Any, images: list[Path]) -> None:
    """The real scorer on planted swaps: the view's top rows are the planted pairs."""
    from engine.pairs import score_pairs

    syn = synthetic_pairs(N, seed=4, strength=0.7, planted=10, image_dim=64, report_dim=48)
    scores = score_pairs(syn.image, syn.report, _ids(N), seed=0)
    assert not scores.no_signal
    data = _project(images)
    data.analysis = replace(_analysis(_scores("flagging")), pair_scores=scores, pair_check=None)
    view.project_model.set_project(data)
    top = [view.model.sample(r) for r in range(int(syn.planted.sum()))]
    assert np.mean(syn.planted[top]) >= 0.8
    assert view.trust.text().startswith("Self-test on your data")


def test_spaces_colouring_defaults_to_one_that_varies(qtbot: Any, images: list[Path]) -> None:
    from ui.views.colors import varies
    from ui.views.spaces import OVERLAP, SUSPECT, SpacesView

    pm = ProjectModel()
    spaces = SpacesView(pm)
    qtbot.addWidget(spaces)
    data = _project(images)
    data.overlap = np.zeros(N)          # weakly aligned: overlap 0 for everyone
    data.columns = {"line": ["L1"] * N, "shift": [f"S{i % 3}" for i in range(N)]}  # one value; three
    data.label_columns = []
    pm.set_project(data)
    assert spaces.color_by.currentData() == "shift"  # never the all-zero score, nor the one-value column
    assert spaces.color_by.findData(OVERLAP) >= 0
    scores = _scores("flagging")
    pm.set_analysis(replace(_analysis(scores), label=replace(sample_analysis().label, column=None)))
    assert spaces.color_by.currentData() == SUSPECT
    counts = spaces.image_plot.category_counts()
    assert varies(np.repeat(np.arange(counts.size), counts))
    assert counts[-1] == scores.flagged and "flagged (q ≤ 5 %)" in spaces.legend.text()
    # with a label column, that is the default
    data2 = _project(images)
    data2.analysis = _analysis(scores)
    data2.label_choice = None
    pm.set_project(data2)
    assert data2.analysis is not None and data2.analysis.label.column == "cls"
    # "cls" is not a column here: the next that varies is the suspect ranking
    assert spaces.color_by.currentData() == SUSPECT
    data3 = _project(images)
    data3.analysis = replace(_analysis(scores), label=replace(sample_analysis().label, column="defect"))
    pm.set_project(data3)
    assert spaces.color_by.currentData() == "defect"
    # a colouring the user picked stays when a new study result arrives
    picked = spaces.color_by.findData("line")
    spaces.color_by.setCurrentIndex(picked)
    spaces.color_by.activated.emit(picked)
    pm.set_analysis(_analysis(scores))
    assert spaces.color_by.currentData() == "line"
    # without signal the suspect ranking is not offered
    data4 = _project(images)
    data4.analysis = _analysis(_scores("no signal"))
    pm.set_project(data4)
    assert spaces.color_by.findData(SUSPECT) < 0


def test_japanese_trust_line_and_reasons(view: Any, images: list[Path]) -> None:
    from ui.i18n import install_translations
    from ui.views.pair_text import trust_line

    app = QCoreApplication.instance()
    assert app is not None
    data = _project(images)
    scores = _scores("flagging")
    data.analysis = _analysis(scores)
    try:
        install_translations(app, "ja")
        line = trust_line(data, scores)
        view.project_model.set_project(data)
        view.table.selectRow(0)  # pair 7: the detail pane says why, in Japanese
        assert view.detail.index == 7
        reasons = [w.removeprefix("• ") for w in view.detail.why.text().splitlines()[2:]]
    finally:
        install_translations(app, "en")
    assert "自己テスト" in line and "24" in line and "AUC 0.95" in line
    assert "192 位" in reasons[0] and "240 件中" in reasons[0]
    assert not any("a" <= ch <= "z" for r in reasons[:2] for ch in r)
    assert "hole" in reasons[2] and "p=0.90" in reasons[2] and not any(
        "a" <= ch <= "z" for ch in reasons[2].replace("hole", "").replace("none", "").replace("p=", ""))
