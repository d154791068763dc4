"""Row validation: every row is checked before any embedding; bad rows go to quarantine.

Checks: empty or duplicate id (all duplicates are quarantined), image path escaping the
dataset folder (refused), missing file, zero bytes, not an image / corrupt / truncated,
too many pixels, report file problems, undecodable text, empty or whitespace report.
The report-too-long check needs the text encoder and happens in the embed job (those
rows are kept and flagged as truncated).
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from engine.dataset.encoding import decode_text
from engine.dataset.image_checks import DEFAULT_MAX_PIXELS, image_problem
from engine.dataset.model import QuarantineEntry, Sample
from engine.progress import Progress, report


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


def inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` normalised, or None when it escapes ``root`` (absolute or ``..``)."""
    if not relative or os.path.isabs(relative) or relative.startswith(("\\", "/")):
        return None
    if len(relative) > 1 and relative[1] == ":":  # Windows drive letter
        return None
    joined = os.path.normpath(os.path.join(str(root), relative.replace("\\", "/")))
    root_text = os.path.normpath(str(root))
    if joined != root_text and not joined.startswith(root_text + os.sep):
        return None
    return Path(joined)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_report(root: Path, raw: RawRow) -> tuple[str | None, str]:
    """Return (problem, report text)."""
    if raw.undecodable:
        return "undecodable text in this row (neither valid UTF-8 nor CP932)", ""
    text = raw.report
    if raw.report_is_file:
        path = inside(root, raw.report)
        if path is None:
            return f"report path '{raw.report}' escapes the dataset folder (refused)", ""
        if not path.is_file():
            return f"missing report file {raw.report}", ""
        data = path.read_bytes()
        if not data:
            return f"report file {raw.report} has zero bytes", ""
        decoded = decode_text(data)
        if decoded.bad_lines:
            lines = ", ".join(str(n) for n in sorted(decoded.bad_lines)[:5])
            return f"undecodable text in {raw.report} (line {lines}: not UTF-8 or CP932)", ""
        text = decoded.text.strip("\ufeff")
    if not text.strip():
        return "empty report (only whitespace)" if text else "empty report", ""
    return None, text


# absolute image path → (size, mtime_ns, sha256) of a file already validated into a store
KnownFiles = Mapping[str, tuple[int, int, str]]


def _check_row(root: Path, raw: RawRow, max_pixels: int,
               known: KnownFiles | None = None) -> Sample | QuarantineEntry:
    def bad(reason: str) -> QuarantineEntry:
        return QuarantineEntry(raw.row, raw.id, raw.image, reason)

    if not raw.id.strip():
        return bad("empty id")
    if not raw.image.strip():
        return bad("no image path given")
    path = inside(root, raw.image.strip())
    if path is None:
        return bad(f"image path '{raw.image}' escapes the dataset folder {root} (refused)")
    if not path.exists():
        return bad("missing file")
    if not path.is_file():
        return bad("not a file (a folder?)")
    stat = path.stat()
    seen = known.get(str(path)) if known else None
    if seen is not None and seen[0] == stat.st_size and seen[1] == stat.st_mtime_ns:
        image_sha = seen[2]  # unchanged since it was validated and hashed into the store
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return bad(f"cannot read the file ({exc.strerror})")
        problem = image_problem(data, max_pixels)
        if problem is not None:
            return bad(problem)
        image_sha = _sha(data)
    problem, text = _check_report(root, raw)
    if problem is not None:
        return bad(problem)
    return Sample(
        row=raw.row,
        id=raw.id,
        image=path,
        image_rel=raw.image.strip(),
        report=text,
        image_sha256=image_sha,
        report_sha256=_sha(text.encode("utf-8")),
        labels=dict(raw.labels),
        image_size=stat.st_size,
        image_mtime_ns=stat.st_mtime_ns,
    )


def validate_rows(
    root: Path,
    rows: Sequence[RawRow],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    progress: Progress | None = None,
    workers: int = 2,
    known: KnownFiles | None = None,
) -> tuple[list[Sample], list[QuarantineEntry]]:
    """Check every row; return the good samples and the quarantine, both in manifest order.

    ``known`` files (same size and modification time as when a store hashed them) are not
    read again.
    """
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
                raw.row, raw.id, raw.image, f"duplicate id '{raw.id}' (also on row {others})"
            )
        else:
            todo.append(i)
    total = len(todo)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = pool.map(lambda i: _check_row(root, rows[i], max_pixels, known), todo)
        for done, (i, result) in enumerate(zip(todo, futures, strict=True), start=1):
            results[i] = result
            if done % 200 == 0 or done == total:
                report(progress, done, total, "validating rows")
    samples = [r for r in results if isinstance(r, Sample)]
    quarantine = [r for r in results if isinstance(r, QuarantineEntry)]
    return samples, quarantine
