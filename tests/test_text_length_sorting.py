"""Texts are batched by token length (less padding) and come back in input order."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import DEFAULT_IMAGE, DEFAULT_TEXT, have_default_models

from engine.encoders.texts import length_sorted_order

needs_models = pytest.mark.skipif(not have_default_models(), reason="run `make models`")

MIXED = [
    "Pass.",
    "Local defect: a 3 mm tear near the left selvedge, visible under raking light, sent to rework "
    "after the shift leader checked it twice under diffuse and raking light at station 2.",
    "OK.",
    "Global weave distortion across the whole sample, likely a tension problem on line 2.",
    "表面に傷あり。",
    "No defects.",
    "Slight discolouration in the centre; severity low; released after a second look by QA.",
]


def test_length_sorted_order_is_longest_first_and_stable():
    assert length_sorted_order([3, 9, 3, 5, 9]).tolist() == [1, 4, 3, 0, 2]
    assert length_sorted_order([]).tolist() == []


@needs_models
def test_encode_returns_input_order_equal_to_one_by_one():
    from engine.encoders import load_encoder

    enc = load_encoder(DEFAULT_TEXT, device="cpu", threads=1)
    order = enc.batch_order(MIXED)
    lengths = enc.token_lengths(MIXED)
    assert list(lengths[order]) == sorted(lengths, reverse=True)
    batched = enc.encode(MIXED, batch_size=3)
    single = np.concatenate([enc.encode([t], batch_size=1) for t in MIXED])
    np.testing.assert_allclose(batched, single, atol=1e-5)
    # each row is its own text's vector, not a neighbour's (texts differ: rows must differ)
    assert np.argmax(batched @ single.T, axis=1).tolist() == list(range(len(MIXED)))


@needs_models
def test_image_batch_order_is_the_input_order():
    from engine.encoders import load_encoder

    enc = load_encoder(DEFAULT_IMAGE, device="cpu", threads=1)
    assert enc.batch_order(["a.jpg", "b.jpg", "c.jpg"]).tolist() == [0, 1, 2]


@needs_models
def test_embed_job_writes_each_report_to_its_own_row(tmp_path):
    from engine.demo import build_demo
    from engine.embed import run_embed
    from engine.encoders import load_encoder
    from engine.store import Store

    build_demo(tmp_path / "d", n=45, seed=2)
    store = tmp_path / "p.h5"
    run_embed(tmp_path / "d", store, [DEFAULT_IMAGE], [DEFAULT_TEXT], device="cpu", batch_size=8)
    with Store.open(store) as st:
        stored = st.embeddings(DEFAULT_TEXT)
        reports = st.report_texts()
    direct = load_encoder(DEFAULT_TEXT, device="cpu", threads=1).encode(reports, batch_size=8)
    np.testing.assert_allclose(stored, direct, atol=1e-5)
