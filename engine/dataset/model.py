"""Plain records for an imported dataset: good samples, quarantined rows, the whole set."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class QuarantineEntry:
    """A row that was refused, with the manifest row number and a reason a person understands."""

    row: int
    id: str
    file: str
    reason: str

    def to_dict(self) -> dict[str, int | str]:
        return {"row": self.row, "id": self.id, "file": self.file, "reason": self.reason}


@dataclass(frozen=True)
class Sample:
    """A good row: its image (absolute path), its report text and its label/metadata values."""

    row: int
    id: str
    image: Path
    image_rel: str
    report: str
    image_sha256: str
    report_sha256: str
    labels: dict[str, str] = field(default_factory=dict)
    image_size: int = 0  # bytes, with image_mtime_ns: lets a rerun skip re-reading unchanged files
    image_mtime_ns: int = 0


@dataclass
class Dataset:
    """A validated dataset, ready to be written into a store."""

    root: Path
    source: str
    kind: str  # "manifest" or "folder"
    encoding: str
    n_rows: int
    columns: list[str]
    label_columns: list[str]
    mapping: dict[str, str]
    samples: list[Sample]
    quarantine: list[QuarantineEntry]
    # what the import decided that a person should know: encoding guessed, a sheet whose
    # declared size was wrong, rows read from outside the dataset folder by permission
    notes: list[str] = field(default_factory=list)
    encoding_how: str = "detected"  # "detected" or "requested" (--encoding)
    column_how: dict[str, str] = field(default_factory=dict)  # role → how its column was found
    id_rule: str = ""  # how ids were made when no column holds them (plain words, with an example)
