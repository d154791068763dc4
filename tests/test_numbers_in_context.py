"""Numbers shown with what qualifies them: every ladder/probe column defined where it appears, a
probe at the majority-class baseline called that, a negative transfer loss drawn as 0 and said,
the study's notes on the summary page and in the CLI (not only on the last page / in the JSON)."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import pytest

from app.cli_study import analysis_lines
from engine.report import build_document
from engine.report.inputs import ReportInputs
from engine.study.messages import msg
from engine.study.result import Heterogeneity, Probes
from tests.study_fixtures import sample_analysis

NOTE = "PID: 2 clusters per modality instead of 30"


def _analysis() -> Any:
    """The fixture study with a negative transfer estimate, a PID note and every probe at or
    below always answering the commonest class."""
    a = sample_analysis()
    assert a.probes is not None
    probes = Probes(chance=0.75, label_entropy_bits=a.probes.label_entropy_bits,
                    unimodal=a.probes.unimodal, fused=a.probes.fused)
    return dataclasses.replace(a, probes=probes, notes=(msg("n_as_recorded", text=NOTE),),
                               heterogeneity=Heterogeneity(nonlinear_gap=0.1, linear_deficit=0.5, transfer=-0.18))


def _html(lang: str) -> dict[str, str]:
    inputs = ReportInputs(project="p", store_path=Path("/nowhere/p.h5"), dataset_source="d", manifest="m",
                          n_used=40, n_quarantined=0, created="", label="cls")
    doc = build_document(_analysis(), inputs, lang)
    return {k: html.unescape(re.sub(r"\s+", " ", v)) for k, v in doc.parts.items()}


def test_report_defines_its_columns_and_calls_the_baseline() -> None:
    parts = _html("en")
    alignment = parts["alignment"]
    assert "Performance: the mean of the image and the text probe's accuracy, the vertical axis" in alignment
    assert "always answering the most frequent class gives 0.750" in alignment
    assert "Macro-F1: the F1 score averaged over the classes with equal weight" in alignment
    # the four single-encoder probes (0.60–0.70) are at or below 0.75, the fused one (0.80) is not
    assert alignment.count("no better than always answering the most frequent class") == 4
    summary = parts["summary"]
    assert "no better than always guessing the most frequent class (0.750)" in summary
    assert "Notes on these numbers" in summary and NOTE in summary
    assert "transfer loss was measured at -0.180 bits per sample" in summary
    assert "transfer loss was measured at -0.180 bits per sample" in parts["interactions"]


def test_a_folder_report_lists_quarantined_files_not_rows() -> None:
    from engine.report.inputs import QuarantineRow

    q = [QuarantineRow(row=65, sample_id="SN-9", file="刻印1/SN-9.jpg", reason="missing file")]
    base = dict(project="p", store_path=Path("/nowhere/p.h5"), dataset_source="d", manifest="m", n_used=40,
                n_quarantined=1, created="", label="cls", quarantine=q)
    folder = build_document(_analysis(), ReportInputs(**base, dataset_kind="folder"), "en").parts["quality"]
    sheet = build_document(_analysis(), ReportInputs(**base), "en").parts["quality"]
    assert "刻印1/SN-9.jpg" in folder and ">65<" not in folder and ">Row<" not in folder
    assert ">65<" in sheet


def test_japanese_report_has_the_same_definitions() -> None:
    parts = _html("ja")
    assert "性能：画像プローブとテキストプローブの正解率の平均" in parts["alignment"]
    assert "これらの数値についての注記" in parts["summary"]
    assert "常に最頻クラスを答えた場合（0.750）と同程度以下" in parts["summary"]


def test_analyze_prints_the_notes_beside_the_answer() -> None:
    lines = analysis_lines(_analysis())
    assert f"note: {NOTE}" in lines
    assert any(line.startswith("note: heterogeneity transfer loss measured -0.18 bits per sample") for line in lines)
    assert any(line.startswith("label: cls (") and line.endswith("change: --label COLUMN)") for line in lines)
    assert lines[-1].startswith("which pairs disagree: alignscope suspects --store /nowhere/p.h5")


def test_figures_and_views_never_draw_a_negative_loss(qtbot: Any) -> None:
    import pyqtgraph as pg

    from engine.project.data import ProjectData
    from ui.plots.figures import heterogeneity_bars
    from ui.views.study_views import InteractionsView, LadderView

    plot = heterogeneity_bars(_analysis().heterogeneity)
    qtbot.addWidget(plot)
    bars = [i for i in plot.getPlotItem().items if isinstance(i, pg.BarGraphItem)]
    heights = list(bars[0].opts["height"])
    assert heights == pytest.approx([0.1, 0.5, 0.0])
    data = ProjectData.from_arrays(["a", "b", "c"], [[0, 0], [1, 1], [2, 0]], [[0, 0], [1, 1], [2, 0]])
    data.analysis = _analysis()
    view = InteractionsView()
    qtbot.addWidget(view)
    view.set_project(data)
    assert "Transfer loss measured -0.18 bits per sample" in view.notes.text()
    ladder = LadderView()
    qtbot.addWidget(ladder)
    ladder.set_project(data)
    assert "always answering the commonest class scores 0.750" in ladder.notes.text()
