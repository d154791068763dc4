"""The PDF report read back with poppler-utils: sections, numbers, fonts, images, attachment."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.main import main
from engine.dataset.model import Dataset, QuarantineEntry, Sample
from engine.report.formatting import fmt
from engine.report.texts import tr
from engine.store import TableSpec, TableWriter, add_tables, write_dataset
from engine.study.analyze import AnalyzeOptions, analyze_store
from engine.study.result import read_analysis

# poppler-utils is installed by the set-up (installer/sysdeps.sh): a missing tool fails, never skips
assert shutil.which("pdftotext") is not None, "poppler-utils missing: run `make setup` (installer/sysdeps.sh)"
SMALL = AnalyzeOptions(bootstrap=20, permutations=20, pid_bootstrap=3, probe_folds=3, contrastive=False)


CLASSES = ("scratch", "dent", "stain")
TRICKY = "Scratch near <b>edge</b> <img src=evil.png> & more"


def english_report(i: int, cls: str) -> str:
    return f"{TRICKY} — sample {i}: {cls} found on panel {i % 7}."


def build_store(root: Path, n: int = 90, with_label: bool = True, seed: int = 0,
                report_text: Callable[[int, str], str] = english_report) -> Path:
    """A small real project store: images on disk, report text with HTML-like tags, three
    classes, two quarantined rows and paired synthetic embeddings."""
    rng = np.random.default_rng(seed)
    img_dir = root / "images"
    img_dir.mkdir(parents=True, exist_ok=True)
    samples = []
    y = np.arange(n) % len(CLASSES)
    for i in range(n):
        path = img_dir / f"img_{i:03d}.png"
        colour = np.zeros((24, 32, 3), np.uint8)
        colour[..., y[i]] = 200
        Image.fromarray(colour).save(path)
        report = report_text(i, CLASSES[y[i]])
        labels = {"defect_class": CLASSES[y[i]], "line": f"L{i % 2}"} if with_label else {"line": f"L{i % 2}"}
        samples.append(Sample(row=i + 2, id=f"s{i:03d}", image=path, image_rel=path.name, report=report,
                              image_sha256=hashlib.sha256(path.read_bytes() + bytes([i])).hexdigest(),
                              report_sha256=hashlib.sha256(report.encode()).hexdigest(), labels=labels))
    ds = Dataset(root=root, source=str(root), kind="manifest", encoding="utf-8", n_rows=n + 2,
                 columns=["defect_class", "line"] if with_label else ["line"],
                 label_columns=["defect_class"] if with_label else [], mapping={},
                 samples=samples,
                 quarantine=[QuarantineEntry(n + 2, "bad1", "images/missing.png", "file not found"),
                             QuarantineEntry(n + 3, "bad2", "images/<zero>.png", "zero bytes")])
    store = root / "project.h5"
    write_dataset(store, ds)
    centres = rng.normal(size=(len(CLASSES), 16))
    latent = centres[y] + 0.8 * rng.normal(size=(n, 16))
    image = latent @ rng.normal(size=(16, 24)) + 0.3 * rng.normal(size=(n, 24))
    text = latent @ rng.normal(size=(16, 12)) + 0.3 * rng.normal(size=(n, 12))
    specs = [TableSpec("img-model", "image", 24, "ab" * 32, {}, "CPUExecutionProvider"),
             TableSpec("txt-model", "text", 12, "cd" * 32, {}, "CPUExecutionProvider")]
    add_tables(store, specs)
    for spec, vec in zip(specs, (image, text), strict=True):
        writer = TableWriter(store, spec.modality, spec.model_id)
        writer.write(np.arange(n), vec.astype(np.float32))
        writer.flush()
        writer.close()
    return store


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def _text(pdf: Path, layout: bool = False) -> str:
    # as extracted: no Unicode normalisation (the report font's copy makes 目 copy out as 目)
    return _run("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report")
    store = build_store(root / "data")
    analysis = analyze_store(store, None, options=SMALL, use_cache=False)
    analysis_path = root / "analysis.json"
    analysis_path.write_text(json.dumps(analysis.to_json()), encoding="utf-8")
    out: dict[str, Path] = {"store": store, "analysis": analysis_path}
    for lang, paper in (("en", "a4"), ("ja", "letter")):
        pdf = root / f"report_{lang}.pdf"
        extra = ["--json", str(root / "study.json"), "--csv", str(root / "samples.csv")] if lang == "en" else []
        rc = main(["report", "--store", str(store), "--out", str(pdf), "--analysis", str(analysis_path),
                   "--lang", lang, "--paper", paper, *extra])
        assert rc == 0
        out[lang] = pdf
    out["json"] = root / "study.json"
    out["csv"] = root / "samples.csv"
    return out


def test_every_section_and_the_default_label_are_stated(project: dict[str, Path]) -> None:
    text = " ".join(_text(project["en"]).split())
    for key in ("summary", "alignment", "interactions", "suspects", "quality", "method"):
        assert tr("en", f"sec_{key}") in text, key
    assert tr("en", "report_title") in text and "Contents" in text
    assert "defect_class (chosen automatically: 'defect_class' has a label-like name and 3 values" in text
    assert "Page" in _text(project["en"], layout=True)  # footer (digits: see the ja test)


def test_metric_values_in_the_pdf_equal_the_analysis(project: dict[str, Path]) -> None:
    analysis = read_analysis(json.loads(project["analysis"].read_text(encoding="utf-8")))
    pair = analysis.default_pair()
    assert pair is not None
    text = _text(project["en"], layout=True)
    for metric in ("mutual_knn", "cycle_knn", "cka_linear", "unbiased_cka_linear", "cknna", "svcca"):
        rows = [line.split() for line in text.splitlines() if line.strip().startswith(metric + " ")]
        assert rows, metric
        assert rows[0][1] == fmt(pair.metrics[metric]), (metric, rows[0])
    lo, hi = pair.ci["mutual_knn"]
    assert f"{fmt(lo)} – {fmt(hi)}" in text
    assert analysis.pid is not None and analysis.retrieval is not None
    for part in ("redundancy", "synergy", "total_mi"):
        assert fmt(getattr(analysis.pid, part)) in text
    assert fmt(analysis.retrieval.methods["linear_map"].image_to_text["10"]) in text


def test_user_text_prints_literally_and_images_are_embedded(project: dict[str, Path]) -> None:
    text = _text(project["en"])
    assert "<b>edge</b> <img src=evil.png> & more" in text.replace("\n", " ")
    assert "images/<zero>.png" in text  # quarantine table, escaped file name
    images = [line for line in _run("pdfimages", "-list", str(project["en"])).splitlines()[2:] if " image " in line]
    assert len(images) >= 20 + 3  # 20 thumbnails plus the plots


def test_fonts_are_embedded_and_japanese_headings_are_text(project: dict[str, Path]) -> None:
    fonts = _run("pdffonts", str(project["ja"])).splitlines()[2:]
    cjk = [line for line in fonts if "NotoSansCJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # emb column
    text = _text(project["ja"])
    for heading in ("目次", "概要", "アライメント", "相互作用と異質性", "要確認ペア", "データ品質", "手法"):
        assert heading in text, heading
    assert re.search(r"3 / \d+ ページ", text)  # footer with page numbers


def test_paper_sizes(project: dict[str, Path]) -> None:
    assert "595 x 842 pts (A4)" in _run("pdfinfo", str(project["en"]))
    assert "612 x 792 pts (letter)" in _run("pdfinfo", str(project["ja"]))


def test_csv_attachment_and_exports(project: dict[str, Path], tmp_path: Path) -> None:
    assert "per_sample_scores.csv" in _run("pdfdetach", "-list", str(project["en"]))
    _run("pdfdetach", "-saveall", "-o", str(tmp_path), str(project["en"]))
    attached = (tmp_path / "per_sample_scores.csv").read_bytes()
    assert attached == project["csv"].read_bytes()
    lines = attached.decode("utf-8-sig").splitlines()
    assert lines[0] == ("rank,id,suspect_score,q_value,flagged,tied,reasons,neighbour_overlap,defect_class,"
                        "line,image,report,reviewed")
    assert len(lines) == 1 + 90
    study = json.loads(project["json"].read_text(encoding="utf-8"))
    analysis = json.loads(project["analysis"].read_text(encoding="utf-8"))
    assert study["analysis"]["pairs"][0]["metrics"] == analysis["pairs"][0]["metrics"]
    assert study["project"]["n_quarantined"] == 2 and study["project"]["label"] == "defect_class"
    assert study["analysis"]["label"]["how"] == "automatic"


def test_store_without_label_still_gets_a_report(tmp_path: Path) -> None:
    store = build_store(tmp_path / "nolabel", n=50, with_label=False)
    pdf = tmp_path / "nolabel.pdf"
    assert main(["report", "--store", str(store), "--out", str(pdf)]) == 0
    text = " ".join(_text(pdf).split())
    assert tr("en", "tp_label_none") in text
    assert " ".join(tr("en", "in_no_label").split()) in text
    assert tr("en", "sec_suspects") in text


def test_bad_input_is_one_clear_line(project: dict[str, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--store", str(tmp_path / "nope.h5"), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "nope.h5 does not exist" in capsys.readouterr().err
    rc = main(["report", "--store", str(project["store"]), "--out", str(tmp_path / "x.pdf"),
               "--label", "colour", "--analysis", str(project["analysis"])])
    assert rc == 2
    assert "no column 'colour'" in capsys.readouterr().err
    rc = main(["report", "--store", str(project["store"]), "--out", str(tmp_path / "no" / "x.pdf"),
               "--analysis", str(project["analysis"])])
    assert rc == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_text_layer_keeps_every_digit(project: dict[str, Path], lang: str) -> None:
    """A manager can search the PDF for a serial number or copy a value (digits used to vanish)."""
    analysis = read_analysis(json.loads(project["analysis"].read_text(encoding="utf-8")))
    text = _text(project[lang])
    flat = " ".join(text.split())
    for suspect in analysis.suspects[:20]:
        assert suspect.id in flat, suspect.id
    pair = analysis.default_pair()
    assert pair is not None
    for value in pair.metrics.values():
        assert fmt(value) in flat
    assert str(project["store"].name) in flat  # "project.h5": the digit of ".h5" survives
    assert f"{analysis.n} " in flat or f"{analysis.n}\n" in text
    if lang == "en":
        assert re.search(r"Page 3 of \d+", flat)
        assert "file" in flat and "\ufb01" not in text  # no "fi" ligature glyph in the copy-out


# Japanese report texts whose ideographs share a glyph with a look-alike radical in Noto Sans CJK
# (表面 長さ 目視 用 一 方 糸 大 水 日 示 行 力), with ・ ／ 〜 and an en dash: each used to copy out
# of the PDF as a radical (⽬ U+2F6C for 目), U+2027, U+2215 or the figure dash U+2012.
JA_DEFECTS = {"scratch": "線状の傷", "dent": "打痕", "stain": "汚れ"}


def japanese_report(i: int, cls: str) -> str:
    return (f"表面に長さ {i % 9 + 1} mm の{JA_DEFECTS[cls]}。目視・拡大鏡で確認（パネル {i % 7}／"
            f"糸の方向と一致）。大きな力の水跡、2–3 日後に再検査を行う〜指示。No. JP-{i:05d}")


@pytest.fixture(scope="module")
def japanese_project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("report_ja")
    store = build_store(root / "data", report_text=japanese_report)
    analysis = analyze_store(store, None, options=SMALL, use_cache=False)
    analysis_path = root / "analysis.json"
    analysis_path.write_text(json.dumps(analysis.to_json()), encoding="utf-8")
    pdf = root / "report.pdf"
    assert main(["report", "--store", str(store), "--out", str(pdf), "--analysis", str(analysis_path),
                 "--lang", "ja"]) == 0
    return {"store": store, "analysis": analysis_path, "pdf": pdf}


def _drawn_text(store: Path, analysis_path: Path, lang: str) -> str:
    """What the PDF writer draws: the report's HTML as plain text, with header, title, footers."""
    from PySide6.QtGui import QTextDocument

    from engine.report import build_document, gather_inputs
    from ui.report.qt_env import ensure_app

    analysis = read_analysis(json.loads(analysis_path.read_text(encoding="utf-8")))
    ensure_app()
    document = build_document(analysis, gather_inputs(store, analysis), lang)
    qdoc = QTextDocument()
    qdoc.setHtml(document.html(4.0))
    frame = [document.header, document.title] + [document.footer(p, 99) for p in range(1, 100)]
    return "\n".join([qdoc.toPlainText(), *frame])


