"""Manifest readers: CSV/TSV (Excel exports included), JSON Lines and XLSX.

Every reader returns a :class:`Table`: the header and the records, each with the row
number a person sees (the file line for CSV/TSV/JSONL, the sheet row for XLSX). A
malformed manifest (ragged rows, bad JSON, no header) raises :class:`InputError` naming
the line and what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from engine.dataset.encoding import DecodedText, decode_text
from engine.errors import InputError
from engine.safe_io import MAX_MANIFEST_BYTES, Refused, human_bytes, open_input, read_input

XLSX_MAX_UNPACKED = 512 << 20  # all members of an .xlsx, unpacked
XLSX_MAX_RATIO = 100  # unpacked/packed size of one member beyond which it is a zip bomb
XLSX_RATIO_FLOOR = 8 << 20  # small members may compress better than that

MANIFEST_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".tab", ".txt", ".jsonl", ".ndjson", ".xlsx")
MANIFEST_NAMES: tuple[str, ...] = (
    "manifest.csv",
    "manifest.tsv",
    "manifest.jsonl",
    "manifest.xlsx",
)


@dataclass(frozen=True)
class Record:
    row: int  # manifest row number as a person sees it (file line / sheet row)
    values: tuple[str, ...]  # one per header column
    undecodable: bool = False  # the row held bytes that are neither valid UTF-8 nor CP932


@dataclass(frozen=True)
class Table:
    path: Path
    header: tuple[str, ...]
    records: tuple[Record, ...]
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "utf-32", "cp932", "cp1252" or "xlsx"
    notes: tuple[str, ...] = ()  # what the reader decided that a person should know


def read_manifest(path: Path, encoding: str | None = None) -> Table:
    """Read a manifest file by its extension (.csv/.tsv/.txt, .jsonl/.ndjson, .xlsx).

    ``encoding``: read a text manifest as that (see engine.dataset.encoding.ENCODING_CHOICES)
    instead of detecting it; an .xlsx has none."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: manifest not found")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    try:
        raw = read_input(path, "manifest", MAX_MANIFEST_BYTES)
    except Refused as exc:
        raise InputError(f"{path}: {exc}") from None
    if not raw.strip():
        raise InputError(f"{path}: the manifest is empty (expected a header row)")
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path, raw, encoding)
    if suffix in (".csv", ".tsv", ".tab", ".txt"):
        return _read_delimited(path, raw, "\t" if suffix in (".tsv", ".tab") else None, encoding)
    raise InputError(
        f"{path}: unsupported manifest type '{suffix}' (expected .csv, .tsv, .jsonl or .xlsx)"
    )


def _guess_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _decode(path: Path, raw: bytes, encoding: str | None = None) -> DecodedText:
    try:
        return decode_text(raw, encoding)
    except InputError as exc:
        raise InputError(f"{path} {exc}") from None


def _read_delimited(path: Path, raw: bytes, delimiter: str | None,
                    encoding: str | None = None) -> Table:
    decoded = _decode(path, raw, encoding)
    text = decoded.text
    if delimiter is None:
        delimiter = _guess_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: tuple[str, ...] | None = None
    records: list[Record] = []
    start_line = 1
    try:
        for fields in reader:
            line = start_line
            start_line = reader.line_num + 1
            if header is None:
                header = tuple(f.strip().strip("\ufeff") for f in fields)
                _check_header(path, header, line)
                continue
            if not fields or all(not f for f in fields):
                continue  # blank line (Excel adds them at the end)
            if len(fields) > len(header) and all(not f.strip() for f in fields[len(header) :]):
                fields = fields[: len(header)]  # trailing empty cells from Excel
            if len(fields) != len(header):
                raise InputError(
                    f"{path} line {line}: expected {len(header)} fields "
                    f"({', '.join(header)}) but found {len(fields)}"
                )
            last_line = reader.line_num
            bad = any(n in decoded.bad_lines for n in range(line, last_line + 1))
            records.append(Record(line, tuple(fields), bad))
    except csv.Error as exc:
        raise InputError(f"{path} line {reader.line_num}: malformed CSV ({exc})") from exc
    if header is None:
        raise InputError(f"{path}: the manifest is empty (expected a header row)")
    return Table(path, header, tuple(records), decoded.encoding)


