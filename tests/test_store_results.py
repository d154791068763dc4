"""Cached results written in place: keys side by side, real SIGKILLs at every write, compaction.

Every kill is a real SIGKILL of a real subprocess writing results into a real store. Kill
points are set by a small driver that wraps the journal's file object (the code under
test is unchanged): after a torn write into the store, after a torn journal record, and
after the commit's fsync. After each kill the store must open (a reader rolls the change
back), keep every earlier result and all embeddings, and hold the interrupted result
either as before or complete — never half written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
from helpers import make_embedding_store

from engine.errors import StoreError
from engine.store import Store
from engine.store.h5io import compact
from engine.store.journal import journal_path
from engine.store.results import KEYS_PER_NAME

ROOT = Path(__file__).resolve().parents[1]
N = 300
OLD_XY = np.full((N, 2), 7.0, np.float32)
NEW_XY = (np.arange(2 * N, dtype=np.float32).reshape(N, 2) + 0.5)

DRIVER = textwrap.dedent('''
    import os, signal, sys
    import numpy as np
    import engine.store.journal as journal
    mode, nth = os.environ["KILL_AT"].split(":")
    nth = int(nth)
    calls = {"n": 0}
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "store_write":        # half of the n-th write into the store, then killed
        orig = journal.JournaledFile.write
        def write(self, data):
            calls["n"] += 1
            if calls["n"] == nth:
                view = memoryview(data).cast("B")
                self._save(self._pos, len(view))
                os.pwrite(self._fd, view[: max(1, len(view) // 2)], self._pos)
                die()
            return orig(self, data)
        journal.JournaledFile.write = write
    elif mode == "journal_record":   # half of the n-th undo record, then killed
        orig_save = journal.JournaledFile._save
        def save(self, offset, length):
            stop = min(offset + length, self.original_size)
            if offset < stop:
                calls["n"] += 1
                if calls["n"] == nth:
                    old = os.pread(self._fd, stop - offset, offset)
                    rec = journal._RECORD.pack(offset, len(old), journal._record_crc(offset, old)) + old
                    os.write(self._jfd, rec[: len(rec) // 2])
                    die()
            return orig_save(self, offset, length)
        journal.JournaledFile._save = save
    elif mode == "commit":           # store fsynced, journal not yet removed
        orig_drop = journal._drop_journal
        def drop(jpath, jfd, store_fd):
            calls["n"] += 1
            if calls["n"] == nth:
                die()
            return orig_drop(jpath, jfd, store_fd)
        journal._drop_journal = drop
    from engine.store import Store
    n = int(sys.argv[2])
    new_xy = np.arange(2 * n, dtype=np.float32).reshape(n, 2) + 0.5
    with Store.open(sys.argv[1], "a") as st:
        st.put_result("projection:img-x", "tsne", {"method": "tsne"}, {"xy": new_xy})
        st.put_result("analysis", "k-new", {"text": "y" * 40000}, {"overlap": np.linspace(0, 1, n)})
    print("finished")
''')


def _xy(st: Store, name: str, key: str) -> np.ndarray:
    got = st.get_result(name, key)
    assert got is not None, (name, key)
    return got[1]["xy"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("results") / "base.h5"
    rng = np.random.default_rng(0)
    make_embedding_store(path, rng.normal(size=(N, 32)).astype(np.float32),
                         rng.normal(size=(N, 16)).astype(np.float32))
    with Store.open(path, "a") as st:
        st.put_result("projection:img-x", "pca", {"method": "pca"}, {"xy": OLD_XY * 2})
        st.put_result("projection:img-x", "tsne", {"method": "tsne"}, {"xy": OLD_XY})
        st.put_result("reviewed", "v1", {"ids": ["s001"]})
    return path


def _check_after_kill(path: Path, base: Path) -> str:
    """The store opens and is consistent; returns which writes survived."""
    with Store.open(path) as st:  # a reader rolls back what a killed writer left
        with Store.open(base) as ref:
            for model in ("img-x", "txt-y"):
                assert np.array_equal(st.embeddings(model), ref.embeddings(model))
        assert np.array_equal(_xy(st, "projection:img-x", "pca"), OLD_XY * 2)
        assert st.get_result("reviewed", "v1") == ({"ids": ["s001"]}, {})
        tsne = st.get_result("projection:img-x", "tsne")
        assert tsne is not None
        analysis = st.get_result("analysis", "k-new")
    assert not journal_path(path).exists()
    if np.array_equal(tsne[1]["xy"], OLD_XY):
        assert analysis is None
        assert _digest(path) == _digest(base), "rolled back, but not byte for byte"
        return "none"
    assert np.array_equal(tsne[1]["xy"], NEW_XY)
    if analysis is None:
        return "first"
    assert analysis[0] == {"text": "y" * 40000}
    assert np.array_equal(analysis[1]["overlap"], np.linspace(0, 1, N))
    return "both"


@pytest.mark.slow
def test_sigkill_at_every_write_of_a_result_loses_at_most_that_result(
    base_store: Path, tmp_path: Path
) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    seen: dict[str, set[str]] = {}
    for mode in ("store_write", "journal_record", "commit"):
        nth = 0
        while True:
            nth += 1
            path = tmp_path / f"k-{mode}-{nth}.h5"
            shutil.copyfile(base_store, path)
            env["KILL_AT"] = f"{mode}:{nth}"
            r = subprocess.run([sys.executable, str(driver), str(path), str(N)], capture_output=True,
                               text=True, env=env, timeout=120, cwd=ROOT)
            if r.returncode == 0:
                assert "finished" in r.stdout
                assert _check_after_kill(path, base_store) == "both"
                break
            assert r.returncode == -9, f"{mode}:{nth}: {r.returncode} {r.stderr[-800:]}"
            seen.setdefault(mode, set()).add(_check_after_kill(path, base_store))
            path.unlink()
        assert nth > 2, f"{mode}: the driver never reached a kill point"
    # kills landed inside the first write and inside the second (after the first committed)
    assert seen["store_write"] == {"none", "first"}
    assert seen["journal_record"] == {"none", "first"}
    assert seen["commit"] == {"none", "first"}  # a change killed before its journal is removed is undone


@pytest.mark.slow
def test_random_kills_while_results_are_written_again_and_again(base_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "loop.h5"
    shutil.copyfile(base_store, path)
    script = textwrap.dedent('''
        import sys, numpy as np
        from engine.store import Store
        i = 0
        while True:
            i += 1
            with Store.open(sys.argv[1], "a") as st:
                st.put_result("loop", f"k{i % 11}", {"i": i}, {"v": np.full(5000, i, np.int64)})
    ''')
    for delay in (0.7, 1.1, 1.6):
        p = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
        time.sleep(delay)
        p.kill()
        p.wait()
        with Store.open(path) as st:
            keys = st.result_keys("loop")
            assert len(keys) <= KEYS_PER_NAME
            for key in keys:
                payload, arrays = st.get_result("loop", key)  # type: ignore[misc]
                assert np.all(arrays["v"] == payload["i"])  # never half written
            assert st.get_result("reviewed", "v1") == ({"ids": ["s001"]}, {})


def test_a_result_write_is_in_place_and_keys_live_side_by_side(base_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.h5"
    shutil.copyfile(base_store, path)
    inode, size = path.stat().st_ino, path.stat().st_size
    with Store.open(path, "a") as st:
        st.put_result("projection:img-x", "umap", {"method": "umap"}, {"xy": NEW_XY})
    assert path.stat().st_ino == inode, "the store file was replaced (copied)"
    grown = path.stat().st_size - size
    assert 0 < grown < 64 * 1024  # the result and a little metadata, not a second copy
    assert not list(tmp_path.glob(".p.h5.*"))
    with Store.open(path) as st:
        assert sorted(st.result_keys("projection:img-x")) == ["pca", "tsne", "umap"]
        assert np.array_equal(_xy(st, "projection:img-x", "tsne"), OLD_XY)


def test_oldest_keys_make_room_and_big_payloads_go_to_a_dataset(base_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.h5"
    shutil.copyfile(base_store, path)
    with Store.open(path, "a") as st:
        for i in range(KEYS_PER_NAME + 3):
            st.put_result("many", f"k{i}", {"i": i, "text": "z" * (100_000 if i == 5 else 1)})
    with Store.open(path) as st:
        keys = st.result_keys("many")
        assert keys == [f"k{i}" for i in range(KEYS_PER_NAME + 2, 2, -1)]
        assert st.get_result("many", "k0") is None
        assert st.get_result("many", "k5")[0]["text"] == "z" * 100_000  # type: ignore[index]
    with pytest.raises(StoreError, match="cannot be stored"), Store.open(path, "a") as st:
        st.put_result("many", "bad", {}, {"a/b": np.zeros(2)})


def test_results_of_the_old_layout_are_read_and_moved_aside(base_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.h5"
    shutil.copyfile(base_store, path)
    with h5py.File(path, "r+") as f:  # what AlignScope wrote before results layout 2
        g = f["results"].create_group("projection:txt-y")
        g.attrs["key"] = "old-pca"
        g.attrs["payload"] = '{"method": "pca"}'
        g.create_dataset("xy", data=OLD_XY)
    with Store.open(path) as st:
        assert st.get_result("projection:txt-y", "old-pca")[0] == {"method": "pca"}  # type: ignore[index]
        assert np.array_equal(_xy(st, "projection:txt-y", "old-pca"), OLD_XY)
        assert st.get_result("projection:txt-y", "other") is None
    with Store.open(path, "a") as st:
        st.put_result("projection:txt-y", "tsne", {"method": "tsne"}, {"xy": NEW_XY})
    with Store.open(path) as st:
        assert sorted(st.result_keys("projection:txt-y")) == ["old-pca", "tsne"]
        assert np.array_equal(_xy(st, "projection:txt-y", "old-pca"), OLD_XY)


def test_compaction_is_atomic_and_keeps_a_symlinked_store_a_symlink(base_store: Path, tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "p.h5"
    shutil.copyfile(base_store, real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.h5"
    link.symlink_to(real)
    with Store.open(link, "a") as st:
        for i in range(6):  # a result replaced by a bigger one leaves its old space behind
            st.put_result("analysis", "same", {"i": i}, {"big": np.full(200_000 + 1000 * i, i, np.float64)})
            st.put_result("other", f"k{i}", {"i": i})
    grown = real.stat().st_size
    with Store.open(link, "a"):
        before, after = compact(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert before == grown and after < grown - 4 * 1_600_000, (before, after)
    assert real.stat().st_mode & 0o777 == 0o640
    assert not list(real_dir.glob(".p.h5.*")) and not list(tmp_path.glob(".link.h5.*"))
    with Store.open(link) as st, Store.open(base_store) as ref:
        assert np.array_equal(st.embeddings("img-x"), ref.embeddings("img-x"))
        assert st.get_result("analysis", "same")[0] == {"i": 5}  # type: ignore[index]
        assert np.array_equal(_xy(st, "projection:img-x", "tsne"), OLD_XY)
        vectors = st.file["embeddings/image/img-x/vectors"]
        assert vectors.id.get_storage_size() == vectors.size * 4  # still fully allocated


def test_info_compact_command(base_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "c.h5"
    shutil.copyfile(base_store, path)
    r = subprocess.run([sys.executable, "-m", "app", "info", str(path), "--compact"], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stderr
    assert "compacted" in r.stdout and "img-x" in r.stdout
