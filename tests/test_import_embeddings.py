"""Bring your own embeddings: import by id from .npy / .h5 / .parquet, refusals, external mark."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
from helpers import make_embedding_store

from engine.errors import InputError, StoreError
from engine.store import Store
from engine.store.import_embeddings import import_embeddings
from engine.store.journal import journal_path
from engine.store.layout import IMPORTED

ROOT = Path(__file__).resolve().parents[1]
N, DIM = 60, 24


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imp") / "base.h5"
    rng = np.random.default_rng(3)
    make_embedding_store(path, rng.normal(size=(N, 8)).astype(np.float32),
                         rng.normal(size=(N, 4)).astype(np.float32))
    return path


@pytest.fixture()
def store(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "p.h5"
    shutil.copyfile(base, path)
    return path


def _data(seed: int = 1) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Vectors in store order, and a shuffled copy with its ids."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(N, DIM)).astype(np.float32)
    perm = rng.permutation(N)
    return vectors, [f"s{i:03d}" for i in perm], vectors[perm]


def _ids_file(path: Path, ids: list[str]) -> Path:
    path.write_text("".join(i + "\n" for i in ids), encoding="utf-8")
    return path


def test_npy_rows_are_matched_by_id_and_marked_external(store: Path, tmp_path: Path) -> None:
    vectors, ids, shuffled = _data()
    np.save(tmp_path / "x.npy", shuffled)
    inode = store.stat().st_ino
    s = import_embeddings(store, "my-vit", "image", str(tmp_path / "x.npy"), _ids_file(tmp_path / "ids.txt", ids))
    assert (s.n_rows, s.dim, s.replaced) == (N, DIM, False)
    assert store.stat().st_ino == inode and not journal_path(store).exists()
    with Store.open(store) as st:
        np.testing.assert_array_equal(st.embeddings("my-vit"), vectors)
        assert set(st.done_mask("my-vit").tolist()) == {IMPORTED}
        assert st.model_origin("my-vit") == "external" and st.model_origin("img-x") == "encoder"
        assert st.external_models() == {"my-vit": str(tmp_path / "x.npy")}
        assert st.models()["image"] == ["img-x", "my-vit"]
    r = subprocess.run([sys.executable, "-m", "app", "info", str(store), "--json"], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert json.loads(r.stdout)["external"] == {"my-vit": str(tmp_path / "x.npy")}
    r = subprocess.run([sys.executable, "-m", "app", "info", str(store)], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert "my-vit: complete (external: imported from" in r.stdout


def test_hdf5_and_parquet_sources(store: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    vectors, ids, shuffled = _data(2)
    ids_path = _ids_file(tmp_path / "ids.txt", ids)
    with h5py.File(tmp_path / "v.h5", "w") as f:
        f.create_dataset("deep/emb", data=shuffled.astype(np.float64))
    import_embeddings(store, "h5-text", "text", f"{tmp_path / 'v.h5'}:deep/emb", ids_path)
    list_col = pa.array(list(shuffled), type=pa.list_(pa.float32()))
    pq.write_table(pa.table({"id": ids, "vec": list_col}), tmp_path / "v.parquet")
    import_embeddings(store, "pq-list", "text", f"{tmp_path / 'v.parquet'}:vec", ids_path)
    pq.write_table(pa.table({f"d{j}": shuffled[:, j] for j in range(DIM)}), tmp_path / "w.parquet")
    import_embeddings(store, "pq-cols", "image", str(tmp_path / "w.parquet"), ids_path)
    with Store.open(store) as st:
        for model in ("h5-text", "pq-list", "pq-cols"):
            np.testing.assert_allclose(st.embeddings(model), vectors, rtol=1e-7)
        assert st.truncated_mask("h5-text").sum() == 0
    with pytest.raises(InputError, match=r"name the dataset as .*:DATASET \(datasets: deep/emb\)"):
        import_embeddings(store, "x", "text", str(tmp_path / "v.h5"), ids_path)
    with pytest.raises(InputError, match=r"columns \['id', 'vec'\] are not numeric; name the vector column"):
        import_embeddings(store, "x", "text", str(tmp_path / "v.parquet"), ids_path)


@pytest.mark.parametrize(("case", "match"), [
    ("unknown", r"ids.txt: 1 ids are not samples of .*\(line 3 'nobody'\)"),
    ("missing", r"has 1 samples that .*ids.txt does not list \('s"),
    ("repeat", r"ids.txt: line 2 repeats id 's"),
    ("nan", r"x.npy: 2 rows hold NaN or infinite values \(row 4 \(id 's\d+', line 5 of .*ids.txt\), row 9"),
    ("rows", r"x.npy has 59 rows but .*ids.txt lists 60 ids"),
    ("dtype", r"x.npy: vectors must be floating-point numbers, got int64"),
    ("encoder", r"'img-x' was embedded by AlignScope; import under another model id"),
    ("installed", r"'efficientnet-lite0' is an installed encoder"),
])
def test_bad_input_is_refused_and_nothing_changes(store: Path, tmp_path: Path, case: str, match: str) -> None:
    _, ids, shuffled = _data()
    model = {"encoder": "img-x", "installed": "efficientnet-lite0"}.get(case, "mine")
    if case == "unknown":
        ids = [*ids[:2], "nobody", *ids[3:]]
    elif case == "missing":
        ids, shuffled = ids[:-1], shuffled[:-1]
    elif case == "repeat":
        ids = [ids[0], ids[0], *ids[2:]]
    elif case == "nan":
        shuffled[4, 3] = np.nan
        shuffled[9, 0] = np.inf
    elif case == "rows":
        shuffled = shuffled[:-1]
    elif case == "dtype":
        shuffled = np.ones((N, DIM), np.int64)
    np.save(tmp_path / "x.npy", shuffled)
    ids_path = _ids_file(tmp_path / "ids.txt", ids)
    if case == "installed":
        pytest.importorskip("onnxruntime")
        from helpers import have_default_models
        if not have_default_models():
            pytest.skip("exported models missing")
    before = store.read_bytes()
    with pytest.raises(InputError, match=match):
        import_embeddings(store, model, "image", str(tmp_path / "x.npy"), ids_path)
    assert store.read_bytes() == before
    assert not journal_path(store).exists()


def test_reimport_needs_replace_and_the_same_dimension(store: Path, tmp_path: Path) -> None:
    vectors, ids, shuffled = _data()
    ids_path = _ids_file(tmp_path / "ids.txt", ids)
    np.save(tmp_path / "x.npy", shuffled)
    import_embeddings(store, "mine", "image", str(tmp_path / "x.npy"), ids_path)
    with pytest.raises(InputError, match="was imported before; pass --replace"):
        import_embeddings(store, "mine", "image", str(tmp_path / "x.npy"), ids_path)
    np.save(tmp_path / "y.npy", shuffled[:, :10])
    with pytest.raises(InputError, match="dimension 24; the new ones are image of dimension 10 "
                                         r"\(dimension mismatch\)"):
        import_embeddings(store, "mine", "image", str(tmp_path / "y.npy"), ids_path, replace=True)
    np.save(tmp_path / "z.npy", shuffled * 2)
    s = import_embeddings(store, "mine", "image", str(tmp_path / "z.npy"), ids_path, replace=True)
    assert s.replaced
    with Store.open(store) as st:
        np.testing.assert_array_equal(st.embeddings("mine"), vectors * 2)


def test_cli_refusal_names_the_file_and_exits_2(store: Path, tmp_path: Path) -> None:
    _, ids, shuffled = _data()
    np.save(tmp_path / "x.npy", shuffled[:, :5])
    ids_path = _ids_file(tmp_path / "ids.txt", [*ids[:-1], "ghost"])
    r = subprocess.run([sys.executable, "-m", "app", "import-embeddings", str(store), "--model", "m",
                        "--modality", "text", "--from", str(tmp_path / "x.npy"), "--ids", str(ids_path)],
                       cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 2
    assert "import-embeddings: error:" in r.stderr and "line 60 'ghost'" in r.stderr


@pytest.mark.slow
def test_a_killed_import_is_rolled_back(store: Path, tmp_path: Path) -> None:
    vectors, _, _ = _data()
    np.save(tmp_path / "x.npy", vectors)
    ids_path = _ids_file(tmp_path / "ids.txt", [f"s{i:03d}" for i in range(N)])
    script = textwrap.dedent(f'''
        import os, signal, sys
        import engine.store.journal as journal
        orig = journal.JournaledFile.write
        calls = {{"n": 0}}
        def write(self, data):
            calls["n"] += 1
            if calls["n"] == 6:
                os.kill(os.getpid(), signal.{signal.SIGKILL.name})
            return orig(self, data)
        journal.JournaledFile.write = write
        from app.main import main
        sys.exit(main(sys.argv[1:]))
    ''')
    before = store.read_bytes()
    r = subprocess.run([sys.executable, "-c", script, "import-embeddings", str(store), "--model", "m",
                        "--modality", "image", "--from", str(tmp_path / "x.npy"), "--ids", str(ids_path)],
                       cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == -9, r.stderr
    assert journal_path(store).exists()
    with Store.open(store) as st:  # the reader rolls the half-written table back
        assert not st.has_model("m")
    assert store.read_bytes() == before
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "nothing.h5")


def test_an_edited_manifest_keeps_the_import_marked_external(tmp_path: Path) -> None:
    import hashlib
    from dataclasses import replace

    from engine.dataset.model import Dataset, Sample
    from engine.store import write_dataset
    from engine.store.layout import CACHED, PENDING

    def dataset(changed: int | None) -> Dataset:
        samples = [Sample(row=i + 2, id=f"s{i:03d}", image=tmp_path / f"{i}.png", image_rel=f"{i}.png",
                          report=f"report {i}", image_sha256=hashlib.sha256(b"i%d" % i).hexdigest(),
                          report_sha256=hashlib.sha256(b"r%d" % i).hexdigest()) for i in range(N)]
        if changed is not None:
            samples[changed] = replace(samples[changed], report_sha256="f" * 64)
        return Dataset(root=tmp_path, source=str(tmp_path), kind="manifest", encoding="utf-8", n_rows=N,
                       columns=[], label_columns=[], mapping={}, samples=samples, quarantine=[])

    path = tmp_path / "p.h5"
    write_dataset(path, dataset(None))
    vectors, ids, shuffled = _data()
    np.save(tmp_path / "x.npy", shuffled)
    import_embeddings(path, "mine", "text", str(tmp_path / "x.npy"), _ids_file(tmp_path / "ids.txt", ids))
    write_dataset(path, dataset(changed=7))  # report 7 edited: its imported row cannot be carried
    with Store.open(path) as st:
        assert st.model_origin("mine") == "external"
        assert st.external_models() == {"mine": str(tmp_path / "x.npy")}
        done = st.done_mask("mine")
        assert done[7] == PENDING and set(np.delete(done, 7).tolist()) == {CACHED}
        rows = st.file["embeddings/text/mine/vectors"][()]
        np.testing.assert_array_equal(np.delete(rows, 7, axis=0), np.delete(vectors, 7, axis=0))
