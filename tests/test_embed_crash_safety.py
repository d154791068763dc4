"""SIGKILL at many points of a real `alignscope embed` process; readers while it writes.

Every kill is a real SIGKILL of a real subprocess. Deterministic kill points are set by a
small driver that wraps engine functions (the code under test is unchanged); more kills
come at random moments. After each kill the store must open, no finished row may be lost,
and the final embeddings must be bitwise identical to an uninterrupted run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import DEFAULT_IMAGE, DEFAULT_TEXT, have_default_models

from engine.demo import build_demo
from engine.errors import StoreError
from engine.store import Store

IMAGE, TEXT = DEFAULT_IMAGE, DEFAULT_TEXT
needs_models = pytest.mark.skipif(not have_default_models(),
                                  reason="exported models missing (make models)")

DRIVER = textwrap.dedent('''
    import os, signal, sys
    point, nth = os.environ["KILL_AT"].split(":")
    nth = int(nth)
    calls = {"n": 0}
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    def tick():
        calls["n"] += 1
        return calls["n"] >= nth
    import engine.store.build as build, engine.store.writer as writer, engine.store.h5io as h5io
    if point == "samples":          # in the middle of writing the new store file
        orig = build._write_samples
        def patched(f, ds):
            orig(f, ds); f.flush(); die()
        build._write_samples = patched
    elif point == "add_table":      # while adding a model's table (atomic rewrite)
        orig_ct = build._create_table
        def patched_ct(f, spec, n):
            g = orig_ct(f, spec, n)
            if tick(): f.flush(); die()
            return g
        build._create_table = patched_ct
    elif point == "mid_batch":      # half of a batch's rows written, nothing flushed
        orig_w = writer.TableWriter.write
        def patched_w(self, rows, vectors, truncated=None):
            if tick():
                half = max(1, len(rows) // 2)
                self._vectors[int(rows[0]):int(rows[0]) + half] = vectors[:half]
                die()
            return orig_w(self, rows, vectors, truncated)
        writer.TableWriter.write = patched_w
    elif point == "flush":          # rows flushed, only part of their done flags written
        orig_f = writer.TableWriter.flush
        def patched_f(self):
            if self._pending and tick():
                self._f.flush()
                rows = sorted(self._pending)[: max(1, len(self._pending) // 2) + 1]
                for r in rows:
                    self._done[r] = 1
                self._f.flush()
                die()
            return orig_f(self)
        writer.TableWriter.flush = patched_f
        writer.TableWriter.__init__.__defaults__ = (0.0,)  # flush after every batch
    from app.main import main
    sys.exit(main(sys.argv[1:]))
''')


def _cmd(dataset: Path, store: Path) -> list[str]:
    return ["embed", str(dataset), "--store", str(store), "--batch", "8", "--threads", "1"]


def _run(args: list[str], kill_at: str | None = None, driver: Path | None = None,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if kill_at and driver:
        env["KILL_AT"] = kill_at
        cmd = [sys.executable, str(driver), *args]
    else:
        cmd = [sys.executable, "-m", "app", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                          cwd=Path(__file__).resolve().parents[1])


def _vectors(store: Path) -> dict[str, np.ndarray]:
    with Store.open(store) as st:
        return {m: st.embeddings(m) for m in (IMAGE, TEXT)}


def _done_counts(store: Path) -> dict[str, int]:
    if not store.exists():
        return {}
    with Store.open(store) as st:
        return {m: st.n_done(m) for ids in st.models().values() for m in ids}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kill") / "ds"
    build_demo(out, n=72, seed=7)
    return out


@pytest.fixture(scope="module")
def reference(dataset: Path) -> dict[str, np.ndarray]:
    store = dataset.parent / "ref.h5"
    r = _run(_cmd(dataset, store))
    assert r.returncode == 0, r.stderr
    return _vectors(store)


@needs_models
@pytest.mark.slow
def test_sigkill_at_every_stage_then_resume_is_bitwise_identical(
    dataset: Path, reference: dict[str, np.ndarray], tmp_path: Path
) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    store = tmp_path / "k.h5"
    before: dict[str, int] = {}
    # early: while the store file is being written (no store yet), then while the image
    # table is added; mid-batch; during a flush (done flags half written); then the same
    # in the text model (its table is added once the image model is finished)
    points = ("samples:1", "add_table:1", "mid_batch:3", "flush:3", "add_table:1", "flush:2",
              "mid_batch:2")
    for point in points:
        r = _run(_cmd(dataset, store), kill_at=point, driver=driver)
        assert r.returncode == -9, f"{point}: {r.returncode} {r.stderr[-500:]}"
        after = _done_counts(store)  # the store opens after every kill
        for model, count in before.items():
            assert after.get(model, 0) >= count, f"{point}: finished rows lost"
        before = after
        assert not list(tmp_path.glob(".k.h5.tmp-*")) or point in ("samples:1", "add_table:1")
    assert before.get(IMAGE, 0) > 0 and before.get(TEXT, 0) > 0
    # random moments
    for delay in (0.9, 1.7):
        p = subprocess.Popen([sys.executable, "-m", "app", *_cmd(dataset, store)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=Path(__file__).resolve().parents[1])
        time.sleep(delay)
        p.kill()
        p.wait()
        _done_counts(store)
    r = _run(_cmd(dataset, store))
    assert r.returncode == 0, r.stderr
    final = _vectors(store)
    for model in (IMAGE, TEXT):
        assert final[model].view(np.uint32).tobytes() == reference[model].view(np.uint32).tobytes(), model
    assert not list(tmp_path.glob(".k.h5.tmp-*"))


@needs_models
@pytest.mark.slow
def test_reader_sees_consistent_rows_while_embed_writes(
    dataset: Path, reference: dict[str, np.ndarray], tmp_path: Path
) -> None:
    store = tmp_path / "r.h5"
    cmd = [sys.executable, "-m", "app", *_cmd(dataset, store)[:-2], "--threads", "1"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         cwd=Path(__file__).resolve().parents[1])
    checked = 0
    refused = False
    try:
        while p.poll() is None:
            if store.exists():
                try:
                    with Store.open(store) as st:
                        for model in st.models()["image"] + st.models()["text"]:
                            done = st.done_mask(model) != 0
                            vec = st.file[f"embeddings/{st.model_attrs(model)['modality']}/{model}/vectors"][()]
                            assert np.array_equal(vec[done], reference[model][done])
                            checked += int(done.sum())
                except StoreError as exc:  # only before the first store file exists
                    raise AssertionError(f"reader refused: {exc}") from exc
                if not refused:
                    try:
                        Store.open(store, "a").close()
                    except StoreError as exc:
                        assert f"in use by PID {p.pid}" in str(exc)
                        refused = True
            time.sleep(0.05)
    finally:
        p.kill()
        p.wait()
    assert p.returncode == 0
    assert refused and checked > 0
