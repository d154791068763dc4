"""`alignscope pid --store`: probe vs k-means discretisation, the JSON contract, bad options."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.dataset.model import Dataset, Sample
from engine.store import TableSpec, TableWriter, add_tables, write_dataset

N = 600


def _views(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """6 classes, both views linearly readable, hidden under 5 louder nuisance directions."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 6, size=N)

    def view(scale: float, dim: int) -> np.ndarray:
        z = rng.normal(size=(6, dim))[y] * scale + rng.normal(size=(N, dim))
        z[:, :5] += 6.0 * rng.normal(size=(N, 5))
        return z @ np.linalg.qr(rng.normal(size=(dim, dim)))[0]

    return view(0.6, 48), view(0.7, 32), y


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pidcli") / "s.h5"
    a, b, y = _views()
    samples = [Sample(row=i + 2, id=f"s{i:03d}", image=path.parent / f"{i}.png", image_rel=f"{i}.png",
                      report=f"report {i}", image_sha256=f"{i:064x}", report_sha256=f"{i + 10**6:064x}",
                      labels={"kind": f"k{y[i]}" if i != 7 else ""}) for i in range(N)]
    write_dataset(path, Dataset(root=path.parent, source="test", kind="manifest", encoding="utf-8", n_rows=N,
                                columns=["kind"], label_columns=["kind"], mapping={}, samples=samples,
                                quarantine=[]))
    add_tables(path, [TableSpec("img-a", "image", a.shape[1], "0" * 64, {}),
                      TableSpec("txt-b", "text", b.shape[1], "1" * 64, {})])
    for mod, mid, v in (("image", "img-a", a), ("text", "txt-b", b)):
        w = TableWriter(path, mod, mid)
        w.write(np.arange(N), v.astype(np.float32))
        w.close()
    return path


def _run(store: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[dict, str]:
    code = main(["pid", "--store", str(store), "--image-model", "img-a", "--text-model", "txt-b",
                 "--label", "kind", "--bootstrap", "20", "--json", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out), captured.err


def test_probe_discretisation_json(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(store, capsys)
    assert {"redundancy", "unique_1", "unique_2", "synergy", "total_mi", "solver", "ci", "cells",
            "warning", "bootstrap"} <= set(out)
    assert out["bias_correction"] == "jackknife"
    disc = out["discretization"]
    assert disc["method"] == "probe"
    for side in ("image", "text"):
        assert isinstance(disc["kept_bits"][side], float) and isinstance(disc["probe_bits"][side], float)
        assert disc["kept_bits"][side] >= 0.75 * disc["probe_bits"][side] > 0.5
    # both views read the label: redundancy is the largest part
    parts = {k: out[k] for k in ("redundancy", "unique_1", "unique_2", "synergy")}
    assert max(parts, key=lambda k: parts[k]) == "redundancy"
    assert "1 samples without a 'kind' value" in err
    # corrected parts sum to the corrected total; parts below 0 are shown as 0 and listed
    negative = sum(out["unclipped"][k] for k in out["clipped"])
    assert sum(parts.values()) + negative == pytest.approx(out["total_mi"], abs=1e-9)


def test_kmeans_discretisation_warns_when_it_loses_the_label(store: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(store, capsys, "--discretize", "kmeans", "--clusters", "6")
    disc = out["discretization"]
    assert disc["method"] == "kmeans" and disc["n_clusters"] == {"image": 6, "text": 6}
    assert disc["kept_bits"]["image"] < 0.75 * disc["probe_bits"]["image"]
    assert "discretisation keeps" in err and "understates" in err


def test_too_few_resamples_is_refused(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pid", "--store", str(store), "--image-model", "img-a", "--text-model", "txt-b",
                 "--label", "kind", "--bootstrap", "1"]) == 2
    assert "at least 2" in capsys.readouterr().err


def test_plain_output_names_the_discretisation(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pid", "--store", str(store), "--image-model", "img-a", "--text-model", "txt-b",
                 "--label", "kind", "--bootstrap", "5"]) == 0
    text = capsys.readouterr().out
    assert "bias correction  jackknife" in text and "probe bound" in text
