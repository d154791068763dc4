"""Japanese all through: no English sentence in the Japanese GUI or the Japanese PDF, and every
metric or method identifier glossed in Japanese where it first appears.

The check (:mod:`tests.english_check`) flags a run of Latin-script words with nothing Japanese
between them; what may stay Latin is derived from the project: model ids, sample ids, column
names and label values, file names, the report texts, the project name, and the bibliography
(cited in its original language). It runs on

- every sentence of the catalogues (study messages, PDF texts, the Qt translation table),
  filled with placeholder values;
- the quarantine reasons the import really writes, read back in Japanese;
- a real Japanese demo project (demo images and Japanese reports, embedded with the real
  encoders, the study run): ``pdftotext`` of its Japanese PDF, and the text of every widget of
  every view of the main window in Japanese, with a suspect pair opened.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.metrics.api import METRIC_NAMES
from engine.study.messages import METHODS
from tests.english_check import english_runs, unglossed

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
assert shutil.which("pdftotext") is not None, "poppler-utils missing: run `make setup` (installer/sysdeps.sh)"

IDENTIFIERS = (*METRIC_NAMES, *METHODS)
# what a Japanese text may contain in Latin script besides the project's own names
TECHNICAL = ("AlignScope", "k-means", "torch", "Excel", "CSV", "PDF", "PNG", "SVG", "Recall", "kNN",
             "CLARABEL", "alignscope info --json", "--allow-outside", "--text-model", "--label",
             "JSON Lines", "t-SNE", "UMAP", "PCA", "Ctrl", "Shift")
N_DEMO = 200


# ------------------------------------------------------------------------------ the check itself
def test_the_check_flags_english_sentences_and_spares_names() -> None:
    assert english_runs("注意: small sample: 115 labelled pairs, fewer than the 240") != []
    assert english_runs("ファイル: missing file") == ["missing file"]
    assert english_runs("相互k近傍 (mutual_knn) = 0.123、efficientnet-lite0 × paraphrase-minilm-l3") == []
    assert english_runs("AUC 0.56、p = 0.010、R@10、images/textile_00028.jpg、SHA-256") == []
    assert english_runs("写真 nominal と global_defect", allowed_words=["nominal"]) == []
    assert english_runs("Only the Caution remains") == ["Only the Caution remains"]
    assert unglossed("相互k近傍 (mutual_knn) のあと mutual_knn", ["mutual_knn"]) == []
    assert unglossed("指標 mutual_knn 0.123", ["mutual_knn"]) != []


# ------------------------------------------------------------------------------ the catalogues
def _filled(template: str) -> str:
    """A catalogue template with every named placeholder filled (numbers where a format asks for one)."""
    values: dict[str, Any] = {}
    for _text, name, spec, _conv in string.Formatter().parse(template):
        if name is not None:
            values[name] = 0.25 if spec and (spec[-1] in "fgde%" or spec in (",", "ordinal")) else "X1"
    return template.replace(":ordinal}", "}").format(**values)


def test_every_japanese_sentence_of_the_catalogues_is_japanese() -> None:
    from engine.report import texts_en, texts_ja
    from engine.study import messages_en, messages_ja

    assert set(messages_en.MESSAGES) == set(messages_ja.MESSAGES)
    assert set(texts_en.TEXTS) == set(texts_ja.TEXTS)
    sentences = {f"study:{k}": _filled(v) for k, v in messages_ja.MESSAGES.items()}
    sentences |= {f"pdf:{k}": _filled(v) for k, v in texts_ja.TEXTS.items()}
    sentences |= {f"metric:{k}": v for k, v in texts_ja.METRIC_DEFINITIONS.items()}
    root = ET.parse(Path(__file__).resolve().parent.parent / "resources/i18n/alignscope_ja.ts").getroot()
    for m in root.iter("message"):
        sentences[f"ui:{m.findtext('source')}"] = re.sub(r"\{\d[^}]*\}", "X1", m.findtext("translation") or "")
    english = {key: runs for key, text in sentences.items()
               if (runs := english_runs(text, allowed_phrases=TECHNICAL, allowed_words=IDENTIFIERS))}
    assert english == {}


def test_word_parameters_and_nested_sentences_render_in_japanese() -> None:
    from engine.study.messages import message, msg, render

    corr = msg("corr_too_few_one", n=1, min_pairs=5, unit="model pair", units="model pairs")
    caution = msg("f_corr_none", reason_key=corr.key, **corr.params)
    assert caution.text.startswith("Alignment vs performance: not computable — only 1 model pair:")
    ja = render("ja", caution)
    assert "エンコーダー組が 1 個" in ja and english_runs(ja) == []
    assert "対照学習ヘッド" in message("ja", "f_retrieval", n_test=3, base=0.1, method="contrastive", best=0.2,
                                      gain=0.1, chance=0.05)
    assert message("en", "pr_report_rank", rank=812, n=4000) == "the report ranks 812th of 4,000 for its image"
    assert message("ja", "pr_report_rank", rank=812, n=4000) == "この画像に対して、報告書は 4,000 件中 812 位"


# ------------------------------------------------------------------------------ quarantine reasons
def _import_reasons(root: Path) -> list[str]:
    """Reasons the real import writes for broken rows (engine.dataset.validate and friends)."""
    from PIL import Image

    from engine.dataset.image_checks import image_problem
    from engine.dataset.validate import RawRow, validate_rows

    root.mkdir()
    noise = np.random.default_rng(0).integers(0, 255, (96, 128, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "good.jpg")
    good = (root / "good.jpg").read_bytes()
    (root / "cut.jpg").write_bytes(good[: len(good) * 2 // 3])  # no end-of-image marker
    (root / "empty.jpg").write_bytes(b"")
    (root / "text.jpg").write_bytes(b"not an image at all")
    (root / "folder.jpg").mkdir()
    rows = [RawRow(2, "a", "missing.jpg", "表面に傷"), RawRow(3, "b", "cut.jpg", "表面に傷"),
            RawRow(4, "c", "empty.jpg", "表面に傷"), RawRow(5, "d", "text.jpg", "表面に傷"),
            RawRow(6, "f", "good.jpg", "   "), RawRow(7, "e", "good.jpg", "傷"), RawRow(8, "", "good.jpg", "傷"),
            RawRow(9, "g", "../outside.jpg", "傷"), RawRow(10, "h", "folder.jpg", "傷"),
            RawRow(11, "i", "good.jpg", "傷\x00"), RawRow(12, "j", "good.jpg", ""),
            RawRow(13, "k", "good.jpg", "傷"), RawRow(14, "k", "good.jpg", "傷")]
    _, quarantine = validate_rows(root, rows, workers=1)
    reasons = [q.reason for q in quarantine]
    reasons.append(image_problem(good[:200]) or "")  # a header only: Pillow's own words
    return reasons


def test_quarantine_reasons_of_the_import_read_in_japanese(tmp_path: Path) -> None:
    from engine.study.messages_recorded import quarantine_reason

    reasons = _import_reasons(tmp_path / "data")
    assert len(reasons) >= 10
    for reason in reasons:
        ja = quarantine_reason("ja", reason)
        assert ja != reason, reason
        unquoted = re.sub(r"画像ライブラリのメッセージ「[^」]*」", "", ja)  # Pillow's own words, quoted
        assert english_runs(unquoted, allowed_phrases=(str(tmp_path),), allowed_words=TECHNICAL) == [], (reason, ja)
        assert quarantine_reason("en", reason) == reason


def test_notes_of_the_metric_computation_are_catalogue_messages() -> None:
    from engine.metrics import compute_metrics
    from engine.study import messages_en
    from engine.study.messages import render
    from engine.study.messages_recorded import metric_note

    for key, template in messages_en.MESSAGES.items():
        if key.startswith("mn_"):
            assert metric_note(_filled(template)).key == key
    rng = np.random.default_rng(0)
    a = rng.normal(size=(60, 12)).astype(np.float32)
    a[:, 3] = 0.0                                            # a zero-variance column
    b = np.repeat(rng.normal(size=(3, 8)), 20, axis=0).astype(np.float32)  # spans 2 directions
    notes = compute_metrics(a, b, k=5, bootstrap=4, permutations=4, seed=0)["notes"]
    keys = set()
    for note in notes:
        m = metric_note(note)
        keys.add(m.key)
        assert m.text == note and english_runs(render("ja", m), allowed_words=IDENTIFIERS) == [], note
    assert {"mn_svcca_zero_var", "mn_svcca_fewer", "mn_bootstrap", "mn_permutation"} <= keys
    assert metric_note("something no template knows").key == "n_as_recorded"


# ------------------------------------------------------------------------------ a real Japanese project
def _models_exported() -> bool:
    from engine.encoders import get_spec

    try:
        return all(Path(get_spec(m).path).is_file() for m in ("efficientnet-lite0", "paraphrase-minilm-l3"))
    except Exception:  # an unknown or unexported model: skip, as the other real-model tests do
        return False


needs_models = pytest.mark.skipif(not _models_exported(), reason="encoders not exported (make models)")


@pytest.fixture(scope="module")
def japanese_demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The Japanese demo (200 rows, its planted broken rows), embedded and studied for real."""
    from app.main import main
    from engine.study.analyze import AnalyzeOptions, analyze_store

    root = tmp_path_factory.mktemp("demo_ja")
    demo, store = root / "demo", root / "demo.h5"
    assert main(["demo", str(demo), "--n", str(N_DEMO), "--lang", "ja"]) == 0
    assert main(["embed", str(demo), "--store", str(store), "--image-model", "efficientnet-lite0",
                 "--text-model", "paraphrase-minilm-l3", "--layers"]) == 0
    options = AnalyzeOptions(bootstrap=20, permutations=20, pid_bootstrap=3, probe_folds=3, contrastive=False)
    analysis = analyze_store(store, None, options=options, use_cache=False)
    analysis_path = root / "analysis.json"
    analysis_path.write_text(json.dumps(analysis.to_json(), ensure_ascii=False), encoding="utf-8")
    pdf = root / "report_ja.pdf"
    assert main(["report", "--store", str(store), "--analysis", str(analysis_path), "--lang", "ja",
                 "--out", str(pdf)]) == 0
    return {"root": root, "store": store, "analysis": analysis, "pdf": pdf}


