"""`alignscope suspects` on a real store: exact JSON, plain text, label choice, cache, CSV."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.pairs import synthetic_pairs

N = 400


def _store(path: Path, data: object, labels: list[str]) -> None:
    """A real store with image model "img-x", report model "txt-y" and label column "defect"."""
    from engine.dataset.model import Dataset, Sample
    from engine.store import TableSpec, TableWriter, add_tables, write_dataset

    samples = [
        Sample(row=i + 2, id=f"P-{i:04d}", image=path.parent / f"{i}.png", image_rel=f"{i}.png",
               report="=cmd|' /C calc'!A0" if i == 0 else f"report {i}",
               image_sha256=hashlib.sha256(b"i%d" % i).hexdigest(),
               report_sha256=hashlib.sha256(b"r%d" % i).hexdigest(), labels={"defect": labels[i]})
        for i in range(len(labels))
    ]
    ds = Dataset(root=path.parent, source=str(path.parent), kind="manifest", encoding="utf-8",
                 n_rows=len(samples), columns=["defect"], label_columns=["defect"], mapping={},
                 samples=samples, quarantine=[])
    write_dataset(path, ds)
    add_tables(path, [TableSpec("img-x", "image", data.image.shape[1], "1" * 64, {}),  # type: ignore[attr-defined]
                      TableSpec("txt-y", "text", data.report.shape[1], "2" * 64, {})])  # type: ignore[attr-defined]
    for modality, model, vec in (("image", "img-x", data.image), ("text", "txt-y", data.report)):  # type: ignore[attr-defined]
        writer = TableWriter(path, modality, model)
        writer.write(np.arange(len(labels)), vec)
        writer.flush()
        writer.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    data = synthetic_pairs(N, seed=21, strength=0.6, classes=4, planted=16)
    path = tmp_path_factory.mktemp("pairs") / "p.h5"
    _store(path, data, list(data.labels))
    return path, data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["suspects", *argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_json_lists_the_planted_pairs_first_and_caches(store: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    path, data = store
    rc, out, _ = _run(capsys, "--store", str(path), "--top", "32", "--json")
    assert rc == 0
    got = json.loads(out)
    assert list(got) == ["method", "signals", "self_test", "no_signal", "suspects"]
    assert got["signals"][-1] == "label:defect" and got["no_signal"] is False
    assert set(got["self_test"]) == {"auc", "recall_at_2p", "planted"}
    entries = got["suspects"]
    assert [e["rank"] for e in entries] == list(range(1, 33))
    assert all(a["score"] >= b["score"] for a, b in itertools.pairwise(entries))
    planted_ids = {f"P-{i:04d}" for i in np.flatnonzero(data.planted)}
    assert len(planted_ids & {e["id"] for e in entries}) >= 13      # recall >= 0.8 in the top 2 × planted
    assert all(isinstance(r, str) for e in entries for r in e["reasons"])
    # cached: the same answer from the store, and the store holds the per-pair arrays
    from engine.store import Store

    with Store.open(path) as st:
        keys = st.result_keys("suspects")
        cached = st.get_result("suspects", keys[0]) if keys else None
        assert cached is not None and "score" in cached[1]
    rc, again, _ = _run(capsys, "--store", str(path), "--top", "32", "--json")
    assert json.loads(again) == got


def test_no_label_plain_text_and_csv(store: tuple, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path, _ = store
    out_csv = tmp_path / "suspects.csv"
    rc, out, _ = _run(capsys, "--store", str(path), "--no-label", "--top", "5", "--csv", str(out_csv))
    assert rc == 0
    assert "no label" in out and "Self-test:" in out and "for its image" in out
    lines = [ln for ln in out.splitlines() if ln.strip().startswith(("1 ", "2 "))]
    assert len(lines) == 2
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N and rows[0]["rank"] == "1"
    by_id = {r["id"]: r for r in rows}
    assert by_id["P-0000"]["report"].startswith("'=cmd")       # a formula-looking report stays text


def test_errors_name_the_fix(store: tuple, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = store
    rc, _, err = _run(capsys, "--store", str(path), "--label", "colour")
    assert rc == 2 and "no column 'colour'" in err
    rc, _, err = _run(capsys, "--store", str(path), "--text-model", "nope")
    assert rc == 2 and "text model 'nope' has no complete embeddings" in err
    rc, _, err = _run(capsys, "--store", str(path), "--csv", str(path))
    assert rc == 2 and "would replace the store" in err
