"""What the import guessed, in one place: the encoding, the id/image/report columns (or the id
rule of a folder), the label and the other candidates, each with the flag that changes it.

`alignscope embed`, `alignscope info` and the import dialog all show this; the CLI prints
:func:`guess_lines`, the dialog builds its own (translated) text from the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.dataset.columns import HOW_NONE, HOW_REQUESTED, ROLES, ColumnGuess
from engine.dataset.encoding import ENCODING_CHOICES, describe_encoding
from engine.dataset.label_choice import LabelChoice, choose_label
from engine.dataset.model import Dataset
from engine.typed_json import JSONObject

ENCODING_FLAG = "--encoding " + "|".join(c for c in ENCODING_CHOICES if c != "shift-jis")
MAP_FLAG = "--map id=COLUMN,image=COLUMN,report=COLUMN"
LABEL_FLAG = "--label COLUMN (analyze, suspects, report; in the GUI: the Label box of the Overview)"
HOW_RULE = "rule"    # the id is made from the image path (no column)


@dataclass(frozen=True)
class ImportGuesses:
    """Everything the import decided by itself, for a person to check."""

    source: str
    kind: str                  # "manifest" | "folder"
    encoding: str              # codec key of engine.dataset.encoding ("xlsx" for a workbook)
    encoding_how: str          # "detected" | "requested"
    roles: tuple[ColumnGuess, ...]
    id_rule: str               # how ids are made when no column holds them ("" when one does)
    label: LabelChoice

    def role(self, name: str) -> ColumnGuess | None:
        return next((r for r in self.roles if r.role == name), None)

    def to_json(self) -> JSONObject:
        return {"source": self.source, "kind": self.kind, "encoding": self.encoding,
                "encoding_how": self.encoding_how,
                "columns": {r.role: {"column": r.column, "how": r.how} for r in self.roles},
                "id_rule": self.id_rule,
                "label": {"column": self.label.column, "how": self.label.how, "reason": self.label.reason,
                          "candidates": [{"column": c.column, "levels": c.levels, "kind": c.kind}
                                         for c in self.label.candidates],
                          "passed_over": [{"column": c, "why": w} for c, w in self.label.passed_over]}}


def _roles(mapping: Mapping[str, str], how: Mapping[str, str], kind: str, id_rule: str
           ) -> tuple[ColumnGuess, ...]:
    if kind == "folder":
        return (ColumnGuess("id", None, HOW_RULE), ColumnGuess("image", None, HOW_RULE),
                ColumnGuess("report", None, HOW_RULE))
    out = []
    for role in ROLES:
        column = mapping.get(role)
        if column is None and role == "id" and id_rule:
            out.append(ColumnGuess("id", None, HOW_RULE))
        elif column is not None:
            out.append(ColumnGuess(role, column, how.get(role, "")))
        elif role != "report_file":
            out.append(ColumnGuess(role, None, HOW_NONE))
    return tuple(out)


def guesses_of_dataset(ds: Dataset) -> ImportGuesses:
    """The guesses of a freshly imported dataset."""
    columns = {c: [s.labels.get(c, "") for s in ds.samples] for c in ds.columns}
    return ImportGuesses(ds.source, ds.kind, ds.encoding, ds.encoding_how,
                         _roles(ds.mapping, ds.column_how, ds.kind, ds.id_rule), ds.id_rule,
                         choose_label(columns, source=ds.source))


def guesses_of_store(info: Mapping[str, Any], columns: Mapping[str, Sequence[str]]) -> ImportGuesses:
    """The guesses recorded in a store (``info``: Store.dataset_info(); ``columns``: its
    metadata columns). Stores written before the import recorded how are read as well."""
    kind = str(info.get("kind", "manifest"))
    mapping = dict(info.get("mapping") or {})
    id_rule = str(info.get("id_rule", ""))
    if kind == "manifest" and "id" not in mapping and not id_rule:
        id_rule = "the image path without extension"
    return ImportGuesses(str(info.get("source", "")), kind, str(info.get("encoding", "")),
                         str(info.get("encoding_how", "detected")),
                         _roles(mapping, dict(info.get("column_how") or {}), kind, id_rule), id_rule,
                         choose_label(columns, source=str(info.get("source", "the store"))))


def _encoding_line(g: ImportGuesses) -> str:
    if g.encoding == "xlsx":
        return "encoding: Excel workbook (.xlsx: no text encoding to guess)"
    how = "as requested" if g.encoding_how == "requested" else "detected from the bytes"
    return f"encoding: {describe_encoding(g.encoding)}, {how} (change: {ENCODING_FLAG})"


def _column_lines(g: ImportGuesses) -> list[str]:
    if g.kind == "folder":
        return ["kind: a folder of images with sidecar reports (no manifest)",
                f"  id: {g.id_rule} (to choose the ids, give the folder a manifest.csv with an id column)",
                "  image: every image file under the folder",
                "  report: the .txt file of the same name beside each image"]
    lines = [f"columns (change: {MAP_FLAG}):"]
    for r in g.roles:
        if r.how == HOW_RULE:
            lines.append(f"  {r.role}: no column; ids are {g.id_rule}")
        elif r.column is None:
            lines.append(f"  {r.role}: none")
        else:
            how = "given with --map" if r.how == HOW_REQUESTED else r.how or "as recorded at import"
            lines.append(f"  {r.role}: {r.column} ({how})")
    return lines


def _label_lines(g: ImportGuesses) -> list[str]:
    choice = g.label
    if choice.column is None:
        head = f"label: none ({choice.reason})"
    else:
        origin = " = the sub-folder names" if g.kind == "folder" else ""
        head = f"label: {choice.column}{origin} ({choice.reason})"
    lines = [head, f"  change: {LABEL_FLAG}"]
    if choice.passed_over:
        lines.append("  not offered as labels: " + ", ".join(f"{c} ({w})" for c, w in choice.passed_over))
    return lines


def guess_lines(g: ImportGuesses) -> list[str]:
    """The guesses as plain lines (English), each with the flag that changes it."""
    return [_encoding_line(g), *_column_lines(g), *_label_lines(g)]