def _check_header(path: Path, header: tuple[str, ...], line: int) -> None:
    if not any(header):
        raise InputError(f"{path} line {line}: the header row is empty (expected column names)")
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        if not name:
            raise InputError(f"{path} line {line}: a column has no name in the header row")
        if any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or 0xDC80 <= ord(ch) <= 0xDCFF
               for ch in name):
            raise InputError(f"{path} line {line}: the name of column {number} holds a control "
                             f"character or undecodable byte ({name!r}); rename that column")
        if name in seen:
            raise InputError(f"{path} line {line}: column '{name}' appears twice in the header")
        seen.add(name)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_jsonl(path: Path, raw: bytes, encoding: str | None = None) -> Table:
    decoded = _decode(path, raw, encoding)
    objects: list[tuple[int, dict[str, object], bool]] = []
    header: list[str] = []
    for number, line in enumerate(decoded.text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path} line {number}: not valid JSON ({exc.msg}); expected one object per line"
            ) from exc
        if not isinstance(obj, dict):
            raise InputError(
                f"{path} line {number}: expected a JSON object, found {type(obj).__name__}"
            )
        for key in obj:
            if key not in header:
                header.append(str(key))
                _check_header(path, tuple(header), number)
        objects.append((number, obj, number in decoded.bad_lines))
    if not objects:
        raise InputError(f"{path}: no JSON objects found")
    records = tuple(
        Record(n, tuple(_cell_text(obj.get(k)) for k in header), bad) for n, obj, bad in objects
    )
    return Table(path, tuple(header), records, decoded.encoding)


def _check_zip(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack to far more than they hold (a zip bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a valid .xlsx workbook ({exc}); open it in Excel and "
                         "save it again, or save the sheet as CSV UTF-8") from None
    total = sum(m.file_size for m in members)
    if total > XLSX_MAX_UNPACKED:
        raise InputError(f"{path}: the workbook unpacks to {human_bytes(total)} (limit "
                         f"{human_bytes(XLSX_MAX_UNPACKED)}); save the sheet as CSV UTF-8")
    for m in members:
        if m.file_size > XLSX_RATIO_FLOOR and m.file_size > XLSX_MAX_RATIO * max(1, m.compress_size):
            raise InputError(
                f"{path}: part {m.filename} unpacks to {human_bytes(m.file_size)} from "
                f"{human_bytes(m.compress_size)} (more than {XLSX_MAX_RATIO}:1): refused as a "
                "possible zip bomb; save the sheet as CSV UTF-8")


def _read_xlsx(path: Path) -> Table:
    import openpyxl  # lazy: only XLSX manifests need it

    try:
        with open_input(path, "manifest", MAX_MANIFEST_BYTES):
            pass  # a regular file, not too large
    except Refused as exc:
        raise InputError(f"{path}: {exc}") from None
    _check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError(f"{path}: cannot read the workbook ({exc})") from exc
    number = 0
    try:
        sheet = book.worksheets[0]
        declared = getattr(sheet, "max_row", None)
        sheet.reset_dimensions()  # never trust <dimension>: a stale one drops rows silently
        header, records, number = _xlsx_rows(path, sheet)
    except InputError:
        raise
    except Exception as exc:  # malformed XML and friends: openpyxl/lxml/zipfile raise many types
        raise InputError(
            f"{path} row {number + 1}: cannot read the sheet ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:200]}); open it in Excel and save it again, or save "
            "it as CSV UTF-8") from None
    finally:
        book.close()
    if header is None:
        raise InputError(f"{path}: the first sheet is empty (expected a header row)")
    notes: list[str] = []
    if isinstance(declared, int) and declared != number:
        notes.append(f"{path.name}: the sheet declares {declared} rows but holds {number}; "
                     f"all {number} were read")
    return Table(path, header, tuple(records), "xlsx", tuple(notes))


def _xlsx_rows(path: Path, sheet: object) -> tuple[tuple[str, ...] | None, list[Record], int]:
    """(header, records, last sheet row seen) of a read-only worksheet."""
    header: tuple[str, ...] | None = None
    records: list[Record] = []
    number = 0
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        values = [_cell_text(v) for v in cells]
        if header is None:
            if not any(v.strip() for v in values):
                continue
            while values and not values[-1].strip():
                values.pop()
            header = tuple(v.strip().strip("\ufeff") for v in values)
            _check_header(path, header, number)
            continue
        if not any(v.strip() for v in values):
            continue
        extra = values[len(header) :]
        if any(v.strip() for v in extra):
            raise InputError(
                f"{path} row {number}: expected {len(header)} columns "
                f"({', '.join(header)}) but found values beyond them"
            )
        values = (values + [""] * len(header))[: len(header)]
        records.append(Record(number, tuple(values)))
    return header, records, number
