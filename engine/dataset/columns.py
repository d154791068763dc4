"""Which manifest column is the id, the image, the report: auto-detection and `--map` overrides.

:func:`detect_columns` says, for every role, which column was taken and how (named with
``--map``, recognised by its name, or, for the id, the only column named like a number whose
values are all different), and for the id what happens without one (ids made from the image
paths, said in plain words). :func:`resolve_columns` is the plain ``{role: column}`` of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engine.errors import InputError

ROLES: tuple[str, ...] = ("id", "image", "report", "report_file")

# Normalised names (see normalise) of serial-number columns: one part, one value. The id role
# takes them (a repeated value then quarantines both rows as duplicates); the label resolver
# passes them over as identifiers.
SERIAL_NAMES: tuple[str, ...] = (
    "serial", "serialno", "serialnumber", "serialnum", "sn", "snno", "partid", "pieceid", "workid",
    "barcode", "管理番号", "製造番号", "シリアル", "シリアル番号", "シリアルno", "個体番号", "識別番号",
    "識別子", "検査番号")
# Names that are ids only when every row has its own value: lots, part (type) numbers, plain
# "No" columns are often shared by many rows.
SHARED_ID_NAMES: tuple[str, ...] = (
    "lot", "lotno", "lotnumber", "partno", "partnumber", "ロット", "ロット番号", "ロットno", "品番",
    "部品番号", "製番", "ワーク番号", "番号", "no", "sample", "part", "key", "name")

# Normalised names (lower case, no spaces/underscores/hyphens/dots/slashes) recognised for each
# role, most specific first.
KNOWN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "sampleid", *SERIAL_NAMES, *SHARED_ID_NAMES),
    "image": ("image", "imagepath", "imagefile", "img", "photo", "picture", "file", "filename",
              "path", "filepath", "画像", "画像ファイル", "写真", "ファイル"),
    "report": ("report", "reporttext", "text", "caption", "note", "notes", "comment", "comments",
               "description", "finding", "findings", "remark", "remarks", "inspectionreport", "報告",
               "報告書", "所見", "レポート", "コメント", "備考", "記述"),
    "report_file": ("reportfile", "reportpath", "textfile", "textpath", "txt", "報告ファイル"),
}
# how id column names look, for messages
ID_EXAMPLES = "id, serial, S/N, Lot No, Part No, 管理番号, 製造番号, シリアル"
# an id column not recognised by name: a name ending like this, with a different value on every row
ID_NAME_ENDINGS: tuple[str, ...] = ("id", "no", "number", "num", "番号", "コード", "code")
LABEL_HINTS: tuple[str, ...] = ("defectclass", "class", "label", "category", "defect", "passfail",
                                "result", "judgement", "judgment", "verdict", "grade", "ng",
                                "status", "severity", "判定", "分類", "不良区分", "ラベル")

HOW_REQUESTED = "requested"      # named with --map (or chosen in the import dialog)
HOW_NAME = "recognised name"     # its name is in KNOWN_NAMES
HOW_UNIQUE = "id-like name, a different value on every row"
HOW_NONE = "none"


@dataclass(frozen=True)
class ColumnGuess:
    """Which column plays ``role`` and how it was found (``how``: one of the HOW_* words)."""

    role: str
    column: str | None
    how: str


@dataclass(frozen=True)
class ColumnMapping:
    """The roles found in a manifest header, how, and the id columns passed over (and why)."""

    mapping: dict[str, str]
    guesses: tuple[ColumnGuess, ...]
    passed_over: tuple[tuple[str, str], ...] = field(default=())   # (column, why not the id)

    def how(self, role: str) -> str:
        return next((g.how for g in self.guesses if g.role == role), HOW_NONE)


def normalise(name: str) -> str:
    return re.sub(r"[\s_\-./]+", "", name.strip().lower())


def recognised_names(role: str, limit: int | None = None) -> str:
    """The recognised column names of ``role`` for a help text or a message."""
    names = KNOWN_NAMES[role] if limit is None else KNOWN_NAMES[role][:limit]
    return ", ".join(names)


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


def _why_not_an_id(values: Sequence[str] | None) -> str | None:
    """None when ``values`` can be ids (non-empty, a different one on every row)."""
    if values is None:
        return None
    filled = [v.strip() for v in values]
    empty = sum(1 for v in filled if not v)
    if empty:
        return f"{empty} rows have no value"
    repeated = len(filled) - len(set(filled))
    if repeated:
        return f"{repeated} rows repeat another row's value"
    return None


def _by_name(role: str, by_norm: Mapping[str, list[str]], taken: set[str], source: str,
             values: Mapping[str, Sequence[str]] | None,
             passed: list[tuple[str, str]]) -> str | None:
    for candidate in KNOWN_NAMES[role]:
        found = [h for h in by_norm.get(candidate, []) if h not in taken]
        if len(found) > 1:
            names = " and ".join(f"'{h}'" for h in found)
            raise InputError(
                f"{source} line 1: columns {names} could each be the {role} column; choose "
                f"one with --map {role}=COLUMN (or rename the other)"
            )
        if not found:
            continue
        if role == "id" and values is not None and candidate in SHARED_ID_NAMES:
            why = _why_not_an_id(values.get(found[0]))
            if why is not None:
                passed.append((found[0], why))
                continue
        return found[0]
    return None


def _id_by_values(header: Sequence[str], taken: set[str],
                  values: Mapping[str, Sequence[str]] | None, passed: list[tuple[str, str]]) -> str | None:
    """The only untaken column with an id-like name ending and a different value on every row."""
    if values is None:
        return None
    seen = {c for c, _ in passed}
    found = [h for h in header if h not in taken and h not in seen
             and normalise(h).endswith(ID_NAME_ENDINGS) and _why_not_an_id(values.get(h, ())) is None
             and values.get(h)]
    return found[0] if len(found) == 1 else None


def detect_columns(
    header: Sequence[str], overrides: Mapping[str, str], source: str,
    values: Mapping[str, Sequence[str]] | None = None,
) -> ColumnMapping:
    """Every role's column and how it was found; image and a report are required.

    ``values`` ({column: cells}, all rows): a column named like a shared number (lot, Part No,
    品番, …) is the id only when every row has its own value, else it is passed over (with the
    reason); without a recognised id column, the one column named like a number (…番号, …No,
    …ID) whose values are all different and filled is taken.
    """
    mapping: dict[str, str] = {}
    how: dict[str, str] = {}
    for role, column in overrides.items():
        if column not in header:
            raise InputError(
                f"{source} line 1: --map {role}={column}: no such column "
                f"(columns: {', '.join(header)})"
            )
        mapping[role], how[role] = column, HOW_REQUESTED
    taken = set(mapping.values())
    by_norm: dict[str, list[str]] = {}
    for h in header:
        by_norm.setdefault(normalise(h), []).append(h)
    passed: list[tuple[str, str]] = []
    for role in ("image", "report", "report_file", "id"):  # the id last: it must not take the image
        if role in mapping or (role == "report_file" and "report" in overrides):
            continue
        if role == "report" and "report_file" in overrides:
            continue
        found = _by_name(role, by_norm, taken, source, values, passed)
        if found is not None:
            mapping[role], how[role] = found, HOW_NAME
        elif role == "id" and (found := _id_by_values(header, taken, values, passed)) is not None:
            mapping[role], how[role] = found, HOW_UNIQUE
        if found is not None:
            taken.add(found)
    if "image" not in mapping:
        raise InputError(
            f"{source} line 1: no image column; expected one named like "
            f"{recognised_names('image', 6)} or --map image=COLUMN "
            f"(columns found: {', '.join(header)})"
        )
    if "report" not in mapping and "report_file" not in mapping:
        raise InputError(
            f"{source} line 1: no report column; expected one named like "
            f"{recognised_names('report', 6)} (text) or report_file (path to .txt), "
            f"or --map report=COLUMN (columns found: {', '.join(header)})"
        )
    guesses = tuple(ColumnGuess(role, mapping.get(role), how.get(role, HOW_NONE)) for role in ROLES)
    return ColumnMapping({r: mapping[r] for r in ROLES if r in mapping}, guesses, tuple(passed))


def resolve_columns(
    header: Sequence[str], overrides: Mapping[str, str], source: str,
    values: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """Return {role: column} for the roles found (see :func:`detect_columns`)."""
    return detect_columns(header, overrides, source, values).mapping
