"""Issue 17, failures 6, 7 and 12/15 (user models): numbers are checked where they enter —
NaN rows are quarantined naming the model, user models get a real-input trial and a
dimension cap, and a short pick-list of reports no longer blocks the study."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest
from advkit import cli, cli_env, needs_models, refused, write_png
from onnx import TensorProto, helper

from engine.encoders.images import IMAGE_DEFAULTS
from engine.encoders.registry import sha256_file

SIZE = 32


def _image_model(path: Path, nodes: list[onnx.NodeProto], out_shape: list[object],
                 initializers: list[onnx.TensorProto] | None = None) -> Path:
    graph = helper.make_graph(
        nodes, "user", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)], initializer=initializers or [])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    return path


def _sqrt_of_mean(path: Path) -> Path:
    """[n, 3]: sqrt of each channel's mean: finite on zeros, NaN on dark real images."""
    return _image_model(path, [helper.make_node("GlobalAveragePool", ["x"], ["p"]),
                               helper.make_node("Sqrt", ["p"], ["s"]),
                               helper.make_node("Flatten", ["s"], ["y"])], ["n", 3])


def _user_env(tmp_path: Path) -> dict[str, str]:
    return cli_env(ALIGNSCOPE_USER_MODELS=str(tmp_path / "user_models"))


def test_6_models_add_refuses_a_model_that_gives_nan_on_real_images(tmp_path: Path) -> None:
    model = _sqrt_of_mean(tmp_path / "sqrt.onnx")
    err = refused(cli("models", "add", model, "--modality", "image", "--id", "sqrtmean",
                      env=_user_env(tmp_path)),
                  "real test images the model gives NaN, infinite or absurd values")
    assert "sqrt.onnx" in err and not (tmp_path / "user_models" / "sqrtmean").exists()


def test_12_models_add_refuses_scalar_and_huge_outputs(tmp_path: Path) -> None:
    scalar = _image_model(tmp_path / "scalar.onnx",
                          [helper.make_node("ReduceMean", ["x"], ["y"], keepdims=0)], [])
    refused(cli("models", "add", scalar, "--modality", "image", "--id", "scalar",
                env=_user_env(tmp_path)), "has shape [] for a batch of 2; expected [2, dim]")
    repeats = helper.make_tensor("r", TensorProto.INT64, [2], [1, 8])  # 3·32·32·8 = 24,576 dims
    huge = _image_model(tmp_path / "huge.onnx",
                        [helper.make_node("Flatten", ["x"], ["f"]), helper.make_node("Tile", ["f", "r"], ["y"])],
                        ["n", 24576], [repeats])
    refused(cli("models", "add", huge, "--modality", "image", "--id", "huge", env=_user_env(tmp_path)),
            "has 24,576 dimensions per sample; AlignScope takes 1 to 16,384")


def _register_by_hand(tmp_path: Path, model: Path, model_id: str, dim: int) -> dict[str, str]:
    """A model that skipped the trial (an older AlignScope registered it, or a hand edit)."""
    folder = tmp_path / "user_models" / model_id
    folder.mkdir(parents=True)
    shutil.copy(model, folder / model.name)
    card = {"id": model_id, "modality": "image", "dim": dim, "params": 0, "source": "test",
            "licence": "none", "file": f"{model_id}/{model.name}",
            "sha256": sha256_file(folder / model.name), "input_size": SIZE,
            "preprocessing": {**IMAGE_DEFAULTS, "size": SIZE}}
    manifest = {"format": 1, "models": {model_id: card}}
    (tmp_path / "user_models" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return _user_env(tmp_path)


@needs_models
def test_6_nan_rows_are_quarantined_with_the_model_named(tmp_path: Path) -> None:
    env = _register_by_hand(tmp_path, _sqrt_of_mean(tmp_path / "sqrt.onnx"), "sqrtmean", 3)
    d = tmp_path / "d"
    rows = []
    for i in range(12):
        dark = i % 4 == 0
        write_png(d / f"p{i}.png", (20, 20, 20) if dark else (210, 200 - i, 190), size=48)
        rows.append([f"P{i}", f"p{i}.png", f"report number {i}"])
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["id", "image", "report"], *rows])
    (d / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    store = tmp_path / "p.h5"
    proc = cli("embed", d, "--store", store, "--image-model", "sqrtmean", env=env)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(cli("info", store, "--json", env=env).stdout)
    assert info["n_samples"] == 9 and info["complete"] == {"sqrtmean": True, "paraphrase-minilm-l3": True}
    bad = {q["id"]: q["reason"] for q in info["quarantine"]}
    assert sorted(bad) == ["P0", "P4", "P8"]
    assert "image model 'sqrtmean' gave NaN, infinite or absurd values" in bad["P0"]
    from engine.store import Store

    with Store.open(store) as st:
        assert np.isfinite(st.embeddings("sqrtmean")).all()


@needs_models
def test_7_pick_list_reports_do_not_block_analyze_or_report(demo_dataset: Path, tmp_path: Path) -> None:
    data = tmp_path / "pick"
    shutil.copytree(demo_dataset, data)
    manifest = data / "manifest.csv"
    table = list(csv.reader(io.StringIO(manifest.read_text(encoding="utf-8-sig"), newline="")))
    col = table[0].index("report")
    picks = ["OK", "scratch", "stain", "hole", "crease", "minor", "reject", "rework", "NG"]
    for i, row in enumerate(table[1:]):
        if row[col].strip():
            row[col] = picks[i % len(picks)]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(table)
    manifest.write_text(buf.getvalue(), encoding="utf-8")
    store = tmp_path / "pick.h5"
    assert cli("embed", data, "--store", store).returncode == 0
    proc = cli("analyze", "--store", store, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    notes = [n["text"] for pair in result["pairs"] for n in pair.get("notes", [])]  # schema 3: messages
    assert any("svcca: computed on 8 directions instead of 10" in n for n in notes), notes
    assert all(np.isfinite(pair["metrics"]["svcca"]) for pair in result["pairs"])
    report = cli("report", "--store", store, "--out", tmp_path / "r.pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 3e12])
def test_6_sane_rows_flags_nan_inf_and_absurd_values(bad: float) -> None:
    from engine.embed import sane_rows

    x = np.ones((4, 5), np.float32)
    x[2, 3] = bad
    assert sane_rows(x).tolist() == [True, True, False, True]
