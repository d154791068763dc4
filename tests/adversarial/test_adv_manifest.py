"""Issue 17, failures 4, 11, 12 (malformed XLSX), 14 and 15 (XLSX bomb): manifest decoding says
what it did, never drops or mis-maps rows silently, and refuses with the fix."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from advkit import write_png

from engine.dataset import load_dataset, read_manifest
from engine.errors import InputError


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: Callable[[bytes], bytes], out: Path) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else data)
    return out


def test_4_xlsx_with_a_stale_dimension_keeps_every_row(tmp_path: Path) -> None:
    rows = [["id", "image", "report"]] + [[f"s{i}", f"{i}.png", f"report {i}"] for i in range(38)]
    good = _xlsx(tmp_path / "good.xlsx", rows)
    stale = _rewrite_sheet(good, lambda d: re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                                   b'<dimension ref="A1:M11"/>', d),
                           tmp_path / "manifest.xlsx")
    assert b'ref="A1:M11"' in zipfile.ZipFile(stale).read("xl/worksheets/sheet1.xml")
    table = read_manifest(stale)
    assert len(table.records) == 38 and table.records[-1].values == ("s37", "37.png", "report 37")
    assert any("declares 11 rows but holds 39" in n for n in table.notes)


def test_12_malformed_xlsx_xml_is_a_message(tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "good.xlsx", [["id", "image", "report"], ["a", "a.png", "x"]])
    broken = _rewrite_sheet(good, lambda d: d.replace(b"</sheetData>", b"<row><c><v>1</c></row>"),
                            tmp_path / "broken.xlsx")
    with pytest.raises(InputError, match=r"broken.xlsx row \d+: cannot read the sheet .* save it"):
        read_manifest(broken)
    (tmp_path / "notzip.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"not a valid \.xlsx workbook"):
        read_manifest(tmp_path / "notzip.xlsx")


def test_15_xlsx_whitespace_bomb_is_refused_unread(tmp_path: Path) -> None:
    good = _xlsx(tmp_path / "good.xlsx", [["id", "image", "report"], ["a", "a.png", "x"]])
    bomb = _rewrite_sheet(good, lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 << 20)),
                          tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match=r"unpacks to 40.0 MB from .* zip bomb; save the sheet as CSV"):
        read_manifest(bomb)


def _dataset(tmp_path: Path, manifest: bytes, name: str = "manifest.csv") -> Path:
    d = tmp_path / "d"
    write_png(d / "a.png")
    write_png(d / "b.png", (3, 3, 3))
    (d / name).write_bytes(manifest)
    return d


def test_11_cp1252_is_read_as_cp1252_not_as_cp932(tmp_path: Path) -> None:
    text = "id,image,report,grade\nA,a.png,Défaut de surface,Qualité B\nB,b.png,Rayure légère à gauche,OK\n"
    ds = load_dataset(_dataset(tmp_path, text.encode("cp1252")))
    assert ds.encoding == "cp1252"
    assert [s.report for s in ds.samples] == ["Défaut de surface", "Rayure légère à gauche"]
    assert ds.samples[0].labels["grade"] == "Qualité B"


def test_11_cp932_japanese_still_reads_as_cp932(tmp_path: Path) -> None:
    text = "id,image,report\nA,a.png,表面に傷あり\nB,b.png,異常なし\n"
    ds = load_dataset(_dataset(tmp_path, text.encode("cp932")))
    assert ds.encoding == "cp932" and [s.report for s in ds.samples] == ["表面に傷あり", "異常なし"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_11_unicode_text_exports_are_read(tmp_path: Path, codec: str) -> None:
    text = "id\timage\treport\nA\ta.png\tDéfaut 傷\nB\tb.png\tok\n"
    raw = text.encode(codec) if codec != "utf-16-be" else b"\xfe\xff" + text.encode(codec)
    ds = load_dataset(_dataset(tmp_path, raw, "manifest.tsv"), )
    assert ds.encoding == codec[:6] and [s.report for s in ds.samples] == ["Défaut 傷", "ok"]


def test_11_broken_utf16_names_the_fix(tmp_path: Path) -> None:
    raw = "id,image,report\nA,a.png,x\n".encode("utf-16") + b"\x00\xd8"  # a lone surrogate
    with pytest.raises(InputError, match=r'line 3: not valid UTF-16 .*save it as "CSV UTF-8"'):
        load_dataset(_dataset(tmp_path, raw))


def test_14_case_variant_columns_are_refused_with_the_choice(tmp_path: Path) -> None:
    text = "id,image,report,Report\nA,a.png,one,two\n"
    folder = _dataset(tmp_path, text.encode())
    with pytest.raises(InputError, match=r"columns 'report' and 'Report' could each be the report "
                                         r"column; choose one with --map report=COLUMN"):
        load_dataset(folder)
    ds = load_dataset(folder, {"report": "Report"})
    assert ds.samples[0].report == "two" and ds.columns == ["report"]


def test_14_double_bom_keeps_the_id_column(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf\xef\xbb\xbfid,image,report\nSERIAL-1,a.png,ok\nSERIAL-2,b.png,fine\n"
    ds = load_dataset(_dataset(tmp_path, raw))
    assert ds.mapping["id"] == "id" and [s.id for s in ds.samples] == ["SERIAL-1", "SERIAL-2"]
