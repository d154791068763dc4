"""`analyze_store` and `alignscope analyze|pid --store` on a small store built here.

The default pair is built as an exact rotation of each other (text = image · Q), so several
results are known exactly: mutual kNN = 1, PID has no unique information and no synergy
(both discretisations coincide), linear heterogeneity ≈ 0, retrieval through the linear map
is perfect.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.main import main
from engine.dataset.model import Dataset, Sample
from engine.errors import InputError
from engine.store import Store, TableSpec, TableWriter, add_tables, write_dataset
from engine.study.analyze import AnalyzeOptions, analyze_store

N = 240
FAST = AnalyzeOptions(bootstrap=20, permutations=20, linear_bootstrap=5, linear_permutations=5,
                      pid_bootstrap=3)


def _make_store(path: Path, *, with_label: bool = True, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=N)
    z = rng.normal(size=(3, 6))[y] + 0.6 * rng.normal(size=(N, 6))
    columns = ["defect_class", "line"] if with_label else ["line"]
    samples = [
        Sample(row=i + 2, id=f"s{i:03d}", image=path.parent / f"i{i}.png", image_rel=f"i{i}.png",
               report=f"report {i}", image_sha256=f"{i:064x}", report_sha256=f"{i + 10**6:064x}",
               labels={"defect_class": f"c{y[i]}", "line": f"L{i % 2}"} if with_label else {"line": f"L{i % 2}"})
        for i in range(N)
    ]
    ds = Dataset(root=path.parent, source="test", kind="manifest", encoding="utf-8", n_rows=N,
                 columns=columns, label_columns=["defect_class"] if with_label else [], mapping={},
                 samples=samples, quarantine=[])
    write_dataset(path, ds)
    img0 = np.tanh(z @ rng.normal(size=(6, 24))) + 0.3 * rng.normal(size=(N, 24))
    q, _ = np.linalg.qr(rng.normal(size=(24, 24)))
    vectors = {
        ("image", "efficientnet-lite0"): img0,
        ("image", "efficientnet-lite1"): z @ rng.normal(size=(6, 40)) + 0.8 * rng.normal(size=(N, 40)),
        ("text", "paraphrase-minilm-l3"): img0 @ q,  # an exact rotation of the default image space
        ("text", "all-minilm-l6"): z @ rng.normal(size=(6, 16)) + 1.0 * rng.normal(size=(N, 16)),
    }
    add_tables(path, [TableSpec(model_id=m, modality=mod, dim=v.shape[1], sha256="0" * 64, preprocessing={})
                      for (mod, m), v in vectors.items()])
    for (mod, m), v in vectors.items():
        w = TableWriter(path, mod, m)
        w.write(np.arange(N), v.astype(np.float32))
        w.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("study") / "s.h5"
    _make_store(path)
    return path


@pytest.fixture(scope="module")
def analysis(store: Path) -> dict:
    return analyze_store(store, "defect_class", options=FAST, use_cache=False)


def test_contract_keys(analysis: dict) -> None:
    for key in ("probes", "pairs", "correlation", "pid", "heterogeneity", "retrieval", "findings",
                "recommendation", "alignment_curve", "per_sample", "suspects"):
        assert key in analysis
    assert analysis["default_pair"] == {"image": "efficientnet-lite0", "text": "paraphrase-minilm-l3"}
    assert len(analysis["pairs"]) == 4
    assert analysis["recommendation"]["decision"] in ("invest", "not yet", "measure more")
    assert analysis["findings"] and all(isinstance(f, str) for f in analysis["findings"])
    json.dumps(analysis)  # plain JSON


def test_rotation_pair_known_values(analysis: dict) -> None:
    pair = next(p for p in analysis["pairs"] if p["text"] == "paraphrase-minilm-l3"
                and p["image"] == "efficientnet-lite0")
    assert pair["metrics"]["mutual_knn"] == pytest.approx(1.0, abs=1e-9)
    assert pair["metrics"]["unbiased_cka_linear"] == pytest.approx(1.0, abs=1e-5)
    assert pair["null"]["mutual_knn"]["p"] < 0.1
    assert analysis["per_sample"]["overlap"] == pytest.approx([1.0] * N)
    pid = analysis["pid"]
    assert pid["solver"] == "CLARABEL"
    assert pid["unique_image"] == pytest.approx(0.0, abs=1e-5)
    assert pid["unique_text"] == pytest.approx(0.0, abs=1e-5)
    assert pid["synergy"] == pytest.approx(0.0, abs=1e-5)
    assert pid["redundancy"] == pytest.approx(pid["total_mi"], abs=1e-5)
    assert analysis["heterogeneity"]["linear_deficit"] == pytest.approx(0.0, abs=0.02)
    lin = analysis["retrieval"]["methods"]["linear_map"]
    assert lin["image_to_text"]["1"] > 0.95 and lin["text_to_image"]["1"] > 0.95


def test_probes_and_correlation(analysis: dict) -> None:
    probes = analysis["probes"]
    chance = probes["chance"]
    for mid in ("efficientnet-lite0", "efficientnet-lite1", "paraphrase-minilm-l3", "all-minilm-l6"):
        p = probes[mid]
        assert p["accuracy"] > chance + 0.2  # the label is encoded in every space
        assert p["accuracy_ci"][0] <= p["accuracy"] <= p["accuracy_ci"][1]
    corr = analysis["correlation"]
    assert corr["n_pairs"] == 4 and corr["meaningful"] is False and "4 model pairs" in corr["reason"]
    chance_curve = analysis["alignment_curve"]["chance"]
    assert chance_curve[0] == pytest.approx(1 / (N - 1))


def test_cached_result_is_reused(store: Path, analysis: dict) -> None:
    again = analyze_store(store, "defect_class", options=FAST)  # first cached run writes the cache
    cached = analyze_store(store, "defect_class", options=FAST)
    assert any("cache" in n for n in cached["notes"])
    assert cached["per_sample"] == again["per_sample"]
    assert cached["pid"] == again["pid"]


def test_unknown_label_names_the_columns(store: Path) -> None:
    with pytest.raises(InputError, match="defect_class"):
        analyze_store(store, "nope", options=FAST)


def test_without_label(tmp_path: Path) -> None:
    path = tmp_path / "nolabel.h5"
    _make_store(path, with_label=False)
    out = analyze_store(path, None, options=FAST, use_cache=False)
    assert out["label"] is None and out["pid"] is None and out["probes"] == {}
    assert out["recommendation"]["decision"] == "measure more"
    assert any("No label" in f for f in out["findings"])
    assert out["suspects"] and out["pairs"][0]["metrics"]["mutual_knn"] > 0


def test_cli_pid_store(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["pid", "--store", str(store), "--image-model", "efficientnet-lite0", "--text-model",
                 "paraphrase-minilm-l3", "--label", "defect_class", "--clusters", "6",
                 "--bootstrap", "3", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert {"redundancy", "unique_1", "unique_2", "synergy", "total_mi", "solver", "ci", "cells"} <= set(out)
    assert out["synergy"] == pytest.approx(0.0, abs=1e-5)


def test_cli_pid_store_missing_flag(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pid", "--store", str(store), "--label", "defect_class"]) == 2
    assert "--image-model" in capsys.readouterr().err


def test_cli_analyze_json_uses_cache(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(store) as st:
        assert st.n_samples == N
    assert main(["analyze", "--store", str(store), "--label", "defect_class", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("probes", "pairs", "correlation", "pid", "heterogeneity", "retrieval", "findings",
                "recommendation"):
        assert key in out
