"""Row validation: every row is checked before any embedding; bad rows go to quarantine.

Checks: empty or duplicate id (all duplicates are quarantined), NUL/control characters or
non-UTF-8 file names in a cell, a path leaving the dataset folder (``..``, absolute, or a
symbolic link pointing outside; refused unless the user allowed that place), a special
or oversize file (refused before reading), missing file, zero bytes, not an image /
corrupt / truncated, too many pixels, report file problems, undecodable text, empty or
whitespace report.
The report-too-long check needs the text encoder and happens in the embed job (those
rows are kept and flagged as truncated).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from engine.dataset.encoding import decode_text, describe_encoding
from engine.dataset.image_checks import DEFAULT_MAX_PIXELS, image_problem
from engine.dataset.model import QuarantineEntry, Sample
from engine.errors import InputError
from engine.progress import Progress, report
from engine.safe_io import (
    MAX_IMAGE_BYTES,
    MAX_REPORT_BYTES,
    AccessPolicy,
    InputFile,
    Refused,
    read_input,
)


@dataclass(frozen=True)
class RawRow:
    """One manifest row before validation; ``report`` is text unless ``report_is_file``."""

    row: int
    id: str
    image: str
    report: str
    report_is_file: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    undecodable: bool = False
    problem: str | None = None  # a reason found while reading the row (quarantines it)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CONTROL_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL"}


def _char_name(ch: str) -> str:
    name = _CONTROL_NAMES.get(ord(ch))
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


@functools.lru_cache(maxsize=8)
def _bad_chars(allowed: str) -> re.Pattern[str]:
    """Control characters (C0, DEL, C1) other than ``allowed``, and undecodable file-name bytes."""
    bad = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in allowed]
    return re.compile("[" + re.escape("".join(bad)) + "\udc80-\udcff]")


def control_problem(text: str, what: str, allowed: str = "") -> str | None:
    """A reason when ``text`` holds NUL/control characters (other than ``allowed``) or bytes
    of a file name that were not UTF-8; None when it is clean."""
    found = _bad_chars(allowed).search(text)
    if found is None:
        return None
    ch, pos = found.group(), found.start()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:
        return (f"{what} is not valid UTF-8 (byte 0x{code - 0xDC00:02X} at position {pos + 1}); "
                "rename the file or fix the manifest cell")
    return (f"{what} holds control character {_char_name(ch)} at position {pos + 1}; "
            "remove it from the manifest row")


def shown(text: str) -> str:
    """``text`` with control characters and undecodable file-name bytes written as escapes
    (what the quarantine records, so a bad cell can be stored and printed)."""
    if all(0x20 <= ord(ch) < 0x7F or 0x9F < ord(ch) < 0xD800 or ord(ch) > 0xDFFF or ch in "\t"
           for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _row_text_problem(raw: RawRow) -> str | None:
    checks = [(raw.id, "id", ""), (raw.image, "image path", "")]
    checks += [(value, f"column '{name}'", "\t\n\r") for name, value in raw.labels.items()]
    if not raw.report_is_file:
        checks.append((raw.report, "report text", "\t\n\r"))
    else:
        checks.append((raw.report, "report file path", ""))
    for text, what, allowed in checks:
        problem = control_problem(text, what, allowed)
        if problem is not None:
            return problem
    return None


def read_report_file(policy: AccessPolicy, name: str,
                     encoding: str | None = None) -> tuple[str | None, str, str]:
    """Read a report .txt through the access policy: (problem, text, encoding); ``encoding``
    reads it as that instead of detecting it."""
    try:
        found = policy.locate(name, "report")
        data = read_input(found.real, "report", MAX_REPORT_BYTES, name)
    except Refused as exc:
        return str(exc), "", ""
    if not data:
        return f"report file {name} has zero bytes", "", ""
    try:
        decoded = decode_text(data, encoding)
    except InputError as exc:
        return f"{name}: {exc}", "", ""
    if decoded.bad_lines:
        lines = ", ".join(str(n) for n in sorted(decoded.bad_lines)[:5])
        return (f"undecodable text in {name} (line {lines}: not {describe_encoding(decoded.encoding)}; "
                "save it as UTF-8)"), "", decoded.encoding
    text = decoded.text.strip("\ufeff")
    return control_problem(text, f"report file {name}", "\t\n\r\x0c"), text, decoded.encoding


def _check_report(policy: AccessPolicy, raw: RawRow, encoding: str | None = None
                  ) -> tuple[str | None, str]:
    """Return (problem, report text). The text is stripped of the whitespace around it (a
    sidecar file's final newline, a cell's trailing spaces), the same for every source."""
    if raw.undecodable:
        return "undecodable text in this row (neither valid UTF-8 nor CP932)", ""
    text = raw.report
    if raw.report_is_file:
        problem, text, _ = read_report_file(policy, raw.report, encoding)
        if problem is not None:
            return problem, ""
    if not text.strip():
        return "empty report (only whitespace)" if text else "empty report", ""
    return None, text.strip()


# absolute image path → (size, mtime_ns, sha256) of a file already validated into a store
KnownFiles = Mapping[str, tuple[int, int, str]]


def _hash_image(found: InputFile, name: str, max_pixels: int) -> tuple[str | None, str]:
    """(problem, sha256) of an image file read through the policy (one read, as before)."""
    if found.size == 0:
        return "zero bytes (empty file)", ""
    data = read_input(found.real, "image", MAX_IMAGE_BYTES, name)
    return image_problem(data, max_pixels), _sha(data)


def _check_row(policy: AccessPolicy, raw: RawRow, max_pixels: int,
               known: KnownFiles | None = None, encoding: str | None = None) -> Sample | QuarantineEntry:
    def bad(reason: str) -> QuarantineEntry:
        return QuarantineEntry(raw.row, shown(raw.id), shown(raw.image), shown(reason))

    if raw.problem is not None:
        return bad(raw.problem)
    if not raw.id.strip():
        return bad("empty id")
    problem = _row_text_problem(raw)
    if problem is not None:
        return bad(problem)
    if not raw.image.strip():
        return bad("no image path given")
    try:
        found = policy.locate(raw.image.strip(), "image")
        seen = known.get(str(found.path)) if known else None
        if seen is not None and seen[0] == found.size and seen[1] == found.mtime_ns:
            image_sha = seen[2]  # unchanged since it was validated and hashed into the store
        else:
            problem, image_sha = _hash_image(found, raw.image.strip(), max_pixels)
            if problem is not None:
                return bad(problem)
    except Refused as exc:
        return bad(str(exc))
    problem, text = _check_report(policy, raw, encoding)
    if problem is not None:
        return bad(problem)
    return Sample(
        row=raw.row,
        id=raw.id,
        image=found.path,
        image_rel=raw.image.strip(),
        report=text,
        image_sha256=image_sha,
        report_sha256=_sha(text.encode("utf-8")),
        labels=dict(raw.labels),
        image_size=found.size,
        image_mtime_ns=found.mtime_ns,
    )


def validate_rows(
    root: Path | AccessPolicy,
    rows: Sequence[RawRow],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    progress: Progress | None = None,
    workers: int = 2,
    known: KnownFiles | None = None,
    encoding: str | None = None,
) -> tuple[list[Sample], list[QuarantineEntry]]:
    """Check every row; return the good samples and the quarantine, both in manifest order.

    ``root``: the dataset folder, or an :class:`AccessPolicy` (folder plus the places
    outside it the user allowed). ``known`` files (same size and modification time as when
    a store hashed them) are not read again. ``encoding``: read report files as that.
    """
    policy = root if isinstance(root, AccessPolicy) else AccessPolicy(root)
    by_id: dict[str, list[int]] = defaultdict(list)
    for raw in rows:
        if raw.id.strip():
            by_id[raw.id].append(raw.row)
    duplicates = {key: nums for key, nums in by_id.items() if len(nums) > 1}
    results: list[Sample | QuarantineEntry | None] = [None] * len(rows)
    todo: list[int] = []
    for i, raw in enumerate(rows):
        if raw.id in duplicates:
            others = ", ".join(str(n) for n in duplicates[raw.id] if n != raw.row)
            results[i] = QuarantineEntry(
                raw.row, shown(raw.id), shown(raw.image),
                shown(f"duplicate id '{raw.id}' (also on row {others})")
            )
        else:
            todo.append(i)
    total = len(todo)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = pool.map(lambda i: _check_row(policy, rows[i], max_pixels, known, encoding), todo)
        for done, (i, result) in enumerate(zip(todo, futures, strict=True), start=1):
            results[i] = result
            if done % 200 == 0 or done == total:
                report(progress, done, total, "validating rows")
    samples = [r for r in results if isinstance(r, Sample)]
    quarantine = [r for r in results if isinstance(r, QuarantineEntry)]
    return samples, quarantine
