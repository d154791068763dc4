"""`alignscope metrics`: the exact CLI of issue 4, with files and with a project store."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import make_embedding_store
from scipy.stats import ortho_group

from app.main import main
from engine.metrics import METRIC_NAMES

KEYS = {"n", "k", "normalized", "seed", "notes", *METRIC_NAMES}


def _files(tmp_path: Path, n: int = 120) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, 20)).astype(np.float32)
    b = (a @ ortho_group.rvs(20, random_state=1)).astype(np.float32)
    pa, pb = tmp_path / "A.npy", tmp_path / "B.npy"
    np.save(pa, a)
    np.save(pb, b)
    return pa, pb, a, b


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["metrics", *argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_json_output_has_exact_keys_and_values(tmp_path, capsys):
    pa, pb, _, _ = _files(tmp_path)
    rc, out, _ = _run(capsys, str(pa), str(pb), "--json")
    assert rc == 0
    obj = json.loads(out)
    assert set(obj) == KEYS
    assert obj["n"] == 120 and obj["k"] == 10 and obj["normalized"] is True
    for m in METRIC_NAMES:
        assert isinstance(obj[m], float)
    assert obj["mutual_knn"] == pytest.approx(1.0)
    assert obj["lcs_knn"] == pytest.approx(10.0)
    assert obj["cka_linear"] == pytest.approx(1.0, abs=1e-6)


def test_options_reach_the_engine(tmp_path, capsys):
    pa, pb, _, _ = _files(tmp_path)
    rc, out, _ = _run(
        capsys, str(pa), str(pb), "--k", "5", "--metrics", "mutual_knn,svcca,cka_rbf",
        "--rbf-sigma", "0.5", "--svcca-dim", "4", "--clamp-quantile", "0.9", "--no-normalize",
        "--bootstrap", "7", "--permutations", "9", "--seed", "42", "--json",
    )
    assert rc == 0
    obj = json.loads(out)
    assert set(obj) == {"n", "k", "normalized", "seed", "notes", "ci", "null",
                        "mutual_knn", "svcca", "cka_rbf"}
    assert obj["k"] == 5 and obj["normalized"] is False and obj["seed"] == 42
    assert set(obj["ci"]) == set(obj["null"]) == {"mutual_knn", "svcca", "cka_rbf"}
    for m in obj["ci"]:
        assert len(obj["ci"][m]) == 2
        assert set(obj["null"][m]) == {"mean", "p"}
        assert obj["null"][m]["p"] == pytest.approx(0.1)  # (1 + 0)/(1 + 9): pairs are aligned


def test_table_output(tmp_path, capsys):
    pa, pb, _, _ = _files(tmp_path)
    rc, out, _ = _run(capsys, str(pa), str(pb), "--metrics", "mutual_knn,cknna", "--bootstrap", "3")
    assert rc == 0
    assert "mutual_knn" in out and "cknna" in out and "95% CI" in out


@pytest.mark.parametrize(
    "argv,match",
    [
        (["missing.npy", "B"], "no such file"),
        (["A", "B", "--metrics", "nope"], "unknown metric"),
        (["A", "B", "--k", "500"], "n=120 ≤ k=500"),
        (["A"], "give two feature files"),
        (["A", "B", "--image-model", "x"], "only go with --store"),
        (["--store", "s.h5"], "--store needs --image-model"),
        (["A", "Obj"], "Python objects"),
        (["A", "Short"], "A has 120 samples but B has 7"),
        (["A", "Txt"], "not a readable .npy"),
    ],
)
def test_cli_errors_are_one_line_exit_2(tmp_path, capsys, argv, match):
    pa, pb, _, _ = _files(tmp_path)
    np.save(tmp_path / "Obj.npy", np.array([{"x": 1}] * 3, dtype=object), allow_pickle=True)
    np.save(tmp_path / "Short.npy", np.ones((7, 3)))
    (tmp_path / "Txt.npy").write_text("hello")
    names = {"A": pa, "B": pb, "Obj": tmp_path / "Obj.npy", "Short": tmp_path / "Short.npy",
             "Txt": tmp_path / "Txt.npy", "missing.npy": tmp_path / "missing.npy",
             "s.h5": tmp_path / "s.h5"}
    rc, _, err = _run(capsys, *[str(names.get(x, x)) for x in argv])
    assert rc == 2
    assert match in err
    assert err.count("\n") == 1


_make_store = make_embedding_store


def test_store_form_equals_file_form(tmp_path, capsys):
    pytest.importorskip("engine.store")
    pa, pb, a, b = _files(tmp_path)
    rng = np.random.default_rng(3)
    b = (a[:, :12] @ rng.standard_normal((12, 16)) + rng.standard_normal((120, 16))).astype(np.float32)
    np.save(pb, b)
    store = tmp_path / "proj.h5"
    _make_store(store, a, b)
    rc, out_store, _ = _run(capsys, "--store", str(store), "--image-model", "img-x",
                            "--text-model", "txt-y", "--json")
    assert rc == 0
    rc, out_files, _ = _run(capsys, str(pa), str(pb), "--json")
    assert rc == 0
    assert json.loads(out_store) == json.loads(out_files)
    rc, _, err = _run(capsys, "--store", str(store), "--image-model", "nope", "--text-model", "txt-y")
    assert rc == 2 and "nope" in err
