"""One ordering of suspects (score, then id), flagged ties, formula-safe CSV, plain-word reasons."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from engine.errors import InputError
from engine.pairs import (
    PairArrays,
    PairScores,
    SelfTest,
    rank_order,
    safe_cell,
    tied_mask,
    write_csv,
)
from engine.pairs.export import suspects_table, write_suspects_csv
from engine.pairs.result import AlignmentSummary
from engine.study.messages import message


def test_ties_are_broken_by_id_whatever_the_row_order() -> None:
    ids = ["b7", "a1", "c3", "a2", "z9"]
    score = np.array([0.5, 0.9, 0.5, 0.5, 0.1])
    order = rank_order(score, ids)
    assert [ids[i] for i in order] == ["a1", "a2", "b7", "c3", "z9"]
    perm = np.array([3, 0, 4, 1, 2])
    again = rank_order(score[perm], [ids[i] for i in perm])
    assert [ids[perm[i]] for i in again] == ["a1", "a2", "b7", "c3", "z9"]
    assert tied_mask(score).tolist() == [True, False, True, True, False]
    with pytest.raises(InputError, match="scores must be"):
        rank_order(score[:3], ids)


def test_csv_cells_that_look_like_formulas_are_escaped(tmp_path: Path) -> None:
    for cell in ("=HYPERLINK(\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("-0.25") == "-0.25" and safe_cell(3.5) == "3.5" and safe_cell(None) == ""
    assert safe_cell("穴あき = 2 mm") == "穴あき = 2 mm"     # only the start counts
    out = tmp_path / "s.csv"
    write_csv(out, ["id", "report"], [["=1+1", "@evil"], ["部品-1", "-5"]])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["id", "report"], ["'=1+1", "'@evil"], ["部品-1", "-5"]]
    assert [p.name for p in tmp_path.iterdir()] == ["s.csv"]   # no temporary file left behind
    with pytest.raises(InputError, match="cannot write"):
        write_csv(tmp_path / "no" / "x.csv", ["a"], [])


def test_ordinals() -> None:
    def ordinal(k: int) -> str:  # the rank as the English reason writes it ({rank:ordinal})
        return message("en", "pr_report_rank", rank=k, n=5).split()[3]

    assert [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 812, 1000)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th", "812th",
        "1,000th"]


def _result(no_signal: bool = False) -> PairScores:
    n = 4
    arrays = PairArrays(
        score=np.array([0.2, 0.95, 0.95, 0.01]), q_value=np.array([0.5, 0.01, 0.01, 0.9]),
        evidence=np.array([1.0, -2.0, -2.0, 5.0]), image_to_report=np.array([2.0, 812.0, 3.0, 1.0]),
        report_to_image=np.array([1.0, 640.0, 4.0, 1.0]), image_class=np.array([0, 0, 1, 1]),
        image_class_p=np.array([0.9, 0.93, 0.8, 0.7]), report_class=np.array([0, 1, 1, 1]),
        report_class_p=np.array([0.8, 0.88, 0.6, 0.9]), disagreement=np.array([0.2, 0.9, 0.4, 0.3]),
        order=np.array([1, 2, 0, 3]), tied=np.array([False, True, True, False]))
    st = SelfTest(planted=10, rows=n, auc=0.93, auc_low=0.85, recall_at_2p=0.9, found=9, same_class=2,
                  recall_other_class=1.0, flagged=8, flagged_not_planted=1, no_signal=no_signal)
    return PairScores(method="m", signals=("alignment_image_to_report", "label:defect"),
                      ids=("a", "b", "c", "d"), label="defect", classes=("hole", "stain"),
                      weights={"alignment_image_to_report": 0.5, "label:defect": 0.3},
                      alignment=AlignmentSummary(64, 8, 10, 3.1, (0.5, 0.3), ((64, 8, 3.1),)),
                      mismatch_share=0.02, self_test=st, no_signal=no_signal, arrays=arrays)


def test_json_object_reasons_and_store_round_trip() -> None:
    res = _result()
    out = res.to_json(top=2)
    assert list(out) == ["method", "signals", "self_test", "no_signal", "suspects"]
    assert out["self_test"] == {"auc": 0.93, "recall_at_2p": 0.9, "planted": 10}
    first = out["suspects"][0]
    assert list(first) == ["id", "rank", "score", "q_value", "reasons"] and first["id"] == "b"
    assert first["reasons"][:3] == ["the report ranks 812th of 4 for its image",
                                    "the image ranks 640th of 4 for its report",
                                    "image says hole (p=0.93), report says stain (p=0.88)"]
    assert "same score as 1 other pair; placed by id" in first["reasons"]
    assert res.flagged == 2
    back = PairScores.from_payload(res.to_payload(), res.arrays.as_dict(), list(res.ids))
    assert back.to_json() == res.to_json()
    assert _result(no_signal=True).to_json()["suspects"] == []


def test_suspects_csv_has_one_score_column_and_escaped_text(tmp_path: Path) -> None:
    res = _result()
    header, rows = suspects_table(res, columns={"line": ["L1", "L2", "L1", "=2"]},
                                  reports=["ok", "-rm", "x", "y"], overlap=np.array([0.1, 0.0, 0.3, 0.2]))
    assert header[:7] == ["rank", "id", "suspect_score", "q_value", "flagged", "tied", "reasons"]
    assert "neighbour_overlap" in header and header.count("suspect_score") == 1
    assert [r[1] for r in rows] == ["b", "c", "a", "d"]
    out = write_suspects_csv(tmp_path / "s.csv", res, columns={"line": ["L1", "L2", "L1", "=2"]},
                             reports=["ok", "-rm", "x", "y"])
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert got[0]["report"] == "'-rm" and got[3]["line"] == "'=2" and got[0]["flagged"] == "True"
