"""Store failures: disk full, read-only folder, newer format, not a store — clear errors, nothing lost."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import h5py
import numpy as np
import pytest

from engine.dataset import load_dataset
from engine.demo import build_demo
from engine.errors import StoreError
from engine.store import Store, TableSpec, TableWriter, add_tables, write_dataset


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "ds"
    build_demo(out, n=30, seed=5)
    return out


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "mnt"
    _mount_tmpfs(where, "8m")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


SPEC = TableSpec("toy", "image", 1000, "cd" * 32, {}, "CPUExecutionProvider", None, 8)


def test_disk_full_leaves_the_store_intact(demo_dir: Path, tmpfs: Path) -> None:
    ds = load_dataset(demo_dir)
    path = tmpfs / "p.h5"
    write_dataset(path, ds)
    add_tables(path, [SPEC])
    values = np.random.default_rng(1).normal(size=(len(ds.samples), 1000)).astype(np.float32)
    w = TableWriter(path, "image", "toy")
    w.write(np.arange(10), values[:10])
    w.close()
    before = path.read_bytes()
    # fill the disk so that the next structural change (a copy of the store) cannot fit
    filler = tmpfs / "filler"
    free = shutil.disk_usage(tmpfs).free
    filler.write_bytes(b"\0" * max(0, free - len(before) // 2))
    more = TableSpec("toy2", "image", 1000, "ef" * 32, {}, "", None, 8)
    with pytest.raises(StoreError, match="disk full while writing; the store was left as it was"):
        add_tables(path, [more])
    assert path.read_bytes() == before
    assert not list(tmpfs.glob(".p.h5.tmp-*"))
    # the remaining rows can still be written in place: their space was allocated up front
    w = TableWriter(path, "image", "toy")
    w.write(np.arange(10, len(ds.samples)), values[10:])
    w.close()
    with Store.open(path) as st:
        np.testing.assert_array_equal(st.embeddings("toy"), values)


def test_read_only_folder_refuses_writes_and_still_reads(demo_dir: Path, tmpfs: Path) -> None:
    path = tmpfs / "p.h5"
    write_dataset(path, load_dataset(demo_dir))
    r = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot remount read-only: {r.stderr.strip()}")
    with pytest.raises(StoreError, match="read-only"):
        Store.open(path, "a")
    with Store.open(path) as st:
        assert st.n_samples == 25


def test_newer_format_and_foreign_files(demo_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.h5"
    write_dataset(path, load_dataset(demo_dir))
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = 99
        f.attrs["app_version"] = "9.0.0"
    with pytest.raises(StoreError, match=r"made by a newer AlignScope \(9.0.0, store format 99\)"):
        Store.open(path)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.zeros(3)
    with pytest.raises(StoreError, match="not an AlignScope store"):
        Store.open(other)
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"definitely not hdf5")
    with pytest.raises(StoreError, match="cannot open as an HDF5 store"):
        Store.open(junk)
    with pytest.raises(StoreError, match="no such store"):
        Store.open(tmp_path / "missing.h5")
