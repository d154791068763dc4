"""Held-out builder (benchmarks/heldout): importable as is, planted rows real, deterministic.

Uses the `parts` domain (drawn with PIL/numpy), so no apt dataset is needed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from benchmarks.heldout.build import build_dataset
from engine.dataset import load_dataset

TYPE_WORDS = {"washer": "washer", "gear": "gear", "flange": "flange", "hex_bolt": "bolt",
              "bracket": "bracket"}
STAMP = re.compile(r"\b(?:stamp(?:ed| reads)?|marking:)\s*(\d)\b", re.IGNORECASE)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _rows(folder: Path, encoding: str = "utf-8") -> dict[str, dict[str, str]]:
    with (folder / "manifest.csv").open(encoding=encoding, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r[next(iter(r))]: r for r in rows}


def _types_named(report: str) -> set[str]:
    low = report.lower()
    return {t for t, word in TYPE_WORDS.items() if word in low}


@pytest.fixture(scope="module")
def parts_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("heldout") / "parts"
    build_dataset("parts", n=60, planted=6, lang="en", seed=5, out=out)
    return out


def test_imports_as_it_is(parts_en: Path) -> None:
    ds = load_dataset(parts_en)
    assert ds.mapping["id"] == "serial" and ds.mapping["image"] == "photo"
    assert ds.mapping["report"] == "finding"
    assert len(ds.samples) == 60 and not ds.quarantine
    assert ds.label_columns[0] == "verdict"
    assert "inspector" not in ds.label_columns and "date" not in ds.label_columns


def test_planted_rows_carry_another_rows_report(parts_en: Path) -> None:
    planted = json.loads((parts_en / "planted.json").read_text("utf-8"))
    rows = _rows(parts_en)
    mismatched = planted["mismatched"]
    assert len(mismatched) == 6 and len(set(mismatched)) == 6
    assert not any("plant" in c.lower() or "mismatch" in c.lower() for c in next(iter(rows.values())))
    for ident in mismatched:
        donor = planted["donors"][ident]
        assert donor not in mismatched
        target_row, donor_row = rows[ident], rows[donor]
        assert target_row["finding"] == donor_row["finding"]
        assert target_row["part_type"] != donor_row["part_type"]
        named = _types_named(target_row["finding"])
        assert target_row["part_type"] not in named  # it names the donor's part, if any
        stamps = STAMP.findall(target_row["finding"])
        assert all(int(s) == int(donor_row["stamp"]) for s in stamps)


def test_unplanted_reports_describe_their_own_part(parts_en: Path) -> None:
    planted = set(json.loads((parts_en / "planted.json").read_text("utf-8"))["mismatched"])
    rows = _rows(parts_en)
    checked_type = checked_stamp = 0
    for ident, row in rows.items():
        if ident in planted:
            continue
        named = _types_named(row["finding"])
        if named:
            assert named == {row["part_type"]}, row
            checked_type += 1
        for s in STAMP.findall(row["finding"]):
            assert int(s) == int(row["stamp"]), row
            checked_stamp += 1
        if row["verdict"] == "OK" and row["defect_type"] not in ("none", "scratch"):
            pytest.fail(f"{ident}: a {row['defect_type']} passed")
    assert checked_type > 30 and checked_stamp > 20


def test_deterministic_under_a_seed(parts_en: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_dataset("parts", n=60, planted=6, lang="en", seed=5, out=again)
    assert _digest(again) == _digest(parts_en)
    other = tmp_path / "other"
    build_dataset("parts", n=60, planted=6, lang="en", seed=6, out=other)
    assert (other / "manifest.csv").read_bytes() != (parts_en / "manifest.csv").read_bytes()


def test_japanese_plant_sheet_in_cp932(tmp_path: Path) -> None:
    out = tmp_path / "ja"
    build_dataset("parts", n=30, planted=3, lang="ja", seed=2, out=out)
    raw = (out / "manifest.csv").read_bytes()
    text = raw.decode("cp932")
    assert text.splitlines()[0] == "シリアル,写真,所見,判定,刻印,検査員,日付"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    ds = load_dataset(out)
    assert ds.encoding == "cp932" and len(ds.samples) == 30 and not ds.quarantine
    assert ds.mapping == {"id": "シリアル", "image": "写真", "report": "所見"}
    assert ds.label_columns[0] == "判定"
    assert {s.labels["判定"] for s in ds.samples} <= {"合格", "不合格"}
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", s.report) for s in ds.samples)