def test_japanese_report_texts_copy_out_exactly(japanese_project: dict[str, Path]) -> None:
    """Search and copy-out of a Japanese report: the user's texts come back character for
    character (no Unicode normalisation): 目 is not the radical ⽬, – is not the figure dash."""
    analysis = read_analysis(json.loads(japanese_project["analysis"].read_text(encoding="utf-8")))
    text = _text(japanese_project["pdf"])
    joined = "".join(text.split())  # line breaks fall anywhere in Japanese running text
    assert analysis.suspects
    for suspect in analysis.suspects[:20]:
        i = int(suspect.id[1:])
        expected = "".join(japanese_report(i, CLASSES[i % len(CLASSES)]).split())
        # a table cell wraps over lines and pdftotext may read neighbouring cells in between:
        # the start of each report (one line of its cell) and its serial come back exactly
        assert expected[:12] in joined, (suspect.id, expected[:12])
        assert f"JP-{i:05d}" in joined, suspect.id
        assert set(expected) <= set(joined), set(expected) - set(joined)
    for word in ("目次", "表面", "長さ", "目視", "2–3", "・", "／", "概要", "手法", "要確認ペア"):
        assert word in joined, word


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_extracted_character_is_one_the_report_draws(
        project: dict[str, Path], japanese_project: dict[str, Path], lang: str) -> None:
    """No look-alike in the text layer: each character `pdftotext` gives back occurs in the text
    the report draws (catches any glyph shared by two code points, not only the known ones)."""
    source = japanese_project if lang == "ja" else project
    pdf = source["pdf"] if lang == "ja" else project["en"]
    drawn = set(_drawn_text(source["store"], source["analysis"], lang))
    extracted = _text(pdf)
    foreign = sorted({f"{c} U+{ord(c):04X}" for c in extracted if c not in drawn and not c.isspace()})
    assert not foreign
    assert "\u2013" in extracted and "\u2012" not in extracted  # en dash, never the figure dash


