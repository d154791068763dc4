"""The demo dataset: deterministic, realistic, planted problems documented and real."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from engine.dataset import load_dataset
from engine.demo import build_demo
from engine.errors import InputError


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _says_nominal(report: str) -> bool:
    from engine.demo.reports import NOMINAL_FINDINGS

    return any(f.rstrip(".").lower() in report.lower() for f in NOMINAL_FINDINGS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "d"
    build_demo(out, n=600, seed=1)
    return out


def test_deterministic_per_seed(tmp_path: Path) -> None:
    build_demo(tmp_path / "a", n=60, seed=4)
    build_demo(tmp_path / "b", n=60, seed=4)
    build_demo(tmp_path / "c", n=60, seed=5)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_columns_classes_and_report_variety(demo: Path) -> None:
    with (demo / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 600
    assert list(rows[0])[:4] == ["id", "image", "report", "defect_class"]
    classes = [r["defect_class"] for r in rows]
    assert {c: classes.count(c) for c in set(classes)} == {
        "nominal": 300, "local_defect": 150, "global_defect": 150}
    reports = [r["report"] for r in rows if r["report"].strip()]
    assert len(set(reports)) > 0.95 * len(reports)  # no template copies
    openings = {" ".join(r.split()[:2]).lower() for r in reports}
    assert len(openings) > 60
    words = {w.strip(".,;:()%").lower() for r in reports for w in r.split()}
    assert len(words) > 250
    assert any("cN" in r for r in reports) and any("rpm" in r for r in reports)
    # measured tension relates to the label only partly (information outside the image)
    tension = {c: np.mean([float(r["tension_cN"]) for r in rows if r["defect_class"] == c])
               for c in set(classes)}
    assert tension["nominal"] < tension["local_defect"] < tension["global_defect"]
    l3 = {c: np.mean([r["line"] == "L3" for r in rows if r["defect_class"] == c]) for c in set(classes)}
    assert l3["global_defect"] > 2 * l3["nominal"]


def test_planted_problems_are_documented_and_real(demo: Path) -> None:
    planted = json.loads((demo / "planted.json").read_text())
    ds = load_dataset(demo)
    reasons = {q.id: q.reason for q in ds.quarantine}
    expect = {"missing": "missing file", "zero_bytes": "zero bytes", "truncated": "truncated image",
              "not_an_image": "not an image", "empty_report": "empty report"}
    for kind, prefix in expect.items():
        assert planted[kind], kind
        for entry in planted[kind]:
            assert reasons[entry["id"]].startswith(prefix), (kind, reasons[entry["id"]])
    assert len(ds.quarantine) == sum(len(planted[k]) for k in expect)
    by_id = {s.id: s for s in ds.samples}
    with (demo / "manifest.csv").open(encoding="utf-8") as fh:
        manifest = {r["id"]: r for r in csv.DictReader(fh)}
    for swap in planted["swapped_reports"]:
        a, b = swap["ids"]
        assert sorted(swap["classes"])[1] == "nominal" and "defect" in sorted(swap["classes"])[0]
        assert manifest[a]["defect_class"] == swap["classes"][0]
        # the nominal part now carries a defect report and the defective part a clean one
        nominal_id, defect_id = (a, b) if swap["classes"][0] == "nominal" else (b, a)
        assert manifest[nominal_id]["defect_class"] == "nominal"
        assert not _says_nominal(by_id[nominal_id].report)
        assert _says_nominal(by_id[defect_id].report)
    assert len(planted["swapped_reports"]) == 3 and len(planted["long_reports"]) >= 1
    for entry in planted["long_reports"]:
        assert len(by_id[entry["id"]].report.split()) > 150


def test_full_demo_is_complete_and_bad_n_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--n must be between 1 and 2000"):
        build_demo(tmp_path / "x", n=5000)
    s = build_demo(tmp_path / "full")
    assert s.n_rows == 2000 and len(list((tmp_path / "full" / "images").iterdir())) == 1996
