"""Row validation and quarantine: every reason from the issue, on real files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from PIL import Image

from engine.dataset import load_dataset
from engine.dataset.image_checks import image_problem
from engine.errors import InputError


def _jpeg(path: Path, size: tuple[int, int] = (32, 24), color: tuple[int, int, int] = (90, 120, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def _manifest(folder: Path, rows: list[list[str]], header: tuple[str, ...] = ("id", "image", "report", "defect_class")) -> Path:
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture()
def messy(tmp_path: Path) -> Path:
    root = tmp_path / "ds"
    good = _jpeg(root / "img" / "good.jpg")
    _jpeg(root / "img" / "good2.jpg", color=(10, 10, 10))
    _jpeg(root / "img" / "dup.jpg")
    (root / "img" / "empty.jpg").write_bytes(b"")
    (root / "img" / "text.jpg").write_text("not a picture")
    (root / "img" / "trunc.jpg").write_bytes(good[: len(good) // 2])
    _jpeg(root / "img" / "huge.jpg", size=(400, 300))
    (root / "reports").mkdir()
    (root / "reports" / "r1.txt").write_bytes("表面に傷、左上。".encode("cp932"))
    (root / "reports" / "bad.txt").write_bytes(b"ok \xff\xfe\xfa \x81")
    _jpeg(tmp_path / "outside.jpg")
    _manifest(root, [
        ["S1", "img/good.jpg", "Scratch near the left edge, 3 mm.", "local"],      # row 2 good
        ["S2", "img/missing.jpg", "text", "local"],                                   # 3 missing
        ["S3", "img/empty.jpg", "text", "local"],                                     # 4 zero bytes
        ["S4", "img/text.jpg", "text", "local"],                                      # 5 not image
        ["S5", "img/trunc.jpg", "text", "local"],                                     # 6 truncated
        ["S6", "img/huge.jpg", "text", "global"],                                     # 7 too many px
        ["S7", "img/good2.jpg", "   \t ", "nominal"],                                 # 8 empty report
        ["D", "img/dup.jpg", "first", "nominal"],                                     # 9 duplicate
        ["D", "img/good2.jpg", "second", "nominal"],                                  # 10 duplicate
        ["S8", "../outside.jpg", "text", "nominal"],                                  # 11 escapes
        ["S9", str(tmp_path / "outside.jpg"), "text", "nominal"],                     # 12 absolute
        ["S10", "img/good2.jpg", "reports/r1.txt", "local"],                          # 13 good (.txt)
        ["S11", "img/good2.jpg", "reports/bad.txt", "local"],                         # 14 undecodable
        ["S12", "img/good2.jpg", "reports/none.txt", "local"],                        # 15 no report file
        ["", "img/good2.jpg", "text", "local"],                                       # 16 empty id
    ])
    return root


def test_every_quarantine_reason(messy: Path) -> None:
    ds = load_dataset(messy, max_pixels=100_000)
    assert [s.id for s in ds.samples] == ["S1", "S10"]
    assert ds.samples[1].report == "表面に傷、左上。"
    reasons = {q.row: q.reason for q in ds.quarantine}
    assert reasons[3] == "missing file"
    assert reasons[4].startswith("zero bytes")
    assert reasons[5].startswith("not an image")
    assert reasons[6].startswith("truncated image")
    assert reasons[7].startswith("too many pixels (400×300 = 120,000; limit 100,000)")
    assert reasons[8].startswith("empty report")
    assert reasons[9] == "duplicate id 'D' (also on row 10)"
    assert reasons[10] == "duplicate id 'D' (also on row 9)"
    assert "escapes the dataset folder" in reasons[11] and "refused" in reasons[11]
    assert "escapes the dataset folder" in reasons[12]
    assert reasons[14].startswith("undecodable text in reports/bad.txt")
    assert reasons[15] == "missing report file reports/none.txt"
    assert reasons[16] == "empty id"
    assert len(ds.quarantine) == 13 and ds.n_rows == 15
    q = next(q for q in ds.quarantine if q.row == 3)
    assert q.to_dict() == {"row": 3, "id": "S2", "file": "img/missing.jpg", "reason": "missing file"}


def test_sample_hashes_and_labels(messy: Path) -> None:
    import hashlib

    ds = load_dataset(messy / "manifest.csv", max_pixels=100_000)
    s = ds.samples[0]
    assert s.image == messy / "img" / "good.jpg"
    assert s.image_sha256 == hashlib.sha256(s.image.read_bytes()).hexdigest()
    assert s.report_sha256 == hashlib.sha256(s.report.encode()).hexdigest()
    assert s.labels == {"defect_class": "local"}
    assert ds.label_columns == ["defect_class"]
    assert ds.mapping == {"id": "id", "image": "image", "report": "report"}


def test_undecodable_manifest_row_is_quarantined(tmp_path: Path) -> None:
    _jpeg(tmp_path / "a.jpg")
    _jpeg(tmp_path / "b.jpg", color=(1, 2, 3))
    (tmp_path / "m.csv").write_bytes(
        b"id,image,report\nA,a.jpg,fine text\nB,b.jpg,bad \xff\xfe\xfa\x81 bytes\n")
    ds = load_dataset(tmp_path / "m.csv")
    assert [s.id for s in ds.samples] == ["A"]
    assert ds.quarantine[0].row == 3 and "undecodable text" in ds.quarantine[0].reason


def test_map_override_on_real_files(tmp_path: Path) -> None:
    _jpeg(tmp_path / "p.jpg")
    _manifest(tmp_path, [["X1", "p.jpg", "hole at centre", "ok"]], ("serial", "photo", "text", "grade"))
    with pytest.raises(InputError, match="--map report=nope: no such column"):
        load_dataset(tmp_path, {"image": "photo", "report": "nope"})
    ds = load_dataset(tmp_path, {"id": "serial", "image": "photo", "report": "text"})
    assert ds.samples[0].id == "X1" and ds.samples[0].report == "hole at centre"
    assert ds.columns == ["grade"]


def test_sidecar_folder_with_labels_from_subfolders(tmp_path: Path) -> None:
    root = tmp_path / "parts"
    _jpeg(root / "ok" / "part_001.jpg")
    (root / "ok" / "part_001.txt").write_text("No defects.", encoding="utf-8")
    _jpeg(root / "ng" / "part_002.jpg", color=(200, 0, 0))
    (root / "ng" / "part_002.txt").write_bytes("穴あり、中央。".encode("cp932"))
    _jpeg(root / "ng" / "part_003.jpg", color=(0, 200, 0))  # no sidecar
    ds = load_dataset(root)
    assert ds.kind == "folder"
    assert [(s.id, s.labels["label"], s.report) for s in ds.samples] == [
        ("part_002", "ng", "穴あり、中央。"), ("part_001", "ok", "No defects.")]
    assert ds.quarantine[0].id == "part_003"
    assert ds.id_rule.startswith("the image file's name without extension") and "'part_002'" in ds.id_rule
    assert ds.quarantine[0].reason == "no report: expected part_003.txt beside the image"
    assert "cp932" in ds.encoding


def test_image_problem_on_a_declared_bomb() -> None:
    # a PNG header claiming 100000×100000 pixels: refused from the header, never decoded
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
           + struct.pack(">I", zlib.crc32(chunk)) + iend)
    reason = image_problem(png)
    assert reason is not None and "too many pixels" in reason


def test_missing_dataset_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        load_dataset(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="no manifest"):
        load_dataset(tmp_path)
