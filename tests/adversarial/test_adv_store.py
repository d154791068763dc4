"""Issue 17, failures 8, 10 and 12 (store parts): a damaged store gives a clear message, never
a hang or a traceback; a store reached through a symbolic link is updated where it lies, and
both names share one lock; odd attributes, NaN vectors and a full disk are messages."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from advkit import ROOT, cli, needs_models, refused

from engine.errors import StoreError
from engine.store import Store, WriterLock
from engine.store.integrity import restamp, verify
from engine.store.opening_check import run_probe


def _offset(store: Path, name: str, row: int = 0) -> int:
    """Byte offset of a dataset's stored values (its first chunk for chunked tables)."""
    with h5py.File(store, "r", locking=False) as f:
        ds = f[name]
        if ds.chunks:
            return int(ds.id.get_chunk_info(0).byte_offset) + row * ds.shape[1] * 4
        return int(ds.id.get_offset())


def _flip(path: Path, offset: int, bit: int = 3) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 1 << bit
    path.write_bytes(bytes(data))


def _string_heap_offset(store: Path) -> int:
    """An offset inside the text of the first report (in HDF5's global heap)."""
    data = store.read_bytes()
    with h5py.File(store, "r", locking=False) as f:
        first = f["samples/report"].asstr()[0]
    return data.index(first.encode("utf-8")) + 2


def test_8_damaged_report_text_is_a_message(store_copy: Path) -> None:
    _flip(store_copy, _string_heap_offset(store_copy))
    err = refused(cli("info", store_copy), "is damaged", "samples/report: checksum mismatch",
                  "restore it from a backup")
    assert "HDF5" not in err.split("is damaged")[0]
    refused(cli("analyze", "--store", store_copy), "is damaged")
    check = cli("info", "--check", store_copy)
    assert check.returncode == 2 and "DAMAGED: samples/report: checksum mismatch" in check.stdout


@needs_models
def test_8_damaged_embedding_rows_are_named_and_recomputed(store_copy: Path) -> None:
    with Store.open(store_copy) as st:
        dataset = Path(st.dataset_info()["source"]).parent
        reference = st.embeddings("efficientnet-lite0")
    _flip(store_copy, _offset(store_copy, "embeddings/image/efficientnet-lite0/vectors", row=2) + 9)
    info = cli("info", store_copy)
    assert info.returncode == 2 and "efficientnet-lite0: complete, 1 DAMAGED rows" in info.stdout
    refused(cli("analyze", "--store", store_copy), "1 embeddings of 'efficientnet-lite0' are damaged",
            "row 2", "alignscope embed")
    repaired = cli("embed", dataset, "--store", store_copy)
    assert repaired.returncode == 0 and "1 damaged rows computed again" in repaired.stdout
    with Store.open(store_copy) as st:
        np.testing.assert_array_equal(st.embeddings("efficientnet-lite0"), reference)


def test_8_random_bit_flips_give_a_message_or_leave_the_data_intact(demo_store: Path,
                                                                  tmp_path: Path) -> None:
    """A few random 6-bit-flip copies (benchmarks/corrupt_stores.py times 20 of them)."""
    original = demo_store.read_bytes()
    rng = random.Random(17)
    for k in range(4):
        data = bytearray(original)
        for _ in range(6):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        copy = tmp_path / f"flip{k}.h5"
        copy.write_bytes(bytes(data))
        proc = cli("info", "--check", copy, timeout=60)
        assert "Traceback" not in proc.stderr, proc.stderr
        if proc.returncode == 0:  # every flip hit unused bytes: the content must be identical
            assert _content(copy) == _content(demo_store), proc.stdout
        else:
            assert proc.returncode == 2 and "DAMAGED" in proc.stdout + proc.stderr, proc


def _content(path: Path) -> str:
    out: list[str] = []
    with h5py.File(path, "r", locking=False) as f:
        def visit(name: str, obj: object) -> None:
            attrs = sorted((k, str(v)) for k, v in obj.attrs.items())  # type: ignore[attr-defined]
            value = obj[()] if isinstance(obj, h5py.Dataset) else None
            out.append(f"{name} {attrs} {np.asarray(value).tobytes().hex() if value is not None else ''}")
        visit("/", f)
        f.visititems(visit)
    return "\n".join(out)


def test_8_the_watchdog_turns_a_hang_into_a_message(store_copy: Path) -> None:
    """HDF5 can loop forever on damaged metadata; the check runs in a child process that is
    stopped at its time limit (here a limit no check can meet)."""
    verdict = run_probe(store_copy, timeout=0.001)
    assert not verdict.ok and "did not finish within" in verdict.problems[0]


