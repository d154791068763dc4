"""Say what was guessed, every time: id columns (serial names, a unique numbered column, or ids
made from paths, said so), the id rule of a folder, a forced encoding, reports stripped the same
for every source, and `embed` / `info` printing the encoding, the columns, the label with why
and the flag that changes each. Help texts that work without the README."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import DEFAULT_IMAGE, DEFAULT_TEXT, have_default_models
from PIL import Image

from app.main import main
from engine.dataset import load_dataset
from engine.dataset.columns import HOW_NAME, HOW_UNIQUE, detect_columns
from engine.dataset.guesses import guess_lines, guesses_of_dataset
from engine.dataset.label_choice import choose_label

needs_models = pytest.mark.skipif(not have_default_models(), reason="exported models missing (make models)")

JA_HEADER = ["管理番号", "写真", "所見", "判定", "刻印", "検査員", "日付"]
INSPECTORS = ["佐藤", "加藤", "中村"]


def _jpeg(path: Path, shade: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 32), (shade % 256, (shade * 7) % 256, 90)).save(path, "JPEG")


def _ja_rows(n: int, windows_paths: bool = False) -> list[list[str]]:
    sep = "\\" if windows_paths else "/"
    return [[f"SP{i:05d}", f"写真{sep}P{i:04d}.jpg", f"刻印：{i % 10}。{'打痕あり' if i % 3 == 0 else '異常なし'}。",
             "不合格" if i % 3 == 0 else "合格", str(i % 10), INSPECTORS[i % 3], f"2025/06/{1 + i % 28:02d}"]
            for i in range(n)]


def _ja_sheet(root: Path, n: int = 12, header: list[str] | None = None, drop_id: bool = False,
              windows_paths: bool = False) -> Path:
    """A CP932 sheet with Japanese columns, as Excel on Japanese Windows writes it."""
    rows = _ja_rows(n, windows_paths)
    head = list(header or JA_HEADER)
    if drop_id:
        head, rows = head[1:], [r[1:] for r in rows]
    for i in range(n):
        _jpeg(root / "写真" / f"P{i:04d}.jpg", i * 20)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(head)
    w.writerows(rows)
    path = root / "manifest.csv"
    path.write_bytes(buf.getvalue().encode("cp932"))
    return path


# ------------------------------------------------------------------------ id columns
def test_serial_columns_are_recognised_and_shared_numbers_must_be_unique() -> None:
    n = 30
    unique = [f"X{i}" for i in range(n)]
    shared = [f"L{i // 10}" for i in range(n)]
    cols = {"写真": ["a.jpg"] * n, "所見": ["ok"] * n}
    for name in ("管理番号", "製造番号", "シリアル", "S/N", "Serial No.", "serial_number"):
        found = detect_columns([name, *cols], {}, "m", {name: unique, **cols})
        assert found.mapping["id"] == name and found.how("id") == HOW_NAME, name
    # a lot number repeats on many rows: not the id, and why is said
    found = detect_columns(["Lot No.", *cols], {}, "m", {"Lot No.": shared, **cols})
    assert "id" not in found.mapping
    assert found.passed_over == (("Lot No.", "27 rows repeat another row's value"),)
    # ... unless each row has its own
    found = detect_columns(["Lot No.", *cols], {}, "m", {"Lot No.": unique, **cols})
    assert found.mapping["id"] == "Lot No."
    # a column named like a number, not a known name, with a value per row
    found = detect_columns(["検査記録番号", "品種", *cols], {}, "m",
                           {"検査記録番号": unique, "品種": shared, **cols})
    assert found.mapping["id"] == "検査記録番号" and found.how("id") == HOW_UNIQUE
    # a serial column with a repeated value stays the id (its duplicate rows are quarantined)
    dup = [*unique[:-1], unique[0]]
    assert detect_columns(["serial", *cols], {}, "m", {"serial": dup, **cols}).mapping["id"] == "serial"


def test_a_kanri_bangou_sheet_gets_its_ids_and_says_so(tmp_path: Path) -> None:
    ds = load_dataset(_ja_sheet(tmp_path / "ja"))
    assert [s.id for s in ds.samples][:2] == ["SP00000", "SP00001"]
    assert ds.encoding == "cp932" and ds.column_how["id"] == HOW_NAME and ds.id_rule == ""
    lines = guess_lines(guesses_of_dataset(ds))
    assert lines[0].startswith("encoding: CP932 (Shift-JIS), detected from the bytes (change: --encoding ")
    assert "columns (change: --map id=COLUMN,image=COLUMN,report=COLUMN):" in lines
    assert "  id: 管理番号 (recognised name)" in lines and "  report: 所見 (recognised name)" in lines
    label = next(line for line in lines if line.startswith("label: "))
    assert label.startswith("label: 判定 ('判定' has a label-like name and 2 values; other candidates: 刻印 (10))")
    assert "  change: --label COLUMN (analyze, suspects, report; in the GUI: the Label box of the Overview)" in lines
    assert "  not offered as labels: 検査員 (names a person), 日付 (dates or times)" in lines


def test_a_sheet_without_id_column_says_how_ids_were_made(tmp_path: Path) -> None:
    ds = load_dataset(_ja_sheet(tmp_path / "noid", drop_id=True, windows_paths=True))
    assert [s.id for s in ds.samples][:2] == ["写真/P0000", "写真/P0001"]  # Windows paths, / in ids
    assert ds.id_rule == "the image path without extension (e.g. '写真/P0000')"
    note = next(n for n in ds.notes if n.startswith("no id column"))
    assert "--map id=COLUMN" in note and "管理番号" in note
    assert "  id: no column; ids are the image path without extension (e.g. '写真/P0000')" in \
        guess_lines(guesses_of_dataset(ds))


# ------------------------------------------------------------------------ folders
def test_folder_ids_are_file_names_or_paths_and_the_rule_is_said(tmp_path: Path) -> None:
    root = tmp_path / "stamped"
    for digit in ("0", "1"):
        for i in range(2):
            _jpeg(root / f"刻印{digit}" / f"SN-{digit}{i}.jpg", i)
            (root / f"刻印{digit}" / f"SN-{digit}{i}.txt").write_text(f"刻印 {digit}、傷なし。\n", encoding="utf-8")
    ds = load_dataset(root)
    assert [s.id for s in ds.samples] == ["SN-00", "SN-01", "SN-10", "SN-11"]
    assert ds.id_rule == "the image file's name without extension (every name is different) (e.g. 'SN-00')"
    lines = guess_lines(guesses_of_dataset(ds))
    assert "kind: a folder of images with sidecar reports (no manifest)" in lines
    assert any(line.startswith("  id: the image file's name without extension") for line in lines)
    assert any(line.startswith("label: label = the sub-folder names ('label' has a label-like name and 2 values")
               for line in lines)
    # the same file name in two sub-folders: the paths tell them apart, and the rule says so
    _jpeg(root / "刻印1" / "SN-00.jpg", 9)
    (root / "刻印1" / "SN-00.txt").write_text("重複名", encoding="utf-8")
    ds = load_dataset(root)
    assert "刻印0/SN-00" in [s.id for s in ds.samples] and "刻印1/SN-00" in [s.id for s in ds.samples]
    assert ds.id_rule.startswith("the image's path inside the folder, without extension (some file names repeat")


def test_reports_are_stripped_the_same_for_every_source(tmp_path: Path) -> None:
    root = tmp_path / "side"
    _jpeg(root / "a.jpg", 1)
    (root / "a.txt").write_text("first line\nsecond line\n\n", encoding="utf-8")
    ds = load_dataset(root)
    assert ds.samples[0].report == "first line\nsecond line"
    manifest = tmp_path / "m"
    _jpeg(manifest / "a.jpg", 1)
    _jpeg(manifest / "b.jpg", 2)
    (manifest / "r.txt").write_text("from a file\n", encoding="utf-8")
    (manifest / "manifest.csv").write_text('id,image,report\nA,a.jpg,"  inline  \n"\nB,b.jpg,r.txt\n',
                                           encoding="utf-8")
    ds = load_dataset(manifest)
    assert [s.report for s in ds.samples] == ["inline", "from a file"]


# ------------------------------------------------------------------------ encoding, label
def test_forced_encoding_reads_the_file_as_told(tmp_path: Path) -> None:
    root = tmp_path / "w"
    _jpeg(root / "a.jpg", 1)
    (root / "manifest.csv").write_bytes("id,image,report\nA,a.jpg,Défaut de tissage près du bord\n".encode("cp1252"))
    ds = load_dataset(root)
    assert ds.encoding == "cp1252" and ds.encoding_how == "detected"
    assert ds.samples[0].report == "Défaut de tissage près du bord"
    forced = load_dataset(root, encoding="cp932")
    assert forced.encoding == "cp932" and forced.encoding_how == "requested"
    assert forced.samples[0].report != ds.samples[0].report
    assert guess_lines(guesses_of_dataset(forced))[0].startswith("encoding: CP932 (Shift-JIS), as requested")


def test_integer_measurements_are_not_labels_but_stamped_digits_are() -> None:
    n = 60
    choice = choose_label({"刻印": [str(i % 10) for i in range(n)],
                           "humidity_pct": [str(40 + i % 30) for i in range(n)],
                           "loom_speed_rpm": [str(500 + 20 * (i % 4)) for i in range(n)],
                           "検査員": [INSPECTORS[i % 3] for i in range(n)]})
    assert choice.column == "刻印" and [c.column for c in choice.candidates] == ["刻印"]
    assert dict(choice.passed_over) == {"humidity_pct": "measurements (named like one)",
                                        "loom_speed_rpm": "measurements (named like one)",
                                        "検査員": "names a person"}


# ------------------------------------------------------------------------ help
def test_help_texts_work_without_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["embed", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    for text in ("repeatable", "efficientnet-lite0", "multilingual-e5-small", "languages incl. Japanese",
                 "管理番号", "シリアル", "写真", "所見", "--encoding", "--map", "--label COLUMN",
                 "alignscope suspects --store STORE"):
        assert text in out, text
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "headline" in out and "alignscope suspects --store STORE" in out and "--json" in out
    with pytest.raises(SystemExit):
        main(["suspects", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Which pairs disagree" in out and "the one the study chooses" in out


# ------------------------------------------------------------------------ embed and info
@needs_models
def test_embed_and_info_print_what_was_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "parts"
    sheet = _ja_sheet(root, n=12)
    text = sheet.read_bytes().decode("cp932").replace("写真/P0005.jpg", "写真/none.jpg")
    long_report = " ".join(["the scratch runs along the left edge of the flange"] * 40)
    text = text.replace("刻印：7。異常なし。", long_report)
    sheet.write_bytes(text.encode("cp932"))
    store = tmp_path / "p.h5"
    assert main(["embed", str(root), "--store", str(store), "--image-model", DEFAULT_IMAGE,
                 "--text-model", DEFAULT_TEXT]) == 0
    out, err = capsys.readouterr()
    for line in ("encoding: CP932 (Shift-JIS), detected from the bytes (change: --encoding "
                 "utf-8|cp932|cp1252|utf-16|utf-32)",
                 "  id: 管理番号 (recognised name)", "  image: 写真 (recognised name)",
                 "  not offered as labels: 検査員 (names a person), 日付 (dates or times)",
                 "  quarantined row 7 (SP00005, 写真/none.jpg): missing file"):
        assert line in out.splitlines(), line
    assert out.index("label: 判定") < out.index("dataset: ")  # said before the embedding
    # progress counts the rows of one model (11 good rows), naming the model and its place
    assert f"{DEFAULT_IMAGE} (model 1 of 2): embedding: 11/11" in err
    assert f"{DEFAULT_TEXT} (model 2 of 2): embedding: 11/11" in err and "/22" not in err
    # a truncated report is named
    assert f"{DEFAULT_TEXT} (text, " in out and "1 report truncated to the model's length (SP00007)" in out
    assert main(["info", str(store)]) == 0
    info = capsys.readouterr().out.splitlines()
    for line in ("encoding: CP932 (Shift-JIS), detected from the bytes (change: --encoding "
                 "utf-8|cp932|cp1252|utf-16|utf-32)",
                 "  id: 管理番号 (recognised name)",
                 "  change: --label COLUMN (analyze, suspects, report; in the GUI: the Label box of the Overview)",
                 "  quarantined row 7 (SP00005, 写真/none.jpg): missing file"):
        assert line in info, line
    assert any(line.startswith("label: 判定 (") for line in info)
    assert any("1 report truncated to the model's length (SP00007)" in line for line in info)


@needs_models
def test_a_folder_store_quarantines_files_not_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "folder"
    for i in range(3):
        _jpeg(root / "ok" / f"P{i}.jpg", i * 40)
        (root / "ok" / f"P{i}.txt").write_text(f"no defect {i}\n", encoding="utf-8")
    (root / "ng").mkdir()
    (root / "ng" / "P9.jpg").write_bytes(b"not a jpeg")
    (root / "ng" / "P9.txt").write_text("broken image", encoding="utf-8")
    store = tmp_path / "f.h5"
    assert main(["embed", str(root), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "kind: a folder of images with sidecar reports (no manifest)" in out
    assert "  quarantined file ng/P9.jpg: not an image (format not recognised)" in out.splitlines()
    assert main(["info", str(store)]) == 0
    info = capsys.readouterr().out
    assert "quarantined file ng/P9.jpg" in info and "quarantined row" not in info
    assert "  id: the image file's name without extension (every name is different) (e.g. 'P0')" in info
