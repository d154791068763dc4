"""The Data quality view lists what the import refused: rows of a sheet, files of a folder (a
folder has no rows, so no Row column), with the reasons in the UI language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from engine.dataset.loader import load_dataset
from engine.project.data import ProjectData

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _project(ds: Any) -> ProjectData:
    """What load_project gives the view for this import (Store.quarantine's rows, dataset attrs)."""
    good = ds.samples
    return ProjectData(path=None, ids=[s.id for s in good], image_paths=[Path(s.image) for s in good],
                       reports=[s.report for s in good], columns={}, label_columns=[],
                       quarantine=[{"row": q.row, "id": q.id, "file": q.file, "reason": q.reason}
                                   for q in ds.quarantine],
                       dataset_info={"source": ds.source, "kind": ds.kind, "encoding": ds.encoding})


def _folder(root: Path) -> Path:
    for i, cls in enumerate(("ok", "ng")):
        (root / cls).mkdir(parents=True)
        Image.new("RGB", (32, 32), (40 * i, 90, 60)).save(root / cls / f"SN-{i}.png")
        (root / cls / f"SN-{i}.txt").write_text("表面に傷なし", encoding="utf-8")
    (root / "ng" / "SN-9.png").write_bytes(b"")                    # an empty image file
    (root / "ng" / "SN-9.txt").write_text("傷あり", encoding="utf-8")
    return root


def _table(view: Any) -> tuple[list[str], list[list[str]]]:
    m = view.model
    head = [m.horizontalHeaderItem(c).text() for c in range(m.columnCount())]
    rows = [[m.item(r, c).text() for c in range(m.columnCount())] for r in range(m.rowCount())]
    return head, rows


def test_a_folder_lists_files_without_a_row_column(qtbot: Any, tmp_path: Path) -> None:
    from ui.views.quarantine import QuarantineView

    ds = load_dataset(_folder(tmp_path / "parts"))
    assert ds.kind == "folder" and len(ds.quarantine) == 1
    view = QuarantineView()
    qtbot.addWidget(view)
    view.set_project(_project(ds))
    head, rows = _table(view)
    assert head == ["File", "Reason"]
    assert rows[0][0].endswith("SN-9.png") and "empty" in rows[0][1]
    assert "1 files quarantined" in view.info.text() and "rows" not in view.info.text()


def test_a_sheet_keeps_its_row_numbers_and_reasons_read_in_japanese(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import install_translations
    from ui.views.quarantine import QuarantineView

    root = tmp_path / "sheet"
    root.mkdir()
    Image.new("RGB", (32, 32)).save(root / "a.png")
    (root / "m.csv").write_text("id,image,report\nA,a.png,傷\nB,missing.png,傷\n", encoding="utf-8")
    ds = load_dataset(root / "m.csv")
    app = QCoreApplication.instance()
    install_translations(app, "ja")
    try:
        view = QuarantineView()
        qtbot.addWidget(view)
        view.set_project(_project(ds))
        head, rows = _table(view)
    finally:
        install_translations(app, "en")
    assert len(head) == 4 and rows[0][0] == "3" and rows[0][1] == "B"   # row 3 of the sheet (header = 1)
    assert "missing" not in rows[0][3] and rows[0][3]                    # the reason in Japanese