@pytest.mark.parametrize(("paper", "tag"), [("a4", "p"), ("letter", "p"), ("a4", "li"), ("letter", "li")])
def test_each_line_is_on_one_page_only(qapp: object, tmp_path: Path, paper: str, tag: str) -> None:
    """A line pushed to the next page must not also sit, clipped, in the previous page's text
    layer (pdftotext then read it twice: once at the foot of one page, once at the head of the
    next). Numbered paragraphs of several lengths over many page breaks, each read back once."""
    from engine.report.document import ReportDocument, SectionInfo
    from ui.report.pdf import write_pdf

    paragraphs = "".join(f"<{tag}>line {i:04d} " + "word " * (3 + 17 * (i % 5)) + f"</{tag}>"
                         for i in range(400))
    if tag == "li":
        paragraphs = f"<ul>{paragraphs}</ul>"
    doc = ReportDocument(lang="en", title="t", header="h", footer_template="Page {page} of {pages}",
                         sections=[SectionInfo("body", 1, "Body")],
                         parts={"title": "<h1>Title</h1>", "body": f"<h1>Body</h1>{paragraphs}"})
    result = write_pdf(doc, tmp_path / "lines.pdf", paper=paper)
    assert result.pages > 10
    found = Counter(re.findall(r"line (\d{4})", _text(tmp_path / "lines.pdf")))
    assert sorted(found) == [f"{i:04d}" for i in range(400)]
    assert {k: v for k, v in found.items() if v != 1} == {}