def test_8_an_intact_store_passes_every_checksum(store_copy: Path) -> None:
    verdict = verify(store_copy)
    assert verdict.ok and not verdict.damaged_rows and not verdict.unchecked
    assert verdict.checked >= 10 and verdict.rows_checked > 0
    proc = cli("info", "--check", store_copy)
    assert proc.returncode == 0 and "all checksums match" in proc.stdout


def test_10_a_store_reached_through_a_link_is_updated_in_place(store_copy: Path, tmp_path: Path) -> None:
    link = tmp_path / "elsewhere" / "project.h5"
    link.parent.mkdir()
    link.symlink_to(store_copy)
    with Store.open(link, "a") as st:
        st.put_result("probe", "k1", {"x": 1})
    assert link.is_symlink() and os.readlink(link) == str(store_copy)
    with Store.open(store_copy) as st:
        assert st.get_result("probe", "k1") == ({"x": 1}, {})
    # one store, one lock, whichever name reaches it
    held = WriterLock(store_copy)
    held.acquire()
    try:
        with pytest.raises(StoreError, match="is in use by PID"):
            WriterLock(link).acquire()
    finally:
        held.release()
    assert not list(link.parent.glob("*.lock"))


def test_12_non_integer_format_version_is_a_message(store_copy: Path) -> None:
    with h5py.File(store_copy, "r+", locking=False) as f:
        f.attrs["format_version"] = "abc"
    refused(cli("info", store_copy), "format_version is 'abc', not a number")


@needs_models
def test_12_nan_in_a_stored_vector_is_a_message_then_recomputed(store_copy: Path) -> None:
    with h5py.File(store_copy, "r+", locking=False) as f:
        vectors = f["embeddings/text/paraphrase-minilm-l3/vectors"]
        row = vectors[4]
        row[7] = np.nan
        vectors[4] = row
    refused(cli("analyze", "--store", store_copy), "damaged or not finite", "row 4",
            "alignscope embed")
    with Store.open(store_copy) as st:
        dataset = Path(st.dataset_info()["source"]).parent
    assert cli("embed", dataset, "--store", store_copy).returncode == 0
    with Store.open(store_copy) as st:
        assert np.isfinite(st.embeddings("paraphrase-minilm-l3")).all()


def _namespace_prefix() -> list[str] | None:
    """A command prefix giving a private mount namespace (to mount a tiny tmpfs), or None."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    for prefix in ([unshare, "-m"], [unshare, "-rm"]):
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return prefix
    return None


DISK_FULL_SCRIPT = r"""
import json, os, subprocess, sys
mnt, dataset = sys.argv[1], sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", mnt], check=True)
store = os.path.join(mnt, "p.h5")
run = lambda *a: subprocess.run([sys.executable, "-m", "app", *a], capture_output=True, text=True)
first = run("embed", dataset, "--store", store)
before = open(store, "rb").read()
free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
with open(os.path.join(mnt, "fill"), "wb") as fh:
    fh.write(b"\0" * max(0, free - 8192))
second = run("embed", dataset, "--store", store, "--text-model", "paraphrase-minilm-l3",
             "--text-model", "all-minilm-l6")
info = run("info", store)
print(json.dumps({"first": first.returncode, "rc": second.returncode, "err": second.stderr,
                  "same": open(store, "rb").read() == before, "info": info.returncode}))
"""


@needs_models
def test_12_disk_full_is_the_documented_message_and_the_store_stays(tmp_path: Path) -> None:
    prefix = _namespace_prefix()
    if prefix is None:
        pytest.skip("no private mount namespace here (unshare -m / -rm refused): cannot fill a disk")
    from engine.demo import build_demo

    dataset = build_demo(tmp_path / "small", n=12, seed=3).out_dir
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    proc = subprocess.run([*prefix, sys.executable, "-c", DISK_FULL_SCRIPT, str(mnt), str(dataset)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["first"] == 0 and out["rc"] == 2 and out["same"] and out["info"] == 0, out
    assert "disk full while writing; the store was left as it was" in out["err"], out["err"]
    assert "Traceback" not in out["err"]


def test_8_restamp_accepts_a_deliberate_edit(store_copy: Path) -> None:
    with h5py.File(store_copy, "r+", locking=False) as f:
        f["dataset"].attrs["source"] = "/moved/manifest.csv"
    assert not verify(store_copy).ok
    restamp(store_copy)
    assert verify(store_copy).ok
