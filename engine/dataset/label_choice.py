"""Which column is the label: one resolver for import, the study, the GUI, the PDF and the CLI.

A label is a categorical column with 2–50 values (integer-coded classes such as a stamped
digit 0–9 included). Columns that name a person (inspector, 検査員), hold dates, identifiers,
measurements (non-integer numbers, or integers in a column named like a measured quantity:
humidity_pct, speed_rpm, 温度) or free text are passed over, each with the reason.
Among the candidates, columns with a label-like name (defect_class, verdict, 判定, …) come
first, then other categorical columns, then columns that describe where or how a part was
made (line, shift, station, ライン, …): offered, never chosen automatically, since they are
rarely what an engineer wants to predict.
The choice is returned with a sentence that says why, so every surface can show it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.dataset.columns import LABEL_HINTS, SERIAL_NAMES, SHARED_ID_NAMES, normalise
from engine.errors import InputError

MIN_LEVELS = 2
MAX_LEVELS = 50
FREE_TEXT_MEAN_CHARS = 40

PERSON_NAMES = ("inspector", "operator", "worker", "checker", "checkedby", "inspectedby", "staff",
                "author", "person", "user", "検査員", "検査者", "作業者", "担当", "担当者", "確認者",
                "氏名", "作成者")
TIME_NAMES = ("date", "time", "datetime", "timestamp", "day", "日付", "日時", "時刻", "検査日", "年月日")
ID_NAMES = ("id", "sampleid", "batch", *SERIAL_NAMES, *(n for n in SHARED_ID_NAMES if n not in ("part", "sample", "key", "name")))
# names (or name endings) of measured quantities: integer readings of a gauge are no classes
MEASUREMENT_ENDINGS = ("pct", "percent", "mm", "cm", "um", "μm", "kg", "cn", "rpm", "hz", "temp",
                       "temperature", "humidity", "pressure", "speed", "weight", "length", "width",
                       "height", "thickness", "温度", "湿度", "圧力", "速度", "重量", "寸法", "長さ", "厚さ")
CONTEXT_NAMES = ("line", "shift", "station", "machine", "camera", "plant", "factory", "site",
                 "cell", "ライン", "工程", "号機", "設備", "工場", "直")


@dataclass(frozen=True)
class LabelCandidate:
    """A column that could serve as the label."""

    column: str
    levels: int            # distinct non-empty values
    kind: str              # "named", "categorical", "integer-coded" or "context"


@dataclass(frozen=True)
class LabelChoice:
    """Which label column is used, and why."""

    column: str | None
    how: str               # "requested" | "automatic" | "none"
    reason: str
    candidates: tuple[LabelCandidate, ...] = ()
    passed_over: tuple[tuple[str, str], ...] = ()   # (column, why it is not a label)


_RANK = {"named": 0, "categorical": 1, "integer-coded": 1, "context": 2}


def _is_int(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d+", text.strip()) is not None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _looks_like_date(text: str) -> bool:
    return re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}.*", text.strip()) is not None


def classify_column(name: str, values: Sequence[str]) -> LabelCandidate | str:
    """A candidate, or the reason the column is not a label (plain words)."""
    norm = normalise(name)
    vals = [v for v in values if v != ""]
    levels = len(set(vals))
    if not vals:
        return "empty"
    if norm in PERSON_NAMES:
        return "names a person"
    if norm in TIME_NAMES or all(_looks_like_date(v) for v in vals[:200]):
        return "dates or times"
    if norm in ID_NAMES:
        return "identifiers"
    if levels < MIN_LEVELS:
        if norm in LABEL_HINTS:  # a label by name in a tiny dataset: kept, never chosen by itself
            return LabelCandidate(column=name, levels=levels, kind="named")
        return "a single value"
    if all(_is_number(v) for v in vals[:2000]):
        if not all(_is_int(v) for v in vals[:2000]):
            return "measurements (non-integer numbers)"
        if levels > MAX_LEVELS:
            return f"numbers with more than {MAX_LEVELS} values"
        if norm.endswith(MEASUREMENT_ENDINGS) and norm not in LABEL_HINTS:
            return "measurements (named like one)"
        kind = "integer-coded"
    else:
        if sum(len(v) for v in vals) / len(vals) > FREE_TEXT_MEAN_CHARS:
            return "free text"
        if levels > MAX_LEVELS:
            return f"more than {MAX_LEVELS} values"
        kind = "categorical"
    if len(vals) >= 20 and levels > len(vals) // 2:
        return "nearly every row has its own value"
    if norm in LABEL_HINTS:
        kind = "named"
    elif norm in CONTEXT_NAMES:
        kind = "context"
    return LabelCandidate(column=name, levels=levels, kind=kind)


def choose_label(columns: Mapping[str, Sequence[str]], requested: str | None = None, *,
                 source: str = "the dataset") -> LabelChoice:
    """The label column of ``columns`` ({name: values}); ``requested`` wins when given."""
    candidates: list[LabelCandidate] = []
    passed: list[tuple[str, str]] = []
    for name, values in columns.items():
        got = classify_column(name, values)
        if isinstance(got, LabelCandidate):
            candidates.append(got)
        else:
            passed.append((name, got))
    order = sorted(range(len(candidates)), key=lambda i: (_RANK[candidates[i].kind], i))
    ranked = tuple(candidates[i] for i in order)
    if requested:
        if requested not in columns:
            raise InputError(f"{source}: no column '{requested}'; columns: "
                             f"{', '.join(columns) if columns else '(none)'}")
        return LabelChoice(requested, "requested", f"'{requested}' was chosen by the user",
                           ranked, tuple(passed))
    automatic = [c for c in ranked if c.kind != "context" and c.levels >= MIN_LEVELS]
    if not automatic:
        why = "; ".join([*(f"{c.column}: production context (choose it explicitly to use it)" for c in ranked),
                         *(f"{c}: {r}" for c, r in passed)]) or "no metadata columns"
        return LabelChoice(None, "none", f"no column looks like a label ({why})", ranked, tuple(passed))
    best = automatic[0]
    reason = _reason(best, [c for c in ranked if c is not best])
    return LabelChoice(best.column, "automatic", reason, ranked, tuple(passed))


def _reason(best: LabelCandidate, others: Sequence[LabelCandidate]) -> str:
    from engine.study.messages import message

    text = message("en", f"label_{best.kind}", column=best.column, levels=best.levels)
    if others:
        text += message("en", "label_others", others=", ".join(f"{c.column} ({c.levels})" for c in others))
    return text
