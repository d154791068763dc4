"""The embed job and the data CLI with the real (smallest) encoders on a small demo."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import DEFAULT_IMAGE, DEFAULT_TEXT, have_default_models

from app.main import main
from engine.demo import build_demo
from engine.embed import batch_plan, run_embed
from engine.errors import StoreError
from engine.progress import Cancelled
from engine.store import Store
from engine.store.layout import CACHED, COMPUTED, PENDING

IMAGE, TEXT = DEFAULT_IMAGE, DEFAULT_TEXT
needs_models = pytest.mark.skipif(not have_default_models(),
                                  reason="exported models missing (make models)")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "ds"
    build_demo(out, n=48, seed=11)
    return out


def test_batch_plan_keeps_grid_composition() -> None:
    done = np.array([COMPUTED] * 4 + [PENDING] * 3 + [COMPUTED] + [PENDING] * 8 + [CACHED, PENDING, PENDING])
    plan = batch_plan(done, 4)
    # cell 0 finished: skipped; cell 1 has pending rows: recomputed whole (composition kept);
    # cells 2, 3 full and pending: one segment; cell 4 (rows 16-18) minus the cached row: alone
    assert [[c.tolist() for c in seg] for seg in plan] == [
        [[4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]], [[17, 18]]]


@needs_models
def test_embed_resume_cache_and_cli(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "p.h5"
    assert main(["embed", str(demo_dir), "--store", str(store), "--batch", "8"]) == 0
    out = capsys.readouterr().out
    assert "48 rows, 43 good, 5 quarantined" in out
    assert f"{IMAGE} (image, CPUExecutionProvider): 43 embedded" in out
    assert main(["info", str(store), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["n_samples"] == 43 and info["n_quarantined"] == 5
    assert {q["reason"].split(" ")[0] for q in info["quarantine"]} >= {"missing", "zero", "truncated"}
    assert set(info["quarantine"][0]) == {"row", "id", "file", "reason"}
    assert info["models"] == {"image": [IMAGE], "text": [TEXT]}
    assert info["complete"] == {IMAGE: True, TEXT: True}
    planted = json.loads((demo_dir / "planted.json").read_text())
    assert info["truncated"][TEXT] >= len(planted["long_reports"]) >= 1
    assert sorted(q["row"] for q in info["quarantine"]) == sorted(
        e["row"] for k in ("missing", "zero_bytes", "truncated", "not_an_image", "empty_report")
        for e in planted[k])
    # the stored embeddings are what the encoder gives for those files, in store order
    from engine.encoders import load_encoder

    with Store.open(store) as st:
        ids = st.sample_ids()
        stored = st.embeddings(IMAGE)
        paths = st.image_paths()
        assert st.model_attrs(IMAGE)["sha256"] == load_encoder(IMAGE).spec.sha256
    enc = load_encoder(IMAGE)
    np.testing.assert_allclose(stored[:8], enc.encode(paths[:8], batch_size=8), rtol=0, atol=1e-6)
    # export-embeddings: .npy + ids
    out_npy = tmp_path / "img.npy"
    assert main(["export-embeddings", str(store), "--model", IMAGE, "--out", str(out_npy)]) == 0
    exported = np.load(out_npy)
    assert exported.dtype == np.float32 and exported.shape == (43, 1280)
    np.testing.assert_array_equal(exported, stored)
    assert (tmp_path / "img.ids.txt").read_text().splitlines() == ids
    # a rerun does nothing
    summary = run_embed(demo_dir, store)
    assert [(m.computed, m.already_done) for m in summary.models] == [(0, 43), (0, 43)]
    assert not summary.rebuilt


@needs_models
def test_manifest_edit_reembeds_only_changed_content(demo_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "ds"
    shutil.copytree(demo_dir, work)
    store = tmp_path / "p.h5"
    run_embed(work, store)
    text = (work / "manifest.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # rewrite the report of the first data row and add a new row reusing an image
    first = lines[1].split(",", 3)
    lines[1] = f'{first[0]},{first[1]},"Rewritten: small hole near the left edge.",{first[3].split(",", 1)[1]}'
    (work / "manifest.csv").write_text("".join(lines), encoding="utf-8")
    summary = run_embed(work, store)
    assert summary.rebuilt
    runs = {m.model_id: m for m in summary.models}
    assert (runs[IMAGE].computed, runs[IMAGE].cached) == (0, 43)
    assert (runs[TEXT].computed, runs[TEXT].cached) == (1, 42)


@needs_models
def test_cancel_keeps_finished_rows_and_resume_completes(demo_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "p.h5"
    seen: list[int] = []

    def cancel_after_some(done: int, total: int, message: str) -> None:
        if "embedding" in message:
            seen.append(done)
            if done >= 16:
                raise Cancelled()

    with pytest.raises(Cancelled):
        run_embed(demo_dir, store, batch_size=8, progress=cancel_after_some)
    with Store.open(store) as st:
        assert st.n_done(IMAGE) == 16 and not st.is_complete(IMAGE)
    summary = run_embed(demo_dir, store)
    runs = {m.model_id: m for m in summary.models}
    assert (runs[IMAGE].computed, runs[IMAGE].already_done) == (27, 16)
    assert runs[TEXT].computed == 43
    with Store.open(store) as st:
        assert st.is_complete(IMAGE) and st.is_complete(TEXT)
        assert st.model_attrs(IMAGE)["batch_size"] == 8


@needs_models
def test_changed_model_file_is_refused_and_nothing_is_lost(demo_dir: Path, tmp_path: Path) -> None:
    import h5py

    store = tmp_path / "p.h5"
    run_embed(demo_dir, store)
    from engine.store.integrity import restamp

    with h5py.File(store, "r+") as f:
        f["embeddings/image/efficientnet-lite0"].attrs["sha256"] = "0" * 64
    restamp(store)  # a store made with another model file, not a damaged one
    before = store.read_bytes()
    with pytest.raises(StoreError, match=r"made with a model file of sha256 000000000000.*--reembed-changed"):
        run_embed(demo_dir, store)
    assert store.read_bytes() == before
    # after an update of the encoders: embed the changed model again on request
    from engine.encoders import load_encoder

    with Store.open(store) as st:
        text_before = st.embeddings("paraphrase-minilm-l3")
    summary = run_embed(demo_dir, store, reembed_changed=True)
    runs = {r.model_id: r for r in summary.models}
    assert runs["efficientnet-lite0"].computed == summary.n_samples  # embedded again, all rows
    assert runs["paraphrase-minilm-l3"].computed == 0  # unchanged model: kept
    with Store.open(store) as st:
        assert st.is_complete("efficientnet-lite0")
        assert st.model_attrs("efficientnet-lite0")["sha256"] == load_encoder(IMAGE).spec.sha256
        np.testing.assert_array_equal(st.embeddings("paraphrase-minilm-l3"), text_before)


@needs_models
def test_wrong_modality_and_unknown_model(demo_dir: Path, tmp_path: Path, capsys: Any) -> None:
    rc = main(["embed", str(demo_dir), "--store", str(tmp_path / "p.h5"), "--image-model", TEXT])
    assert rc == 2
    assert "is a text model: pass it with --text-model" in capsys.readouterr().err
    assert main(["embed", str(demo_dir), "--store", str(tmp_path / "p.h5"),
                 "--text-model", "nope"]) == 2
    assert not (tmp_path / "p.h5").exists()


def test_demo_cli(tmp_path: Path, capsys: Any) -> None:
    assert main(["demo", str(tmp_path / "d"), "--n", "20", "--seed", "2"]) == 0
    assert "20 rows written" in capsys.readouterr().out
    assert (tmp_path / "d" / "manifest.csv").is_file()


@needs_models
def test_partly_flagged_batches_are_recomputed_with_their_full_composition(
    demo_dir: Path, tmp_path: Path
) -> None:
    """The state a kill during a flush leaves (some done flags of a batch written) must
    resume to the bytes of an uninterrupted run. Text embeddings depend on the batch
    (padding length), so recomputing only the pending rows would give other bytes."""
    import h5py

    from engine.encoders import load_encoder

    store = tmp_path / "p.h5"
    run_embed(demo_dir, store, batch_size=8)
    with Store.open(store) as st:
        reference = st.embeddings(TEXT)
        texts = st.report_texts()
    enc = load_encoder(TEXT)
    n = len(texts)
    pending: list[int] = []
    for start in range(0, n, 8):
        cell = np.arange(start, min(start + 8, n))
        lengths = enc.token_lengths([texts[i] for i in cell])
        pending += sorted(cell[np.argsort(lengths, kind="stable")[:3]].tolist())
    # premise: encoding only the pending rows of each batch changes some bytes
    naive = np.concatenate([enc.encode([texts[i] for i in pending[k:k + 3]], batch_size=8)
                            for k in range(0, len(pending), 3)])
    assert np.any(naive.view(np.uint32) != reference[pending].view(np.uint32))
    with h5py.File(store, "r+") as f:
        g = f[f"embeddings/text/{TEXT}"]
        done = g["done"][()]
        done[pending] = PENDING
        g["done"][...] = done
        vec = g["vectors"][()]
        vec[pending] = 0.0
        g["vectors"][...] = vec
    summary = run_embed(demo_dir, store)
    assert {m.model_id: m.computed for m in summary.models} == {IMAGE: 0, TEXT: len(pending)}
    with Store.open(store) as st:
        assert st.embeddings(TEXT).view(np.uint32).tobytes() == reference.view(np.uint32).tobytes()
