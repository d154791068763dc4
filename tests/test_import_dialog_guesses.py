"""The import dialog says what it guessed and which control changes it (columns and how they were
found, the id rule, the label, the encoding); the Overview's label box offers the resolver's
candidates with its choice selected; the study's notes stand beside the numbers; a folder's
quarantine lists files, not rows."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from engine.dataset.label_choice import choose_label
from engine.project.data import ProjectData
from engine.study.messages import msg
from tests.study_fixtures import sample_analysis

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

INSPECTORS = ["佐藤", "加藤", "中村"]


def _sheet(root: Path, header: list[str], n: int = 10) -> Path:
    (root / "写真").mkdir(parents=True)
    rows = []
    for i in range(n):
        Image.new("RGB", (24, 24), (i * 20, 60, 90)).save(root / "写真" / f"P{i}.jpg", "JPEG")
        rows.append([f"SP{i:04d}", f"写真/P{i}.jpg", f"刻印：{i % 10}。異常なし。", "合格" if i % 2 else "不合格",
                     str(i % 10), INSPECTORS[i % 3], f"2025/06/{1 + i:02d}"])
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    (root / "manifest.csv").write_bytes(buf.getvalue().encode("cp932"))
    return root


def _dialog(qtbot: Any, path: Path) -> Any:
    from ui.dialogs.import_dialog import ImportDialog

    dialog = ImportDialog(path=path)
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_says_how_columns_were_found_and_which_label(qtbot: Any, tmp_path: Path) -> None:
    root = _sheet(tmp_path / "ja", ["管理番号", "写真", "所見", "判定", "刻印", "検査員", "日付"])
    dialog = _dialog(qtbot, root)
    assert dialog.mapping() == {"id": "管理番号", "image": "写真", "report": "所見"}
    assert dialog.role_how["id"].text() == "recognised by its name"
    assert "encoding CP932 (Shift-JIS) (detected)" in dialog.encoding.text()
    text = dialog.guesses.text()
    assert "Label for the study: 判定 ('判定' has a label-like name and 2 values; other candidates: 刻印 (10))" in text
    assert "Not offered as labels: 検査員 (names a person), 日付 (dates or times)." in text
    assert "Label box of the Overview" in text
    # choosing no id column: the dialog says the ids will come from the image paths
    combo = dialog.role_combos["id"]
    combo.setCurrentIndex(combo.findData(""))
    assert "No id column: the ids will be the image paths without extension (e.g. 写真/P0)" in dialog.guesses.text()
    # a column chosen by hand is said to be
    combo.setCurrentIndex(combo.findData("管理番号"))
    report = dialog.role_combos["report"]
    report.setCurrentIndex(report.findData("判定"))
    assert dialog.role_how["report"].text() == "chosen here"
    # 判定 is now the report column, so it is no longer the label the study would take
    assert "Label for the study: " in dialog.guesses.text()
    assert "Label for the study: 判定" not in dialog.guesses.text()


def test_dialog_encoding_box_rereads_the_sheet(qtbot: Any, tmp_path: Path) -> None:
    root = _sheet(tmp_path / "ja", ["シリアル", "写真", "所見", "判定", "刻印", "検査員", "日付"])
    dialog = _dialog(qtbot, root)
    assert dialog.table.encoding == "cp932"
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("cp1252"))
    assert dialog.chosen_encoding() == "cp1252" and dialog.table.encoding == "cp1252"
    assert "(as chosen)" in dialog.encoding.text()
    assert "写真" not in dialog.table.header  # read as Windows-1252, the Japanese names are gone
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData(None))
    assert dialog.table.encoding == "cp932" and dialog.mapping()["id"] == "シリアル"
    job = dialog.validate()
    qtbot.waitUntil(lambda: dialog.dataset is not None, timeout=60_000)
    job.wait(5_000)
    assert [s.id for s in dialog.dataset.samples][:1] == ["SP0000"]


def test_dialog_on_a_folder_lists_files_and_the_id_rule(qtbot: Any, tmp_path: Path) -> None:
    root = tmp_path / "folder"
    for digit in ("0", "1"):
        (root / f"刻印{digit}").mkdir(parents=True)
        for i in range(2):
            Image.new("RGB", (24, 24), (i * 50, 10, 10)).save(root / f"刻印{digit}" / f"SN{digit}{i}.jpg", "JPEG")
            (root / f"刻印{digit}" / f"SN{digit}{i}.txt").write_text("異常なし\n", encoding="utf-8")
    (root / "刻印1" / "SN19.jpg").write_bytes(b"not a jpeg")
    (root / "刻印1" / "SN19.txt").write_text("壊れた画像", encoding="utf-8")
    dialog = _dialog(qtbot, root)
    assert "labels are the sub-folder names" in dialog.guesses.text()
    job = dialog.validate()
    qtbot.waitUntil(lambda: dialog.dataset is not None, timeout=60_000)
    job.wait(5_000)
    model = dialog.quarantine_model
    headers = [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())]
    assert headers == ["File", "Reason"]
    assert model.item(0, 0).text() == "刻印1/SN19.jpg"
    assert "The ids are the image file names without extension (e.g. SN00)." in dialog.guesses.text()


def _project(analysis: Any) -> ProjectData:
    n = 40
    rng = np.random.default_rng(0)
    cols = {"cls": ["a" if i % 2 else "b" for i in range(n)], "line": [f"L{i % 3}" for i in range(n)],
            "inspector": [INSPECTORS[i % 3] for i in range(n)]}
    data = ProjectData.from_arrays([f"s{i:03d}" for i in range(n)], rng.normal(size=(n, 2)),
                                   rng.normal(size=(n, 2)), np.linspace(0, 1, n), cols)
    data.label_choice = choose_label(cols)
    data.label_columns = [c.column for c in data.label_choice.candidates]
    data.analysis = analysis
    return data


def test_overview_label_box_and_notes_beside_the_numbers(qtbot: Any) -> None:
    from ui.views.study_views import OverviewView

    view = OverviewView()
    qtbot.addWidget(view)
    view.set_project(_project(None))
    items = [view.label_combo.itemText(i) for i in range(view.label_combo.count())]
    assert items == ["cls", "line"]  # the person column is not offered
    assert view.label_combo.currentText() == "cls"
    assert "inspector (names a person)" in view.label_combo.toolTip()
    assert "Chosen automatically: 'cls' is the first categorical column" in view.label_combo.toolTip()
    # a study run on another label: that one is shown selected
    other = dataclasses.replace(sample_analysis(), label=choose_label(_project(None).columns, "line"),
                                notes=(msg("n_as_recorded", text="PID: 2 clusters per modality instead of 30"),))
    view.set_project(_project(other))
    assert view.label_combo.currentText() == "line"
    notes = view.notes.text()
    assert notes.startswith("Notes on these numbers:") and "PID: 2 clusters per modality instead of 30" in notes
