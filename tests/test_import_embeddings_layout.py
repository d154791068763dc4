"""import-embeddings at the byte level: rows written chunk by chunk straight to their storage
land exactly (also across a partial last chunk), carry the row CRCs a full check verifies, and
the checks before writing (NaN/±inf, the store's opening check run beside them) hold."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import h5py
import numpy as np
import pytest
from helpers import make_embedding_store

from engine.errors import InputError, StoreError
from engine.store import Store
from engine.store.import_embeddings import import_embeddings
from engine.store.integrity import row_crc32, verify
from engine.store.layout import chunk_rows

N, DIM = 450, 1280  # 204 rows per 1 MiB chunk: two whole chunks and a last one of 42 rows


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "base.h5"
    rng = np.random.default_rng(5)
    make_embedding_store(path, rng.normal(size=(N, 4)).astype(np.float32),
                         rng.normal(size=(N, 3)).astype(np.float32))
    return path


@pytest.fixture()
def store(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "p.h5"
    shutil.copyfile(base, path)  # a new path: this process has not checked it yet
    return path


def _ids(tmp_path: Path, order: np.ndarray) -> Path:
    path = tmp_path / "ids.txt"
    path.write_text("".join(f"s{i:03d}\n" for i in order), encoding="utf-8")
    return path


def test_the_layout_puts_a_partial_chunk_last() -> None:
    rows = chunk_rows(N, DIM)
    assert N % rows and N // rows >= 2  # the case the tests below are about


@pytest.mark.parametrize("source_kind", ["npy-shuffled", "npy-in-order", "npy-big-endian-in-order",
                                         "h5-float64-shuffled", "h5-float32-in-order"])
def test_rows_land_exactly_and_their_checksums_verify(store: Path, tmp_path: Path, source_kind: str) -> None:
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(N, DIM)).astype(np.float32)
    order = np.arange(N) if "in-order" in source_kind else rng.permutation(N)
    if source_kind.startswith("npy"):
        dtype = ">f4" if "big-endian" in source_kind else "<f4"
        np.save(tmp_path / "x.npy", vectors[order].astype(dtype))
        source = str(tmp_path / "x.npy")
    else:
        dtype = np.float64 if "float64" in source_kind else np.float32
        with h5py.File(tmp_path / "x.h5", "w") as f:
            f.create_dataset("emb", data=vectors[order].astype(dtype))
        source = f"{tmp_path / 'x.h5'}:emb"
    import_embeddings(store, "mine", "image", source, _ids(tmp_path, order))
    with Store.open(store) as st:
        np.testing.assert_array_equal(st.embeddings("mine"), vectors)
    with h5py.File(store, "r") as f:
        crc = f["embeddings/image/mine/row_crc32"][()]
    assert crc.tolist() == [zlib.crc32(v.astype("<f4").tobytes()) for v in vectors]
    verdict = verify(store, rows=True)
    assert verdict.ok and verdict.damaged_rows == {}
    assert verdict.rows_checked >= N


def test_row_crc32_is_zlibs_crc32() -> None:
    from engine.store import integrity

    assert integrity._crc32 is not zlib.crc32, "zlib-ng (a dependency) is not installed"
    rows = np.random.default_rng(2).normal(size=(7, 1280)).astype(np.float32)
    assert row_crc32(rows).tolist() == [zlib.crc32(r.tobytes()) for r in rows]
    assert row_crc32(rows.astype(">f4")).tolist() == [zlib.crc32(r.tobytes()) for r in rows]


def test_finite_rows_whose_sum_overflows_are_kept_and_every_bad_row_named(store: Path, tmp_path: Path) -> None:
    vectors = np.random.default_rng(3).normal(size=(N, DIM)).astype(np.float32)
    vectors[7, :4] = 3e38  # finite, but the row's float32 sum is +inf
    vectors[8, :4] = [3e38, 3e38, -3e38, -3e38]
    np.save(tmp_path / "ok.npy", vectors)
    ids = _ids(tmp_path, np.arange(N))
    import_embeddings(store, "big", "image", str(tmp_path / "ok.npy"), ids)
    with Store.open(store) as st:
        np.testing.assert_array_equal(st.embeddings("big"), vectors)
    bad = vectors.copy()
    bad[20, 5] = -np.inf
    bad[300, [1, 2]] = [np.inf, -np.inf]  # the sum is NaN
    bad[449, 0] = np.nan  # in the last, partial chunk
    np.save(tmp_path / "bad.npy", bad)
    before = store.read_bytes()
    with pytest.raises(InputError, match=r"3 rows hold NaN or infinite values \(row 20 .*row 300 .*row 449"):
        import_embeddings(store, "bad", "image", str(tmp_path / "bad.npy"), ids)
    assert store.read_bytes() == before


def test_a_damaged_store_is_named_after_one_check_and_left_as_it_was(
        store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.store import opening_check

    with h5py.File(store, "r+") as f:  # a sample id changed behind the store's checksums
        ids = f["samples/id"]
        ids[3] = "tampered"
    np.save(tmp_path / "x.npy", np.ones((N, DIM), np.float32))
    children: list[Path] = []
    spawn = opening_check._spawn_probe
    monkeypatch.setattr(opening_check, "_spawn_probe", lambda p, rows: children.append(p) or spawn(p, rows))
    before = store.read_bytes()
    with pytest.raises(StoreError, match=r"is damaged: samples/id: checksum mismatch"):
        import_embeddings(store, "mine", "image", str(tmp_path / "x.npy"), _ids(tmp_path, np.arange(N)))
    assert store.read_bytes() == before
    assert len(children) == 1  # the background check's verdict is the one reported (a hang: 8 s, not 16)


def test_journaled_writes_start_their_disk_writes_early(tmp_path: Path) -> None:
    import os
    import sys

    from engine.store import journal

    if sys.platform.startswith("linux"):  # the call the commit's short fsync relies on
        assert journal._sync_file_range() is not None
    path = tmp_path / "f.bin"
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        early = journal.EarlyWriteback(fd, step=4096)
        for _ in range(3):
            os.write(fd, b"x" * 5000)
            early.wrote(5000)
    finally:
        os.close(fd)
    assert path.read_bytes() == b"x" * 15000


def test_a_missing_store_is_named_before_the_source_is_read(tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.ones((3, 4), np.float32))
    (tmp_path / "ids.txt").write_text("a\nb\nc\n", encoding="utf-8")
    progress: list[str] = []
    with pytest.raises(StoreError, match=r"missing.h5: no such store \(create it with: alignscope embed"):
        import_embeddings(tmp_path / "missing.h5", "m", "image", str(tmp_path / "x.npy"), tmp_path / "ids.txt",
                          progress=lambda done, total, message: progress.append(message))
    assert progress == [] and sorted(p.name for p in tmp_path.iterdir()) == ["ids.txt", "x.npy"]
