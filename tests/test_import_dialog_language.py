"""The import dialog checks the reports' language and proposes the multilingual rung."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import have_default_models, have_multilingual_models
from PySide6.QtCore import Qt

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.skipif(not (have_default_models() and have_multilingual_models()), reason="run `make models`"),
]


def _checked(dialog: Any) -> list[str]:
    return dialog.chosen_models("text")


def _validated_dialog(qtbot: Any, folder: Path) -> Any:
    from ui.dialogs.import_dialog import ImportDialog

    dialog = ImportDialog(path=folder)
    qtbot.addWidget(dialog)
    dialog.validate()
    qtbot.waitUntil(lambda: dialog.dataset is not None, timeout=60_000)
    return dialog


def test_japanese_reports_with_an_english_model_warn_and_switch(qtbot: Any, tmp_path: Path) -> None:
    from engine.demo import build_demo

    build_demo(tmp_path / "ja", n=24, seed=1, lang="ja")
    dialog = _validated_dialog(qtbot, tmp_path / "ja")
    assert _checked(dialog) == ["paraphrase-minilm-l3"]  # the default: smallest rung
    text = dialog.language_label.text()
    assert "Japanese" in text and "paraphrase-minilm-l3" in text and "multilingual-e5-small" in text
    assert dialog.use_multilingual.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.use_multilingual, Qt.MouseButton.LeftButton)
    assert _checked(dialog) == ["multilingual-e5-small"]
    assert "Warning" not in dialog.language_label.text() and "kana+kanji" in dialog.language_label.text()
    assert not dialog.use_multilingual.isVisibleTo(dialog)
    # checking an English-only model again brings the warning back
    for i in range(dialog.text_models.count()):
        item = dialog.text_models.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == "all-minilm-l6":
            item.setCheckState(Qt.CheckState.Checked)
    assert "all-minilm-l6" in dialog.language_label.text() and dialog.use_multilingual.isVisibleTo(dialog)


def test_english_reports_do_not_warn(qtbot: Any, tmp_path: Path) -> None:
    from engine.demo import build_demo

    build_demo(tmp_path / "en", n=24, seed=1)
    dialog = _validated_dialog(qtbot, tmp_path / "en")
    assert "Warning" not in dialog.language_label.text()
    assert not dialog.use_multilingual.isVisibleTo(dialog)