def _allowed_words(project: dict[str, Any]) -> list[str]:
    """The project's own names: what may stay Latin in a Japanese view of it."""
    from engine.store import Store

    a = project["analysis"]
    words = [*IDENTIFIERS, *TECHNICAL, *a.models.image, *a.models.text, project["store"].stem]
    for la in a.layerwise.values():  # layer names are the encoders' own ids ("embeddings", "layer6")
        words += [*la.image_layers, *la.text_layers]
    with Store.open(project["store"], mode="r") as st:
        words += [*st.sample_ids(), *st.columns(), *st.report_texts()]
        for column in st.columns():
            words += [str(v) for v in st.column(column)]
        words += [str(q.get(k, "")) for q in st.quarantine() for k in ("id", "file")]
    return words


def _allowed_phrases(project: dict[str, Any]) -> list[str]:
    from engine.report.texts import references

    return [*references(), str(project["store"]), str(project["root"]), *TECHNICAL]


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_models
def test_japanese_pdf_of_the_demo_has_no_english_sentence(japanese_demo: dict[str, Any]) -> None:
    text = _pdf_text(japanese_demo["pdf"])
    assert "要確認ペア" in text and "データ品質" in text
    a = japanese_demo["analysis"]
    assert a.pid is not None and a.pid.warnings and a.notes  # the sentences this test is about occur
    runs = english_runs(text, allowed_phrases=_allowed_phrases(japanese_demo),
                        allowed_words=_allowed_words(japanese_demo))
    assert runs == []
    assert unglossed(text, IDENTIFIERS) == []


