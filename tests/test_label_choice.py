"""One label resolver: categorical columns with 2–50 values (integer-coded ones included),
label-like names first, persons/dates/ids/measurements/free text passed over, with reasons."""

from __future__ import annotations

import pytest

from engine.dataset.label_choice import choose_label
from engine.errors import InputError
from engine.study.messages import label_reason

N = 60


def test_integer_coded_digit_beats_a_production_line_column() -> None:
    cols = {"line": [f"L{i % 3}" for i in range(N)], "digit": [str(i % 10) for i in range(N)],
            "inspector": [f"Tanaka{i % 4}" for i in range(N)], "date": [f"2026-11-{1 + i % 28:02d}" for i in range(N)],
            "tension_cN": [f"{12.5 + i / 7:.2f}" for i in range(N)]}
    choice = choose_label(cols)
    assert choice.column == "digit" and choice.how == "automatic"
    assert "integer-coded" in choice.reason and "line (3)" in choice.reason
    assert [c.column for c in choice.candidates] == ["digit", "line"]
    assert dict(choice.passed_over) == {"inspector": "names a person", "date": "dates or times",
                                        "tension_cN": "measurements (non-integer numbers)"}


def test_japanese_columns_label_named_first_person_and_serial_passed_over() -> None:
    cols = {"シリアル": [f"SN-{i:05d}" for i in range(N)], "判定": ["OK" if i % 4 else "NG" for i in range(N)],
            "刻印": [str(i % 10) for i in range(N)], "検査員": [f"佐藤{i % 3}" for i in range(N)],
            "所見": [f"外周部に長さ約{i}mmの打痕あり。表面の状態を確認した結果、再検査が必要と判断した。" for i in range(N)]}
    choice = choose_label(cols)
    assert choice.column == "判定"
    assert [c.column for c in choice.candidates] == ["判定", "刻印"]
    passed = dict(choice.passed_over)
    assert passed["検査員"] == "names a person" and passed["シリアル"] == "identifiers"
    assert passed["所見"] in ("free text", "nearly every row has its own value")
    assert label_reason("ja", choice).startswith("「判定」はラベルらしい名前")


def test_only_context_columns_means_no_label_but_they_are_offered() -> None:
    choice = choose_label({"line": [f"L{i % 2}" for i in range(N)], "shift": [f"S{i % 3}" for i in range(N)]})
    assert choice.column is None and choice.how == "none"
    assert [c.column for c in choice.candidates] == ["line", "shift"]
    assert "production context" in choice.reason


def test_requested_column_wins_and_unknown_is_refused() -> None:
    cols = {"defect_class": ["a", "b"] * 30, "line": ["x", "y", "z"] * 20}
    assert choose_label(cols, "line").column == "line"
    assert choose_label(cols, "line").how == "requested"
    with pytest.raises(InputError, match="no column 'nope'; columns: defect_class, line"):
        choose_label(cols, "nope", source="p.h5")
