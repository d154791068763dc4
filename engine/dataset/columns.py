"""Which manifest column is the id, the image, the report: auto-detection and `--map` overrides."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from engine.errors import InputError

ROLES: tuple[str, ...] = ("id", "image", "report", "report_file")

# Normalised names (lower case, no spaces/underscores/hyphens) recognised for each role.
KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "sampleid", "sample", "serial", "serialno", "serialnumber", "partid", "part",
           "partno", "lot", "key", "name", "番号", "シリアル", "シリアル番号", "品番", "識別子"),
    "image": ("image", "imagepath", "imagefile", "img", "photo", "picture", "file", "filename",
              "path", "filepath", "画像", "画像ファイル", "写真", "ファイル"),
    "report": ("report", "reporttext", "text", "caption", "note", "notes", "comment", "comments",
               "description", "finding", "findings", "remark", "remarks", "inspectionreport", "報告",
               "報告書", "所見", "レポート", "コメント", "備考", "記述"),
    "report_file": ("reportfile", "reportpath", "textfile", "textpath", "txt", "報告ファイル"),
}
LABEL_HINTS: tuple[str, ...] = ("defectclass", "class", "label", "category", "defect", "passfail",
                                "result", "judgement", "judgment", "verdict", "grade", "ng",
                                "status", "severity", "判定", "分類", "不良区分", "ラベル")


def normalise(name: str) -> str:
    return re.sub(r"[\s_\-./]+", "", name.strip().lower())


def parse_map(text: str | None) -> dict[str, str]:
    """Parse ``id=serial,image=photo,report=text`` into {role: column}."""
    if not text:
        return {}
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(f"--map: '{part}' is not ROLE=COLUMN (roles: {', '.join(ROLES)})")
        role, column = (s.strip() for s in part.split("=", 1))
        if role not in ROLES:
            raise InputError(f"--map: unknown role '{role}' (roles: {', '.join(ROLES)})")
        if not column:
            raise InputError(f"--map: no column given for '{role}'")
        mapping[role] = column
    return mapping


def resolve_columns(
    header: Sequence[str], overrides: Mapping[str, str], source: str
) -> dict[str, str]:
    """Return {role: column} for the roles found; image and a report are required."""
    mapping: dict[str, str] = {}
    for role, column in overrides.items():
        if column not in header:
            raise InputError(
                f"{source} line 1: --map {role}={column}: no such column "
                f"(columns: {', '.join(header)})"
            )
        mapping[role] = column
    taken = set(mapping.values())
    by_norm: dict[str, list[str]] = {}
    for h in header:
        by_norm.setdefault(normalise(h), []).append(h)
    for role in ROLES:
        if role in mapping or (role == "report_file" and "report" in overrides):
            continue
        if role == "report" and "report_file" in overrides:
            continue
        for candidate in KNOWN_NAMES[role]:
            found = [h for h in by_norm.get(candidate, []) if h not in taken]
            if len(found) > 1:
                names = " and ".join(f"'{h}'" for h in found)
                raise InputError(
                    f"{source} line 1: columns {names} could each be the {role} column; choose "
                    f"one with --map {role}=COLUMN (or rename the other)"
                )
            if found:
                mapping[role] = found[0]
                taken.add(found[0])
                break
    if "image" not in mapping:
        raise InputError(
            f"{source} line 1: no image column; expected one named like "
            f"{', '.join(KNOWN_NAMES['image'][:6])} or --map image=COLUMN "
            f"(columns found: {', '.join(header)})"
        )
    if "report" not in mapping and "report_file" not in mapping:
        raise InputError(
            f"{source} line 1: no report column; expected one named like "
            f"{', '.join(KNOWN_NAMES['report'][:6])} (text) or report_file (path to .txt), "
            f"or --map report=COLUMN (columns found: {', '.join(header)})"
        )
    return mapping
