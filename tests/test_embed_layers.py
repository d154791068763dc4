"""`embed --layers`: pooled layers stored beside the embeddings, crash-safe, resumable, readable.

Real encoders, real HDF5, real SIGKILLs of real subprocesses (as tests/test_embed_crash_safety.py).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest
from helpers import DEFAULT_IMAGE, DEFAULT_TEXT, have_default_models

from app.main import main
from engine.demo import build_demo
from engine.embed import grid_mask, run_embed
from engine.encoders import get_spec, load_encoder
from engine.errors import StoreError
from engine.store import Store
from engine.store.layout import CACHED, COMPUTED, PENDING

IMAGE, TEXT = DEFAULT_IMAGE, DEFAULT_TEXT
REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not have_default_models(), reason="exported models missing (make models)")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("layers") / "ds"
    build_demo(out, n=40, seed=5)
    return out


@pytest.fixture(scope="module")
def layered(demo_dir: Path) -> Path:
    """A store embedded with --layers in one uninterrupted run (batch 8): the reference."""
    store = demo_dir.parent / "layered.h5"
    run_embed(demo_dir, store, batch_size=8, layers=True)
    return store


def _layers(store: Path) -> dict[str, dict[str, np.ndarray]]:
    with Store.open(store) as st:
        return {m: st.layer_embeddings(m) for m in (IMAGE, TEXT)}


def _bytes(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a).view(np.uint32).tobytes()


def test_grid_mask_marks_a_row_pending_when_either_part_is() -> None:
    done = np.array([PENDING, COMPUTED, CACHED, CACHED, COMPUTED], np.uint8)
    layer = np.array([COMPUTED, PENDING, CACHED, PENDING, COMPUTED], np.uint8)
    assert grid_mask(done, layer).tolist() == [PENDING, PENDING, CACHED, PENDING, COMPUTED]
    assert grid_mask(done, None) is done


def test_layers_are_stored_and_read_in_depth_order(layered: Path, demo_dir: Path) -> None:
    with Store.open(layered) as st:
        n = st.n_samples
        for model in (IMAGE, TEXT):
            spec = get_spec(model)
            assert st.layer_names(model) == spec.layer_names and st.layers_complete(model)
            got = st.layer_embeddings(model)
            assert list(got) == spec.layer_names
            assert [a.shape for a in got.values()] == [(n, x.dim) for x in spec.layers]
            # the last layer is the embedding table itself
            assert _bytes(got[spec.layer_names[-1]]) == _bytes(st.embeddings(model))
            one = st.layer_embeddings(model, [spec.layer_names[1]])
            assert list(one) == [spec.layer_names[1]]
            assert _bytes(one[spec.layer_names[1]]) == _bytes(got[spec.layer_names[1]])
        paths = st.image_paths()
        texts = st.report_texts()
    # same batches as a direct encode_layers call: the same bytes
    direct = load_encoder(IMAGE, device="cpu").encode_layers(paths, batch_size=8)
    stored = _layers(layered)[IMAGE]
    for name, arr in direct.items():
        assert _bytes(arr) == _bytes(stored[name]), name
    direct_t = load_encoder(TEXT, device="cpu").encode_layers(texts, batch_size=8)
    assert _bytes(direct_t["embeddings"]) == _bytes(_layers(layered)[TEXT]["embeddings"])
    with h5py.File(layered, "r", locking=False) as f:  # plain h5py, as docs/store.md says
        g = f[f"embeddings/image/{IMAGE}"]
        assert json.loads(g["layers"].attrs["names"])[-1] == "head" and "head" not in g["layers"]
        assert g["layers/stage3"].shape == (n, 40) and g["layer_done"].shape == (n,)


def test_layers_added_later_leave_the_embeddings_untouched(demo_dir: Path, layered: Path,
                                                           tmp_path: Path) -> None:
    store = tmp_path / "later.h5"
    first = run_embed(demo_dir, store, batch_size=8)
    assert all(not m.layers for m in first.models)
    with Store.open(store) as st:
        before = {m: st.embeddings(m) for m in (IMAGE, TEXT)}
        assert st.layer_names(IMAGE) == []
        with pytest.raises(StoreError, match="--layers"):
            st.layer_embeddings(IMAGE)
    again = run_embed(demo_dir, store, layers=True)  # batch: the one the tables were made with
    assert {m.model_id: (m.computed, m.layer_rows) for m in again.models} == {
        IMAGE: (0, first.n_samples), TEXT: (0, first.n_samples)}
    with Store.open(store) as st:
        for m in (IMAGE, TEXT):
            assert _bytes(st.embeddings(m)) == _bytes(before[m])
    ref = _layers(layered)
    got = _layers(store)
    for m in (IMAGE, TEXT):
        for name in ref[m]:
            assert _bytes(got[m][name]) == _bytes(ref[m][name]), (m, name)


def test_lost_layer_rows_are_recomputed_bitwise(layered: Path, demo_dir: Path, tmp_path: Path) -> None:
    """A kill between writing layer rows and flagging them leaves rows pending: the rerun
    recomputes their whole grid batches and writes the same bytes."""
    store = tmp_path / "partial.h5"
    shutil.copyfile(layered, store)
    with h5py.File(store, "r+", locking=False) as f:
        g = f[f"embeddings/text/{TEXT}"]
        done = g["layer_done"][()]
        done[[3, 4, 17]] = PENDING
        g["layer_done"][...] = done
        for name in g["layers"]:
            values = g["layers"][name][()]
            values[[3, 4, 17]] = 0.0
            g["layers"][name][...] = values
    summary = run_embed(demo_dir, store)  # no --layers: a store that has layers keeps them complete
    runs = {m.model_id: m for m in summary.models}
    assert (runs[TEXT].computed, runs[TEXT].layer_rows) == (0, 3)
    assert runs[IMAGE].layer_rows == 0 and runs[IMAGE].layers == get_spec(IMAGE).layer_names
    ref, got = _layers(layered), _layers(store)
    for name in ref[TEXT]:
        assert _bytes(got[TEXT][name]) == _bytes(ref[TEXT][name]), name


def test_incomplete_layers_are_refused(layered: Path, tmp_path: Path) -> None:
    store = tmp_path / "hole.h5"
    shutil.copyfile(layered, store)
    with h5py.File(store, "r+", locking=False) as f:
        f[f"embeddings/image/{IMAGE}/layer_done"][5] = PENDING
    with Store.open(store) as st:
        assert not st.layers_complete(IMAGE)
        with pytest.raises(StoreError, match=r"layers of 'efficientnet-lite0' are incomplete \(1 of"):
            st.layer_embeddings(IMAGE)
        with pytest.raises(StoreError, match="no layer 'stage9'"):
            st.layer_embeddings(IMAGE, ["stage9"])


def test_edited_manifest_carries_layers_over(demo_dir: Path, layered: Path, tmp_path: Path) -> None:
    work = tmp_path / "ds"
    shutil.copytree(demo_dir, work)
    store = tmp_path / "carry.h5"
    shutil.copyfile(layered, store)
    manifest = work / "manifest.csv"
    with manifest.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with manifest.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([rows[0], *reversed(rows[1:])])  # same content, other order
    summary = run_embed(work, store)
    assert all(m.computed == 0 and m.layer_rows == 0 for m in summary.models)
    with Store.open(store) as st, Store.open(layered) as old:
        assert np.all(st.file[f"embeddings/image/{IMAGE}/layer_done"][()] == CACHED)
        order = {sid: i for i, sid in enumerate(old.sample_ids())}
        rows_old = [order[s] for s in st.sample_ids()]
        new, ref = st.layer_embeddings(IMAGE), old.layer_embeddings(IMAGE)
        for name in ref:
            assert _bytes(new[name]) == _bytes(ref[name][rows_old]), name


def test_cli_embed_layers_prints_the_storage_cost(demo_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "cli.h5"
    assert main(["embed", str(demo_dir), "--store", str(store), "--batch", "8", "--layers"]) == 0
    out = capsys.readouterr().out
    # lite0: 16+24+40+80+112+192+320 floats of 4 bytes per row besides the embedding
    assert "layers: 8 (stage1, stage2, stage3, stage4, stage5, stage6, stage7, head" in out
    assert "3.1 MB per 1,000 rows" in out
    assert "layers: 4 (embeddings, layer1, layer2, layer3" in out and "4.6 MB per 1,000 rows" in out
    assert main(["info", str(store), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["layers"][IMAGE][-1] == "head" and info["layers_complete"] == {IMAGE: True, TEXT: True}
    assert main(["info", str(store)]) == 0
    assert "8 layers" in capsys.readouterr().out


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
    import engine.store.layers as layers, engine.store.writer as writer
    if point == "add_layers":      # while the layer tables are created (atomic rewrite)
        orig = layers.create_layers
        def patched(g, spec, n):
            orig(g, spec, n)
            if tick(): g.file.flush(); die()
        layers.create_layers = patched
        import engine.store.build as build
        build.create_layers = patched
    elif point == "mid_layers":    # half of a batch's layer rows written, nothing flagged
        orig_w = writer.TableWriter.write_layers
        def patched_w(self, rows, values):
            if len(rows) and tick():
                half = max(1, len(rows) // 2)
                for name, ds in self._layers.items():
                    ds[int(rows[0]):int(rows[0]) + half] = values[name][:half]
                die()
            return orig_w(self, rows, values)
        writer.TableWriter.write_layers = patched_w
    elif point == "flush":         # rows flushed, only part of the layer flags written
        orig_f = writer.TableWriter.flush
        def patched_f(self):
            if self._pending_layers and tick():
                self._f.flush()
                for r in sorted(self._pending_layers)[: len(self._pending_layers) // 2 + 1]:
                    self._layer_done[r] = 1
                self._f.flush()
                die()
            return orig_f(self)
        writer.TableWriter.flush = patched_f
        writer.TableWriter.__init__.__defaults__ = (0.0,)
    from app.main import main
    sys.exit(main(sys.argv[1:]))
''')


@pytest.mark.slow
def test_sigkill_during_layer_writes_then_resume_is_bitwise_identical(demo_dir: Path, layered: Path,
                                                                      tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    store = tmp_path / "k.h5"
    cmd = ["embed", str(demo_dir), "--store", str(store), "--batch", "8", "--threads", "1", "--layers"]
    for point in ("add_layers:1", "mid_layers:2", "flush:2", "mid_layers:3", "flush:1"):
        r = subprocess.run([sys.executable, str(driver), *cmd], capture_output=True, text=True,
                           env={**os.environ, "KILL_AT": point}, timeout=180, cwd=REPO)
        assert r.returncode == -9, f"{point}: {r.returncode} {r.stderr[-500:]}"
        if store.exists():
            Store.open(store).close()  # opens after every kill
    r = subprocess.run([sys.executable, "-m", "app", *cmd], capture_output=True, text=True,
                       timeout=180, cwd=REPO)
    assert r.returncode == 0, r.stderr
    ref, got = _layers(layered), _layers(store)
    for m in (IMAGE, TEXT):
        for name in ref[m]:
            assert _bytes(got[m][name]) == _bytes(ref[m][name]), (m, name)
