"""The HDF5 store: samples table, quarantine, embeddings tables, cache carry-over, results."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import h5py
import numpy as np
import pytest

from engine.dataset import load_dataset
from engine.demo import build_demo
from engine.errors import StoreError
from engine.store import Store, TableSpec, TableWriter, WriterLock, add_tables, write_dataset
from engine.store.layout import CACHED, COMPUTED, PENDING


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "ds"
    build_demo(out, n=40, seed=3)
    return out


def _spec(model_id: str = "toy-image", modality: str = "image", dim: int = 6) -> TableSpec:
    return TableSpec(model_id, modality, dim, "ab" * 32, {"size": 8}, "CPUExecutionProvider",
                     None if modality == "image" else 16, 4)


def _fill(path: Path, spec: TableSpec, values: np.ndarray, rows: np.ndarray) -> None:
    w = TableWriter(path, spec.modality, spec.model_id)
    try:
        w.write(rows, values[rows], np.zeros(rows.size, bool) if spec.modality == "text" else None)
    finally:
        w.close()


def test_samples_quarantine_and_metadata_round_trip(demo_dir: Path, tmp_path: Path) -> None:
    ds = load_dataset(demo_dir)
    path = tmp_path / "p.h5"
    write_dataset(path, ds)
    with Store.open(path) as st:
        assert st.n_samples == len(ds.samples) == 35
        assert st.sample_ids() == [s.id for s in ds.samples]
        assert st.image_paths() == [s.image for s in ds.samples]
        assert st.report_texts() == [s.report for s in ds.samples]
        assert st.columns()[0] == "defect_class" and st.label_columns()[0] == "defect_class"
        with (demo_dir / "manifest.csv").open(encoding="utf-8") as fh:
            manifest = {r["id"]: r for r in csv.DictReader(fh)}
        assert st.column("line") == [manifest[i]["line"] for i in st.sample_ids()]
        assert st.quarantine() == [q.to_dict() for q in ds.quarantine]
        assert len(st.quarantine()) == 5
        info = st.dataset_info()
        assert info["n_rows"] == 40 and info["encoding"] == "utf-8"
        assert st.models() == {"image": [], "text": []}
        keys = st.content_keys("image")
        assert keys[0] == hashlib.sha256(ds.samples[0].image.read_bytes()).hexdigest()
        with pytest.raises(StoreError, match="no column 'nope'"):
            st.column("nope")
        with pytest.raises(StoreError, match="never embedded"):
            st.embeddings("toy-image")


def test_tables_done_mask_and_completion(demo_dir: Path, tmp_path: Path) -> None:
    ds = load_dataset(demo_dir)
    path = tmp_path / "p.h5"
    write_dataset(path, ds)
    spec = _spec()
    add_tables(path, [spec, _spec("toy-text", "text", 3)])
    n = len(ds.samples)
    values = np.arange(n * 6, dtype=np.float32).reshape(n, 6)
    _fill(path, spec, values, np.arange(0, 10))
    with Store.open(path) as st:
        assert st.models() == {"image": ["toy-image"], "text": ["toy-text"]}
        assert not st.is_complete("toy-image") and st.n_done("toy-image") == 10
        with pytest.raises(StoreError, match=r"incomplete \(25 of 35 rows missing\)"):
            st.embeddings("toy-image")
        attrs = st.model_attrs("toy-image")
        assert attrs["sha256"] == "ab" * 32 and attrs["preprocessing"] == {"size": 8}
        assert attrs["dim"] == 6 and attrs["modality"] == "image" and "created" in attrs
    _fill(path, spec, values, np.arange(10, n))
    with Store.open(path) as st:
        assert st.is_complete("toy-image")
        np.testing.assert_array_equal(st.embeddings("toy-image"), values)
        assert set(st.done_mask("toy-image").tolist()) == {COMPUTED}
    with h5py.File(path, "r") as f:  # plain h5py reads the documented layout
        np.testing.assert_array_equal(f["embeddings/image/toy-image/vectors"][()], values)
        assert f["samples/id"].asstr()[0] == ds.samples[0].id


def test_manifest_edit_carries_cached_rows_and_reembeds_only_changes(demo_dir: Path, tmp_path: Path) -> None:
    import shutil

    work = tmp_path / "ds"
    shutil.copytree(demo_dir, work)
    path = tmp_path / "p.h5"
    ds = load_dataset(work)
    write_dataset(path, ds)
    spec = _spec()
    add_tables(path, [spec])
    n = len(ds.samples)
    values = np.random.default_rng(0).normal(size=(n, 6)).astype(np.float32)
    _fill(path, spec, values, np.arange(n))
    # edit: change one report (image table unaffected), replace one image, drop a row
    rows = list(csv.reader((work / "manifest.csv").open(encoding="utf-8")))
    ids = [s.id for s in ds.samples]
    changed_img = ids[3]
    for r in rows:
        if r[0] == ids[1]:
            r[2] = "Completely rewritten report."
        if r[0] == changed_img:
            shutil.copyfile(ds.samples[7].image, work / r[1])
    rows = [r for r in rows if r[0] != ids[5]]
    with (work / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    ds2 = load_dataset(work)
    carried = write_dataset(path, ds2)
    with Store.open(path) as st:
        done = st.done_mask("toy-image")
        new_ids = st.sample_ids()
        assert ids[5] not in new_ids and len(new_ids) == n - 1
        pending = [new_ids[i] for i in np.flatnonzero(done == PENDING)]
        assert pending == []  # the replaced image has the bytes of sample 7: a cache hit
        assert carried["toy-image"] == n - 1
        vec = st.file["embeddings/image/toy-image/vectors"][()]
        np.testing.assert_array_equal(vec[new_ids.index(changed_img)], values[7])
        np.testing.assert_array_equal(vec[new_ids.index(ids[1])], values[1])
        assert set(done.tolist()) == {CACHED}


def test_put_and_get_result(demo_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.h5"
    write_dataset(path, load_dataset(demo_dir))
    with Store.open(path) as st, pytest.raises(StoreError, match="read-only"):
        st.put_result("pca", "k1", {})
    arr = np.arange(12, dtype=np.float32).reshape(6, 2)
    with Store.open(path, "a") as st:
        st.put_result("pca", "k1", {"explained": [0.5, 0.2]}, {"xy": arr})
        payload, arrays = st.get_result("pca", "k1") or ({}, {})
        assert payload == {"explained": [0.5, 0.2]}
        np.testing.assert_array_equal(arrays["xy"], arr)
        assert st.get_result("pca", "other-key") is None
        st.put_result("pca", "k2", {"v": 2})
        assert st.get_result("pca", "k1") is not None  # keys of one name live side by side
        st.put_result("pca", "k1", {"v": 1})  # same key: replaced
    with Store.open(path) as st:
        assert st.get_result("pca", "k2") == ({"v": 2}, {})
        assert st.get_result("pca", "k1") == ({"v": 1}, {})
        assert st.result_keys("pca") == ["k1", "k2"]
        assert st.n_samples == 35


def test_second_writer_is_told_who_holds_the_store(demo_dir: Path, tmp_path: Path) -> None:
    import os

    path = tmp_path / "p.h5"
    write_dataset(path, load_dataset(demo_dir))
    with Store.open(path, "a"):
        with pytest.raises(StoreError, match=rf"in use by PID {os.getpid()}"):
            lock = WriterLock(path)
            try:
                lock.acquire()
            finally:
                lock.release()
        with Store.open(path, "r") as reader:  # readers never wait
            assert reader.n_samples == 35