INJECTED = "the operator should check this batch again"   # an English sentence no catalogue holds


def _with_english_note(analysis: Any) -> Any:
    """The study with one note that has no Japanese text (as a note no template knows is kept)."""
    from dataclasses import replace

    from engine.study.messages import msg

    return replace(analysis, notes=(*analysis.notes, msg("n_as_recorded", text=INJECTED)))


@needs_models
def test_the_pdf_check_catches_an_english_sentence(japanese_demo: dict[str, Any]) -> None:
    from app.main import main

    root = japanese_demo["root"]
    analysis_path, pdf = root / "analysis_en_note.json", root / "report_en_note.pdf"
    analysis = _with_english_note(japanese_demo["analysis"])
    analysis_path.write_text(json.dumps(analysis.to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["report", "--store", str(japanese_demo["store"]), "--analysis", str(analysis_path),
                 "--lang", "ja", "--out", str(pdf)]) == 0
    runs = english_runs(_pdf_text(pdf), allowed_phrases=_allowed_phrases(japanese_demo),
                        allowed_words=_allowed_words(japanese_demo))
    assert INJECTED in runs


# ------------------------------------------------------------------------------ the GUI
def _plot_texts(plot: Any) -> Iterator[str]:
    import pyqtgraph as pg

    item = plot.getPlotItem()
    yield item.titleLabel.text
    for side in ("left", "bottom"):
        yield item.getAxis(side).labelText
    if item.legend is not None:
        for _sample, label in item.legend.items:
            yield label.text
    for child in item.vb.allChildren():
        if isinstance(child, pg.TextItem):
            yield child.textItem.toPlainText()


def _model_texts(model: Any, rows: int = 40) -> Iterator[str]:
    from PySide6.QtCore import Qt

    if model is None:
        return
    for col in range(model.columnCount()):
        yield str(model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for row in range(min(model.rowCount(), rows)):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, col), role)
                if isinstance(value, str):
                    yield _plain(value)


