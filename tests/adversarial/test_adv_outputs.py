"""Issue 17, failures 2, 3 and 9: CSV cells never run as formulas (GUI and CLI exports, header
included), an output never replaces an input, and a killed `report` leaves the previous PDF."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from advkit import ROOT, cli, cli_env, needs_models, refused

from engine.pairs import selection_rows, write_csv

HOSTILE = ['=HYPERLINK("http://evil.example/x","click")', "+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A2)", "\t=1+1", "＝1+1", " =1+1"]


def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_2_gui_exports_escape_every_text_cell_and_the_header(tmp_path: Path) -> None:
    """Spaces → Export selection and Suspect pairs → Export both write through this call."""
    ids = [*HOSTILE, "plain"]
    n = len(ids)
    header, rows = selection_rows(np.arange(n), ids, np.zeros((n, 2)), np.ones((n, 2)),
                                  np.linspace(-1, 1, n), {"=HYPERLINK(\"x\")": [*HOSTILE, "ok"]})
    out = tmp_path / "selection.csv"
    write_csv(out, header, rows)
    table = _read_csv(out)
    assert table[0][-1] == "'=HYPERLINK(\"x\")"
    for row in table[1:]:
        for cell in (row[0], row[-1]):
            assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "＝")), cell
            assert not (cell.startswith("-") and not _number(cell)), cell
    assert [r[0] for r in table[1:]] == ["'" + h for h in HOSTILE] + ["plain"]
    assert table[1][5] == "-1.0"  # numbers stay numbers


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_2_cli_csv_header_cells_are_escaped(demo_dataset: Path, tmp_path: Path) -> None:
    import shutil

    from engine.dataset import load_dataset
    from engine.store import write_dataset

    data = tmp_path / "hostile"
    shutil.copytree(demo_dataset, data)
    manifest = data / "manifest.csv"
    rows = _read_csv(manifest)
    rows[0][rows[0].index("inspector")] = HOSTILE[0]
    rows[1][rows[0].index("line")] = "=1+2"
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    manifest.write_text(buf.getvalue(), encoding="utf-8")
    store = tmp_path / "p.h5"
    write_dataset(store, load_dataset(data))  # the per-sample table needs no embeddings
    from dataclasses import replace

    from engine.report import write_per_sample_csv
    from engine.store import Store
    from engine.study.result import PerSample
    from tests.study_fixtures import sample_analysis

    with Store.open(store) as st:
        ids = tuple(st.sample_ids())
    analysis = replace(sample_analysis(len(ids)),
                       per_sample=PerSample(k=10, ids=ids, overlap=np.linspace(0, 1, len(ids))))
    out = write_per_sample_csv(tmp_path / "per_sample.csv", store, analysis)  # export-study, report
    table = _read_csv(out)
    assert "'" + HOSTILE[0] in table[0] and HOSTILE[0] not in table[0]
    assert "'=1+2" in table[1]
    assert all(not c.startswith("=") for row in table for c in row)


@pytest.fixture()
def dataset_and_store(store_copy: Path) -> tuple[Path, Path]:
    from engine.store import Store

    with Store.open(store_copy) as st:
        manifest = Path(st.dataset_info()["source"])
    return manifest, store_copy


def test_3_outputs_never_replace_the_store_or_the_dataset(dataset_and_store: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    manifest, store = dataset_and_store
    before, manifest_before = store.read_bytes(), manifest.read_bytes()
    refused(cli("report", "--store", store, "--out", store), "never replaces an input")
    refused(cli("export-study", "--store", store, "--csv", store), "never replaces an input")
    refused(cli("export-study", "--store", store, "--json", manifest),
            "file of the dataset of", "Choose another file name")
    refused(cli("export-embeddings", store, "--model", "efficientnet-lite0", "--out",
                tmp_path / "x.npy", "--ids", store), "never replaces an input")
    refused(cli("report", "--store", store, "--out", tmp_path / "r.pdf", "--csv", tmp_path / "r.pdf"),
            "given for two outputs")
    link = tmp_path / "innocent.pdf"
    link.symlink_to(store)  # through a link: still the store
    refused(cli("report", "--store", store, "--out", link), "HDF5 file")
    refused(cli("embed", manifest.parent, "--store", manifest), "a file of the dataset itself")
    assert store.read_bytes() == before and manifest.read_bytes() == manifest_before
    assert not (tmp_path / "x.npy").exists()


@needs_models
def test_3_encode_does_not_write_over_its_own_input(dataset_and_store: tuple[Path, Path]) -> None:
    manifest, _ = dataset_and_store
    image = sorted((manifest.parent / "images").glob("*.jpg"))[0]
    before = image.read_bytes()
    refused(cli("encode", "--model", "efficientnet-lite0", "--images", image, "--out", image),
            "input of this run")
    assert image.read_bytes() == before


@needs_models
def test_9_kill_during_report_keeps_the_previous_pdf(store_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    first = cli("report", "--store", store_copy, "--out", out)
    assert first.returncode == 0, first.stderr
    previous = out.read_bytes()
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "app", "report", "--store", str(store_copy),
                                 "--out", str(out), "--lang", "ja"], env=cli_env(), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            if any(tmp_path.glob(".r.pdf.tmp-*")):  # the PDF is being written right now
                time.sleep(0.05 * attempt)
                break
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = out.read_bytes()
        assert data == previous or (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"))
        previous = data
    assert out.read_bytes().startswith(b"%PDF-")
