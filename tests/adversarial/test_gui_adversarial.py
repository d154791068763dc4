"""Issue 17, failures 13 and 2 (GUI): report text is shown as plain text (tooltips, detail
pane, error box), and the GUI's CSV exports never hold a live formula. Real widgets,
offscreen."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from engine.project.data import ProjectData

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
N = 30


@pytest.fixture()
def hostile(tmp_path: Path) -> tuple[ProjectData, Path]:
    rng = np.random.default_rng(3)
    secret = tmp_path / "local.png"
    Image.new("RGB", (8, 8), (255, 0, 0)).save(secret)
    a = rng.normal(size=(N, 4))
    reports = [f'<img src="{secret}"> see <b>bold</b> &amp; {i}' for i in range(N)]
    ids = ['=HYPERLINK("http://evil.example","x")' if i == 0 else f"s{i}" for i in range(N)]
    data = ProjectData.from_arrays(
        ids, a[:, :2], a[:, 2:], rng.uniform(0, 1, N),
        {"@cmd": ["+1+cmd|' /C calc'!A0"] * N}, image_paths=[tmp_path / "missing<b>.png"] * N,
        reports=reports)
    return data, secret


def _shown(rich: str) -> str:
    """What Qt displays for a tooltip string (rich text when it looks like HTML)."""
    doc = QTextDocument()
    if GuiQt.mightBeRichText(rich):
        doc.setHtml(rich)
    else:
        doc.setPlainText(rich)
    return doc.toPlainText()


def test_13_suspect_tooltip_shows_the_report_literally(qtbot: Any, hostile: tuple[ProjectData, Path]) -> None:
    from engine.project.model import ProjectModel
    from ui.views.pairs import PairsView

    data, secret = hostile
    project = ProjectModel()
    view = PairsView(project)
    qtbot.addWidget(view)
    project.set_project(data)
    model = view.model
    assert model is not None
    report_col = model.column_of("report")
    tip = model.data(model.index(0, report_col), Qt.ItemDataRole.ToolTipRole)
    assert _shown(tip).startswith(f'<img src="{secret}"> see <b>bold</b> &amp;')
    doc = QTextDocument()
    doc.setHtml(tip)
    assert "<img" not in doc.toHtml().split("<body", 1)[1]  # no image element in what is drawn


def test_13_detail_pane_and_error_box_are_plain_text(qtbot: Any, hostile: tuple[ProjectData, Path]) -> None:
    from ui.job_panel import show_error
    from ui.views.detail import DetailPane

    data, _ = hostile
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.set_project(data)
    pane.show_sample(3)
    assert pane.report.toPlainText() == data.reports[3]
    for label in (pane.title, pane.meta, pane.image, pane.shared):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert "missing<b>.png" in pane.image.text()
    box = show_error(pane, "Error", '<img src="x.png"> in manifest line 3')
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_2_gui_exports_hold_no_formula(qtbot: Any, hostile: tuple[ProjectData, Path], tmp_path: Path) -> None:
    from engine.project.model import ProjectModel
    from ui.views.pairs import PairsView
    from ui.views.spaces import SpacesView

    data, _ = hostile
    project = ProjectModel()
    spaces = SpacesView(project)
    qtbot.addWidget(spaces)
    pairs = PairsView(project)
    qtbot.addWidget(pairs)
    project.set_project(data)
    for out in (spaces.export_selection_csv(tmp_path / "sel.csv"), pairs.export_csv(tmp_path / "pairs.csv")):
        assert out is not None
        table = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
        assert "'@cmd" in table[0]
        cells = [c for row in table for c in row]
        assert '\'=HYPERLINK("http://evil.example","x")' in cells
        assert all(not c.startswith(("=", "+", "@")) for c in cells), [c for c in cells if c[:1] in "=+@"]


def test_1_import_dialog_refuses_links_outside_unless_the_box_is_ticked(qtbot: Any, tmp_path: Path) -> None:
    from ui.dialogs.import_dialog import ImportDialog

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "r.txt").write_text("report kept outside", encoding="utf-8")
    d = tmp_path / "d"
    d.mkdir()
    for name, colour in (("a.png", (200, 0, 0)), ("b.png", (0, 200, 0))):
        Image.new("RGB", (16, 16), colour).save(d / name)
    (d / "r.txt").symlink_to(outside / "r.txt")
    (d / "manifest.csv").write_text("id,image,report\nA,a.png,r.txt\nB,b.png,fine\n", encoding="utf-8")
    dialog = ImportDialog(path=d)  # not given to qtbot: deleted here, so no later test finds it
    try:
        for ticked, good in ((False, ["B"]), (True, ["A", "B"])):
            dialog.allow_outside.setChecked(ticked)
            dialog.validate()
            qtbot.waitUntil(lambda: dialog.dataset is not None, timeout=60_000)
            assert [s.id for s in dialog.dataset.samples] == good
            if not ticked:
                reason = dialog.quarantine_model.item(0, 2).text()
                assert "symbolic link to" in reason and "outside the dataset folder" in reason
    finally:
        dialog.reject()
        dialog.deleteLater()
        qtbot.waitUntil(lambda: not any(isinstance(w, ImportDialog)
                                        for w in QApplication.topLevelWidgets()), timeout=10_000)