def _plain(text: str) -> str:
    """Rich text as a person reads it (tool tips and labels may hold HTML)."""
    from PySide6.QtGui import Qt, QTextDocument

    if not Qt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def widget_texts(root: Any) -> Iterator[str]:
    """Every text a person can read in ``root`` as shown now: visible labels, buttons, tabs,
    lists, tables, tool tips, text panes, plot titles, axes, legends and in-plot notes, and
    the menus of the menu bar."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenu,
        QPlainTextEdit,
        QTabBar,
        QTextEdit,
        QWidget,
    )

    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() and not isinstance(w, QMenu):
            continue
        yield _plain(w.toolTip())
        if isinstance(w, QLabel):
            yield w.text() if w.textFormat() == Qt.TextFormat.PlainText else _plain(w.text())
        elif isinstance(w, QAbstractButton | QGroupBox):
            yield w.text() if isinstance(w, QAbstractButton) else w.title()
        elif isinstance(w, QComboBox):
            yield from (w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QTabBar):
            yield from (w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QLineEdit):
            yield w.placeholderText()
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            yield w.toPlainText()
        elif isinstance(w, QListWidget):
            yield from (w.item(i).text() for i in range(w.count()))
        elif isinstance(w, QAbstractItemView):
            yield from _model_texts(w.model())
        elif isinstance(w, pg.PlotWidget):
            yield from _plot_texts(w)
        elif isinstance(w, QMenu):
            yield w.title()
            yield from (a.text() for a in w.actions())


@needs_models
def test_every_japanese_view_has_no_english_sentence(qtbot: Any, japanese_demo: dict[str, Any],
                                                     tmp_path: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    from ui.i18n import install_translations
    from ui.main_window import VIEW_NAMES, MainWindow

    app = QCoreApplication.instance()
    assert app is not None
    install_translations(app, "ja")
    try:
        window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), theme="light")
        qtbot.addWidget(window)
        window.show()
        window.open_project(japanese_demo["store"])
        qtbot.waitUntil(lambda: window.data is not None, timeout=120_000)
        window.project.set_analysis(japanese_demo["analysis"])
        first = window.pairs.first_sample()
        assert first is not None
        window.selection.set_current(first)
        texts: dict[str, list[str]] = {}
        for name in VIEW_NAMES:
            window.show_view(name)
            qtbot.wait(50)
            texts[name] = [t for t in widget_texts(window) if t and t.strip()]
        words, phrases = _allowed_words(japanese_demo), _allowed_phrases(japanese_demo)
        english = {name: found for name, ts in texts.items()
                   if (found := [r for t in ts for r in english_runs(t, allowed_phrases=phrases,
                                                                     allowed_words=words)])}
        assert english == {}, english
        shown = "\n".join(texts["pairs"])
        assert "この画像に対して、報告書は" in shown  # the opened pair says why it ranks where it does
        assert "相互k近傍 (mutual_knn)" in "\n".join(texts["overview"])
        for name in ("overview", "ladder", "interactions"):
            assert unglossed("\n".join(texts[name]), IDENTIFIERS) == [], name
        # the check sees an English sentence where a view shows one
        window.project.set_analysis(_with_english_note(japanese_demo["analysis"]))
        window.show_view("overview")
        qtbot.wait(50)
        found = [r for t in widget_texts(window) if t for r in english_runs(t, allowed_phrases=phrases,
                                                                            allowed_words=words)]
        assert INJECTED in found
        window.jobs.cancel_all()
    finally:
        install_translations(app, "en")
